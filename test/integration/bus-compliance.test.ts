/**
 * The event bus compliance suite (test/bus-compliance.ts) on both implementations: the
 * in-process bus (each "process" a bus instance on one hub) and RabbitMQ on the real
 * broker (TEST_AMQP_URL, default amqp://guest:guest@127.0.0.1:5672), each process its own
 * connection, under a prefix of this run whose queues and exchange are deleted afterwards.
 * A missing broker fails loudly.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import type { ChannelModel } from 'amqplib';
import { amqpNames, createAmqpBus, createInProcessHub } from '../../src/bus/index.js';
import type { Bus } from '../../src/bus/index.js';
import { BUS_COMPLIANCE_GROUPS, runBusCompliance } from '../bus-compliance.js';
import type { ComplianceReplies, ComplianceTopics } from '../bus-compliance.js';
import { TEST_AMQP_URL, deleteAmqpPrefix } from '../support/amqp.js';

runBusCompliance('in-process', async () => {
  const hub = createInProcessHub();
  return {
    open: async () => hub.connect<ComplianceTopics, ComplianceReplies>(),
    // In one process, a bus instance's end is its close: nothing is said on any wire.
    crash: (bus) => bus.close(),
    cleanup: async () => undefined,
  };
});

runBusCompliance('rabbitmq', async () => {
  const prefix = `rondo-test-${randomUUID().slice(0, 8)}`;
  const connections = new Map<Bus<ComplianceTopics, ComplianceReplies>, () => ChannelModel | undefined>();
  return {
    async open() {
      let model: ChannelModel | undefined;
      const bus = await createAmqpBus<ComplianceTopics, ComplianceReplies>({
        url: TEST_AMQP_URL, prefix, connectTimeoutMs: 10_000,
        connect: async (url) => (model = await amqp.connect(url)),
      });
      connections.set(bus, () => model);
      return bus;
    },
    async crash(bus) {
      // The socket goes without a Connection.Close: the broker sees the process vanish.
      const socket = (connections.get(bus)?.()?.connection as unknown as { stream?: Socket } | undefined)?.stream;
      socket?.destroy();
      // And the instance must not come back by reconnecting, as a dead process would not.
      await bus.close();
    },
    cleanup: () => deleteAmqpPrefix(prefix, BUS_COMPLIANCE_GROUPS.map((g) => amqpNames(prefix).groupQueue(g))),
  };
});

describe('RabbitMQ bus: a lost connection', () => {
  it('is made again with back-off: status says so, fan-out and group membership come back, and group events published meanwhile wait in the queue', async () => {
    const prefix = `rondo-test-${randomUUID().slice(0, 8)}`;
    let model: ChannelModel | undefined;
    const statuses: boolean[] = [];
    const bus = await createAmqpBus<ComplianceTopics>({
      url: TEST_AMQP_URL, prefix, reconnectDelayMs: { min: 50, max: 200 },
      connect: async (url) => (model = await amqp.connect(url)),
      onStatus: (s) => statuses.push(s.connected),
    });
    const producer = await createAmqpBus<ComplianceTopics>({ url: TEST_AMQP_URL, prefix });
    try {
      const fanned: number[] = [];
      const grouped: number[] = [];
      await bus.subscribe(['test.a'], (e) => void fanned.push(e.payload.n));
      await bus.consume('reconnect', ['test.a'], async (e) => void grouped.push(e.payload.n));
      await producer.publish('test.a', { n: 1, ns: 'r' });
      await expect.poll(() => grouped.length).toBe(1);
      const first = model;
      // As a broker restart or a network fault looks to the client: the socket fails.
      (first?.connection as unknown as { stream?: Socket } | undefined)?.stream?.destroy(new Error('test: connection reset'));
      // Published while the consumer is (about to be) away: the group's queue keeps it.
      await producer.publish('test.a', { n: 2, ns: 'r' });
      await expect.poll(() => statuses, { timeout: 15_000 }).toEqual([true, false, true]);
      expect(bus.status().connected).toBe(true);
      expect(model).not.toBe(first);
      await producer.publish('test.a', { n: 3, ns: 'r' });
      // At least once: an ack still in the dead socket's buffer makes a redelivery (same order).
      await expect.poll(() => [...new Set(grouped)], { timeout: 15_000 }).toEqual([1, 2, 3]);
      // Fan-out is live again (what was published while disconnected may be missed).
      await expect.poll(() => fanned.includes(3), { timeout: 15_000 }).toBe(true);
      // And this side publishes again too.
      await bus.publish('test.a', { n: 4, ns: 'r' });
      await expect.poll(() => grouped.at(-1)).toBe(4);
    } finally {
      await bus.close();
      await producer.close();
      await deleteAmqpPrefix(prefix, [amqpNames(prefix).groupQueue('reconnect')]);
    }
  });
});
