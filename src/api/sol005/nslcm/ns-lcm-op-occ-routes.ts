import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LcmOpOcc } from '../../../model/index.js';
import { assertVisible, tenantFilter } from '../../../auth/index.js';
import type { AuthContext } from '../../../auth/index.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { callerOf } from '../../http/caller.js';
import { IdParams, ListQuery } from '../../http/schema-types.js';
import { baseUrl, listResponse } from '../../http/list-response.js';
import { CancelModeSchema, OP_OCC_ATTRIBUTES, OP_OCC_DEFAULT_EXCLUDED, OpOccSchema, toOpOccView } from './ns-lcm-op-occ-view.js';

const tags = ['nslcm'];

/**
 * SOL005 NS LCM operation occurrences: `/nslcm/v1/ns_lcm_op_occs` (list, read) and the
 * task resources retry, rollback, fail and cancel. Wrong state → 409 `OP_ILLEGAL_STATE`
 * (SOL005 §6.4.11–6.4.14). An operation belongs to its NS instance's tenant (stamped
 * when it starts); another tenant's answers 404 like a missing one.
 */
export const nsLcmOpOccRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const lifecycle = deps.services.lifecycle;
  /** The operation if `ctx` may see it; NotFoundError otherwise. */
  const visible = async (ctx: AuthContext, id: string): Promise<LcmOpOcc> => {
    const op = await lifecycle.getOp(id);
    assertVisible(ctx, op.tenant, 'NS LCM operation occurrence', id);
    return op;
  };

  app.get(
    '/nslcm/v1/ns_lcm_op_occs',
    { schema: { tags, summary: 'List NS LCM operation occurrences (SOL013 filter, fields, paging)', querystring: ListQuery, response: { 200: Type.Array(Type.Partial(OpOccSchema)) } }, config: { action: 'nslcm:read' } },
    async (request, reply) => {
      const base = baseUrl(request);
      const wantsSteps = request.query.all_fields !== undefined || (request.query.fields ?? '').split(',').includes('steps');
      const ops = await lifecycle.listOps({ tenant: tenantFilter(callerOf(request)) });
      const views = await Promise.all(ops.map(async (op) => toOpOccView(op, wantsSteps ? await lifecycle.listSteps(op.id) : null, base)));
      return listResponse(request, reply, views, request.query, { attributes: OP_OCC_ATTRIBUTES, defaultExcluded: OP_OCC_DEFAULT_EXCLUDED, pageSize: deps.config.pageSize });
    },
  );

  app.get(
    '/nslcm/v1/ns_lcm_op_occs/:id',
    { schema: { tags, summary: 'Read an NS LCM operation occurrence, with its steps', params: IdParams, response: { 200: OpOccSchema } }, config: { action: 'nslcm:read' } },
    async (request) => {
      const op = await visible(callerOf(request), request.params.id);
      return toOpOccView(op, await lifecycle.listSteps(op.id), baseUrl(request));
    },
  );

  const accepted = (action: 'retry' | 'rollback', summary: string) =>
    app.post(`/nslcm/v1/ns_lcm_op_occs/:id/${action}`, { schema: { tags, summary, params: IdParams }, config: { action: `nslcm:${action}` } }, async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      await lifecycle[action](request.params.id);
      return reply.code(202).send();
    });
  accepted('retry', 'Retry a FAILED_TEMP operation from its failed steps (202)');
  accepted('rollback', 'Roll back a FAILED_TEMP instantiation (202)');

  app.post(
    '/nslcm/v1/ns_lcm_op_occs/:id/fail',
    { schema: { tags, summary: 'Mark a FAILED_TEMP operation FAILED (200 with the operation)', params: IdParams, response: { 200: OpOccSchema } }, config: { action: 'nslcm:fail' } },
    async (request) => {
      await visible(callerOf(request), request.params.id);
      const op = await lifecycle.fail(request.params.id);
      return toOpOccView(op, await lifecycle.listSteps(op.id), baseUrl(request));
    },
  );

  app.post(
    '/nslcm/v1/ns_lcm_op_occs/:id/cancel',
    { schema: { tags, summary: 'Cancel a PROCESSING or ROLLING_BACK operation at its next phase boundary (202)', params: IdParams, body: Type.Optional(CancelModeSchema) }, config: { action: 'nslcm:cancel' } },
    async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      await lifecycle.cancel(request.params.id, request.body?.cancelMode ?? 'GRACEFUL');
      return reply.code(202).send();
    },
  );
};
