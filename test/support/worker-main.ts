/**
 * A lifecycle worker as its own process, for crash and chaos tests: `compose({ role:
 * 'worker' })`, the same composition root as `rondo serve --role worker`, over a
 * PostgreSQL schema and the VIM accounts stored there, with the test descriptors of
 * `worker-process.ts`. Configured by env (see `startWorkerProcess`): the config's own
 * RONDO_STEP_DEADLINE, RONDO_WORKER_LEASE, RONDO_WORKER_CONCURRENCY, plus
 * RONDO_TEST_DATABASE_URL, RONDO_TEST_SCHEMA, RONDO_WORKER_OWNER, RONDO_WORKER_POLL_MS
 * and RONDO_WORKER_COMPUTE_CONCURRENCY. Prints `{"ready":…}` when claiming, then one JSON
 * line per op change. SIGTERM stops it cleanly (leases released); SIGKILL is the crash
 * under test.
 */
import { pino } from 'pino';
import { compose } from '../../src/app/index.js';
import { parseCrashPlan, plannedCrashPoints } from '../../src/lifecycle/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/store/index.js';
import { WORKER_TEST_KEY, workerDescriptors } from './worker-process.js';

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

const databaseUrl = env('RONDO_TEST_DATABASE_URL');
const databaseSchema = env('RONDO_TEST_SCHEMA');
const owner = env('RONDO_WORKER_OWNER');
// The one config loader: RONDO_STEP_DEADLINE, RONDO_WORKER_LEASE and RONDO_WORKER_CONCURRENCY are its settings.
const config = loadConfig(
  { RONDO_STEP_DEADLINE: '60', RONDO_WORKER_LEASE: '3', RONDO_WORKER_CONCURRENCY: '2', ...process.env },
  { databaseUrl, databaseSchema, role: 'worker', logLevel: 'error' },
);
const store = await openStore({ kind: 'postgres', url: databaseUrl, schema: databaseSchema, poolSize: 4 });
// Errors as JSON lines on stdout, beside the op changes (the test collects both).
const logger = pino({ level: 'error', base: { owner } }, process.stdout);
const c = await compose({
  config, store, logger, env: { RONDO_SECRET_KEY: WORKER_TEST_KEY }, http: false,
  descriptors: workerDescriptors,
  workerOwner: owner,
  crashPoints,
  workerPollMs: Number(env('RONDO_WORKER_POLL_MS', '300')),
  computeConcurrency: Number(env('RONDO_WORKER_COMPUTE_CONCURRENCY', '8')),
});
c.services.opNotifier.subscribe((ch) => console.log(JSON.stringify({ op: ch.opId, state: ch.operationState })));
// The worker only: reconciliation is the API side's in these tests.
await c.start({ reconciler: false });
console.log(JSON.stringify({ ready: owner, pid: process.pid }));

process.once('SIGTERM', () => {
  void (async () => {
    await c.close();
    await store.close();
    process.exit(0);
  })();
});
