import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from './app-deps.js';
import { healthRoutes } from './system/health-routes.js';
import { docsRoutes } from './system/docs-routes.js';
import { gatekeeperPackageRoutes } from './gatekeeper/gatekeeper-package-routes.js';
import { vnfPackageRoutes } from './sol005/vnfpkgm/vnf-package-routes.js';
import { nsdRoutes } from './sol005/nsd/nsd-routes.js';
import { adminPackageRoutes } from './admin/admin-package-routes.js';
import { vimRoutes } from './admin/vim-routes.js';
import { nsInstanceRoutes } from './sol005/nslcm/ns-instance-routes.js';
import { nsLcmOpOccRoutes } from './sol005/nslcm/ns-lcm-op-occ-routes.js';
import { gatekeeperInstantiationRoutes } from './gatekeeper/gatekeeper-instantiation-routes.js';
import { vesAgentRoutes } from './admin/vesagent-routes.js';
import { alarmsRoutes } from './sol005/nsfm/alarms-routes.js';
import { subscriptionsRoutes } from './sol005/subscriptions-routes.js';
import { metricsRoutes } from './system/metrics-routes.js';
import { eventsRoutes } from './events/events-routes.js';
import { feedFromBus, feedFromSubscribe, mergeFeeds } from './events/event-feed.js';
import { uiRoutes } from './system/ui-routes.js';
import { VNF_EVENT_TYPES } from '../monitoring/index.js';
import type { OpChange } from '../lifecycle/index.js';
import { reconcileRoutes } from './admin/reconcile-routes.js';
import { nsTenantResolver, vimAccessOf } from './http/caller.js';

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
  // Monitoring: present when the composition root built it (src/app/monitoring-wiring.ts).
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
