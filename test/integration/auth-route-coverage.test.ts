import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRoutesWithoutAction } from '../../src/api/http/auth-plugin.js';
import { STORE_KINDS } from '../support/store.js';
import { openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

describe.each(STORE_KINDS)('every route has a policy action (%s)', (kind) => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await openAuthTestApp(kind, `auth-route-coverage-${kind}`);
  });
  afterAll(async () => t?.close());

  it('the route table of buildApp (auth plugins + ROUTE_PLUGINS) has no route without an action or a rule', () => {
    const uncovered = findRoutesWithoutAction(t.app, t.auth);
    // When this fails: give the route `config: { action: '<api>:<verb>' }` and, for a new
    // action, a rule in src/auth/default-policy.ts.
    expect(uncovered).toEqual([]);
    const routes = t.app.authRouteTable.filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(30);
    console.log(`route coverage: ${routes.length} routes, ${new Set(routes.map((r) => r.action)).size} actions, ${routes.filter((r) => r.public).length} public`);
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
