/**
 * Event bus throughput and latency: the in-process bus against RabbitMQ (the local broker,
 * BENCH_AMQP_URL or amqp://guest:guest@127.0.0.1:5672, under a prefix of this run that is
 * deleted afterwards), each with one publisher and one consumer, as two bus instances
 * (on RabbitMQ two connections).
 * - throughput: `n` events published with confirms, up to 500 unconfirmed at a time, to an
 *   ordered consumer group and to a fan-out subscriber; events/s from the first publication
 *   to the last event consumed.
 * - latency: events published one after another, each once the previous one was consumed
 *   (no queueing), p50 and p99 of publish call → handler entry.
 *
 * - SSM round trip: the example NS (examples/tango-chain) instantiated on two memory PoPs
 *   through the real composition (PGlite), without and then with the example placement SSM
 *   (examples/plugins/placement-ssm.ts) answering `mano.service.place`, on each bus: the
 *   medians of the INSTANTIATE request (where Rondo asks the SSM) and of request → op
 *   COMPLETED, and what the SSM adds to each.
 *
 *   npx tsx bench/bus.ts [events=20000] [latency-samples=2000] [ssm-rounds=15]
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { loadConfig } from '../src/config/index.js';
import type { ConfigOverrides } from '../src/config/index.js';
import { BUS_GROUPS, compose } from '../src/app/index.js';
import type { RondoApp } from '../src/api/index.js';
import { systemClock, uuidGenerator } from '../src/model/index.js';
import { buildPackage } from '../src/packages/index.js';
import { openStore } from '../src/store/index.js';
import type { PluginBus } from '../src/sdk/index.js';
import { PLACEMENT_TOPIC } from '../src/sdk/index.js';
import { startPlacementSsm } from '../examples/plugins/placement-ssm.js';
import { amqpNames, createAmqpBus, createInProcessHub } from '../src/bus/index.js';
import type { Bus } from '../src/bus/index.js';

interface Topics {
  'bench.event': { readonly n: number; readonly at: number };
}
type BenchBus = Bus<Topics>;

const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const n = Number(process.argv[2] ?? 20_000);
const samples = Number(process.argv[3] ?? 2000);
const ssmRounds = Number(process.argv[4] ?? 15);
const WINDOW = 500;
const now = () => performance.now();

/** Publishes `count` events, at most WINDOW unconfirmed; resolves when all are confirmed. */
async function publishAll(bus: BenchBus, count: number): Promise<void> {
  let inFlight: Promise<string>[] = [];
  for (let i = 0; i < count; i++) {
    inFlight.push(bus.publish('bench.event', { n: i, at: now() }, { key: `ns-${i % 16}` }));
    if (inFlight.length >= WINDOW) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

interface Row {
  readonly bus: string;
  readonly mode: string;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

async function measure(name: string, open: () => Promise<BenchBus>, group: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const mode of ['group', 'fan-out'] as const) {
    const producer = await open();
    const consumer = await open();
    let received = 0;
    let lastAt = 0;
    let latencies: number[] = [];
    let recordLatency = false;
    let done: () => void = () => undefined;
    let target = n;
    let consumed: () => void = () => undefined;
    const onEvent = (p: Topics['bench.event']) => {
      const t = now();
      if (recordLatency) latencies.push(t - p.at);
      lastAt = t;
      consumed();
      if (++received === target) done();
    };
    if (mode === 'group') await consumer.consume(`${group}-${mode}`, ['bench.event'], async (e) => onEvent(e.payload));
    else await consumer.subscribe(['bench.event'], (e) => onEvent(e.payload));

    // Throughput.
    const all = new Promise<void>((r) => (done = r));
    const t0 = now();
    await publishAll(producer, n);
    await all;
    const rate = n / ((lastAt - t0) / 1000);

    // Latency: one at a time, the next once the last was consumed.
    received = 0;
    target = samples;
    latencies = [];
    recordLatency = true;
    for (let i = 0; i < samples; i++) {
      const next = new Promise<void>((r) => (consumed = r));
      await producer.publish('bench.event', { n: i, at: now() }, { key: 'ns-latency' });
      await next;
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    rows.push({ bus: name, mode, rate, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) });
    await producer.close();
    await consumer.close();
  }
  return rows;
}

const hub = createInProcessHub();
const rows = await measure('in-process', async () => hub.connect<Topics>(), 'bench');
const prefix = `rondo-bench-${randomUUID().slice(0, 8)}`;
try {
  rows.push(...(await measure('rabbitmq', () => createAmqpBus<Topics>({ url: AMQP_URL, prefix }), 'bench')));
} finally {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const mode of ['group', 'fan-out']) await ch.deleteQueue(amqpNames(prefix).groupQueue(`bench-${mode}`));
  await ch.deleteExchange(amqpNames(prefix).exchange);
  await conn.close();
}

const base = rows[0]?.rate ?? 1;
console.log(`\nevent bus: ${n} events for throughput (≤ ${WINDOW} unconfirmed), ${samples} one at a time for latency\n`);
console.log('| bus        | consumer | events/s | vs in-process group | p50 ms | p99 ms |');
console.log('| ---------- | -------- | -------: | ------------------: | -----: | -----: |');
for (const r of rows) {
  console.log(`| ${r.bus.padEnd(10)} | ${r.mode.padEnd(8)} | ${Math.round(r.rate).toString().padStart(8)} | ${(r.rate / base).toFixed(2).padStart(19)} | ${r.p50.toFixed(3).padStart(6)} | ${r.p99.toFixed(3).padStart(6)} |`);
}

/** Medians (ms) of INSTANTIATE's request and of request → COMPLETED, without and with a placement SSM. */
interface SsmRow {
  readonly bus: string;
  readonly request: [number, number];
  readonly complete: [number, number];
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function ssmRoundTrip(busName: string, overrides: ConfigOverrides): Promise<SsmRow> {
  const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-ssm-'));
  const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir: join(dir, 'data'), logLevel: 'silent', ...overrides });
  const store = await openStore({ kind: 'pglite', dataDir: null });
  const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250, plugins: { heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 30_000 } });
  const app = c.app as RondoApp;
  try {
    await c.start({ worker: true, reconciler: false, monitoring: false, plugins: true });
    for (const name of ['dc1', 'dc2']) await app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name, type: 'memory', endpoint: 'memory://bench', capacity: { cpu: 64, memoryMiB: 65536 } } });
    await buildPackage('examples/tango-chain', join(dir, 'chain.tgo'));
    const up = await app.inject({ method: 'POST', url: '/packages', payload: await readFile(join(dir, 'chain.tgo')), headers: { 'content-type': 'application/octet-stream' } });
    const nsdId = up.json().service_uuid as string;
    const round = async (advised: boolean): Promise<[number, number]> => {
      const id = (await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'ssm' } })).json().id as string;
      const t0 = now();
      const r = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${id}/instantiate`, payload: { additionalParamsForNs: { placement: 'first-pop' } } });
      const t1 = now();
      const op = await c.services.lifecycle.waitForOp(String(r.headers.location).split('/').pop() as string, { timeoutMs: 60_000 });
      const t2 = now();
      if (op.operationState !== 'COMPLETED') throw new Error(`instantiate ${op.operationState}: ${op.error?.detail}`);
      if ((op.placementAdvice?.outcome === 'ADVISED') !== advised) throw new Error(`placement advice ${JSON.stringify(op.placementAdvice)}, expected ${advised ? 'ADVISED' : 'none'}`);
      const term = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${id}/terminate`, payload: {} });
      await c.services.lifecycle.waitForOp(String(term.headers.location).split('/').pop() as string, { timeoutMs: 60_000 });
      return [t1 - t0, t2 - t0];
    };
    // Rounds alternate (no SSM, then SSM) so that warming up and drift weigh on both alike.
    const bus = c.services.bus as unknown as PluginBus;
    const without: [number, number][] = [];
    const withSsm: [number, number][] = [];
    for (let i = -2; i < ssmRounds; i++) {
      const a = await round(false);
      const ssm = await startPlacementSsm({ bus });
      try {
        const b = await round(true);
        if (i >= 0) {
          without.push(a);
          withSsm.push(b);
        }
      } finally {
        await ssm.close(); // deregisters: the next round asks no one
      }
    }
    const med = (rs: [number, number][], k: 0 | 1) => median(rs.map((x) => x[k]));
    return { bus: busName, request: [med(without, 0), med(withSsm, 0)], complete: [med(without, 1), med(withSsm, 1)] };
  } finally {
    await c.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const ssmRows = [await ssmRoundTrip('in-process', {})];
const ssmPrefix = `rondo-bench-ssm-${randomUUID().slice(0, 8)}`;
try {
  ssmRows.push(await ssmRoundTrip('rabbitmq', { amqpUrl: AMQP_URL, amqpPrefix: ssmPrefix }));
} finally {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const g of [...Object.values(BUS_GROUPS), `plugin.placement-ssm-firewall-dc2.${PLACEMENT_TOPIC}`]) await ch.deleteQueue(amqpNames(ssmPrefix).groupQueue(g));
  await ch.deleteExchange(amqpNames(ssmPrefix).exchange);
  await conn.close();
}
console.log(`\nINSTANTIATE of the example NS (3 VNFs, 2 memory PoPs) without and with a placement SSM round trip: medians of ${ssmRounds} alternating rounds, ms\n`);
console.log('| bus        | request (no SSM) | request (SSM) | added | completed (no SSM) | completed (SSM) | added |');
console.log('| ---------- | ---------------: | ------------: | ----: | -----------------: | --------------: | ----: |');
for (const r of ssmRows) {
  const f = (x: number) => x.toFixed(1);
  console.log(`| ${r.bus.padEnd(10)} | ${f(r.request[0]).padStart(16)} | ${f(r.request[1]).padStart(13)} | ${f(r.request[1] - r.request[0]).padStart(5)} | ${f(r.complete[0]).padStart(18)} | ${f(r.complete[1]).padStart(15)} | ${f(r.complete[1] - r.complete[0]).padStart(5)} |`);
}
