import { useEffect, useState } from 'react';
import type { MouseEvent, ReactNode } from 'react';

/** Where the dashboard is mounted (Vite's `base`, without the trailing slash). */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

/** The app path under the base: `/ui/ns/42` → `/ns/42`. */
export const appPath = (): string => window.location.pathname.slice(BASE.length) || '/';

/** Goes to an app path with history.pushState. */
export function navigate(to: string): void {
  window.history.pushState(null, '', BASE + to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current app path; re-renders on navigation. */
export function usePath(): string {
  const [path, setPath] = useState(appPath);
  useEffect(() => {
    const on = (): void => setPath(appPath());
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return path;
}

/** An in-app link: a real `<a href>` (middle-click works) that navigates without a reload. */
export function Link({ to, children, className, testId }: { readonly to: string; readonly children: ReactNode; readonly className?: string; readonly testId?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={BASE + to} onClick={onClick} className={className} data-testid={testId}>
      {children}
    </a>
  );
}
