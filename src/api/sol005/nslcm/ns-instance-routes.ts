import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HealRequest, InstantiateRequest, OperateVnfData, ScaleRequest, ScaleVnfData } from '../../../lifecycle/index.js';
import type { NsInstance, VimAccount, VnfInstance } from '../../../model/index.js';
import { BadRequestError, RondoError } from '../../../model/index.js';
import { assertVisible, tenantFilter } from '../../../auth/index.js';
import type { AuthContext } from '../../../auth/index.js';
import { allowedPopsOf, callerOf, vimAccessOf } from '../../http/caller.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { IdParams, ListQuery } from '../../http/schema-types.js';
import { baseUrl, pagedResponse } from '../../http/list-response.js';
import { nsInstanceListPlan } from './ns-instance-query.js';
import { opOccHref } from './ns-lcm-op-occ-view.js';
import {
  CreateNsRequestSchema, HealNsRequestSchema, InstantiateNsRequestSchema, NS_INSTANCE_ATTRIBUTES, NS_INSTANCE_DEFAULT_EXCLUDED, NsInstanceSchema, TerminateNsRequestSchema,
  ScaleNsRequestSchema, UpdateNsRequestSchema, toNsInstanceView,
} from './ns-instance-view.js';

const tags = ['nslcm'];

/** The lifecycle's request from a SOL005 InstantiateNsRequest (placement in additionalParamsForNs). */
export function instantiateRequestOf(body: Static<typeof InstantiateNsRequestSchema> | undefined): InstantiateRequest {
  const { placement, pins, autoRollback, ...rest } = body?.additionalParamsForNs ?? {};
  // Rondo reads a location constraint `{vnfProfileId, popId}` as a pin of that member.
  const located = Object.fromEntries(
    (body?.locationConstraints ?? []).flatMap((c) => (typeof c.vnfProfileId === 'string' && typeof c.popId === 'string' ? [[c.vnfProfileId, c.popId]] : [])),
  );
  const allPins = { ...located, ...(pins ?? {}) };
  return {
    ...(typeof placement === 'string' ? { placement } : {}),
    ...(Object.keys(allPins).length > 0 ? { pins: allPins } : {}),
    ...(typeof autoRollback === 'boolean' ? { autoRollback } : {}),
    ...(body?.nsInstantiationLevelId !== undefined ? { nsInstantiationLevelId: body.nsInstantiationLevelId } : {}),
    ...(body?.nsFlavourId !== undefined ? { nsFlavourId: body.nsFlavourId } : {}),
    ...(Object.keys(rest).length > 0 ? { additionalParams: rest } : {}),
  };
}

/**
 * The lifecycle's heal request from a SOL005 HealNsRequest: 400 unless exactly one of
 * `healNsData` and `healVnfData` is given (SOL005 §6.5.2.13), 422 `HEAL_NOT_SUPPORTED` for
 * healing actions or a heal script (Rondo cannot run them).
 */
export function healRequestOf(body: Static<typeof HealNsRequestSchema>): HealRequest {
  const vnfs = body.healVnfData ?? [];
  const ns = body.healNsData;
  if ((vnfs.length > 0) === (ns !== undefined)) {
    throw new BadRequestError('a HealNsRequest holds either healNsData (heal the whole NS) or a non-empty healVnfData (heal these VNFs), not both (SOL005 §6.5.2.13)');
  }
  if (ns) {
    if ((ns.actionsHealing?.length ?? 0) > 0 || ns.healScript !== undefined) {
      throw new RondoError('HEAL_NOT_SUPPORTED', 'actionsHealing and healScript are not supported: Rondo heals by re-creating containers; give degreeHealing only', { details: { degreeHealing: ns.degreeHealing } });
    }
    return { degree: ns.degreeHealing };
  }
  return {
    vnfs: vnfs.map((v) => ({ vnfInstanceId: v.vnfInstanceId, ...(v.cause !== undefined ? { cause: v.cause } : {}), ...(v.additionalParams?.['all'] === true ? { all: true } : {}) })),
  };
}

/**
 * The OperateVnfData of an UpdateNsRequest, checked against SOL005's rules (400): with
 * STARTED no stopType nor gracefulStopTimeout; a GRACEFUL stop has a gracefulStopTimeout,
 * a FORCEFUL one (or one without stopType) none.
 */
