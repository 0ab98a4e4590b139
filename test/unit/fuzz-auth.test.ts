import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openAuthTestApp } from '../integration/auth-support.js';
import type { AuthTestApp } from '../integration/auth-support.js';

const SEED = 20250101;
const RUNS = 500;

/** Header-safe text: printable ASCII (what an HTTP client can actually send). */
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 300 }).map((s) => [...s].filter((c) => c >= ' ' && c !== '\x7f').join(''));
const b64u = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 0, maxLength: 200 });
const credential = fc.oneof(
  headerText,
  headerText.map((s) => `Bearer ${s}`),
  fc.tuple(b64u, b64u, b64u).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
  fc.tuple(fc.json(), fc.json()).map(([h, p]) => `Bearer ${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.`),
  fc.tuple(fc.uuid(), b64u).map(([id, s]) => `Bearer rondo_${id}_${s}`),
  fc.tuple(fc.uuid(), b64u).map(([id, s]) => `rondo_${id}_${s}`),
  fc.constantFrom('Bearer', 'Bearer ', 'bearer  x', 'Basic Zm9vOmJhcg==', 'Digest x', ''),
);

function tally(counts: Map<number, number>, status: number): void {
  counts.set(status, (counts.get(status) ?? 0) + 1);
}
const show = (m: Map<number, number>) => [...m.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');

describe('fuzz: auth plugin, policy, token and API key endpoints', () => {
  let t: AuthTestApp;
  let admin: string;
  let paths: { method: string; url: string }[];
  beforeAll(async () => {
    t = await openAuthTestApp('pglite', 'fuzz-auth', { rateLimit: { burst: 0, perSecond: 1 } }, { RONDO_ADMIN_USER: 'admin', RONDO_ADMIN_PASSWORD: 'admin-password-123' });
    await t.auth.ensureBootstrapAdmin();
    admin = await bearer(t.app, 'admin', 'admin-password-123');
    paths = t.app.authRouteTable.filter((r) => r.method !== 'HEAD').map((r) => ({ method: r.method, url: r.url.replace(/:[^/]+/g, 'x1').replace('*', 'f') }));
  }, 120_000);
  afterAll(async () => t?.close());

  it('random Authorization / X-API-Key headers on random routes never cause a 5xx', async () => {
    const counts = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.option(credential, { nil: undefined }), fc.option(credential, { nil: undefined }), async (i, authorization, apiKey) => {
        const p = paths[i % paths.length]!;
        const headers: Record<string, string> = {};
        if (authorization !== undefined) headers.authorization = authorization;
        if (apiKey !== undefined) headers['x-api-key'] = apiKey;
        const r = await t.app.inject({ method: p.method as 'GET', url: p.url, headers });
        tally(counts, r.statusCode);
        expect(r.statusCode).toBeLessThan(500);
        if (r.statusCode >= 400) expect(r.json()).toMatchObject({ status: r.statusCode, code: expect.any(String) });
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
    console.log(`fuzz auth headers: ${RUNS * 2} inputs → ${show(counts)}`);
    expect([...counts.keys()].some((s) => s === 401)).toBe(true);
  });

  it('random JSON bodies on POST /admin/v1/tokens always answer 4xx ProblemDetails', async () => {
    const counts = new Map<number, number>();
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.record({ username: fc.oneof(fc.string(), fc.constant('admin'), fc.integer()), password: fc.oneof(fc.string({ maxLength: 2000 }), fc.constant(null)) }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const r = await t.app.inject({ method: 'POST', url: '/admin/v1/tokens', headers: { 'content-type': 'application/json' }, payload });
        tally(counts, r.statusCode);
        expect(r.statusCode).toBeGreaterThanOrEqual(400);
        expect(r.statusCode).toBeLessThan(500);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json()).toMatchObject({ status: r.statusCode, code: expect.any(String) });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz POST /admin/v1/tokens: ${RUNS} inputs → ${show(counts)}`);
  });

  it('random JSON bodies on the API key and user endpoints never cause a 5xx; errors are ProblemDetails', async () => {
    const counts = new Map<number, number>();
    const target = fc.constantFrom(
      { method: 'POST', url: '/admin/v1/api_keys' },
      { method: 'POST', url: '/admin/v1/users' },
      { method: 'PATCH', url: '/admin/v1/users/x1' },
      { method: 'PUT', url: '/admin/v1/vims/x1/shares/t1' },
    );
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.record({ name: fc.string({ maxLength: 150 }), expiresInDays: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      fc.record({ username: fc.string(), password: fc.string(), tenant: fc.string(), roles: fc.array(fc.constantFrom('admin', 'viewer', 'operator', 'root', '')) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(target, body, async (p, payload) => {
        const r = await t.app.inject({ method: p.method as 'POST', url: p.url, headers: { authorization: admin, 'content-type': 'application/json' }, payload });
        tally(counts, r.statusCode);
        expect(r.statusCode).toBeLessThan(500);
        if (r.statusCode >= 400) expect(r.json()).toMatchObject({ status: r.statusCode, code: expect.any(String) });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz api_keys/users bodies: ${RUNS} inputs → ${show(counts)}`);
  });
});
