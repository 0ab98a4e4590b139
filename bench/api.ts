/**
 * The NS lifecycle API at scale: seeds NS instances (with VNFs and a SAP) and operation
 * occurrences straight into a fresh store, starts the real server in a child process of
 * its own (bench/api-server.ts: `startServer` as `rondo serve` runs it, role api,
 * insecure mode: every request is an admin, so lists span every tenant), and drives the
 * list and show routes at a constant arrival rate with an open-loop generator
 * (bench/open-loop.ts, another child process: one request every 1/rate s, latency counted
 * from when it was due), first on PostgreSQL, then on PGlite.
 *
 *   npx tsx bench/api.ts [duration=30] [rate=500] [ns=10000] [ops=100000] [pgliteNs=ns] [pgliteOps=ops]
 *                        [connections=20] [log=info|warn|silent] [stores=postgres,pglite] [cache=on,off] [warmup=5] [prof=DIR]
 *
 * PostgreSQL: DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * in a schema of its own that is dropped at the end. PGlite: a data directory seeded here,
 * then opened by the server. The server logs to its standard output, /dev/null, at `log`
 * (pino at info writes request lines, which is part of what a request costs). `prof=DIR` writes the server's V8
 * CPU profile (--cpu-prof) into DIR. Target: p99 < 20 ms and no errors at 500 req/s on
 * PostgreSQL; the last line says PASS or FAIL. Server, load generator and PostgreSQL
 * run in separate processes (they still share the CPUs: the load average is printed
 * before and after each route, and the server's CPU time per request, which contention
 * does not inflate much, beside the latencies). The per-client rate limiter is off
 * (RONDO_RATE_LIMIT_BURST=0; set it to measure with it): its default, 50 req/s per
 * client, would answer most of 500 req/s from one client 429.
 *
 * `cache=on,off` runs each store twice, with a server of its own each time: with the
 * response cache of NS and operation reads (the default configuration; the `hits %`
 * column says how many answers it served) and without it (`RONDO_API_CACHE_MB=0`: every
 * answer read and serialised again). The verdict is the default configuration's.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile, fork } from 'node:child_process';
import pg from 'pg';
import { sql } from 'kysely';
import type { RondoConfig } from '../src/config/index.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/index.js';
import { seedNsRecords } from '../test/support/ns-records-seed.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const num = (k: string, d: number) => (args[k] === undefined ? d : Number(args[k]));
const DURATION = num('duration', 30);
const RATE = num('rate', 500);
const NS = num('ns', 10_000);
const OPS = num('ops', 100_000);
const CONNECTIONS = num('connections', 20);
const LOG = (args.log ?? 'info') as RondoConfig['logLevel'];
const STORES = (args.stores ?? 'postgres,pglite').split(',');
const WARMUP = num('warmup', 5);
/** Response cache modes to run, each with a server of its own: `on` (the default config) and `off` (every read made again). */
const CACHE = (args.cache ?? 'on,off').split(',').filter((c): c is 'on' | 'off' => c === 'on' || c === 'off');
/** Directory for the server child's V8 CPU profile (`prof=/tmp/x`), none by default. */
const PROF = args.prof;
const PG_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One load run's figures. */
interface Row {
  store: string;
  cache: 'on' | 'off';
  /** Share of the route's requests the response cache answered, in percent ('-' with the cache off). */
  hitPct: string;
  rows: string;
  route: string;
  rps: number;
  p50: number;
  p99: number;
  cpuMs: number;
  /** Event-loop delay p99/max (ms) of the server and of the load generator during the run. */
  loops: string;
  errors: number;
  non2xx: number;
  load: string;
}

/**
 * Drives `paths` (one picked at random per request) at RATE requests per second for
 * `duration` seconds with the open-loop generator (bench/open-loop.ts) in a child process
 * of its own, so neither the server nor this script's event loop skews its timer.
 */
