import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLIC_ROUTES } from '../../src/auth/index.js';
import { bearer, openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

const ADMIN = { RONDO_ADMIN_USER: 'admin', RONDO_ADMIN_PASSWORD: 'admin-password-123' };
/** RONDO_PUBLIC_ROUTES replaces the defaults: keep them and add an admin and a tenant-scoped list. */
const PUBLIC = [...DEFAULT_PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`), 'GET /admin/v1/users', 'GET /nslcm/v1/ns_instances', 'GET /nsd/v1/ns_descriptors'].join(',');

describe('a route made public with RONDO_PUBLIC_ROUTES never runs as admin', () => {
  let t: AuthTestApp;
  let admin: string;
  let viewer: string;
  beforeAll(async () => {
    t = await openAuthTestApp('pglite', 'auth-public-routes', {}, { ...ADMIN, RONDO_PUBLIC_ROUTES: PUBLIC });
    await t.auth.ensureBootstrapAdmin();
    admin = await bearer(t.app, 'admin', ADMIN.RONDO_ADMIN_PASSWORD);
    const u = await t.app.inject({ method: 'POST', url: '/admin/v1/users', headers: { authorization: admin }, payload: { username: 'vic', password: 'vic-password-123', tenant: 't1', roles: ['viewer'] } });
    expect(u.statusCode, u.body).toBe(201);
    viewer = await bearer(t.app, 'vic', 'vic-password-123');
  });
  afterAll(async () => t?.close());

  it('an anonymous GET /admin/v1/users answers 401 AUTH_REQUIRED, not the user list', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/admin/v1/users' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(r.body).not.toContain('vic');
    // Wrong credentials on a public route count as none.
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users', headers: { authorization: 'Bearer forged' } })).statusCode).toBe(401);
  });

  it('an anonymous GET /nslcm/v1/ns_instances answers 401 AUTH_REQUIRED', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_instances' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('callers who send credentials are still themselves on a public route: admins list users, viewers are refused', async () => {
    const a = await t.app.inject({ method: 'GET', url: '/admin/v1/users', headers: { authorization: admin } });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json<{ username: string }[]>().map((u) => u.username).sort()).toEqual(['admin', 'vic']);
    const v = await t.app.inject({ method: 'GET', url: '/admin/v1/users', headers: { authorization: viewer } });
    expect(v.statusCode).toBe(403);
    expect(v.json()).toMatchObject({ code: 'POLICY_DENIED' });
    expect((await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_instances', headers: { authorization: viewer } })).statusCode).toBe(200);
  });

  it('the default public routes still answer anonymously', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/openapi.json' })).statusCode).toBe(200);
    // A stale token must not block logging in.
    const login = await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', headers: { authorization: 'Bearer stale' }, payload: { username: 'vic', password: 'vic-password-123' } });
    expect(login.statusCode).toBe(200);
  });
});

describe('a public route whose rule lets anyone in still acts for nobody', () => {
  let t: AuthTestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-public-policy-'));
    const policyFile = join(dir, 'policy.yaml');
    await writeFile(policyFile, "'nsd:read': '@'\n'nslcm:read': '@'\n");
    t = await openAuthTestApp('pglite', 'auth-public-routes-open', { policyFile }, { ...ADMIN, RONDO_PUBLIC_ROUTES: PUBLIC });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("the handler needs a caller: 401 AUTH_REQUIRED, never the admin's NSDs", async () => {
    await t.auth.ensureBootstrapAdmin();
    const admin = await bearer(t.app, 'admin', ADMIN.RONDO_ADMIN_PASSWORD);
    const created = await t.app.inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', headers: { authorization: admin }, payload: { userDefinedData: { owner: 'admin' } } });
    expect(created.statusCode, created.body).toBe(201);
    const anon = await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(anon.body).not.toContain(created.json<{ id: string }>().id);
    expect((await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_instances' })).statusCode).toBe(401);
    // The admin, with credentials, still sees it on the same public route.
    const mine = await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors', headers: { authorization: admin } });
    expect(mine.json<{ id: string }[]>().map((n) => n.id)).toEqual([created.json<{ id: string }>().id]);
  });
});
