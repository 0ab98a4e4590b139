import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, readPackageFile } from '../../src/packages/index.js';
import { openAuthTestApp } from '../integration/auth-support.js';
import type { AuthTestApp } from '../integration/auth-support.js';

const SEED = 4711;
/** The work is fixed (seeded runs); the timeout only guards against a hang, whatever the machine's load. */
const FUZZ_TIMEOUT = 180_000;
const show = (m: Map<string | number, number>) => [...m.entries()].map(([s, n]) => `${s}×${n}`).join(' ');
const tally = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

describe('fuzz: JSON bodies of every state-changing route of buildApp', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await openAuthTestApp('pglite', 'fuzz-api', { insecureNoAuth: true, rateLimit: { burst: 0, perSecond: 1 } });
  }, 120_000);
  afterAll(async () => t?.close());

  it('random JSON to every POST/PUT/PATCH route never causes a 5xx; errors are ProblemDetails', { timeout: FUZZ_TIMEOUT }, async () => {
    const routes = t.app.authRouteTable.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method)).map((r) => ({ method: r.method, url: r.url.replace(/:[^/]+/g, 'x1').replace('*', 'f') }));
    expect(routes.length).toBeGreaterThan(8);
    const counts = new Map<number, number>();
    const runs = 1500;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.json({ maxDepth: 5 }), fc.constantFrom('application/json', 'application/merge-patch+json'), async (i, payload, type) => {
        const p = routes[i % routes.length]!;
        const r = await t.app.inject({ method: p.method as 'POST', url: p.url, headers: { 'content-type': type }, payload });
        tally(counts, r.statusCode);
        expect(r.statusCode, `${p.method} ${p.url} ${payload.slice(0, 80)}`).toBeLessThan(500);
        if (r.statusCode >= 400) expect(r.json()).toHaveProperty('status', r.statusCode);
      }),
      { seed: SEED, numRuns: runs },
    );
    console.log(`fuzz API bodies: ${runs} inputs over ${routes.length} routes → ${show(counts)}`);
  });
});

describe('fuzz: package readers', () => {
  let dir: string;
  let valid: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-fuzz-pkg-'));
    await buildPackage(join(process.cwd(), 'examples/tango-chain'), join(dir, 'chain.tgo'));
    valid = await readFile(join(dir, 'chain.tgo'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('random bytes and mutated packages never crash the reader: every outcome is a result', { timeout: FUZZ_TIMEOUT }, async () => {
    expect((await readPackageFile(join(dir, 'chain.tgo'), { fileName: 'chain.tgo' })).ok).toBe(true);
    const counts = new Map<string, number>();
    const runs = 1000;
    const mutated = fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = Buffer.from(valid);
      for (const [at, v] of flips) b[at] = v;
      return b;
    });
    const truncated = fc.nat(valid.length).map((n) => valid.subarray(0, n));
    const random = fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, truncated, random), async (bytes) => {
        const file = join(dir, `f${n++ % 4}.tgo`);
        await writeFile(file, bytes);
        let outcome: string;
        try {
          const r = await readPackageFile(file, { fileName: 'fuzz.tgo' });
          outcome = r.ok ? 'accepted' : 'rejected';
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
        } catch (e) {
          // A thrown error must be a Rondo error with a code, never a crash of the reader.
          outcome = `threw ${(e as { code?: string }).code ?? 'UNTYPED'}`;
          expect((e as { code?: string }).code, String(e)).toBeTypeOf('string');
        }
        tally(counts, outcome);
      }),
      { seed: SEED, numRuns: runs },
    );
    console.log(`fuzz package reader: ${runs} inputs → ${show(counts)}`);
  });
});
