import { describe, expect, it } from 'vitest';
import { createTokenBuckets, DEFAULT_PUBLIC_ROUTES, isPublicRoute, loadAuthConfig } from '../../src/auth/index.js';

describe('token buckets', () => {
  it('allow a burst, then refill at the rate, with Retry-After in whole seconds', () => {
    let now = 0;
    const b = createTokenBuckets({ burst: 3, perSecond: 0.5, now: () => now });
    expect([1, 2, 3].map(() => b.take('a').ok)).toEqual([true, true, true]);
    expect(b.take('a')).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(b.take('b').ok).toBe(true);
    now += 2000;
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a').ok).toBe(false);
    now += 60_000;
    expect([1, 2, 3, 4].map(() => b.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('forget the least recently used key beyond maxKeys, so random keys cannot grow memory', () => {
    const b = createTokenBuckets({ burst: 1, perSecond: 1, now: () => 0, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) b.take(`k${i}`);
    expect(b.size).toBe(100);
  });
});

describe('auth config', () => {
  it('defaults: auth on, 1 h tokens, public probes/login/docs/metrics', () => {
    const c = loadAuthConfig({});
    expect(c).toMatchObject({ insecureNoAuth: false, tokenTtlSeconds: 3600, policyFile: null, outboundAllow: [], adminUser: null });
    expect(c.publicRoutes).toBe(DEFAULT_PUBLIC_ROUTES);
    expect(isPublicRoute(c.publicRoutes, 'POST', '/admin/v1/tokens')).toBe(true);
    expect(isPublicRoute(c.publicRoutes, 'GET', '/admin/v1/tokens')).toBe(false);
    expect(isPublicRoute(c.publicRoutes, 'HEAD', '/api/docs/openapi.json')).toBe(true);
    expect(isPublicRoute(c.publicRoutes, 'GET', '/nslcm/v1/ns_instances')).toBe(false);
  });

  it('reads the environment and lists every mistake at once', () => {
    const c = loadAuthConfig({ RONDO_INSECURE_NO_AUTH: '1', RONDO_OUTBOUND_ALLOW: '10.0.0.0/8, ves.example.net', RONDO_PUBLIC_ROUTES: 'GET /healthz,/metrics' });
    expect(c.insecureNoAuth).toBe(true);
    expect(c.outboundAllow).toEqual(['10.0.0.0/8', 'ves.example.net']);
    expect(c.publicRoutes).toEqual([{ method: 'GET', path: '/healthz' }, { method: '*', path: '/metrics' }]);
    expect(() => loadAuthConfig({ RONDO_TOKEN_TTL: '5', RONDO_ADMIN_USER: 'root', RONDO_PUBLIC_ROUTES: 'healthz' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', problems: expect.arrayContaining([expect.stringContaining('RONDO_PUBLIC_ROUTES'), expect.stringContaining('RONDO_ADMIN_USER'), expect.stringContaining('RONDO_TOKEN_TTL')]) }),
    );
  });
});
