/**
 * An open-loop HTTP load generator: sends GETs at a constant arrival rate (one every
 * 1/rate seconds, whatever the answers do), over a pool of keep-alive connections, and
 * measures each request's latency from the moment it was due to be sent — so a stalled
 * server shows in the latencies instead of slowing the load (no coordinated omission).
 *
 * bench/api.ts forks it (its own process and event loop, away from the server's):
 *
 *   node --import tsx bench/open-loop.ts options.json   ({"url":…,"paths":[…],"rate":500,"duration":30,"connections":20})
 *
 * and reads one JSON line: `{ sent, rps, p50, p90, p99, max, errors, non2xx }` (ms).
 *
 * Why not autocannon's `overallRate`: it gives each connection a quota per second, sent
 * back-to-back from the start of each second, then idles until the next one. At 500 req/s
 * over 20 connections that is bursts of 20 requests in flight, not 500 evenly spaced
 * requests per second, and the latencies measure the burst.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface OpenLoopOptions {
  readonly url: string;
  /** Picked at random per request. */
  readonly paths: readonly string[];
  /** Requests per second. */
  readonly rate: number;
  /** Seconds. */
  readonly duration: number;
  /** Keep-alive connections; a request due while all are busy waits for one (and its wait counts). */
  readonly connections: number;
}

export interface OpenLoopResult {
  readonly sent: number;
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly non2xx: number;
  /** This generator's own event-loop delay, p99 and max (ms): a stall here delays sends and shows in the latencies. */
  readonly loopP99: number;
  readonly loopMax: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Runs the load; resolves once every request sent has answered or failed. */
export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const origin = new URL(o.url).origin;
  const pool = new Pool(origin, { connections: o.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / o.rate;
  const total = Math.round(o.rate * o.duration);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = performance.now();
  let sent = 0;

  const send = (due: number): void => {
    const path = o.paths[Math.floor(Math.random() * o.paths.length)] as string;
    const p = pool
      .request({ method: 'GET', path })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
        latencies.push(performance.now() - due);
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  // Every millisecond (the timer's resolution), send whatever fell due since the last tick.
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  loop.disable();
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    sent,
    rps: Math.round(latencies.length / elapsed),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
    errors,
    non2xx,
    loopP99: round(loop.percentile(99) / 1e6),
    loopMax: round(loop.max / 1e6),
  };
}

// Run by bench/api.ts with the path of a JSON file of options as the first argument.
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() as string) && process.argv[2]) {
  const result = await openLoop(JSON.parse(readFileSync(process.argv[2], 'utf8')) as OpenLoopOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
