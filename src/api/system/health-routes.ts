import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RondoError } from '../../model/index.js';
import { pingStore } from '../../store/index.js';
import type { RoutePluginOptions } from '../app-deps.js';

const Status = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.String(),
  /** Where the store lives. */
  store: Type.String({ description: '`postgres` or `pglite`' }),
  /** The event bus: `in-process`, or the broker when RONDO_AMQP_URL is set. */
  bus: Type.Optional(Type.Object({ kind: Type.String(), connected: Type.Boolean(), target: Type.String() })),
});

/**
 * `/healthz` (the process answers) and `/readyz` (the store answers too, and the broker is
 * connected when RONDO_AMQP_URL is set: without it, events of other processes would not
 * reach this one). A failing dependency is a 503 naming it; a disconnected broker's 503
 * carries `store` and `bus` beside the detail, as the 200 does.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Status } }, logLevel: 'warn', config: { action: 'health:read' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: Ready } }, logLevel: 'warn', config: { action: 'health:read' } }, async () => {
    try {
      await pingStore(deps.store);
    } catch (e) {
      throw new RondoError('STORE_UNAVAILABLE', 'the database does not answer; check DATABASE_URL or the data directory', { cause: e });
    }
    const bus = deps.services.bus?.status();
    if (bus && !bus.connected) {
      throw new RondoError('BUS_UNAVAILABLE', `the event broker at ${bus.target} is not connected${bus.error ? ` (${bus.error})` : ''}; Rondo reconnects by itself: check that RabbitMQ runs and RONDO_AMQP_URL`, {
        // The store answered: say which, so a dashboard can show it beside the broken bus.
        details: { store: deps.store.kind, bus: { kind: bus.kind, connected: false, target: bus.target } },
      });
    }
    return { status: 'ready', store: deps.store.kind, ...(bus ? { bus: { kind: bus.kind, connected: bus.connected, target: bus.target } } : {}) };
  });
};
