/**
 * Rondo's own overhead when instantiating a big NS: a chain of N one-VDU VNFs (default
 * 1000) on the deterministic memory VIM with the embedded PGlite store, so everything
 * measured is planning, IPAM, step persistence and records — not a VIM.
 *
 *   npx tsx bench/lifecycle-memory.ts [vnfs=1000]
 *   DATABASE_URL=postgres://… npx tsx bench/lifecycle-memory.ts   (real PostgreSQL, a throw-away schema)
 *   BENCH_TRACE=1 npx tsx bench/lifecycle-memory.ts              (also the timeline: request, IPAM, store, phases)
 *   BENCH_PROFILE=out.cpuprofile npx tsx bench/lifecycle-memory.ts (a CPU profile of the instantiation alone, for DevTools)
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import pg from 'pg';
import { longChain } from '../test/support/tango-chain.js';
import { openStore } from '../src/store/index.js';
import { MemoryVimDriver } from '../src/vim/memory/memory-vim-driver.js';
import { systemClock, uuidGenerator } from '../src/model/index.js';
import type { VimAccount } from '../src/model/index.js';
import { compose } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import type { TraceEvent } from '../src/lifecycle/index.js';

const n = Number(process.argv[2] ?? 1000);
const { nsd, vnfds } = longChain(n);
const url = process.env['DATABASE_URL'];
// A fresh schema per run, dropped at the end: a leftover schema with Kysely's migration
// tables would confuse other migrators on the same database (they introspect all schemas).
const schema = `bench_lifecycle_${process.pid}`;
const store = await openStore(url ? { kind: 'postgres', url, schema } : { kind: 'pglite', dataDir: null });
const driver = new MemoryVimDriver({ name: 'bench', capacity: null });
const accounts: VimAccount[] = ['dc1', 'dc2'].map((id) => ({ id, name: id, type: 'memory', endpoint: 'memory://bench', capacity: null, config: {}, tenant: 'default', createdAt: new Date().toISOString() }));
// The composition root as `rondo serve` uses it, with the memory engine for both PoPs and fixed descriptors.
const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 3600, workerLeaseSeconds: 60, workerConcurrency: 1 });
// The instantiation's timeline (debug trace) with BENCH_TRACE=1: request, plan, phases; single steps left out
// (tracing them costs more than a memory-VIM step, so the figures are taken without it).
const marks: string[] = [];
let firstOp: string | undefined;
let t0 = 0;
const trace = (e: TraceEvent, at: number): void => {
  if (e.what === 'step') return;
  if (firstOp === undefined) {
    firstOp = e.opId;
    t0 = at;
  }
  if (e.opId === firstOp) marks.push(`${(at - t0).toFixed(1).padStart(9)} ms  ${e.what} ${e.edge}${e.detail ? ` (${e.detail})` : ''}`);
};
const c = await compose({
  config, store, clock: systemClock, ids: uuidGenerator, env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false, workerOwner: 'bench', ...(process.env['BENCH_TRACE'] === '1' ? { trace } : {}),
  vimAccounts: { list: async () => accounts }, vimDrivers: { memory: () => driver }, descriptors: { getNsd: async () => nsd, getVnfds: async () => vnfds },
});
const service = c.services.lifecycle;
await c.start({ worker: true, reconciler: false, monitoring: false });

// This process's CPU time too (user + system): unlike the wall time, barely moved by other
// work on a shared machine; PostgreSQL's own CPU is not in it (PGlite's is).
const cpu: Record<string, number> = {};
const time = async <T>(f: () => Promise<T>, what?: string): Promise<[T, number]> => {
  const t = performance.now();
  const c0 = process.cpuUsage();
  const r = await f();
  if (what) {
    const c = process.cpuUsage(c0);
    cpu[what] = (c.user + c.system) / 1000;
  }
  return [r, performance.now() - t];
};
const ns = await service.createNs({ nsdId: 'bench', nsName: 'bench' });
// BENCH_PROFILE: V8's sampling profiler over the instantiation only (request and run), not start-up or migrations.
const profileTo = process.env['BENCH_PROFILE'];
const profiler = profileTo ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const [op, tRequest] = await time(() => service.instantiate(ns.id, { placement: 'round-robin-with-saps' }), 'request');
const [done, tRun] = await time(() => service.waitForOp(op.id, { timeoutMs: 600_000 }), 'run');
if (profiler && profileTo) {
  const { profile } = await profiler.post('Profiler.stop');
  await writeFile(profileTo, JSON.stringify(profile));
  profiler.disconnect();
}
const steps = await service.listSteps(op.id);
const [term, tTerm] = await time(async () => service.waitForOp((await service.terminate(ns.id)).id, { timeoutMs: 600_000 }), 'terminate');
await c.close();
await store.close();
if (url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}

const row = (what: string, ms: number, cpuMs?: number): string =>
  `| ${what.padEnd(34)} | ${ms.toFixed(0).padStart(8)} | ${(ms / n).toFixed(3).padStart(9)} | ${cpuMs === undefined ? ''.padStart(13) : (cpuMs / n).toFixed(3).padStart(13)} |`;
console.log(`\nInstantiate a ${n}-VNF chain (${steps.length} steps, ${n + 1} networks) on the memory VIM, ${url ? 'PostgreSQL' : 'PGlite in memory'}\n`);
console.log(`| ${'phase'.padEnd(34)} | ${'total ms'.padStart(8)} | ${'ms / VNF'.padStart(9)} | ${'CPU ms / VNF'.padStart(13)} |`);
console.log(`|${'-'.repeat(36)}|${'-'.repeat(10)}|${'-'.repeat(11)}|${'-'.repeat(15)}|`);
console.log(row('instantiate request (place, plan)', tRequest, cpu['request']));
console.log(row(`instantiate run → ${done.operationState}`, tRun, cpu['run']));
console.log(row('instantiate total', tRequest + tRun, (cpu['request'] ?? 0) + (cpu['run'] ?? 0)));
console.log(row(`terminate → ${term.operationState}`, tTerm, cpu['terminate']));
const firstStart = Math.min(...steps.map((s) => Date.parse(s.startedAt ?? '')));
const lastEnd = Math.max(...steps.map((s) => Date.parse(s.endedAt ?? '')));
console.log(row('  request start → first step', firstStart - Date.parse(op.startTime)));
console.log(row('  records, NS state, completion', Date.parse(done.statusEnteredTime) - lastEnd));
for (const phase of [...new Set(steps.map((s) => s.phase))]) {
  const ps = steps.filter((s) => s.phase === phase);
  const start = Math.min(...ps.map((s) => Date.parse(s.startedAt ?? '')));
  const end = Math.max(...ps.map((s) => Date.parse(s.endedAt ?? '')));
  console.log(row(`  phase ${phase}: ${ps.length} ${ps[0]?.kind} steps`, end - start));
}
if (marks.length > 0) {
  console.log(`\nTimeline of the instantiation (from the request's first mark):\n`);
  for (const m of marks) console.log(m);
}
console.log(`\ntarget (issue #14): ≤ 1 ms of Rondo overhead per VNF for instantiation (here ${((tRequest + tRun) / n).toFixed(3)}) and termination (here ${(tTerm / n).toFixed(3)}); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; leftovers on the VIM: ${(await driver.listByLabel({ 'rondo.ns': ns.id })).length}`);
