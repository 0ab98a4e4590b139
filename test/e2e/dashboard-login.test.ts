/**
 * The dashboard with authentication on, in a real browser against the real API (auth
 * plugins in front of every route, as `test/integration/auth-support.ts` builds it), on
 * memory PoPs — no Docker: the login page on the first 401, the ProblemDetails detail of a
 * wrong password, the page the user was on after signing in, the user and tenant in the
 * header, the session surviving a reload, the event stream authenticated by `?access_token=`
 * (an NS instantiated through the API shows up live), and signing out. Then insecure mode:
 * no login at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/index.js';
import type { RondoApp } from '../../src/api/index.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { ROUTE_PLUGINS } from '../../src/api/route-plugins.js';
import { authRoutePlugins } from '../../src/api/http/auth-route-plugins.js';
import { createAuthService } from '../../src/auth/index.js';
import type { AuthService } from '../../src/auth/index.js';
import { compose } from '../../src/app/index.js';
import { authRepositories } from '../../src/store/index.js';
import { openTestStore } from '../support/store.js';
import type { Store } from '../../src/store/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { TEST_KEY, TEST_SCRYPT } from '../integration/auth-support.js';
import { describeScripts, ensureDashboardBuilt, FIRST_LOAD_JS_BUDGET, launchBrowser, openPage, screenshot, TOPOLOGY_CHUNK, trackScripts, waitForTopology } from '../support/browser.js';
import { TANGO_CHAIN_TOPOLOGY } from '../support/fake-ns.js';

const ALICE = { username: 'alice', password: 'dashboard-login-password', tenant: 'lab' };

/** A listening app with the auth plugins, its own store and data dir. */
interface AuthServer {
  readonly base: string;
  readonly app: RondoApp;
  readonly auth: AuthService;
  readonly deps: AppDeps;
  close(): Promise<void>;
}

