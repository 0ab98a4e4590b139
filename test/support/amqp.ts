import amqp from 'amqplib';
import { amqpNames } from '../../src/bus/index.js';

/** The real RabbitMQ the tests use; override with TEST_AMQP_URL. */
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Deletes what a run left on the broker under `prefix`: the given queues (group queues;
 * fan-out queues are exclusive and went with their connections) and the exchange.
 */
export async function deleteAmqpPrefix(prefix: string, queues: readonly string[]): Promise<void> {
  const conn = await amqp.connect(TEST_AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    await ch.deleteExchange(amqpNames(prefix).exchange);
    await ch.close();
  } finally {
    await conn.close();
  }
}
