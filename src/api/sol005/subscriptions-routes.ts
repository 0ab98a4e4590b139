import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { SubscriptionService } from '../../notify/index.js';
import type { SubscriptionApi } from '../../store/index.js';
import { listResponse } from '../http/list-response.js';
import { ListQuery } from '../http/schema-types.js';
import { tenantFilter } from '../../auth/index.js';
import { callerOf } from '../http/caller.js';
import type { RoutePluginOptions } from '../app-deps.js';

/** Options of {@link subscriptionsRoutes}. */
export interface SubscriptionsRoutesOptions {
  /** Items per page of the list (SOL013 §5.4; the configured `pageSize`). Default 100. */
  readonly pageSize?: number;
  readonly subscriptions: SubscriptionService;
}

const Subscription = Type.Object(
  {
    id: Type.String(),
    filter: Type.Record(Type.String(), Type.Unknown()),
    callbackUri: Type.String(),
    _links: Type.Object({ self: Type.Object({ href: Type.String() }) }),
  },
  { additionalProperties: false },
);
const Request = Type.Object(
  {
    callbackUri: Type.String({ minLength: 1, maxLength: 2048 }),
    filter: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    authentication: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    verbosity: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ subscriptionId: Type.String({ minLength: 1, maxLength: 128 }) });
const ATTRIBUTES = new Set(['id', 'callbackUri', 'filter']);

/**
 * SOL005 subscriptions of the NS LCM (`/nslcm/v1/subscriptions`), NS FM
 * (`/nsfm/v1/subscriptions`), NSD management (`/nsd/v1/subscriptions`, §5.4.8–5.4.9) and
 * VNF package management (`/vnfpkgm/v1/subscriptions`, §9.4.7–9.4.8) and NS performance
 * management (`/nspm/v1/subscriptions`, §7.4.7–7.4.8) APIs: POST (201 +
 * Location; 303 See Other + Location of the existing one for a duplicate; 422 when the
 * callback's test GET does not answer 204), GET list (SOL013 filter and paging) and show,
 * DELETE (204). A subscription belongs to its creator's tenant and hears only about that
 * tenant's NS instances, NSDs and VNF packages — an admin's hears about every tenant's, as
 * admins see them all; another tenant's answers 404 like a missing one.
 */
export const subscriptionsRoutes: FastifyPluginAsyncTypebox<SubscriptionsRoutesOptions> = async (app, { subscriptions, pageSize = 100 }) => {
  for (const api of ['nslcm', 'nsfm', 'nsd', 'vnfpkgm', 'nspm'] as const satisfies readonly SubscriptionApi[]) {
    const base = `/${api}/v1/subscriptions`;
    const tags = [api];
    app.post(base, { schema: { tags, body: Request, response: { 201: Subscription, 303: Type.Unknown({ description: 'See Other: a subscription with the same callbackUri and filter exists; Location names it; no body' }) } }, config: { action: 'subscription:create' } }, async (req, reply) => {
      const caller = callerOf(req);
      const { created, subscription } = await subscriptions.create(api, req.body, caller.tenant, { allTenants: caller.isAdmin });
      // SOL005 §6.4.16.3.1 (and the other subscription resources): the 303's body shall be empty (NFV-TST010 5.3.1.7.6).
      if (!created) return reply.code(303).header('location', subscriptions.location(api, subscription.id)).send(undefined);
      return reply.code(201).header('location', subscriptions.location(api, subscription.id)).send(subscription);
    });
    app.get(base, { schema: { tags, querystring: ListQuery, response: { 200: Type.Array(Type.Partial(Subscription)) } }, config: { action: 'subscription:read' } }, async (req, reply) =>
      listResponse(req, reply, (await subscriptions.list(api, tenantFilter(callerOf(req)))).map((s) => ({ ...s })), req.query, { attributes: ATTRIBUTES, defaultExcluded: [], pageSize }),
    );
    app.get(`${base}/:subscriptionId`, { schema: { tags, params: Params, response: { 200: Subscription } }, config: { action: 'subscription:read' } }, async (req) =>
      subscriptions.get(api, req.params.subscriptionId, tenantFilter(callerOf(req))),
    );
    app.delete(`${base}/:subscriptionId`, { schema: { tags, params: Params }, config: { action: 'subscription:delete' } }, async (req, reply) => {
      await subscriptions.delete(api, req.params.subscriptionId, tenantFilter(callerOf(req)));
      return reply.code(204).send();
    });
  }
};

/** {@link subscriptionsRoutes} on the monitoring services of `deps`; none when monitoring is not built. */
export const subscriptionsPlugin: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const m = deps.services.monitoring;
  if (m) await app.register(subscriptionsRoutes, { subscriptions: m.subscriptions, pageSize: deps.config.pageSize });
};
