import type { Logger } from 'pino';
import type { RondoConfig } from '../config/index.js';
import { createAmqpBus, createInProcessBus, redactAmqpUrl } from '../bus/index.js';
import type { Bus, BusErrorHandler } from '../bus/index.js';
import type { LifecycleTopics } from '../lifecycle/index.js';
import { LIFECYCLE_EVENTS_GROUP, PLUGIN_MANAGER_GROUPS } from '../plugins/index.js';

/**
 * The consumer groups of the composition: each lifecycle event is handled by one member
 * of each group, whichever process that is (see `monitoring-wiring.ts`, `plugin-wiring.ts`).
 */
export const BUS_GROUPS = {
  /** SOL005 NS LCM and NS identifier notifications. */
  notifications: 'sol005-notifications',
  /** `rondo_operations_total` and the operation duration histogram. */
  operationMetrics: 'op-metrics',
  /** The plugin manager's registrations and deregistrations (a responder group; roles worker, all). */
  pluginRequests: PLUGIN_MANAGER_GROUPS.requests,
  /** Plugin heartbeats. */
  pluginHeartbeats: PLUGIN_MANAGER_GROUPS.heartbeats,
  /** Service and function lifecycle events for plugins, from `op.changed`. */
  pluginLifecycleEvents: LIFECYCLE_EVENTS_GROUP,
} as const;

/**
 * Opens the bus the config names: RabbitMQ when `RONDO_AMQP_URL` is set (waiting up to
 * 10 s for the broker; throws RondoError `BUS_UNAVAILABLE` naming it when it does not
 * answer), else the in-process bus, which needs nothing installed.
 */
export async function openBus(config: RondoConfig, logger: Logger): Promise<Bus<LifecycleTopics>> {
  const onError: BusErrorHandler = (e, ctx) => logger.warn({ err: e, topic: ctx.topic, eventId: ctx.eventId, group: ctx.group }, `event bus: ${ctx.what}`);
  if (!config.amqpUrl) return createInProcessBus<LifecycleTopics>({ onError });
  const bus = await createAmqpBus<LifecycleTopics>({
    url: config.amqpUrl,
    prefix: config.amqpPrefix,
    onError,
    onStatus: (s) => (s.connected ? logger.info({ broker: s.target }, `event bus: connected to ${s.target}`) : logger.warn({ broker: s.target, reason: s.error }, `event bus: lost the broker at ${s.target}; reconnecting`)),
  });
  logger.info({ broker: redactAmqpUrl(config.amqpUrl), prefix: config.amqpPrefix }, 'event bus: RabbitMQ');
  return bus;
}
