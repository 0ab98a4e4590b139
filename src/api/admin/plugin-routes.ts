import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PLUGIN_STATES } from '../../plugins/index.js';
import type { PluginRecord } from '../../plugins/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { StringEnum } from '../http/schema-types.js';

const tags = ['admin'];

/** A registered plugin (docs/plugins.md). */
export const PluginSchema = Type.Object(
  {
    id: Type.String({ description: 'The plugin uuid the registration answered' }),
    name: Type.String(),
    version: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    topics: Type.Array(Type.String(), { description: 'Bus topics the plugin serves' }),
    state: StringEnum(PLUGIN_STATES, { description: 'ACTIVE while it heartbeats, DEAD once its heartbeats stopped' }),
    registeredAt: Type.String({ format: 'date-time' }),
    lastHeartbeatAt: Type.String({ format: 'date-time' }),
  },
);

const IdParams = Type.Object({ id: Type.String() });

const view = (p: PluginRecord) => ({ ...p, topics: [...p.topics] });

/**
 * The plugin registry (`src/plugins`): `GET /admin/v1/plugins[/{id}]` and
 * `DELETE /admin/v1/plugins/{id}` (an admin deregisters a plugin; it is told on its
 * lifecycle topic). Plugins belong to the deployment, not a tenant: admins only by
 * default. Registers nothing when the composition has no plugin manager.
 */
export const pluginRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const plugins = deps.services.plugins;
  if (!plugins) return;
  app.get(
    '/admin/v1/plugins',
    { schema: { tags, summary: 'List the plugins registered over the event bus', response: { 200: Type.Array(PluginSchema) } }, config: { action: 'plugin:read' } },
    async () => (await plugins.list()).map(view),
  );
  app.get(
    '/admin/v1/plugins/:id',
    { schema: { tags, summary: 'Read a registered plugin', params: IdParams, response: { 200: PluginSchema } }, config: { action: 'plugin:read' } },
    async (request) => view(await plugins.get(request.params.id)),
  );
  app.delete(
    '/admin/v1/plugins/:id',
    { schema: { tags, summary: 'Deregister a plugin (it is told on its lifecycle topic)', params: IdParams }, config: { action: 'plugin:deregister' } },
    async (request, reply) => {
      await plugins.deregister(request.params.id, 'admin');
      return reply.code(204).send();
    },
  );
};
