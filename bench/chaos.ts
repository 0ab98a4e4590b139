/**
 * Chaos benchmark of durable operations: many instantiate/terminate operations while
 * workers are "killed" at seeded-random moments, then the counts table.
 *
 *   npx tsx bench/chaos.ts [ops=200] [kills=100] [seed=42]
 *   DATABASE_URL=postgres://… npx tsx bench/chaos.ts      (real PostgreSQL, a throw-away schema)
 *
 * Workers here are in-process compositions (`compose({ role: 'worker' })`) on one memory
 * VIM (the memory VIM cannot be shared across processes), each NS a chain of 2 VNFs
 * between 2 SAPs.
 * A kill is a SIMULATED crash: the worker's runs are aborted and it stops without
 * releasing its leases, so its operations come back only when the lease expires, exactly
 * as after `kill -9`. Unlike a real crash, step outcomes already buffered in memory are
 * still written on the way out; `test/integration/chaos-workers.test.ts` covers real
 * SIGKILLed worker processes on Docker. VIM calls get 10–60 ms of latency so kills land
 * in the middle of operations.
 */
import pg from 'pg';
import { longChain } from '../test/support/tango-chain.js';
import { seededRandom } from '../test/support/worker-process.js';
import { SqlReconcileRepository, createRuntimeRepositories, openStore } from '../src/store/index.js';
import { MemoryVimDriver } from '../src/vim/memory/memory-vim-driver.js';
import type { VimDriver } from '../src/vim/index.js';
import { systemClock, uuidGenerator } from '../src/model/index.js';
import type { VimAccount } from '../src/model/index.js';
import { compose } from '../src/app/index.js';
import type { ComposeOptions, Composition } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';

const targetOps = Number(process.argv[2] ?? 200);
const targetKills = Number(process.argv[3] ?? 100);
const rand = seededRandom(Number(process.argv[4] ?? 42));
const WORKERS = 3;
const IN_FLIGHT = 6;
const LEASE_SECONDS = 1;

const url = process.env['DATABASE_URL'];
const schema = `bench_chaos_${process.pid}`;
const store = await openStore(url ? { kind: 'postgres', url, schema, poolSize: 8 } : { kind: 'pglite', dataDir: null });
const { nsd, vnfds } = longChain(2);

const VERBS = new Set(['createNetwork', 'deleteNetwork', 'createCompute', 'deleteCompute', 'exec', 'listByLabel']);
/** The memory VIM with 10–60 ms per verb, honouring the abort signal like a real driver. */
function withLatency(inner: VimDriver): VimDriver {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || !VERBS.has(String(prop))) return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, 10 + Math.floor(rand() * 50)));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
const driver = withLatency(new MemoryVimDriver({ name: 'chaos', popId: 'dc1', capacity: null }));
const accounts: VimAccount[] = [{ id: 'dc1', name: 'dc1', type: 'memory', endpoint: 'memory://chaos', capacity: null, config: {}, tenant: 'default', createdAt: new Date().toISOString() }];
// Every composition (the API side and each worker) shares the store, the memory engine and the fixed descriptors.
const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 30, opDeadlineSeconds: 3600, workerLeaseSeconds: LEASE_SECONDS, workerConcurrency: 2 });
const shared: ComposeOptions = {
  config, store, clock: systemClock, ids: uuidGenerator, env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false, computeConcurrency: 2,
  vimAccounts: { list: async () => accounts }, vimDrivers: { memory: () => driver }, descriptors: { getNsd: async () => nsd, getVnfds: async () => vnfds },
};
const api = await compose({ ...shared, role: 'api' });
const service = api.services.lifecycle;
const repos = createRuntimeRepositories(store.db);

interface Sim {
  readonly worker: Composition;
  readonly dead: AbortController;
  readonly owner: string;
}
let started = 0;
async function startWorker(): Promise<Sim> {
  const dead = new AbortController();
  const owner = `sim-${++started}`;
  const worker = await compose({
    ...shared, role: 'worker', workerOwner: owner, workerPollMs: 100, bus: api.services.bus,
    wrapRun: (run) => async (op, signal) => {
      await run(op, AbortSignal.any([signal, dead.signal]));
      // A crashed worker releases nothing: throwing makes LifecycleWorker keep the lease.
      if (dead.signal.aborted) throw new Error('simulated crash');
    },
  });
  await worker.start({ reconciler: false });
  return { worker, dead, owner };
}
async function crash(sim: Sim): Promise<void> {
  sim.dead.abort(new Error('simulated crash'));
  await sim.worker.close();
}