function cannon(url: string, paths: readonly string[], duration: number): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number; timeouts: number; loopP99: number; loopMax: number }> {
  const opts = { url, paths, connections: CONNECTIONS, duration, rate: RATE };
  const script = fileURLToPath(new URL('./open-loop.ts', import.meta.url));
  // The options in a file: 2000 paths are more than one command-line argument may hold.
  const file = join(tmpdir(), `rondo-open-loop-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(opts));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, file], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`bench/open-loop.ts failed: ${stderr || err.message}`));
      else {
        const r = JSON.parse(stdout) as { rps: number; p50: number; p99: number; errors: number; non2xx: number; loopP99: number; loopMax: number };
        resolve({ ...r, timeouts: 0 });
      }
    });
  });
}

/** The server child: forked with `env`, answers `'cpu'` with its CPU time (see bench/api-server.ts). */
interface ServerChild {
  readonly url: string;
  /** CPU time so far (µs), and the event-loop delay p99/max (ms) since the last call. */
  cpu(): Promise<{ cpuUs: number; loopP99Ms: number; loopMaxMs: number }>;
  close(): Promise<void>;
}

/** Forks bench/api-server.ts (its own process and event loop, started as `rondo serve` starts) and waits until it listens. */
function startServerChild(env: NodeJS.ProcessEnv): Promise<ServerChild> {
  const execArgv = ['--import', 'tsx', ...(PROF ? ['--cpu-prof', `--cpu-prof-dir=${PROF}`] : [])];
  const child = fork(fileURLToPath(new URL('./api-server.ts', import.meta.url)), [], { env, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = <T>(pick: (m: unknown) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown) => {
        const v = pick(m);
        if (v === undefined) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(v);
      };
      const onExit = (code: number | null) => reject(new Error(`bench/api-server.ts exited (${code}) before answering`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const field = (k: string) => (m: unknown) => (typeof m === 'object' && m !== null && k in m ? (m as Record<string, unknown>)[k] : undefined);
  return next(field('url')).then((url) => ({
    url: url as string,
    cpu: () => {
      const answer = next((m) => (field('cpuUs')(m) === undefined ? undefined : (m as { cpuUs: number; loopP99Ms: number; loopMaxMs: number })));
      child.send('cpu');
      return answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  }));
}

/** `rondo_api_response_cache_total{result="hit"}` of the server, from its `/metrics`. */
async function cacheHits(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/rondo_api_response_cache_total\{result="hit"\} (\d+)/.exec(text)?.[1] ?? 0);
}

/** Seeds `store` (then closes it), starts the server child on the same database, drives each route; one row per route. */
async function benchStore(kind: 'postgres' | 'pglite', store: Store, ns: number, ops: number, serverEnv: NodeJS.ProcessEnv): Promise<Row[]> {
  const t0 = Date.now();
  let seed: Awaited<ReturnType<typeof seedNsRecords>>;
  try {
    seed = await seedNsRecords(store.db, { ns, ops, vnfsPerNs: 3, tenants: ['default', 'tenant-b', 'tenant-c'] });
    // As a database that has lived with these rows would be: statistics gathered and the
    // autovacuum of 136,000 fresh rows done now, not in the middle of a measured route.
    await sql`vacuum analyze ns_instances, vnf_instances, lcm_op_occs`.execute(store.db);
  } finally {
    // PGlite is one process's: the server child opens the same data directory once it is closed here.
    await store.close();
  }
  const seeded = `${ns} NS, ${seed.vnfCount} VNF/SAP, ${ops} ops`;
  process.stderr.write(`${kind}: seeded ${seeded} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const shown = Array.from({ length: 2000 }, () => `/nslcm/v1/ns_instances/${seed.nsIds[Math.floor(Math.random() * seed.nsIds.length)]}`);
  const routes: [string, string[]][] = [
    ['GET /nslcm/v1/ns_instances (first page)', ['/nslcm/v1/ns_instances']],
    ['GET /nslcm/v1/ns_instances?filter=(eq,nsdId,nsd-3);(eq,vnfInstance/state,STOPPED)', [
      `/nslcm/v1/ns_instances?filter=${encodeURIComponent('(eq,nsdId,nsd-3);(eq,vnfInstance/state,STOPPED)')}`,
    ]],
    ['GET /nslcm/v1/ns_instances/{random id}', shown],
    ['GET /nslcm/v1/ns_lcm_op_occs?filter=(eq,operationState,FAILED_TEMP)', [`/nslcm/v1/ns_lcm_op_occs?filter=${encodeURIComponent('(eq,operationState,FAILED_TEMP)')}`]],
  ];
  const rows: Row[] = [];
  for (const cache of CACHE) {
    const dataDir = await mkdtemp(join(tmpdir(), 'rondo-bench-api-'));
    const server = await startServerChild({
      ...process.env,
      RONDO_INSECURE_NO_AUTH: '1',
      RONDO_RATE_LIMIT_BURST: process.env.RONDO_RATE_LIMIT_BURST ?? '0',
      RONDO_ROLE: 'api',
      RONDO_AUTO_POPS: '0',
      RONDO_HOST: '127.0.0.1',
      RONDO_PORT: '0',
      RONDO_LOG_LEVEL: LOG,
      RONDO_DATA_DIR: dataDir,
      RONDO_API_CACHE_MB: cache === 'on' ? (process.env.RONDO_API_CACHE_MB ?? '64') : '0',
      ...serverEnv,
    });
    try {
      // Warm-up: JIT, pool connections, plan caches (and, with the cache on, its first answers).
      await cannon(server.url, routes.flatMap(([, p]) => p.slice(0, 50)), WARMUP).catch(() => undefined);
      for (const [route, paths] of routes) {
        const before = loadavg()[0] as number;
        const cpu0 = (await server.cpu()).cpuUs;
        const hits0 = await cacheHits(server.url);
        const r = await cannon(server.url, paths, DURATION);
        const after = await server.cpu();
        const cpuUs = after.cpuUs - cpu0;
        const loops = `server ${after.loopP99Ms.toFixed(0)}/${after.loopMaxMs.toFixed(0)}, load generator ${r.loopP99.toFixed(0)}/${r.loopMax.toFixed(0)}`;
        const served = r.rps * DURATION;
        const hitPct = cache === 'on' ? `${Math.round((100 * ((await cacheHits(server.url)) - hits0)) / Math.max(1, served))}` : '-';
        // Server-side CPU per request (the server process: Rondo, and PGlite's engine when it is the store): contention-proof, unlike latency.
        const cpuMs = cpuUs / 1000 / Math.max(1, served);
        rows.push({ store: kind, cache, hitPct, rows: seeded, route, rps: r.rps, p50: r.p50, p99: r.p99, cpuMs, loops, errors: r.errors + r.timeouts, non2xx: r.non2xx, load: `${before.toFixed(1)}→${(loadavg()[0] as number).toFixed(1)}` });
        process.stderr.write(`${kind} cache ${cache} ${route}: ${r.rps} req/s p50 ${r.p50} ms p99 ${r.p99} ms, server CPU ${cpuMs.toFixed(2)} ms/req, hits ${hitPct} %\n`);
      }
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const loadAtStart = loadavg().map((x) => x.toFixed(1)).join(' ');
  if (STORES.includes('postgres')) {
    const schema = `bench_api_${process.pid}`;
    const drop = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
    };
    try {
      // benchStore closes the seeding store; the server child opens its own pool on the schema (as `rondo serve` does).
      const store = await openStore({ kind: 'postgres', url: PG_URL, schema, poolSize: 10 });
      rows.push(...(await benchStore('postgres', store, NS, OPS, { DATABASE_URL: PG_URL, RONDO_DB_SCHEMA: schema })));
    } finally {
      await drop();
    }
  }
  if (STORES.includes('pglite')) {
    // A PGlite database in a directory: seeded here, then opened by the server child (`rondo serve` without DATABASE_URL).
    const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-api-pglite-'));
    try {
      const store = await openStore({ kind: 'pglite', dataDir: join(dir, 'db') });
      rows.push(...(await benchStore('pglite', store, num('pgliteNs', NS), num('pgliteOps', OPS), { RONDO_DATA_DIR: dir, DATABASE_URL: undefined })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const header = ['store', 'cache', 'hits %', 'route', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/req', 'loop delay p99/max ms', 'errors', 'non-2xx', 'load 1m (before→after)'];
  const lines = rows.map((r) => [r.store, r.cache, r.hitPct, r.route, r.rps.toFixed(0), String(r.p50), String(r.p99), r.cpuMs.toFixed(2), r.loops, String(r.errors), String(r.non2xx), r.load]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  // The verdict is the default configuration's (cache on) when it ran; the cache-off rows show the reads themselves.
  const pgAll = rows.filter((r) => r.store === 'postgres');
  const pgRows = pgAll.some((r) => r.cache === 'on') ? pgAll.filter((r) => r.cache === 'on') : pgAll;
  const failed = pgRows.filter((r) => !(r.p99 < 20) || r.errors > 0 || r.non2xx > 0).map((r) => r.route);
  const verdict = pgRows.length === 0 ? 'NO VERDICT (PostgreSQL not run)' : failed.length === 0 ? 'PASS' : `FAIL (${failed.join('; ')})`;
  const out = [
    `bench/api.ts: ${DURATION} s per route at ${RATE} req/s, ${CONNECTIONS} connections, log level ${LOG}, ${cpus().length} CPUs, load average at start ${loadAtStart}, at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
    ...[...new Set(rows.map((r) => `${r.store}: ${r.rows}`))],
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...lines.map(fmt),
    `${verdict}: target p99 < 20 ms and 0 errors/non-2xx on every route at ${RATE} req/s on PostgreSQL`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
