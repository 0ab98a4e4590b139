import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../model/index.js';
import type { VesAgent } from '../../monitoring/index.js';
import type { AuthContext } from '../../auth/index.js';
import { callerOf, vimAccessOf } from '../http/caller.js';
import type { VimAccess } from '../http/caller.js';
import type { RoutePluginOptions } from '../app-deps.js';

/** Options of {@link vesAgentRoutes}. */
export interface VesAgentRoutesOptions {
  readonly vesAgent: Pick<VesAgent, 'configure' | 'get' | 'remove'>;
  /**
   * Which VIMs a caller may see (`vimAccessOf(deps)`). Without it only admins reach a
   * configuration: everyone else gets 404, closed rather than open.
   */
  readonly vims?: Pick<VimAccess, 'assertVisible'>;
}

const Params = Type.Object({ vimId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' }) });
const View = Type.Object(
  {
    vesagent_config: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    vesagent_backlogs: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  },
  { additionalProperties: false },
);
const Body = Type.Object(
  {
    vesagent_config: Type.Optional(
      Type.Object(
        {
          ves_subscription: Type.Object(
            { endpoint: Type.String({ maxLength: 2048 }), username: Type.Optional(Type.String()), password: Type.Optional(Type.String()) },
            { additionalProperties: true },
          ),
          poll_interval_default: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
          backlogs: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 256 })),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);

/**
 * The per-VIM VES agent configuration API, compatible with ONAP multicloud's
 * (`/api/multicloud/v0/{vimId}/vesagent`) and mirrored under `/admin/v1/vims/{vimId}/vesagent`.
 * POST stores the config and starts polling (201 with `vesagent_config` and
 * `vesagent_backlogs`; 400 without `vesagent_config`, as seed 001); GET shows it with each
 * backlog's last poll time and last event (password never shown; the multicloud path
 * answers 200 with nulls when there is none, as seed 001, the admin path 404); DELETE
 * stops polling and answers 200. A configuration belongs to its VIM's tenant: it is
 * reachable by whoever may see the VIM (own or shared, admins all); for anyone else the
 * VIM answers 404 like a missing one.
 */
export const vesAgentRoutes: FastifyPluginAsyncTypebox<VesAgentRoutesOptions> = async (app, { vesAgent, vims }) => {
  const visible = async (ctx: AuthContext, vimId: string): Promise<void> => {
    if (vims) await vims.assertVisible(ctx, vimId);
    else if (!ctx.isAdmin) throw new NotFoundError('VIM account', vimId);
  };
  for (const [prefix, admin] of [
    ['/api/multicloud/v0/:vimId/vesagent', false],
    ['/admin/v1/vims/:vimId/vesagent', true],
  ] as const) {
    const tags = [admin ? 'admin' : 'multicloud'];
    app.get(prefix, { schema: { tags, params: Params, response: { 200: View } }, config: { action: 'vesagent:read' } }, async (req) => {
      await visible(callerOf(req), req.params.vimId);
      const view = await vesAgent.get(req.params.vimId);
      if (!view && admin) throw new NotFoundError('VES agent configuration of VIM', req.params.vimId);
      return view ?? { vesagent_config: null, vesagent_backlogs: null };
    });
    app.post(prefix, { schema: { tags, params: Params, body: Body, response: { 201: View } }, config: { action: 'vesagent:create' } }, async (req, reply) => {
      await visible(callerOf(req), req.params.vimId);
      const view = await vesAgent.configure(req.params.vimId, req.body);
      return reply.code(201).send(view);
    });
    app.delete(prefix, { schema: { tags, params: Params }, config: { action: 'vesagent:delete' } }, async (req, reply) => {
      await visible(callerOf(req), req.params.vimId);
      await vesAgent.remove(req.params.vimId);
      return reply.code(200).send();
    });
  }
};

/** {@link vesAgentRoutes} on the monitoring services of `deps`; none when monitoring is not built. */
export const vesAgentPlugin: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const m = deps.services.monitoring;
  if (m) await app.register(vesAgentRoutes, { vesAgent: m.vesAgent, vims: vimAccessOf(deps) });
};
