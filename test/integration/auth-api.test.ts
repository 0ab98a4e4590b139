import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/store.js';
import { bearer, openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

const ADMIN_PW = 'admin-password-123';

describe.each(STORE_KINDS)('authentication, roles and audit (%s)', (kind) => {
  let t: AuthTestApp;
  let admin: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await openAuthTestApp(kind, `auth-api-${kind}`, {}, { RONDO_ADMIN_USER: 'root', RONDO_ADMIN_PASSWORD: ADMIN_PW });
    expect(await t.auth.ensureBootstrapAdmin()).toEqual({ created: true, username: 'root', source: 'env' });
    expect(await t.auth.ensureBootstrapAdmin()).toEqual({ created: false });
    admin = await bearer(t.app, 'root', ADMIN_PW);
    for (const [username, roles, tenant] of [['olga', ['operator'], 't1'], ['vic', ['viewer'], 't1'], ['otto', ['operator'], 't2']] as const) {
      const r = await t.app.inject({ method: 'POST', url: '/admin/v1/users', headers: { authorization: admin }, payload: { username, password: `${username}-password-1`, tenant, roles } });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).not.toHaveProperty('passwordHash');
      ids[username] = r.json<{ id: string }>().id;
    }
  });
  afterAll(async () => t?.close());

  it('logs in with a password: a Bearer token with tenant and roles, never cached', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', payload: { username: 'olga', password: 'olga-password-1' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, project: 't1', roles: ['operator'] });
    const me = await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: `Bearer ${r.json().access_token}` } });
    expect(me.json()).toEqual({ user: 'olga', tenant: 't1', roles: ['operator'], isAdmin: false, method: 'token' });
  });

  it('a wrong password and an unknown user answer the same 401 AUTH_INVALID', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', payload: { username: 'olga', password: 'nope-nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', payload: { username: 'ghost', password: 'nope-nope-nope' } });
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
    }
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('no credentials: 401 AUTH_REQUIRED with WWW-Authenticate; bad ones: AUTH_INVALID; public routes answer', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('AUTH_REQUIRED');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    for (const authorization of ['Bearer nonsense', 'Basic dXNlcjpwdw==', 'Bearer rondo_x_y', `Bearer ${'a'.repeat(9000)}`]) {
      const r = await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors', headers: { authorization } });
      expect(r.statusCode, authorization.slice(0, 30)).toBe(401);
      expect(r.json().code).toBe('AUTH_INVALID');
    }
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/openapi.json' })).statusCode).toBe(200);
    // An unknown route is a 404, with or without credentials.
    expect((await t.app.inject({ method: 'GET', url: '/no/such/route' })).json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('viewers read, operators change, only admins administer (403 POLICY_DENIED)', async () => {
    const vic = await bearer(t.app, 'vic', 'vic-password-1');
    const olga = await bearer(t.app, 'olga', 'olga-password-1');
    expect((await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors', headers: { authorization: vic } })).statusCode).toBe(200);
    const denied = await t.app.inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', headers: { authorization: vic }, payload: {} });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'POLICY_DENIED', action: 'nsd:create' });
    expect((await t.app.inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', headers: { authorization: olga }, payload: {} })).statusCode).toBe(201);
    for (const who of [vic, olga]) {
      expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users', headers: { authorization: who } })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/admin/v1/audit', headers: { authorization: who } })).statusCode).toBe(403);
    }
  });

  it('API keys: created once with the secret, usable as X-API-Key or Bearer, listed without it, revocable', async () => {
    const olga = await bearer(t.app, 'olga', 'olga-password-1');
    const created = await t.app.inject({ method: 'POST', url: '/admin/v1/api_keys', headers: { authorization: olga }, payload: { name: 'ci' } });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json<{ key: string; id: string }>();
    expect(key).toMatch(new RegExp(`^rondo_${id}_[A-Za-z0-9_-]{43}$`));
    const me1 = await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { 'x-api-key': key } });
    expect(me1.json()).toMatchObject({ user: 'olga', tenant: 't1', method: 'api_key' });
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/admin/v1/api_keys', headers: { authorization: olga } });
    // The secret is all after `rondo_<id>_`: base64url, so it may hold `_` itself.
    expect(list.body).not.toContain(key.slice(`rondo_${id}_`.length));
    expect(list.json()).toEqual([expect.objectContaining({ id, name: 'ci', revokedAt: null })]);
    // Another operator cannot see or revoke it; an existence probe answers 404.
    const otto = await bearer(t.app, 'otto', 'otto-password-1');
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/api_keys', headers: { authorization: otto } })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/admin/v1/api_keys/${id}`, headers: { authorization: otto } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/admin/v1/api_keys/${id}`, headers: { authorization: olga } })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { 'x-api-key': key } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_INVALID');
    // A key with the right id and a wrong secret is refused.
    const forged = key.replace(/_[^_]{43}$/, `_${'A'.repeat(43)}`);
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { 'x-api-key': forged } })).statusCode).toBe(401);
  });

  it('a password change or disabling a user ends their tokens', async () => {
    const vic = await bearer(t.app, 'vic', 'vic-password-1');
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: vic } })).statusCode).toBe(200);
    // Tokens carry whole seconds; the stepping test clock needs a second to pass.
    for (let i = 0; i < 1000; i++) t.deps.clock.now();
    const patched = await t.app.inject({ method: 'PATCH', url: `/admin/v1/users/${ids.vic}`, headers: { authorization: admin }, payload: { password: 'vic-password-2' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: vic } })).statusCode).toBe(401);
    for (let i = 0; i < 1000; i++) t.deps.clock.now();
    const vic2 = await bearer(t.app, 'vic', 'vic-password-2');
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: vic2 } })).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: `/admin/v1/users/${ids.vic}`, headers: { authorization: admin }, payload: { disabled: true } });
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: vic2 } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', payload: { username: 'vic', password: 'vic-password-2' } })).statusCode).toBe(401);
  });

  it('user administration validates input with 400 codes and refuses duplicates with 409', async () => {
    const post = (payload: object) => t.app.inject({ method: 'POST', url: '/admin/v1/users', headers: { authorization: admin }, payload });
    expect((await post({ username: 'x1', password: 'short', tenant: 't1', roles: ['viewer'] })).json().code).toBe('PASSWORD_WEAK');
    expect((await post({ username: 'x1', password: 'long-enough-pw', tenant: 'T 1', roles: ['viewer'] })).json().code).toBe('TENANT_INVALID');
    expect((await post({ username: 'x1', password: 'long-enough-pw', tenant: 't1', roles: ['root'] })).statusCode).toBe(400);
    expect((await post({ username: 'olga', password: 'long-enough-pw', tenant: 't1', roles: ['viewer'] })).json()).toMatchObject({ status: 409, code: 'USER_EXISTS' });
    const self = await t.app.inject({ method: 'DELETE', url: `/admin/v1/users/${(await t.auth.users.getByUsername('root'))!.id}`, headers: { authorization: admin } });
    expect(self.json().code).toBe('USER_SELF_DELETE');
  });

  it('audits every state-changing call with who, tenant, action, target, status and request id; admins filter and page', async () => {
    const olga = await bearer(t.app, 'olga', 'olga-password-1');
    const del = await t.app.inject({ method: 'DELETE', url: '/nsd/v1/ns_descriptors/nope', headers: { authorization: olga, 'x-request-id': 'req-audit-1' } });
    expect(del.statusCode).toBe(404);
    await t.app.inject({ method: 'DELETE', url: '/nsd/v1/ns_descriptors/nope2' });
    await t.auth.audit.drain();
    const r = await t.app.inject({ method: 'GET', url: '/admin/v1/audit?action=nsd:delete', headers: { authorization: admin } });
    expect(r.statusCode, r.body).toBe(200);
    const entries = r.json<{ entries: Record<string, unknown>[] }>().entries;
    expect(entries[0]).toMatchObject({ username: null, tenant: null, action: 'nsd:delete', status: 401, target: { id: 'nope2' } });
    expect(entries[1]).toMatchObject({
      username: 'olga', tenant: 't1', action: 'nsd:delete', method: 'DELETE', route: '/nsd/v1/ns_descriptors/:id', target: { id: 'nope' }, status: 404, requestId: 'req-audit-1',
    });
    // GETs are not audited; logins are (without the password).
    const all = await t.app.inject({ method: 'GET', url: '/admin/v1/audit?limit=500', headers: { authorization: admin } });
    expect(all.json().entries.every((e: { method: string }) => e.method !== 'GET')).toBe(true);
    expect(all.body).not.toContain('password-1');
    expect(all.json().entries.some((e: { action: string; status: number }) => e.action === 'token:create' && e.status === 401)).toBe(true);
    // Paging: two at a time until `next` is null, no entry twice.
    const seen = new Set<string>();
    let next: number | null = null;
    let pages = 0;
    do {
      const page: { entries: { id: string }[]; next: number | null } = (
        await t.app.inject({ method: 'GET', url: `/admin/v1/audit?user=olga&limit=2${next ? `&before=${next}` : ''}`, headers: { authorization: admin } })
      ).json();
      for (const e of page.entries) {
        expect(seen.has(e.id)).toBe(false);
        seen.add(e.id);
      }
      next = page.next;
      pages++;
    } while (next !== null && pages < 50);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    const since = await t.app.inject({ method: 'GET', url: '/admin/v1/audit?since=2999-01-01T00:00:00Z', headers: { authorization: admin } });
    expect(since.json().entries).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/audit?since=yesterday', headers: { authorization: admin } })).statusCode).toBe(400);
  });
});
