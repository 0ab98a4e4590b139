/**
 * VES delivery throughput: events/s delivered to a local collector over HTTP with batch
 * sizes 1, 10, 50 (the default) and 100, the batch-size-1 run as the baseline. The collector is a plain
 * node:http server in a child process (it parses every body, as a real one would), so
 * sender and receiver do not share an event loop.
 *
 *   npx tsx bench/ves.ts [events-per-run=20000]
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { buildFaultEvent, createSequenceCounter, VesDelivery } from '../src/monitoring/index.js';
import type { VesEvent } from '../src/monitoring/index.js';

if (process.argv[2] === '--collector') {
  const { createServer } = await import('node:http');
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: unknown; eventList?: unknown[] };
      count += body.eventList ? body.eventList.length : 1;
      res.writeHead(202).end();
    });
  });
  process.on('message', (m: string) => {
    if (m === 'count') process.send?.(count);
    if (m === 'reset') {
      count = 0;
      process.send?.(0);
    }
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
} else {
  await main(Number(process.argv[2] ?? 20_000));
}

async function main(n: number): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--collector'], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const endpoint = `http://127.0.0.1:${port}`;
  let id = 0;
  const ctx = { reportingEntityName: 'rondo-bench', ids: { next: () => String(++id) }, sequences: createSequenceCounter() };
  const at = new Date();
  const events: VesEvent[] = Array.from({ length: n }, (_, i) =>
    buildFaultEvent(ctx, { kind: 'down', source: { sourceId: `vnf-${i % 50}`, sourceName: `vnf-${i % 50}` }, nsId: 'ns', vnfId: `vnf-${i % 50}`, computeId: `c${i}`, popId: 'dc1', raisedAt: at, at, exitCode: 137 }),
  );
  const rows: { batch: number; seconds: number; rate: number }[] = [];
  for (const batch of [1, 10, 50, 100]) {
    await ask(child, 'reset');
    const delivery = new VesDelivery({ endpoint, maxBatchSize: batch, maxLingerMs: 1, maxQueue: n });
    const t0 = performance.now();
    delivery.start();
    for (const e of events) delivery.enqueue(e);
    await delivery.drained();
    const seconds = (performance.now() - t0) / 1000;
    await delivery.stop();
    const received = await ask(child, 'count');
    if (received !== n || delivery.dropped !== 0) throw new Error(`batch ${batch}: collector got ${received} of ${n}, dropped ${delivery.dropped}`);
    rows.push({ batch, seconds, rate: n / seconds });
  }
  child.kill();
  const base = rows[0]!.rate;
  console.log(`VES delivery, ${n} fault events per run, one POST in flight, local collector (child process)\n`);
  console.log('| batch size | seconds | events/s | vs batch 1 |');
  console.log('|-----------:|--------:|---------:|-----------:|');
  for (const r of rows) console.log(`| ${String(r.batch).padStart(10)} | ${r.seconds.toFixed(2).padStart(7)} | ${Math.round(r.rate).toString().padStart(8)} | ${(r.rate / base).toFixed(1).padStart(9)}× |`);
}

function ask(child: ChildProcess, m: string): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (v: number) => resolve(v));
    child.send(m);
  });
}
