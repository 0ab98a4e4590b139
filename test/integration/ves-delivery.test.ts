import { afterEach, describe, expect, it, vi } from 'vitest';
import { VesDelivery } from '../../src/monitoring/index.js';
import type { VesEvent } from '../../src/monitoring/index.js';
import { buildHeartbeatEvent, createSequenceCounter } from '../../src/monitoring/index.js';
import { VesCollector } from '../support/ves-collector.js';

const auth = { username: 'ves', password: 'pa55' };
let n = 0;
const ctx = { reportingEntityName: 'rondo-it', ids: { next: () => `e${++n}` }, sequences: createSequenceCounter() };
const hb = (i: number): VesEvent => buildHeartbeatEvent(ctx, { source: { sourceId: `s${i}`, sourceName: `s${i}` }, at: new Date(), intervalSeconds: 10 });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(opts: Partial<ConstructorParameters<typeof VesDelivery>[0]> = {}) {
  const collector = new VesCollector(auth);
  await collector.start();
  const delivery = new VesDelivery({ endpoint: collector.url, auth, backoff: { initialMs: 20, maxMs: 200 }, random: () => 1, ...opts });
  delivery.start();
  cleanup.push(() => collector.stop(), () => delivery.stop());
  return { collector, delivery };
}

describe('VesDelivery against a real collector', () => {
  it('sends single events to /eventListener/v7 and batches to /eventBatch with basic auth', async () => {
    const { collector, delivery } = await setup({ maxBatchSize: 10, maxLingerMs: 200 });
    delivery.enqueue(hb(0));
    await collector.waitFor(() => collector.events.length === 1);
    expect(collector.events[0]?.path).toBe('/eventListener/v7');
    for (let i = 1; i <= 10; i++) delivery.enqueue(hb(i));
    await collector.waitFor(() => collector.events.length === 11);
    await delivery.drained();
    expect(collector.events.slice(1).every((e) => e.batch && e.path === '/eventListener/v7/eventBatch')).toBe(true);
    expect(delivery.sent).toBe(11);
    expect(collector.events.map((e) => e.event.commonEventHeader.sourceName)).toEqual(Array.from({ length: 11 }, (_, i) => `s${i}`));
  });

  it('retries after 500s until the collector accepts', async () => {
    const { collector, delivery } = await setup({ maxBatchSize: 1 });
    collector.failNext(2, 500);
    delivery.enqueue(hb(1));
    await collector.waitFor(() => collector.events.length === 1);
    await delivery.drained();
    expect(delivery.failedAttempts).toBe(2);
    expect(delivery.sent).toBe(1);
  });

  it('drops a batch the collector refuses with 400 and goes on', async () => {
    const { collector, delivery } = await setup({ maxBatchSize: 1 });
    collector.failNext(1, 400);
    delivery.enqueue(hb(1));
    delivery.enqueue(hb(2));
    await collector.waitFor(() => collector.events.length === 1);
    await delivery.drained();
    expect(delivery.rejected).toBe(1);
    expect(collector.events[0]?.event.commonEventHeader.sourceName).toBe('s2');
  });

  it('queues (bounded) while the collector is down, counts the overflow, delivers the rest when it is back', async () => {
    const { collector, delivery } = await setup({ maxBatchSize: 5, maxLingerMs: 10, maxQueue: 20 });
    await collector.stop();
    const offered = 27;
    for (let i = 0; i < offered; i++) delivery.enqueue(hb(i));
    expect(delivery.queueDepth).toBe(20);
    expect(delivery.dropped).toBe(offered - 20);
    // Until it has failed against the closed port at least once.
    await vi.waitFor(() => expect(delivery.failedAttempts).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    expect(delivery.sent).toBe(0);
    await collector.start();
    await collector.waitFor(() => collector.events.length === 20, 15_000);
    await delivery.drained();
    expect(delivery.sent).toBe(20);
    expect(delivery.dropped).toBe(7);
    expect(delivery.queueDepth).toBe(0);
    // The oldest queued events were dropped; the rest arrive in order.
    const names = collector.events.map((e) => e.event.commonEventHeader.sourceName);
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `s${i + 7}`));
  });
});
