/**
 * The server side of `bench/api.ts`, in a process of its own: starts Rondo exactly as
 * `rondo serve` does (`startServer`: compose, seal, bootstrap admin, start, listen) from
 * the environment it is given (DATABASE_URL + RONDO_DB_SCHEMA, or PGlite in
 * RONDO_DATA_DIR), logging as `rondo serve` logs: pino at RONDO_LOG_LEVEL to standard
 * output (which bench/api.ts points at /dev/null). Talks to its parent
 * over IPC: sends `{ url }` once listening; answers `'cpu'` with its CPU time so far
 * (`{ cpuUs }`, user + system, microseconds) and `'close'` by shutting down.
 *
 *   node --import tsx bench/api-server.ts   (forked by bench/api.ts; add --cpu-prof to profile)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { startServer } from '../src/app/index.js';

if (!process.send) throw new Error('bench/api-server.ts is forked by bench/api.ts (it needs an IPC channel)');
const send = (m: unknown) => process.send?.(m);

const config = loadConfig(process.env);
const server = await startServer(config, { notice: () => undefined });
// The server's event-loop delay since the last 'cpu' question (a stall here delays every answer).
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
process.on('message', (m) => {
  if (m === 'cpu') {
    const u = process.cpuUsage();
    send({ cpuUs: u.user + u.system, loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 });
    loop.reset();
  } else if (m === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
// The bench ended (or was killed) without a 'close': do not outlive it.
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
send({ url: server.url });