export function operateVnfDataOf(data: Static<typeof UpdateNsRequestSchema>['operateVnfData']): OperateVnfData[] | undefined {
  return data?.map((d, i) => {
    const at = `operateVnfData[${i}] (${d.vnfInstanceId})`;
    if (d.changeStateTo === 'STARTED' && (d.stopType !== undefined || d.gracefulStopTimeout !== undefined)) {
      throw new BadRequestError(`${at}: stopType and gracefulStopTimeout go with changeStateTo STOPPED only`);
    }
    if (d.changeStateTo === 'STOPPED' && d.stopType === 'GRACEFUL' && d.gracefulStopTimeout === undefined) {
      throw new BadRequestError(`${at}: a GRACEFUL stop needs gracefulStopTimeout (seconds the VNF gets to be taken out of service)`);
    }
    if (d.changeStateTo === 'STOPPED' && d.stopType !== 'GRACEFUL' && d.gracefulStopTimeout !== undefined) {
      throw new BadRequestError(`${at}: gracefulStopTimeout goes with stopType GRACEFUL (a stop without stopType is FORCEFUL)`);
    }
    return {
      vnfInstanceId: d.vnfInstanceId, changeStateTo: d.changeStateTo,
      ...(d.stopType ? { stopType: d.stopType } : {}),
      ...(d.gracefulStopTimeout !== undefined ? { gracefulStopTimeout: d.gracefulStopTimeout } : {}),
    };
  });
}

/** The lifecycle's scale request from a SOL005 ScaleNsRequest (the lifecycle checks it against the NS). */
export function scaleRequestOf(body: Static<typeof ScaleNsRequestSchema>): ScaleRequest {
  return {
    scaleType: body.scaleType,
    ...(body.scaleNsData ? { scaleNsData: body.scaleNsData } : {}),
    ...(body.scaleVnfData
      ? {
          scaleVnfData: body.scaleVnfData.map((d) => ({
            vnfInstanceId: d.vnfInstanceId,
            scaleVnfType: d.scaleVnfType as ScaleVnfData['scaleVnfType'],
            ...(d.scaleByStepData ? { scaleByStepData: { aspectId: d.scaleByStepData.aspectId, ...(d.scaleByStepData.numberOfSteps !== undefined ? { numberOfSteps: d.scaleByStepData.numberOfSteps } : {}) } } : {}),
            ...(d.scaleToLevelData ? { scaleToLevelData: d.scaleToLevelData } : {}),
          })),
        }
      : {}),
  };
}

/**
 * SOL005 NS lifecycle management: `/nslcm/v1/ns_instances` (create, list, read, delete)
 * and the instantiate/terminate/heal/update/scale tasks (202 + Location of the operation occurrence), plus
 * the dry run (`?dry_run=true` or `/admin/v1/ns_instances/{id}/plan`) that returns the
 * plan without touching a VIM. An NS instance belongs to its creator's tenant (who must
 * see the NSD); another tenant's answers 404 like a missing one, and instantiation places
 * only on the PoPs the caller may use (own or shared).
 */
