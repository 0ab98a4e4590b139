/**
 * A lifecycle worker as its own process, for crash and chaos tests: the real
 * LifecycleWorker and executor over a PostgreSQL schema and the VIM accounts stored
 * there, with the test descriptors of `worker-process.ts`. Configured by env (see
 * `startWorkerProcess`); prints `{"ready":…}` when claiming, then one JSON line per op
 * change. SIGTERM stops it cleanly (leases released); SIGKILL is the crash under test.
 */
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { LifecycleWorker, createOpNotifier, executeOperation, parseCrashPlan, plannedCrashPoints } from '../../src/lifecycle/index.js';
import type { ExecutorDeps } from '../../src/lifecycle/index.js';
import { createRuntimeRepositories, openStore, SqlVimAccountRepository } from '../../src/store/index.js';
import { VimRegistry } from '../../src/vim/index.js';
import { workerDescriptors } from './worker-process.js';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

// ---- Crash points (chaos tests) -------------------------------------------------------
// RONDO_CRASH_POINTS=after-step-done:3 (see src/lifecycle/crash-points.ts): this process
// SIGKILLs itself at that point, printing which one first. Passed to the worker and the
// executor below as `crashPoints`; unset means no crash.
const crashPoints = plannedCrashPoints(parseCrashPlan(process.env['RONDO_CRASH_POINTS'] ?? ''), (point, ctx) => {
  console.log(JSON.stringify({ crash: point, opId: ctx.opId, pid: process.pid }));
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
});
// ---- end crash points ------------------------------------------------------------------

const store = await openStore({ kind: 'postgres', url: env('RONDO_TEST_DATABASE_URL'), schema: env('RONDO_TEST_SCHEMA'), poolSize: 4 });
const accounts = new SqlVimAccountRepository(store.db);
const registry = new VimRegistry({ list: () => accounts.list() });
const notifier = createOpNotifier();
const deps: ExecutorDeps = {
  repos: createRuntimeRepositories(store.db, systemClock), drivers: registry, descriptors: workerDescriptors, notifier, clock: systemClock, ids: uuidGenerator,
  stepDeadlineSeconds: Number(env('RONDO_STEP_DEADLINE', '60')), computeConcurrency: Number(env('RONDO_WORKER_COMPUTE_CONCURRENCY', '8')),
  crashPoints,
};
const owner = env('RONDO_WORKER_OWNER');
const worker = new LifecycleWorker({
  opOccs: deps.repos.opOccs, notifier, clock: systemClock, owner,
  leaseSeconds: Number(env('RONDO_WORKER_LEASE', '3')), concurrency: Number(env('RONDO_WORKER_CONCURRENCY', '2')),
  pollIntervalMs: Number(env('RONDO_WORKER_POLL_MS', '300')), crashPoints,
  run: async (op, signal) => {
    await registry.refresh();
    await executeOperation(op, deps, signal);
  },
  onError: (e, op) => console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e), opId: op?.id })),
});
notifier.subscribe((c) => console.log(JSON.stringify({ op: c.opId, state: c.operationState })));
await registry.refresh();
worker.start();
console.log(JSON.stringify({ ready: owner, pid: process.pid }));

process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await registry.close();
    await store.close();
    process.exit(0);
  })();
});
