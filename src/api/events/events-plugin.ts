import type { FastifyPluginAsync } from 'fastify';
import { POLICY_EVENT_TYPES, VNF_EVENT_TYPES } from '../../monitoring/index.js';
import { LIFECYCLE_TOPICS } from '../../lifecycle/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { nsTenantResolver } from '../http/caller.js';
import { feedFromBus, feedFromMessageBus, mergeFeeds } from './event-feed.js';
import type { EventFeed } from './event-feed.js';
import { eventsRoutes } from './events-routes.js';

/**
 * `GET /api/events` ({@link eventsRoutes}) over the events `deps` has: the lifecycle events
 * of every process (operation and NS changes, from the event bus), and this process's
 * monitoring bus's VNF, alarm and policy events when monitoring is built. Each event goes to its
 * NS instance's tenant.
 */
export const eventsPlugin: FastifyPluginAsync<RoutePluginOptions> = async (app, { deps }) => {
  const bus = deps.services.bus;
  const feeds: EventFeed[] = bus ? [feedFromMessageBus(bus, LIFECYCLE_TOPICS)] : [];
  const m = deps.services.monitoring;
  if (m) feeds.push(feedFromBus(m.bus, [...VNF_EVENT_TYPES, 'alarm.raised', 'alarm.cleared', ...POLICY_EVENT_TYPES]));
  await app.register(eventsRoutes, { feed: mergeFeeds(...feeds), tenantOf: nsTenantResolver(deps) });
};