const workers = await Promise.all(Array.from({ length: WORKERS }, startWorker));
const t0 = performance.now();
let kills = 0;
let driven = 0;
let issued = 0;
let overlapSamples = 0;
let overlapsSeen = 0;
const live = new Map<string, { nsId: string; phase: 'instantiating' | 'terminating' }>();
const startNs = async (): Promise<void> => {
  const ns = await service.createNs({ nsdId: 'chain', nsName: `chaos-${issued}` });
  const op = await service.instantiate(ns.id, { placement: 'first-pop' });
  issued++;
  live.set(op.id, { nsId: ns.id, phase: 'instantiating' });
};
const deadline = Date.now() + 30 * 60_000;
while (issued < targetOps || live.size > 0) {
  if (Date.now() > deadline) throw new Error('chaos bench did not settle in 30 min');
  while (live.size < IN_FLIGHT && issued + 1 < targetOps) await startNs();
  for (const [opId, t] of [...live]) {
    const op = await repos.opOccs.get(opId);
    if (!op) throw new Error(`operation ${opId} vanished`);
    if (op.operationState === 'FAILED_TEMP' && op.owner === null) {
      driven++;
      await (t.phase === 'instantiating' ? service.rollback(opId) : service.retry(opId));
    } else if (t.phase === 'instantiating' && op.operationState === 'COMPLETED') {
      live.delete(opId);
      const term = await service.terminate(t.nsId);
      issued++;
      live.set(term.id, { nsId: t.nsId, phase: 'terminating' });
    } else if (['COMPLETED', 'ROLLED_BACK', 'FAILED'].includes(op.operationState)) {
      live.delete(opId);
    }
  }
  // Spread the kills over the run: about `targetKills / targetOps` per issued op.
  if (kills < targetKills && kills < (issued * targetKills) / targetOps + 1 && rand() < 0.5) {
    const owners = new Set((await repos.opOccs.list({ operationState: 'PROCESSING' })).map((o) => o.owner));
    const holders = workers.filter((w) => owners.has(w.owner));
    const victim = holders[Math.floor(rand() * holders.length)];
    if (victim) {
      await crash(victim);
      workers.splice(workers.indexOf(victim), 1, await startWorker());
      kills++;
    }
  }
  if (issued % 10 === 0) {
    overlapSamples++;
    overlapsSeen += (await new SqlReconcileRepository(store.db).overlappingSubnets()).length;
  }
  await new Promise((r) => setTimeout(r, 20));
}
const seconds = (performance.now() - t0) / 1000;
await Promise.all(workers.map((w) => w.worker.close()));

const ops = await repos.opOccs.list();
const table = new Map<string, number>();
for (const o of ops) table.set(`${o.lcmOperationType} ${o.operationState}`, (table.get(`${o.lcmOperationType} ${o.operationState}`) ?? 0) + 1);
const reconcile = await api.services.reconciler.runOnce({ dryRun: true });
const overlaps = await new SqlReconcileRepository(store.db).overlappingSubnets();
const stuck = ops.filter((o) => !['COMPLETED', 'ROLLED_BACK', 'FAILED'].includes(o.operationState)).length;
const left = (await driver.listByLabel({})).length;

console.log(`chaos bench: ${ops.length} operations, ${kills} simulated crashes, ${started} workers started, ${seconds.toFixed(1)} s (${url ? 'PostgreSQL' : 'PGlite'})`);
console.table([
  ...[...table].sort().map(([k, v]) => ({ what: `ops ${k}`, count: v })),
  { what: 'ops stuck (PROCESSING/ROLLING_BACK/FAILED_TEMP)', count: stuck },
  { what: 'FAILED_TEMP driven (rollback/retry)', count: driven },
  { what: 'worker kills (simulated crash)', count: kills },
  { what: 'orphans (reconciler dry run)', count: reconcile.orphans.length },
  { what: 'VIM resources left', count: left },
  { what: 'overlapping subnet allocations (end)', count: overlaps.length },
  { what: `overlapping subnet allocations (${overlapSamples} samples during run)`, count: overlapsSeen },
]);
await api.close();
await store.close();
if (url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
process.exitCode = stuck + reconcile.orphans.length + left + overlaps.length + overlapsSeen > 0 ? 1 : 0;
