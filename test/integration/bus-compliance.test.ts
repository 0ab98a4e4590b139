/**
 * The event bus compliance suite (test/bus-compliance.ts) on both implementations: the
 * in-process bus (each "process" a bus instance on one hub) and RabbitMQ on the real
 * broker (TEST_AMQP_URL, default amqp://guest:guest@127.0.0.1:5672), each process its own
 * connection, under a prefix of this run whose queues and exchange are deleted afterwards.
 * A missing broker fails loudly.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import amqp from 'amqplib';
import type { ChannelModel } from 'amqplib';
import { amqpNames, createAmqpBus, createInProcessHub } from '../../src/bus/index.js';
import type { Bus } from '../../src/bus/index.js';
import { BUS_COMPLIANCE_GROUPS, runBusCompliance } from '../bus-compliance.js';
import type { ComplianceTopics } from '../bus-compliance.js';
import { TEST_AMQP_URL, deleteAmqpPrefix } from '../support/amqp.js';

runBusCompliance('in-process', async () => {
  const hub = createInProcessHub();
  return {
    open: async () => hub.connect<ComplianceTopics>(),
    // In one process, a bus instance's end is its close: nothing is said on any wire.
    crash: (bus) => bus.close(),
    cleanup: async () => undefined,
  };
});

runBusCompliance('rabbitmq', async () => {
  const prefix = `rondo-test-${randomUUID().slice(0, 8)}`;
  const connections = new Map<Bus<ComplianceTopics>, () => ChannelModel | undefined>();
  return {
    async open() {
      let model: ChannelModel | undefined;
      const bus = await createAmqpBus<ComplianceTopics>({
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
