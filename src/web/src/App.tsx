import { useEffect, useState } from 'react';
import { onAuthRequired, setToken, getToken } from './api-client.js';
import { Link, usePath } from './router.js';
import { LoginForm } from './components/LoginForm.js';
import { CatalogPage } from './pages/CatalogPage.js';
import { NsListPage } from './pages/NsListPage.js';
import { NsPage } from './pages/NsPage.js';
import { OpsPage } from './pages/OpsPage.js';
import { AlarmsPage } from './pages/AlarmsPage.js';
import { PopsPage } from './pages/PopsPage.js';

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

/** The dashboard shell: navigation, the page of the path, and the login form on 401. */
export function App() {
  const path = usePath();
  const [needLogin, setNeedLogin] = useState(false);
  const [session, setSession] = useState(0);
  useEffect(() => onAuthRequired(() => setNeedLogin(true)), []);
  const current = NAV.find(([p]) => path.startsWith(p))?.[0] ?? '/catalog';
  return (
    <>
      <header className="top">
        <h1><Link to="/catalog">Rondo</Link></h1>
        <nav>
          {NAV.map(([p, label]) => (
            <Link key={p} to={p} className={p === current ? 'active' : ''} testId={`nav-${p.slice(1)}`}>{label}</Link>
          ))}
        </nav>
        <span className="spacer" />
        {getToken() && <button className="linkish" onClick={() => { setToken(null); setSession((s) => s + 1); }}>Sign out</button>}
      </header>
      <main>
        {needLogin ? (
          <LoginForm onDone={() => { setNeedLogin(false); setSession((s) => s + 1); }} />
        ) : (
          <Page key={session} path={path} />
        )}
      </main>
    </>
  );
}
