import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { logout, onAuthRequired } from './api-client.js';
import { decodeClaims, useToken } from './session.js';
import { Link, usePath } from './router.js';
import { LoginForm } from './components/LoginForm.js';

// One chunk per page, fetched on first visit: the first load carries React, the shell and
// the login form, not every page (and never Cytoscape, which only NsPage's topology loads).
const CatalogPage = lazy(async () => ({ default: (await import('./pages/CatalogPage.js')).CatalogPage }));
const NsListPage = lazy(async () => ({ default: (await import('./pages/NsListPage.js')).NsListPage }));
const NsPage = lazy(async () => ({ default: (await import('./pages/NsPage.js')).NsPage }));
const OpsPage = lazy(async () => ({ default: (await import('./pages/OpsPage.js')).OpsPage }));
const AlarmsPage = lazy(async () => ({ default: (await import('./pages/AlarmsPage.js')).AlarmsPage }));
const PopsPage = lazy(async () => ({ default: (await import('./pages/PopsPage.js')).PopsPage }));

const NAV = [
  ['/catalog', 'Catalog'],
  ['/ns', 'NS instances'],
  ['/ops', 'Operations'],
  ['/alarms', 'Alarms'],
  ['/pops', 'PoPs'],
] as const;

function Page({ path }: { readonly path: string }) {
  const ns = /^\/ns\/([^/]+)$/.exec(path);
  if (ns?.[1]) return <NsPage key={ns[1]} id={decodeURIComponent(ns[1])} />;
  if (path.startsWith('/ns')) return <NsListPage />;
  if (path.startsWith('/ops')) return <OpsPage />;
  if (path.startsWith('/alarms')) return <AlarmsPage />;
  if (path.startsWith('/pops')) return <PopsPage />;
  return <CatalogPage />;
}

/**
 * The dashboard shell: navigation, who is signed in, and the page of the path. Any 401 of
 * the API replaces the page with the login form; the path is kept, so signing in shows the
 * page the user was on. In insecure mode the API never answers 401: no login appears.
 */
export function App() {
  const path = usePath();
  const token = useToken();
  const claims = useMemo(() => (token ? decodeClaims(token) : null), [token]);
  const [needLogin, setNeedLogin] = useState(false);
  const [session, setSession] = useState(0);
  useEffect(() => onAuthRequired(() => setNeedLogin(true)), []);
  const current = NAV.find(([p]) => path.startsWith(p))?.[0] ?? '/catalog';
  const signOut = (): void => {
    logout();
    setNeedLogin(true);
  };
  return (
    <>
      <header className="top">
        <h1><Link to="/catalog">Rondo</Link></h1>
        {!needLogin && (
          <nav>
            {NAV.map(([p, label]) => (
              <Link key={p} to={p} className={p === current ? 'active' : ''} testId={`nav-${p.slice(1)}`}>{label}</Link>
            ))}
          </nav>
        )}
        <span className="spacer" />
        {token && !needLogin && (
          <>
            <span className="session-user" data-testid="session-user" title={claims?.roles.length ? `roles: ${claims.roles.join(', ')}` : undefined}>
              {claims ? (
                <>
                  <b data-testid="session-username">{claims.username}</b>
                  {claims.tenant && <> · <span data-testid="session-tenant">{claims.tenant}</span></>}
                </>
              ) : 'signed in'}
            </span>
            <button className="linkish" onClick={signOut} data-testid="sign-out">Sign out</button>
          </>
        )}
      </header>
      <main>
        {needLogin ? (
          <LoginForm onDone={() => { setNeedLogin(false); setSession((s) => s + 1); }} />
        ) : (
          <Suspense fallback={<p className="muted page" data-testid="page-loading">Loading…</p>}>
            <Page key={session} path={path} />
          </Suspense>
        )}
      </main>
    </>
  );
}