export const nsInstanceRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const { lifecycle, vims, catalog } = deps.services;
  const vimAccess = vimAccessOf(deps);
  const popMap = async (): Promise<Map<string, VimAccount>> => new Map((await vims.list()).map((a) => [a.id, a]));
  /** The NS instance if `ctx` may see it (tenant in the query); NotFoundError otherwise. */
  const visible = (ctx: AuthContext, id: string): Promise<NsInstance> => lifecycle.getNs(id, { tenant: tenantFilter(ctx) });
  /** The instance, its members and the PoPs read at once (three queries, one round trip); members of a hidden one are never shown. */
  const view = async (ctx: AuthContext, id: string, base: string) => {
    const scope = { tenant: tenantFilter(ctx) };
    const [ns, vnfs, pops] = await Promise.all([lifecycle.getNs(id, scope), lifecycle.listVnfsOf([id], scope), popMap()]);
    const shown = await lifecycle.shownRecords(ns, vnfs);
    return toNsInstanceView(shown.ns, shown.vnfs, pops, base);
  };
  /** The lifecycle request, limited to the PoPs the caller may use. */
  const scopedRequest = async (ctx: AuthContext, body: Static<typeof InstantiateNsRequestSchema> | undefined): Promise<InstantiateRequest> => {
    const allowedPops = await allowedPopsOf(vimAccess, ctx);
    return { ...instantiateRequestOf(body), ...(allowedPops ? { allowedPops } : {}) };
  };

  app.post(
    '/nslcm/v1/ns_instances',
    { schema: { tags, summary: 'Create an NS instance from an on-boarded NSD (NSD usage becomes IN_USE)', body: CreateNsRequestSchema, response: { 201: NsInstanceSchema } }, config: { action: 'nslcm:create' } },
    async (request, reply) => {
      const { nsdId, nsName, nsDescription } = request.body;
      const ctx = callerOf(request);
      // SOL005 §6.5.2.9: nsdId is the NSD's identifier (NsdInfo.nsdId); an NsdInfo id is still taken.
      const nsdInfoId = await lifecycle.resolveNsdInfoId(nsdId, { tenant: tenantFilter(ctx) });
      // Another tenant's NSD is as unknown as a missing one.
      assertVisible(ctx, (await catalog.getNsd(nsdInfoId)).tenant, 'NSD', nsdId);
      const ns = await lifecycle.createNs({ nsdId: nsdInfoId, nsName, tenant: ctx.tenant, ...(nsDescription !== undefined ? { nsDescription } : {}) });
      const body = toNsInstanceView(ns, [], await popMap(), baseUrl(request));
      return reply.code(201).header('location', body._links.self.href).send(body);
    },
  );

  app.get(
    '/nslcm/v1/ns_instances',
    { schema: { tags, summary: 'List NS instances (SOL013 filter, fields, paging)', querystring: ListQuery, response: { 200: Type.Array(Type.Partial(NsInstanceSchema)) } },
      config: { action: 'nslcm:read', cached: true, selectorAttributes: [...NS_INSTANCE_ATTRIBUTES, ...NS_INSTANCE_DEFAULT_EXCLUDED] },
    },
    async (request, reply) => {
      // Filter, tenant and paging in one query; members (excluded by default) in one more, for the whole page.
      const plan = nsInstanceListPlan(request.query, tenantFilter(callerOf(request)), deps.config.pageSize);
      const page = await lifecycle.pageNs(plan.query);
      const members = plan.loadVnfs || plan.loadSaps;
      const [vnfs, pops] = await Promise.all([
        members ? lifecycle.listVnfsOf(page.items.map((ns) => ns.id), { tenant: plan.query.tenant }) : [],
        plan.loadVnfs ? popMap() : new Map<string, VimAccount>(),
      ]);
      const byNs = new Map<string, VnfInstance[]>();
      for (const v of vnfs) {
        const list = byNs.get(v.nsInstanceId);
        if (list) list.push(v);
        else byNs.set(v.nsInstanceId, [v]);
      }
      const base = baseUrl(request);
      // Records from before flavours and VNFC VDUs were kept are completed (a read each); others as they are.
      const shown = await Promise.all(page.items.map((ns) => lifecycle.shownRecords(ns, byNs.get(ns.id) ?? [])));
      const views = shown.map((r) => toNsInstanceView(r.ns, r.vnfs, pops, base));
      return pagedResponse(request, reply, views, page.next, plan.drop);
    },
  );

  app.get(
    '/nslcm/v1/ns_instances/:id',
    { schema: { tags, summary: 'Read an NS instance with its VNF instances, PoPs, containers and addresses', params: IdParams, response: { 200: NsInstanceSchema } }, config: { action: 'nslcm:read', cached: true } },
    async (request) => view(callerOf(request), request.params.id, baseUrl(request)),
  );

  app.delete(
    '/nslcm/v1/ns_instances/:id',
    { schema: { tags, summary: 'Delete a NOT_INSTANTIATED NS instance (409 otherwise)', params: IdParams }, config: { action: 'nslcm:delete' } },
    async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      await lifecycle.deleteNs(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/nslcm/v1/ns_instances/:id/instantiate',
    {
      config: { action: 'nslcm:instantiate' },
      schema: {
        tags,
        summary: 'Instantiate: 202 + Location of the operation occurrence; with dry_run=true, 200 and the plan',
        params: IdParams,
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }),
        body: Type.Optional(InstantiateNsRequestSchema),
      },
    },
    async (request, reply) => {
      const ctx = callerOf(request);
      await visible(ctx, request.params.id);
      const req = await scopedRequest(ctx, request.body);
      if (request.query.dry_run) return reply.code(200).send(await lifecycle.dryRun({ nsInstanceId: request.params.id }, req));
      // SOL005 §6.5.2.3: the operation echoes the request as its operationParams.
      const op = await lifecycle.instantiate(request.params.id, { ...req, ...(request.body ? { operationParams: request.body } : {}) });
      return reply.code(202).header('location', opOccHref(baseUrl(request), op.id)).send();
    },
  );

  app.post(
    '/admin/v1/ns_instances/:id/plan',
    { schema: { tags: ['admin'], summary: 'Plan an instantiation (placement, addresses, steps) without touching a VIM', params: IdParams, body: Type.Optional(InstantiateNsRequestSchema) }, config: { action: 'nslcm:read' } },
    async (request) => {
      const ctx = callerOf(request);
      await visible(ctx, request.params.id);
      return lifecycle.dryRun({ nsInstanceId: request.params.id }, await scopedRequest(ctx, request.body));
    },
  );

  app.post(
    '/nslcm/v1/ns_instances/:id/terminate',
    { schema: { tags, summary: 'Terminate: 202 + Location of the operation occurrence', params: IdParams, body: Type.Optional(TerminateNsRequestSchema) }, config: { action: 'nslcm:terminate' } },
    async (request, reply) => {
      const t = request.body?.terminationType;
      await visible(callerOf(request), request.params.id);
      const op = await lifecycle.terminate(request.params.id, { ...(t ? { terminationType: t } : {}), operationParams: request.body ?? {} });
      return reply.code(202).header('location', opOccHref(baseUrl(request), op.id)).send();
    },
  );

  app.post(
    '/nslcm/v1/ns_instances/:id/heal',
    {
      schema: {
        tags,
        summary: 'Heal: re-create the dead or sick containers of some VNFs (healVnfData) or of the whole NS (healNsData) with their addresses, routes and start commands; 202 + Location',
        params: IdParams,
        body: HealNsRequestSchema,
      },
      config: { action: 'nslcm:heal' },
    },
    async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      const op = await lifecycle.heal(request.params.id, { ...healRequestOf(request.body), operationParams: request.body });
      return reply.code(202).header('location', opOccHref(baseUrl(request), op.id)).send();
    },
  );

  app.post(
    '/nslcm/v1/ns_instances/:id/update',
    {
      schema: {
        tags,
        summary: 'Update: OPERATE_VNF stops (stop commands, then the containers) or starts (containers, routes, start commands) VNFs; REMOVE_VNF takes out NSD members whose vnf profile allows 0 instances (stop commands, containers, records and addresses); ADD_VNF / INSTANTIATE_VNF bring such a member back (containers with addresses on its links, routes, start commands); other update types answer 422; 202 + Location',
        params: IdParams,
        body: UpdateNsRequestSchema,
      },
      config: { action: 'nslcm:update' },
    },
    async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      const operateVnfData = operateVnfDataOf(request.body.operateVnfData);
      const { removeVnfInstanceId, addVnfIstance, instantiateVnfData } = request.body;
      const op = await lifecycle.update(request.params.id, {
        updateType: request.body.updateType, ...(operateVnfData ? { operateVnfData } : {}), ...(removeVnfInstanceId ? { removeVnfInstanceId } : {}),
        ...(addVnfIstance ? { addVnfIstance } : {}), ...(instantiateVnfData ? { instantiateVnfData } : {}), operationParams: request.body,
      });
      return reply.code(202).header('location', opOccHref(baseUrl(request), op.id)).send();
    },
  );

  app.post(
    '/nslcm/v1/ns_instances/:id/scale',
    {
      schema: {
        tags,
        summary: 'Scale: SCALE_VNF adds (SCALE_OUT) or removes (SCALE_IN) VNFC instances by steps of a scaling aspect; traffic is spread over every instance; past the aspect limits 422; 202 + Location',
        params: IdParams,
        body: ScaleNsRequestSchema,
      },
      config: { action: 'nslcm:scale' },
    },
    async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      const op = await lifecycle.scale(request.params.id, { ...scaleRequestOf(request.body), operationParams: request.body });
      return reply.code(202).header('location', opOccHref(baseUrl(request), op.id)).send();
    },
  );
};
