import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isErrorCode, NotFoundError, RondoError } from '../../model/index.js';
import type { LcmOpOcc, ProblemDetails } from '../../model/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { BadRequestError } from '../../model/index.js';
import { tenantFilter } from '../../auth/index.js';
import type { AuthContext } from '../../auth/index.js';
import { allowedPopsOf, callerOf, vimAccessOf } from '../http/caller.js';

const tags = ['5gtango'];

const InstantiationRequest = Type.Object({ service_uuid: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, { additionalProperties: true });
const DeleteRequest = Type.Object(
  { service_uuid: Type.Optional(Type.Union([Type.String(), Type.Null()])), service_instance_uuid: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
  { additionalProperties: true },
);

/**
 * An operation that did not complete, as the gatekeeper answers it: the code of the error
 * that failed it (so the status is that code's, e.g. 502 for VIM_AUTH; after a failed
 * rollback, the step's error that started it), naming the failed step and the VIM.
 */
function opFailure(op: LcmOpOcc): RondoError {
  const e = op.error;
  const original = e?.originalError as ProblemDetails | undefined;
  const root = e?.code === 'ROLLBACK_FAILED' && isErrorCode(original?.code) ? original : e;
  const code = isErrorCode(root?.code) ? root.code : 'NS_INSTANTIATION_FAILED';
  const detail = e?.detail ?? `operation ${op.id} ended ${op.operationState}`;
  const vim = root ? Object.fromEntries(Object.entries(root).filter(([k]) => k === 'vim' || k === 'vimKind' || k === 'vimDetail')) : {};
  return new RondoError(code, `instantiation ${op.operationState}: ${detail}`, {
    details: { opId: op.id, nsInstanceId: op.nsInstanceId, operationState: op.operationState, ...(root?.step ? { step: root.step } : {}), ...vim },
  });
}

/**
 * The 5GTANGO (vim-emu dummy gatekeeper) instantiation API at `/instantiations`,
 * `/api/v2/instantiations` and `/api/v2/requests`: POST creates and instantiates an NS
 * from `service_uuid` (missing or "latest": the first on-boarded service, as the seed
 * does) and answers `201 {service_instance_uuid}` once it runs; GET lists instance ids
 * per service; DELETE terminates and deletes one (fuzzy like the seed). Bodies are read
 * as JSON whatever their content type (the seed's `get_json(force=True)`). Services and
 * instances are the caller's tenant's only (admins: all); instances place on the PoPs
 * the caller may use.
 */
export const gatekeeperInstantiationRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const { catalog, lifecycle } = deps.services;
  const waitMs = deps.config.opDeadlineSeconds * 1000;
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch (e) {
      done(new BadRequestError('the body must be JSON, e.g. {"service_uuid": "…"}', { code: 'INVALID_JSON', cause: e }), undefined);
    }
  });

  const vimAccess = vimAccessOf(deps);
  const services = async (ctx: AuthContext) => (await catalog.listNsds(tenantFilter(ctx))).filter((n) => n.onboardingState === 'ONBOARDED');
  const instances = (ctx: AuthContext) => lifecycle.listNs({ tenant: tenantFilter(ctx) });
  const runningOf = async (ctx: AuthContext, nsdInfoId: string) => (await instances(ctx)).filter((n) => n.nsdInfoId === nsdInfoId && n.state === 'INSTANTIATED');

  for (const path of ['/instantiations', '/api/v2/instantiations', '/api/v2/requests']) {
    app.post(
      path,
      { schema: { tags, summary: 'Instantiate a service; answers once it runs', body: Type.Optional(InstantiationRequest), response: { 201: Type.Object({ service_instance_uuid: Type.String() }) } }, config: { action: 'nslcm:instantiate' } },
      async (request, reply) => {
        const ctx = callerOf(request);
        let serviceUuid = request.body?.service_uuid ?? null;
        const all = await services(ctx);
        if ((serviceUuid === null || serviceUuid === 'latest') && all.length > 0) serviceUuid = all[0]?.id ?? null;
        const service = all.find((n) => n.id === serviceUuid);
        if (!service) throw new NotFoundError('service', serviceUuid ?? '(none on-boarded)');
        const allowedPops = await allowedPopsOf(vimAccess, ctx);
        const ns = await lifecycle.createNs({
          nsdId: service.id, nsName: `${service.name ?? 'service'}-${deps.ids.next().slice(0, 8)}`, nsDescription: 'instantiated through the 5GTANGO API', tenant: ctx.tenant,
        });
        let end: LcmOpOcc;
        try {
          const op = await lifecycle.instantiate(ns.id, allowedPops ? { allowedPops } : {});
          end = await lifecycle.waitForOp(op.id, { timeoutMs: waitMs });
        } catch (e) {
          // Refused before any VIM call (placement, capacity): the instance holds nothing.
          await lifecycle.deleteNs(ns.id).catch(() => undefined);
          throw e;
        }
        if (end.operationState !== 'COMPLETED') {
          // The gatekeeper client never learns this id, so a rolled-back instance is removed.
          if (end.operationState === 'ROLLED_BACK' || end.operationState === 'FAILED') await lifecycle.deleteNs(ns.id).catch(() => undefined);
          throw opFailure(end);
        }
        return reply.code(201).send({ service_instance_uuid: ns.id });
      },
    );

    app.get(
      path,
      { schema: { tags, summary: 'Running instance ids, one list per on-boarded service', response: { 200: Type.Object({ service_instantiations_list: Type.Array(Type.Array(Type.String())) }) } }, config: { action: 'nslcm:read' } },
      async (request) => {
        const ctx = callerOf(request);
        return { service_instantiations_list: await Promise.all((await services(ctx)).map(async (s) => (await runningOf(ctx, s.id)).map((n) => n.id))) };
      },
    );

    app.delete(
      path,
      { schema: { tags, summary: 'Terminate and delete a running instance (fuzzy like the gatekeeper)', body: Type.Optional(DeleteRequest) }, config: { action: 'nslcm:terminate' } },
      async (request, reply) => {
        const ctx = callerOf(request);
        const all = await services(ctx);
        const serviceUuid = request.body?.service_uuid ?? all[0]?.id ?? null;
        let instanceUuid = request.body?.service_instance_uuid ?? null;
        if (instanceUuid === null && serviceUuid !== null) instanceUuid = (await runningOf(ctx, serviceUuid))[0]?.id ?? null;
        const ns = instanceUuid === null ? undefined : (await instances(ctx)).find((n) => n.id === instanceUuid && n.nsdInfoId === serviceUuid);
        if (!ns || !instanceUuid) throw new NotFoundError('service instance', instanceUuid ?? '(none running)');
        if (ns.state === 'INSTANTIATED') {
          const op = await lifecycle.terminate(ns.id);
          const end = await lifecycle.waitForOp(op.id, { timeoutMs: waitMs });
          if (end.operationState !== 'COMPLETED') throw opFailure(end);
        }
        await lifecycle.deleteNs(ns.id);
        return reply.code(200).send(JSON.stringify(`service instance with uuid '${instanceUuid}' stopped.`));
      },
    );
  }
};