async function startAuthServer(env: NodeJS.ProcessEnv): Promise<AuthServer> {
  const dir = await mkdtemp(join(tmpdir(), 'rondo-ui-login-'));
  const fullEnv = { RONDO_SECRET_KEY: TEST_KEY, ...env };
  const config = loadConfig(fullEnv, { dataDir: dir, logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'silent', host: '127.0.0.1', port: 0, opDeadlineSeconds: 60 });
  const store: Store = await openTestStore('pglite', 'dashboard-login');
  const auth = createAuthService({ repos: authRepositories(store.db), clock: systemClock, ids: uuidGenerator, dataDir: dir, env: fullEnv, config: config.auth, scrypt: TEST_SCRYPT });
  const c = await compose({ config, store, env: fullEnv, auth, http: { plugins: [...authRoutePlugins(auth), ...ROUTE_PLUGINS] } });
  const app = c.app as RondoApp;
  const deps: AppDeps = c.deps;
  c.worker.start();
  const base = await c.listen();
  return {
    base,
    app,
    auth,
    deps,
    close: async () => {
      await c.close();
      await auth.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON call with the bearer token; fails loudly on an unexpected status. */
async function api<T>(base: string, token: string, method: string, path: string, body?: unknown, want = [200, 201, 202]): Promise<{ body: T; headers: Headers }> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(`${base}${path}`, init);
  const text = await r.text();
  if (!want.includes(r.status)) throw new Error(`${method} ${path} → ${r.status} ${text}`);
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: r.headers };
}

/** The page's sessionStorage (the test's tsconfig has no DOM types). */
interface BrowserGlobals {
  readonly sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}
const TOKEN_KEY = 'rondo.token';

const storedToken = (p: Page): Promise<string | null> => p.evaluate((k) => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem(k), TOKEN_KEY);

/** Browser noise a 401 leaves ("Failed to load resource: … 401"): expected on this page. */
const unexpected = (errors: readonly string[]): string[] => errors.filter((e) => !/\b401\b/.test(e));

describe('dashboard sign-in (browser, auth on, no Docker)', () => {
  let browser: Browser;
  let server: AuthServer;
  let token: string;
  let nsdId: string;
  let dir: string;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), 'rondo-ui-login-pkg-'));
    server = await startAuthServer({});
    await server.auth.accounts.createUser({ ...ALICE, roles: ['admin'] });
    // Set up through the API as alice: the package and two memory PoPs.
    const login = await fetch(`${server.base}/admin/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: ALICE.username, password: ALICE.password }) });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { access_token: string }).access_token;
    const pkg = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/tango-chain', pkg);
    const up = await fetch(`${server.base}/packages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: await readFile(pkg) });
    expect(up.status, await up.clone().text()).toBe(201);
    nsdId = ((await up.json()) as { service_uuid: string }).service_uuid;
    // One memory engine behind both PoPs, so the chain's links may span them.
    for (const name of ['dc1', 'dc2']) {
      await api(server.base, token, 'POST', '/admin/v1/vims', { name, type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 16, memoryMiB: 16384 } });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function signIn(p: Page, password: string): Promise<void> {
    const form = p.getByTestId('login-form');
    await form.getByTestId('login-username').fill(ALICE.username);
    await form.getByTestId('login-password').fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }

  it('asks to sign in, shows the API detail of a wrong password, keeps the session, streams events with the token, signs out', async () => {
    const { base } = server;
    // Authentication really is on: the list and the stream refuse a caller without a token.
    expect((await fetch(`${base}/nslcm/v1/ns_instances`)).status).toBe(401);
    const anonymousStream = await fetch(`${base}/api/events`);
    expect(anonymousStream.status).toBe(401);
    await anonymousStream.body?.cancel();
    const wrong = await fetch(`${base}/admin/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: ALICE.username, password: 'not-the-password' }) });
    expect(wrong.status).toBe(401);
    const wrongDetail = ((await wrong.json()) as { detail: string }).detail;
    expect(wrongDetail).not.toBe('');

    const first = await api<{ id: string }>(base, token, 'POST', '/nslcm/v1/ns_instances', { nsdId, nsName: 'before-login', nsDescription: 'made through the API' });
    const { page: p, errors } = await openPage(browser);

    // 1. A deep link without a session: the login page, no navigation behind it, and under
    // 250 KB of JavaScript to get there (no Cytoscape: only the topology loads it).
    const js = trackScripts(p);
    await p.goto(`${base}/ui/ns`);
    await p.getByTestId('login-form').waitFor({ timeout: 15_000 });
    const firstLoad = await js.scripts();
    console.log(`first load JS (login): ${describeScripts(firstLoad)}`);
    expect(firstLoad.reduce((n, s) => n + s.bytes, 0)).toBeLessThan(FIRST_LOAD_JS_BUDGET);
    expect(firstLoad.filter((s) => TOPOLOGY_CHUNK.test(s.url))).toEqual([]);
    expect(await p.getByTestId('nav-catalog').count()).toBe(0);
    expect(await p.getByTestId('sign-out').count()).toBe(0);
    await screenshot(p, 'dashboard-login');

    // 2. A wrong password: the ProblemDetails detail, still on the login page, no token kept.
    await signIn(p, 'not-the-password');
    await expect.poll(() => p.getByTestId('login-error').textContent(), { timeout: 10_000 }).toBe(wrongDetail);
    expect(await storedToken(p)).toBeNull();
    await screenshot(p, 'dashboard-login-error');

    // 3. The right password: back on the NS list, the user and tenant in the header.
    await signIn(p, ALICE.password);
    await p.getByTestId('login-form').waitFor({ state: 'detached', timeout: 10_000 });
    await p.locator(`[data-testid=ns-row][data-ns-id="${first.body.id}"]`).waitFor({ timeout: 10_000 });
    expect(new URL(p.url()).pathname).toBe('/ui/ns');
    expect(await p.getByTestId('session-username').innerText()).toBe(ALICE.username);
    expect(await p.getByTestId('session-tenant').innerText()).toBe(ALICE.tenant);
    expect(await storedToken(p)).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);

    // 4. A reload keeps the session (sessionStorage): no login, the same list.
    await p.reload();
    await p.locator(`[data-testid=ns-row][data-ns-id="${first.body.id}"]`).waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('login-form').count()).toBe(0);
    expect(await p.getByTestId('session-username').innerText()).toBe(ALICE.username);

    // 5. The event stream connects with ?access_token= (the server refuses it without);
    //    an NS instantiated through the API appears and turns INSTANTIATED with no reload.
    await p.getByTestId('stream-state').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });
    const live = await api<{ id: string }>(base, token, 'POST', '/nslcm/v1/ns_instances', { nsdId, nsName: 'made-while-watching', nsDescription: 'live' });
    const t0 = Date.now();
    await api(base, token, 'POST', `/nslcm/v1/ns_instances/${live.body.id}/instantiate`, { nsFlavourId: 'default' });
    const liveRow = p.locator(`[data-testid=ns-row][data-ns-id="${live.body.id}"]`);
    await liveRow.locator('[data-state=INSTANTIATED]').waitFor({ timeout: 30_000 });
    // The row counts the NS's VNFs and names its PoPs (the list asks for vnfInstance).
    await liveRow.getByText(/\d+\/3 started/).waitFor({ timeout: 10_000 });
    console.log(`NS instantiated through the API shown INSTANTIATED on the list after ${Date.now() - t0} ms (memory PoPs, via SSE)`);
    await screenshot(p, 'dashboard-login-ns-list');

    // 6. Its page: the stream (filtered to the NS) is live, the topology all green.
    await liveRow.getByRole('link').first().click();
    await p.waitForURL(`**/ui/ns/${live.body.id}`);
    await p.getByTestId('stream-state').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });
    const { members } = TANGO_CHAIN_TOPOLOGY;
    await waitForTopology(p, (t) => t.nodes.filter((n) => (n.kind === 'vnf' || n.kind === 'sap') && n.state === 'running').length === members, 20_000, `all ${members} members running`);
    await screenshot(p, 'dashboard-login-topology');

    // 7. Sign out: the login page, the token gone, and a reload does not bring it back.
    await p.getByTestId('sign-out').click();
    await p.getByTestId('login-form').waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('session-user').count()).toBe(0);
    expect(await storedToken(p)).toBeNull();
    await p.reload();
    await p.getByTestId('login-form').waitFor({ timeout: 10_000 });

    // 8. Signing in again lands on the page the user was on (the NS page).
    await signIn(p, ALICE.password);
    await p.getByTestId('login-form').waitFor({ state: 'detached', timeout: 10_000 });
    expect(new URL(p.url()).pathname).toBe(`/ui/ns/${live.body.id}`);
    await p.getByTestId('ns-state').filter({ hasText: 'INSTANTIATED' }).waitFor({ timeout: 10_000 });
    await p.getByTestId('stream-state').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });

    // 9. A token the server no longer accepts (here: garbled) brings the login page back.
    await p.evaluate(([k, v]) => (globalThis as unknown as BrowserGlobals).sessionStorage.setItem(k, v), [TOKEN_KEY, 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiYWxpY2UifQ.forged'] as const);
    await p.goto(`${base}/ui/ops`);
    await p.getByTestId('login-form').waitFor({ timeout: 10_000 });
    expect(await storedToken(p)).toBeNull();
    await signIn(p, ALICE.password);
    await p.getByTestId('op').first().waitFor({ timeout: 10_000 });
    expect(new URL(p.url()).pathname).toBe('/ui/ops');

    expect(unexpected(errors)).toEqual([]);
    await p.context().close();
  });

  it('shows a viewer the store and the bus on the PoPs page, and says the plugins are not visible to them (403)', async () => {
    const VERA = { username: 'vera', password: 'dashboard-viewer-password', tenant: 'lab' };
    await server.auth.accounts.createUser({ ...VERA, roles: ['viewer'] });
    const { page: p, errors } = await openPage(browser);
    await p.goto(`${server.base}/ui/pops`);
    const form = p.getByTestId('login-form');
    await form.getByTestId('login-username').fill(VERA.username);
    await form.getByTestId('login-password').fill(VERA.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('pop').first().waitFor({ timeout: 10_000 });
    const system = p.getByTestId('system');
    await system.getByTestId('system-plugins').filter({ hasText: 'not visible' }).waitFor({ timeout: 10_000 });
    expect(await system.getByTestId('system-plugins').innerText()).toContain('admin');
    expect(await system.getByTestId('system-store').innerText()).toBe('pglite');
    expect(await system.getByTestId('system-bus').getAttribute('data-kind')).toBe('in-process');
    expect(await p.getByTestId('error').count()).toBe(0);
    // The browser logs the plugin list's 403; nothing else may fail.
    expect(unexpected(errors).filter((e) => !/\b403\b/.test(e))).toEqual([]);
    await p.context().close();
  });
});

describe('dashboard in insecure mode (RONDO_INSECURE_NO_AUTH=1)', () => {
  let browser: Browser;
  let server: AuthServer;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    browser = await launchBrowser();
    server = await startAuthServer({ RONDO_INSECURE_NO_AUTH: '1' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('never shows the login page: the first call answers 200, the stream connects without a token', async () => {
    const { page: p, errors } = await openPage(browser);
    await p.goto(`${server.base}/ui/ns`);
    await p.getByTestId('stream-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await p.getByTestId('nav-catalog').click();
    await p.getByTestId('packages').waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('login-form').count()).toBe(0);
    expect(await p.getByTestId('sign-out').count()).toBe(0);
    expect(await storedToken(p)).toBeNull();
    await screenshot(p, 'dashboard-insecure');
    expect(errors).toEqual([]);
    await p.context().close();
  });
});
