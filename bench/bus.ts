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
 *   npx tsx bench/bus.ts [events=20000] [latency-samples=2000]
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { amqpNames, createAmqpBus, createInProcessHub } from '../src/bus/index.js';
import type { Bus } from '../src/bus/index.js';

interface Topics {
  'bench.event': { readonly n: number; readonly at: number };
}
type BenchBus = Bus<Topics>;

const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const n = Number(process.argv[2] ?? 20_000);
const samples = Number(process.argv[3] ?? 2000);
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
