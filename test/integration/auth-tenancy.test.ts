import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlVimAccountRepository } from '../../src/store/index.js';
import { assertVisible, authContext, INSECURE_CONTEXT } from '../../src/auth/index.js';
import { STORE_KINDS } from '../support/store.js';
import { bearer, openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

const user = (tenant: string, roles: ('admin' | 'operator' | 'viewer')[]) => authContext({ userId: `u-${tenant}`, user: `u-${tenant}`, tenant, roles, method: 'token' });

describe('assertVisible', () => {
  it('another tenant answers 404 exactly like a missing resource; admins see all', () => {
    expect(() => assertVisible(user('t1', ['operator']), 't1', 'NS instance', 'ns-1')).not.toThrow();
    expect(() => assertVisible(user('t1', ['operator']), 't2', 'NS instance', 'ns-1')).toThrow(expect.objectContaining({ status: 404, code: 'NOT_FOUND' }));
    expect(() => assertVisible(user('t9', ['admin']), 't2', 'NS instance', 'ns-1')).not.toThrow();
  });
});

describe.each(STORE_KINDS)('tenants, VIM sharing, insecure mode, rate limits (%s)', (kind) => {
  let t: AuthTestApp;
  let admin: string;
  beforeAll(async () => {
    t = await openAuthTestApp(kind, `auth-tenancy-${kind}`, { rateLimit: { burst: 5, perSecond: 1 } });
    const boot = await t.auth.ensureBootstrapAdmin();
    expect(boot).toMatchObject({ created: true, username: 'admin', source: 'generated' });
    if (!boot.created || boot.source !== 'generated') throw new Error('unreachable');
    expect(boot.password.length).toBeGreaterThanOrEqual(20);
    admin = await bearer(t.app, 'admin', boot.password);
    const vims = new SqlVimAccountRepository(t.store.db);
    for (const [id, tenant] of [['vim-a', 't1'], ['vim-b', 't2'], ['vim-c', 'default']] as const) {
      await vims.insert({ id, name: id, type: 'memory' as never, endpoint: 'memory://', capacity: null, config: {}, tenant, createdAt: '2025-01-01T00:00:00Z' });
    }
  });
  afterAll(async () => t?.close());

  it('visibleVimIds: own VIMs plus those an admin shared; all for admins', async () => {
    expect(await t.auth.visibleVimIds(user('t1', ['operator']))).toEqual(['vim-a']);
    const share = await t.app.inject({ method: 'PUT', url: '/admin/v1/vims/vim-c/shares/t1', headers: { authorization: admin } });
    expect(share.statusCode, share.body).toBe(200);
    expect(share.json()).toEqual({ vimId: 'vim-c', tenants: ['t1'] });
    await t.app.inject({ method: 'PUT', url: '/admin/v1/vims/vim-c/shares/t1', headers: { authorization: admin } });
    expect(await t.auth.visibleVimIds(user('t1', ['operator']))).toEqual(['vim-a', 'vim-c']);
    expect(await t.auth.visibleVimIds(user('t2', ['viewer']))).toEqual(['vim-b']);
    expect(await t.auth.visibleVimIds(user('t2', ['admin']))).toBe('all');
    expect((await t.app.inject({ method: 'PUT', url: '/admin/v1/vims/nope/shares/t1', headers: { authorization: admin } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/admin/v1/vims/vim-c/shares/t1', headers: { authorization: admin } })).statusCode).toBe(204);
    expect(await t.auth.visibleVimIds(user('t1', ['operator']))).toEqual(['vim-a']);
  });

  it('too many requests from one caller: 429 RATE_LIMITED with Retry-After, then allowed again after refill', async () => {
    t.limiterClock.ms = 1_000_000;
    const codes: number[] = [];
    let limited: { headers: Record<string, unknown>; body: string } | undefined;
    for (let i = 0; i < 8; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: admin } });
      codes.push(r.statusCode);
      if (r.statusCode === 429) limited = r;
    }
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    expect(limited?.headers['retry-after']).toBe('1');
    expect(JSON.parse(limited!.body)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    t.limiterClock.ms += 2_000;
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/users/me', headers: { authorization: admin } })).statusCode).toBe(200);
    // Failed logins from one address are limited too (4× the per-user budget).
    t.limiterClock.ms += 1_000_000;
    const logins: number[] = [];
    for (let i = 0; i < 22; i++) logins.push((await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', payload: { username: 'admin', password: `guess-${i}-xxxxxx` } })).statusCode);
    expect(logins.filter((c) => c === 401).length).toBeLessThanOrEqual(20);
    expect(logins.at(-1)).toBe(429);
    // Probes are never limited.
    for (let i = 0; i < 30; i++) expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('insecure mode', () => {
  it('every request acts as admin of tenant default, and the warning is loud', async () => {
    const t = await openAuthTestApp('pglite', 'auth-insecure', { insecureNoAuth: true });
    try {
      const me = await t.app.inject({ method: 'GET', url: '/admin/v1/users/me' });
      expect(me.json()).toEqual({ user: INSECURE_CONTEXT.user, tenant: 'default', roles: ['admin'], isAdmin: true, method: 'insecure' });
      expect((await t.app.inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} })).statusCode).toBe(201);
      expect(await t.auth.ensureBootstrapAdmin()).toEqual({ created: false });
      const [warning] = t.auth.startupWarnings('http://127.0.0.1:5000');
      expect(warning).toContain('AUTHENTICATION IS OFF');
      expect(warning).toContain('http://127.0.0.1:5000');
    } finally {
      await t.close();
    }
  });
});

describe('token in the query string', () => {
  it('is accepted on GET /api/events only (EventSource cannot send headers)', async () => {
    const { buildApp } = await import('../../src/api/app.js');
    const { authRoutePlugins } = await import('../../src/api/http/auth-route-plugins.js');
    const t = await openAuthTestApp('pglite', 'auth-query-token', {}, { RONDO_ADMIN_USER: 'admin', RONDO_ADMIN_PASSWORD: 'admin-password-123' });
    try {
      await t.auth.ensureBootstrapAdmin();
      const token = (await bearer(t.app, 'admin', 'admin-password-123')).slice('Bearer '.length);
      const app = await buildApp(t.deps, {
        plugins: [
          ...authRoutePlugins(t.auth),
          { name: 'events-stub', plugin: async (a) => void a.get('/api/events', { config: { action: 'events:read' } }, async (req) => ({ user: req.auth?.user ?? null })) },
          { name: 'other-stub', plugin: async (a) => void a.get('/nslcm/v1/ns_instances', { config: { action: 'nslcm:read' } }, async () => []) },
        ],
      });
      try {
        expect((await app.inject({ method: 'GET', url: `/api/events?access_token=${token}` })).json()).toEqual({ user: 'admin' });
        expect((await app.inject({ method: 'GET', url: '/api/events?access_token=forged' })).statusCode).toBe(401);
        expect((await app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances?access_token=${token}` })).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    } finally {
      await t.close();
    }
  });
});
