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
import { vesAgentPlugin } from './admin/vesagent-routes.js';
import { alarmsPlugin } from './sol005/nsfm/alarms-routes.js';
import { subscriptionsPlugin } from './sol005/subscriptions-routes.js';
import { metricsPlugin } from './system/metrics-routes.js';
import { eventsPlugin } from './events/events-plugin.js';
import { dashboardPlugin } from './system/ui-routes.js';
import { reconcileRoutes } from './admin/reconcile-routes.js';
import { nsdModelRoutes } from './admin/nsd-model-routes.js';
import { apiVersionsRoutes } from './sol005/api-versions-routes.js';
import { pmJobsPlugin } from './sol005/nspm/pm-job-routes.js';
import { pnfdRoutes } from './sol005/nsd/pnfd-routes.js';
import { thresholdsPlugin } from './sol005/nspm/threshold-routes.js';
import { pluginRoutes } from './admin/plugin-routes.js';
import { nsPolicyRoutes } from './admin/ns-policy-routes.js';

/**
 * One resource's routes: a Fastify plugin with its TypeBox schemas beside the handlers.
 * Every plugin has this one signature: it receives `{ deps }` and picks what it needs
 * (and registers nothing when a service it needs was not built, like monitoring).
 */
export interface RoutePlugin {
  readonly name: string;
  readonly plugin: FastifyPluginAsyncTypebox<RoutePluginOptions>;
}

/**
 * Every route plugin of the API, registered in this order by `buildApp` (after the
 * security plugins of `src/api/http/auth-route-plugins.ts`). To add a resource:
 * 1. write `src/api/<group>/<resource>-routes.ts` in its standard's folder (`sol005/<api>/`,
 *    `gatekeeper/`, `admin/`, `events/`, `system/`) exporting a
 *    `FastifyPluginAsyncTypebox<RoutePluginOptions>` that reads its services from `deps`;
 * 2. give every route its policy action in its options, `config: { action: '<api>:<verb>' }`
 *    (and `public: true` only for routes anyone may call), and give a new action a rule in
 *    `src/auth/default-policy.ts` — `buildApp` refuses a route without an action, and
 *    test/integration/auth-route-coverage.test.ts one without a rule;
 * 3. handlers that act for a caller call `callerOf(request)` (src/api/http/caller.ts);
 * 4. append `{ name, plugin }` here.
 */
export const ROUTE_PLUGINS: readonly RoutePlugin[] = [
  { name: 'health', plugin: healthRoutes },
  { name: 'docs', plugin: docsRoutes },
  { name: 'sol005-api-versions', plugin: apiVersionsRoutes },
  { name: '5gtango-packages', plugin: gatekeeperPackageRoutes },
  { name: 'sol005-vnf-packages', plugin: vnfPackageRoutes },
  { name: 'sol005-nsds', plugin: nsdRoutes },
  { name: 'sol005-pnfds', plugin: pnfdRoutes },
  { name: 'admin-packages', plugin: adminPackageRoutes },
  { name: 'admin-nsd-model', plugin: nsdModelRoutes },
  // NS lifecycle routes (/nslcm/v1/…, 5GTANGO /instantiations) and PoPs.
  { name: 'admin-vims', plugin: vimRoutes },
  { name: 'sol005-ns-instances', plugin: nsInstanceRoutes },
  { name: 'sol005-ns-lcm-op-occs', plugin: nsLcmOpOccRoutes },
  { name: '5gtango-instantiations', plugin: gatekeeperInstantiationRoutes },
  // Monitoring: present when the composition root built it (src/app/monitoring-wiring.ts).
  { name: 'monitoring-vesagent', plugin: vesAgentPlugin },
  { name: 'monitoring-alarms', plugin: alarmsPlugin },
  { name: 'monitoring-subscriptions', plugin: subscriptionsPlugin },
  { name: 'sol005-nspm-pm-jobs', plugin: pmJobsPlugin },
  { name: 'sol005-nspm-thresholds', plugin: thresholdsPlugin },
  // NS policies (auto-heal): beside monitoring, where the policy engine runs.
  { name: 'admin-ns-policies', plugin: nsPolicyRoutes },
  { name: 'monitoring-metrics', plugin: metricsPlugin },
  { name: 'events', plugin: eventsPlugin },
  { name: 'dashboard', plugin: dashboardPlugin },
  // Reconciliation of PoPs and records (durable operations).
  { name: 'admin-reconcile', plugin: reconcileRoutes },
  // Plugins registered over the event bus (docs/plugins.md).
  { name: 'admin-plugins', plugin: pluginRoutes },
];
