import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LcmOpOcc, OpStep } from '../../../model/index.js';
import { tenantFilter } from '../../../auth/index.js';
import type { AuthContext } from '../../../auth/index.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { callerOf } from '../../http/caller.js';
import { IdParams, ListQuery } from '../../http/schema-types.js';
import { baseUrl, pagedResponse } from '../../http/list-response.js';
import { CancelModeSchema, OP_OCC_ATTRIBUTES, OP_OCC_DEFAULT_EXCLUDED, OpOccSchema, opOccHref, toOpOccView } from './ns-lcm-op-occ-view.js';
import { opOccListPlan } from './ns-lcm-op-occ-query.js';

const tags = ['nslcm'];

/**
 * SOL005 NS LCM operation occurrences: `/nslcm/v1/ns_lcm_op_occs` (list, read) and the
 * task resources retry, rollback, continue, fail and cancel. Wrong state → 409 `OP_ILLEGAL_STATE`
 * (SOL005 §6.4.11–6.4.14). An operation belongs to its NS instance's tenant (stamped
 * when it starts); another tenant's answers 404 like a missing one.
 */
export const nsLcmOpOccRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const lifecycle = deps.services.lifecycle;
  /** The operation if `ctx` may see it (tenant in the query); NotFoundError otherwise. */
  const visible = (ctx: AuthContext, id: string): Promise<LcmOpOcc> => lifecycle.getOp(id, { tenant: tenantFilter(ctx) });

  app.get(
    '/nslcm/v1/ns_lcm_op_occs',
    // Type.Partial drops the schema's additionalProperties: without it the serializer strips
    // operationParams, error, … from every listed item, all_fields or not (NFV-TST010 5.3.2.8.5, 5.3.2.8.7).
    { schema: { tags, summary: 'List NS LCM operation occurrences (SOL013 filter, fields, paging)', querystring: ListQuery, response: { 200: Type.Array(Type.Partial(OpOccSchema, { additionalProperties: true })) } },
      config: { action: 'nslcm:read', cached: true, selectorAttributes: [...OP_OCC_ATTRIBUTES, ...OP_OCC_DEFAULT_EXCLUDED] },
    },
    async (request, reply) => {
      // Filter, tenant and paging in one query; steps, when asked for, in one more for the whole page.
      const plan = opOccListPlan(request.query, tenantFilter(callerOf(request)), deps.config.pageSize);
      const page = await lifecycle.pageOps(plan.query);
      const steps = new Map<string, OpStep[]>();
      for (const s of plan.loadSteps ? await lifecycle.listStepsOf(page.items.map((op) => op.id)) : []) {
        const list = steps.get(s.opId);
        if (list) list.push(s);
        else steps.set(s.opId, [s]);
      }
      const base = baseUrl(request);
      const views = page.items.map((op) => toOpOccView(op, plan.loadSteps ? (steps.get(op.id) ?? []) : null, base));
      return pagedResponse(request, reply, views, page.next, plan.drop);
    },
  );

  app.get(
    '/nslcm/v1/ns_lcm_op_occs/:id',
    { schema: { tags, summary: 'Read an NS LCM operation occurrence, with its steps', params: IdParams, response: { 200: OpOccSchema } }, config: { action: 'nslcm:read', cached: true } },
    async (request) => {
      // Steps read beside the (tenant-scoped) operation: a hidden operation's are never shown.
      const [op, steps] = await Promise.all([visible(callerOf(request), request.params.id), lifecycle.listStepsOf([request.params.id])]);
      return toOpOccView(op, steps, baseUrl(request));
    },
  );

  // SOL005 §6.4.11–6.4.15: a task's 202 points at the operation occurrence it acts on.

  const accepted = (task: 'retry' | 'rollback' | 'continue', run: (opId: string) => Promise<unknown>, summary: string) =>
    app.post(`/nslcm/v1/ns_lcm_op_occs/:id/${task}`, { schema: { tags, summary, params: IdParams }, config: { action: `nslcm:${task}` } }, async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      await run(request.params.id);
      return reply.code(202).header('location', opOccHref(baseUrl(request), request.params.id)).send();
    });
  accepted('retry', (id) => lifecycle.retry(id), 'Retry a FAILED_TEMP operation from its failed steps (202)');
  accepted('rollback', (id) => lifecycle.rollback(id), 'Roll back a FAILED_TEMP instantiation (202)');

  // SOL005 v2.6.1 §6.4.13 "Continue operation task": continues an operation that
  // experienced a temporary failure (FAILED_TEMP), else 409. Rondo's operations are step
  // plans whose steps are idempotent and resumable: there is no decision point at which an
  // operation waits to be told to go on, so continuing means going on from where it
  // stopped, which is exactly what retry does (the failed steps again, then the rest).
  // `continue` therefore resumes as retry does, with the same 202 + Location and 409
  // `OP_ILLEGAL_STATE` outside FAILED_TEMP.
  accepted('continue', (id) => lifecycle.retry(id), 'Continue a FAILED_TEMP operation (resumes it as retry does) (202)');

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
      return reply.code(202).header('location', opOccHref(baseUrl(request), request.params.id)).send();
    },
  );
};
