import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RondoError } from '../../model/index.js';
import { pingStore } from '../../store/index.js';
import type { RoutePluginOptions } from '../app-deps.js';

const Status = Type.Object({ status: Type.String() });

/** `/healthz` (the process answers) and `/readyz` (the store answers too). */
export const healthRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Status } }, logLevel: 'warn', config: { action: 'health:read' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: Status } }, logLevel: 'warn', config: { action: 'health:read' } }, async () => {
    try {
      await pingStore(deps.store);
    } catch (e) {
      throw new RondoError('STORE_UNAVAILABLE', 'the database does not answer; check DATABASE_URL or the data directory', { cause: e });
    }
    return { status: 'ready' };
  });
};
