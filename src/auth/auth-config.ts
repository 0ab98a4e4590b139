// The auth settings are part of the one configuration object (`src/config`); this file
// keeps what authentication does with them.
export { DEFAULT_PUBLIC_ROUTES, loadAuthConfig } from '../config/index.js';
export type { AuthConfig, PublicRoute } from '../config/index.js';
import type { PublicRoute } from '../config/index.js';

/** Whether `method path` (a raw URL path, no query) is public under `routes`. */
export function isPublicRoute(routes: readonly PublicRoute[], method: string, path: string): boolean {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return routes.some((r) => (r.method === '*' || r.method === m) && (r.path.endsWith('*') ? path.startsWith(r.path.slice(0, -1)) : path === r.path));
}
