import type { FastifyPluginAsync } from 'fastify';
import type { MonitoringMetrics } from '../../monitoring/index.js';
import type { RoutePluginOptions } from '../app-deps.js';

/** Options of {@link metricsRoutes} and {@link apiLatencyHook}. */
export interface MetricsRoutesOptions {
  readonly metrics: MonitoringMetrics;
}

/** `GET /metrics`: the Prometheus text exposition of the app's own registry. */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, { metrics }) => {
  app.get('/metrics', { schema: { tags: ['metrics'], hide: true }, logLevel: 'warn', config: { action: 'metrics:read' } }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.render()),
  );
};

/** {@link metricsRoutes} on the monitoring metrics of `deps`; none when monitoring is not built. */
export const metricsPlugin: FastifyPluginAsync<RoutePluginOptions> = async (app, { deps }) => {
  const m = deps.services.monitoring;
  if (m) await app.register(metricsRoutes, { metrics: m.metrics });
};

/**
 * Records every request's latency in `rondo_api_request_duration_seconds` by method,
 * route pattern (`/nsfm/v1/alarms/:alarmId`, never the raw URL, so label cardinality
 * stays bounded; unmatched routes count as `unmatched`) and status code. Marked
 * `skip-override` (what fastify-plugin does, without the extra dependency) so the hook
 * applies to the whole app, not only inside this plugin's scope.
 */
export const apiLatencyHook: FastifyPluginAsync<MetricsRoutesOptions> = Object.assign(
  async (app: Parameters<FastifyPluginAsync<MetricsRoutesOptions>>[0], { metrics }: MetricsRoutesOptions) => {
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  },
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'rondo-api-latency' },
);
