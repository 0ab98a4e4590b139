import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PmService } from '../../../monitoring/index.js';
import { tenantFilter } from '../../../auth/index.js';
import { callerOf } from '../../http/caller.js';
import { listResponse } from '../../http/list-response.js';
import { ListQuery, Link, StringEnum } from '../../http/schema-types.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { CallbackModifications } from './pm-job-routes.js';

/** SOL005 §7.5.3.4 ThresholdCriteria. */
const ThresholdCriteria = Type.Object({
  performanceMetric: Type.String(),
  thresholdType: StringEnum(['SIMPLE'] as const),
  simpleThresholdDetails: Type.Optional(Type.Object({ thresholdValue: Type.Number(), hysteresis: Type.Number({ minimum: 0 }) })),
});
/** SOL005 §7.5.2.8 CreateThresholdRequest. */
const CreateThresholdRequest = Type.Object({
  objectType: Type.String({ description: 'NS' }),
  objectInstanceId: Type.String({ minLength: 1 }),
  subObjectInstanceIds: Type.Optional(Type.Array(Type.String())),
  criteria: ThresholdCriteria,
});
/** SOL005 §7.5.2.9 Threshold. */
const Threshold = Type.Object({
  id: Type.String(),
  objectType: Type.String(),
  objectInstanceId: Type.String(),
  subObjectInstanceIds: Type.Optional(Type.Array(Type.String())),
  criteria: ThresholdCriteria,
  _links: Type.Object({ self: Link, object: Type.Optional(Link) }),
});
const Params = Type.Object({ thresholdId: Type.String({ minLength: 1, maxLength: 128 }) });
const ATTRIBUTES = new Set(['id', 'objectType', 'objectInstanceId', 'subObjectInstanceIds', 'criteria', '_links']);
const tags = ['nspm'];

/** Options of {@link thresholdRoutes}. */
export interface ThresholdRoutesOptions {
  /** Items per page of the list (SOL013 §5.4; the configured `pageSize`). Default 100. */
  readonly pageSize?: number;
  readonly pm: Pick<PmService, 'createThreshold' | 'listThresholds' | 'getThreshold' | 'modifyThreshold' | 'deleteThreshold'>;
}

/**
 * SOL005 NS performance management thresholds (§7.4.5–7.4.6): POST (201 + Location), GET
 * list (SOL013 filter), GET/PATCH (ThresholdModifications: the threshold's own callback)/
 * DELETE one. A threshold belongs to its NS instance's tenant; another tenant's answers 404.
 */
export const thresholdRoutes: FastifyPluginAsyncTypebox<ThresholdRoutesOptions> = async (app, { pm, pageSize = 100 }) => {
  const base = '/nspm/v1/thresholds';
  app.post(base, { schema: { tags, body: CreateThresholdRequest, response: { 201: Threshold } }, config: { action: 'nspm:create' } }, async (req, reply) => {
    const t = await pm.createThreshold(req.body, tenantFilter(callerOf(req)));
    return reply.code(201).header('location', t._links.self.href).send(t);
  });
  app.get(base, { schema: { tags, querystring: ListQuery, response: { 200: Type.Array(Type.Partial(Threshold)) } }, config: { action: 'nspm:read' } }, async (req, reply) =>
    listResponse(req, reply, (await pm.listThresholds(tenantFilter(callerOf(req)))).map((t) => ({ ...t })), req.query, { attributes: ATTRIBUTES, defaultExcluded: [], pageSize }),
  );
  app.get(`${base}/:thresholdId`, { schema: { tags, params: Params, response: { 200: Threshold } }, config: { action: 'nspm:read' } }, async (req) => pm.getThreshold(req.params.thresholdId, tenantFilter(callerOf(req))));
  app.patch(`${base}/:thresholdId`, { schema: { tags, params: Params, body: CallbackModifications, response: { 200: Type.Object({ callbackUri: Type.String() }) } }, config: { action: 'nspm:update' } }, async (req, reply) =>
    reply.type('application/merge-patch+json').send(await pm.modifyThreshold(req.params.thresholdId, req.body, tenantFilter(callerOf(req)))),
  );
  app.delete(`${base}/:thresholdId`, { schema: { tags, params: Params }, config: { action: 'nspm:delete' } }, async (req, reply) => {
    await pm.deleteThreshold(req.params.thresholdId, tenantFilter(callerOf(req)));
    return reply.code(204).send();
  });
};

/** {@link thresholdRoutes} on the monitoring services of `deps`; none when monitoring is not built. */
export const thresholdsPlugin: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const m = deps.services.monitoring;
  if (m) await app.register(thresholdRoutes, { pm: m.pm, pageSize: deps.config.pageSize });
};
