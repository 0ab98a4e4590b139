import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from './app-deps.js';
import { healthRoutes } from './health-routes.js';
import { docsRoutes } from './docs-routes.js';
import { gatekeeperPackageRoutes } from './gatekeeper-package-routes.js';
import { vnfPackageRoutes } from './vnf-package-routes.js';
import { nsdRoutes } from './nsd-routes.js';
import { adminPackageRoutes } from './admin-package-routes.js';
import { vimRoutes } from './vim-routes.js';
import { nsInstanceRoutes } from './ns-instance-routes.js';
import { nsLcmOpOccRoutes } from './ns-lcm-op-occ-routes.js';
import { gatekeeperInstantiationRoutes } from './gatekeeper-instantiation-routes.js';
import { vesAgentRoutes } from './routes/vesagent-routes.js';
import { alarmsRoutes } from './routes/alarms-routes.js';
import { subscriptionsRoutes } from './routes/subscriptions-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { eventsRoutes } from './routes/events-routes.js';
import { feedFromBus, feedFromSubscribe, mergeFeeds } from './routes/event-feed.js';
import { uiRoutes } from './routes/ui-routes.js';
import { VNF_EVENT_TYPES } from '../monitoring/index.js';
import type { OpChange } from '../lifecycle/index.js';
import { reconcileRoutes } from './reconcile-routes.js';
import { nsTenantResolver, vimAccessOf } from './caller.js';

/** One resource's routes: a Fastify plugin with its TypeBox schemas beside the handlers. */
export interface RoutePlugin {
  readonly name: string;
  readonly plugin: FastifyPluginAsyncTypebox<RoutePluginOptions>;
}

/**
 * Every route plugin of the API, registered in this order by `buildApp`. To add a
 * resource, write `src/api/<resource>-routes.ts` exporting a
 * `FastifyPluginAsyncTypebox<RoutePluginOptions>` and append it here.
 */
export const ROUTE_PLUGINS: readonly RoutePlugin[] = [
  { name: 'health', plugin: healthRoutes },
  { name: 'docs', plugin: docsRoutes },
  { name: '5gtango-packages', plugin: gatekeeperPackageRoutes },
  { name: 'sol005-vnf-packages', plugin: vnfPackageRoutes },
  { name: 'sol005-nsds', plugin: nsdRoutes },
  { name: 'admin-packages', plugin: adminPackageRoutes },
  // NS lifecycle routes (/nslcm/v1/…, 5GTANGO /instantiations) and PoPs.
  { name: 'admin-vims', plugin: vimRoutes },
  { name: 'sol005-ns-instances', plugin: nsInstanceRoutes },
  { name: 'sol005-ns-lcm-op-occs', plugin: nsLcmOpOccRoutes },
  { name: '5gtango-instantiations', plugin: gatekeeperInstantiationRoutes },
  // Monitoring: present when the composition root built it (src/monitoring-services.ts).
  {
    name: 'monitoring',
    plugin: async (app, { deps }) => {
      const m = deps.services.monitoring;
      if (!m) return;
      await app.register(vesAgentRoutes, { vesAgent: m.vesAgent, vims: vimAccessOf(deps) });
      await app.register(alarmsRoutes, { alarms: m.alarms });
      await app.register(subscriptionsRoutes, { subscriptions: m.subscriptions });
      await app.register(metricsRoutes, { metrics: m.metrics });
    },
  },
  {
    name: 'events',
    plugin: async (app, { deps }) => {
      const ops = deps.services.opNotifier;
      const feeds = ops ? [feedFromSubscribe<OpChange>('op.changed', (l) => ops.subscribe(l))] : [];
      const m = deps.services.monitoring;
      if (m) feeds.push(feedFromBus(m.bus, [...VNF_EVENT_TYPES, 'alarm.raised', 'alarm.cleared']));
      await app.register(eventsRoutes, { feed: mergeFeeds(...feeds), tenantOf: nsTenantResolver(deps) });
    },
  },
  { name: 'dashboard', plugin: async (app) => app.register(uiRoutes) },
  // Reconciliation of PoPs and records (durable operations).
  { name: 'admin-reconcile', plugin: reconcileRoutes },
];
