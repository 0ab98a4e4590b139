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
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/store/index.js';
import { WORKER_TEST_KEY, workerDescriptors } from './worker-process.js';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

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
