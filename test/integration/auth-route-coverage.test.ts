import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import type { RondoApp } from '../../src/api/app.js';
import { ROUTE_PLUGINS } from '../../src/api/route-plugins.js';
import { authRoutePlugins } from '../../src/api/http/auth-route-plugins.js';
import { DEFAULT_POLICY } from '../../src/auth/index.js';
import { STORE_KINDS } from '../support/store.js';
import { openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

/** A route as registered, with the action its own options declare. */
interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly action: unknown;
}

/**
 * A plugin that records every route registered after it, reading `config.action` from
 * the routes' own options once the app is built (a plugin's own onRoute hook may still
 * fill it after this one ran, as the dashboard's does for @fastify/static's routes).
 */
function routeRecorder(): { plugin: FastifyPluginAsync; routes(): DeclaredRoute[] } {
  const seen: RouteOptions[] = [];
  const plugin: FastifyPluginAsync = Object.assign(async (app: Parameters<FastifyPluginAsync>[0]) => void app.addHook('onRoute', (r) => void seen.push(r)), {
    [Symbol.for('skip-override')]: true,
  });
  return {
    plugin,
    routes: () =>
      seen.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD').map((m) => ({ method: m, url: r.url, action: r.config?.action }))),
  };
}

/** Rule names with no `<api>:<verb>` shape are building blocks (`admin`, `reader`, `default`), not actions. */
const POLICY_ACTIONS = Object.keys(DEFAULT_POLICY).filter((name) => name.includes(':'));

describe.each(STORE_KINDS)('every route declares a policy action (%s)', (kind) => {
  let t: AuthTestApp;
  let app: RondoApp;
  let routes: DeclaredRoute[];
  beforeAll(async () => {
    t = await openAuthTestApp(kind, `auth-route-coverage-${kind}`);
    // The app of buildApp's defaults again, with the recorder in front of every plugin.
    const recorder = routeRecorder();
    app = await buildApp(t.deps, { plugins: [{ name: 'route-recorder', plugin: recorder.plugin }, ...authRoutePlugins(t.auth), ...ROUTE_PLUGINS] });
    routes = recorder.routes();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('every route names an action in its own options, and every action has a rule in src/auth/default-policy.ts', () => {
    expect(routes.length).toBeGreaterThan(30);
    // When this fails: give the route `config: { action: '<api>:<verb>' }` and, for a new
    // action, a rule in src/auth/default-policy.ts.
    expect(routes.filter((r) => typeof r.action !== 'string').map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(routes.filter((r) => !(String(r.action) in DEFAULT_POLICY)).map((r) => `${r.method} ${r.url} → ${String(r.action)}`)).toEqual([]);
    console.log(`route coverage: ${routes.length} routes, ${new Set(routes.map((r) => r.action)).size} actions`);
  });

  it('every action of the policy is used by some route (no rule for a route that does not exist)', () => {
    const used = new Set(routes.map((r) => r.action));
    expect(POLICY_ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });

  it("the auth plugin's route table agrees with the routes' own options", () => {
    const table = app.authRouteTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url} ${r.action}`);
    expect(table.sort()).toEqual(routes.map((r) => `${r.method} ${r.url} ${String(r.action)}`).sort());
  });

  it('every non-public route refuses an anonymous call with 401 (none is left open)', async () => {
    const open: string[] = [];
    for (const r of t.app.authRouteTable) {
      if (r.public || r.method === 'HEAD') continue;
      const url = r.url.replace(/:[^/]+/g, 'x').replace('*', 'y');
      const res = await t.app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (res.statusCode !== 401) open.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(open).toEqual([]);
  });
});
