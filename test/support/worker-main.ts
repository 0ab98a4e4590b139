/**
 * A lifecycle worker as its own process, for crash and chaos tests: `compose({ role:
 * 'worker' })`, the same composition root as `rondo serve --role worker`, over a
 * PostgreSQL schema and the VIM accounts stored there, with the test descriptors of
 * `worker-process.ts`. Configured by env (see `startWorkerProcess`): the config's own
 * RONDO_STEP_DEADLINE, RONDO_WORKER_LEASE, RONDO_WORKER_CONCURRENCY, plus
 * RONDO_TEST_DATABASE_URL, RONDO_TEST_SCHEMA, RONDO_WORKER_OWNER, RONDO_WORKER_POLL_MS,
 * RONDO_WORKER_COMPUTE_CONCURRENCY and RONDO_TEST_DESCRIPTORS (`catalog`: the store's
 * catalog, as `rondo serve` reads descriptors; default the test NSDs). RONDO_AMQP_URL and
 * RONDO_AMQP_PREFIX, when set, put its events on RabbitMQ. Prints `{"ready":…}` when claiming, then one JSON
 * line per op change. SIGTERM stops it cleanly (leases released); SIGKILL is the crash
 * under test.
 */
import { pino } from 'pino';
import type * as AppModule from '../../src/app/index.js';
import type * as LifecycleModule from '../../src/lifecycle/index.js';
import type * as ConfigModule from '../../src/config/index.js';
import type * as StoreModule from '../../src/store/index.js';
import type * as ModelModule from '../../src/model/index.js';
import { WORKER_TEST_KEY, workerDescriptorsWith } from './worker-process.js';

// Rondo itself comes from the build (dist/, as `rondo serve --role worker` runs it; `npm run
// build` first, which `make test` does): tsx then compiles only this file and
// worker-process.ts. Loading the app from source through tsx cost 2-3 s of CPU more per
// worker, and the chaos and recovery tests start dozens of workers on a 2-core machine.
// Typed by the sources the build is made from.
const dist = (path: string): string => new URL(`../../dist/${path}`, import.meta.url).href;
const [{ compose }, { parseCrashPlan, plannedCrashPoints }, { loadConfig }, { openStore }, { NotFoundError }] = await Promise.all([
  import(dist('app/index.js')) as Promise<typeof AppModule>,
  import(dist('lifecycle/index.js')) as Promise<typeof LifecycleModule>,
  import(dist('config/index.js')) as Promise<typeof ConfigModule>,
  import(dist('store/index.js')) as Promise<typeof StoreModule>,
  import(dist('model/index.js')) as Promise<typeof ModelModule>,
]);
// The built lifecycle knows a missing NSD by the built NotFoundError class.
const workerDescriptors = workerDescriptorsWith(NotFoundError);

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
  ...(process.env['RONDO_TEST_DESCRIPTORS'] === 'catalog' ? {} : { descriptors: workerDescriptors }),
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
