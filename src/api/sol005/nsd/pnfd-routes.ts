import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createPnfdService, ONBOARDING_STATES, USAGE_STATES } from '../../../catalog/index.js';
import type { PnfdRecord } from '../../../catalog/index.js';
import { ConflictError, RondoError } from '../../../model/index.js';
import { pnfdRepository } from '../../../store/index.js';
import { tenantFilter } from '../../../auth/index.js';
import { callerOf } from '../../http/caller.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { IdParams, KeyValuePairs, Link, ListQuery, ProblemDetailsSchema, StringEnum } from '../../http/schema-types.js';
import { baseUrl, listResponse } from '../../http/list-response.js';
import { acceptRawBodies, RAW_PACKAGE_TYPES, uploadFrom } from '../../http/upload-source.js';
import { negotiateDescriptor, zipOfEntries } from '../descriptor-content.js';

/**
 * SOL005 v2.6.1 §5.5.2.5 PnfdInfo. The clause's table spells the version attribute
 * `pnfdersion` (a typo later versions correct); Rondo follows the corrected `pnfdVersion`.
 */
export const PnfdInfoSchema = Type.Object({
  id: Type.String(),
  pnfdId: Type.Optional(Type.String()),
  pnfdName: Type.Optional(Type.String()),
  pnfdVersion: Type.Optional(Type.String()),
  pnfdProvider: Type.Optional(Type.String()),
  pnfdInvariantId: Type.Optional(Type.String()),
  pnfdOnboardingState: StringEnum(ONBOARDING_STATES),
  onboardingFailureDetails: Type.Optional(ProblemDetailsSchema),
  pnfdUsageState: StringEnum(USAGE_STATES),
  userDefinedData: Type.Optional(KeyValuePairs),
  _links: Type.Object({ self: Link, pnfd_content: Link }),
});
type PnfdInfo = Static<typeof PnfdInfoSchema>;
const CreatePnfdInfoRequest = Type.Object({ userDefinedData: Type.Optional(KeyValuePairs) }, { additionalProperties: false });
/** SOL005 §5.5.2.4 PnfdInfoModifications: `userDefinedData` (1). */
const PnfdInfoModifications = Type.Object({ userDefinedData: KeyValuePairs }, { additionalProperties: false });
const ATTRIBUTES = new Set(Object.keys(PnfdInfoSchema.properties));
/** SOL005 §5.4.5.3.2: left out of lists unless selected. */
const DEFAULT_EXCLUDED = ['userDefinedData', 'onboardingFailureDetails'];
const tags = ['nsd'];

/** A PNFD record as SOL005 PnfdInfo; `base` prefixes `_links`. */
export function toPnfdInfo(r: PnfdRecord, base: string): PnfdInfo {
  const self = `${base}/nsd/v1/pnf_descriptors/${r.id}`;
  return {
    id: r.id,
    ...(r.pnfdId ? { pnfdId: r.pnfdId, pnfdName: r.name ?? '', pnfdVersion: r.version ?? '', pnfdProvider: r.provider ?? '', pnfdInvariantId: r.invariantId ?? '' } : {}),
    pnfdOnboardingState: r.onboardingState,
    ...(r.failureDetails ? { onboardingFailureDetails: r.failureDetails as NonNullable<PnfdInfo['onboardingFailureDetails']> } : {}),
    pnfdUsageState: r.usageState,
    userDefinedData: r.userDefinedData,
    _links: { self: { href: self }, pnfd_content: { href: `${self}/pnfd_content` } },
  };
}

/**
 * SOL005 PNFD management (§5.4.5–5.4.7): `/nsd/v1/pnf_descriptors` (POST, GET list with
 * SOL013 filter and selectors), `/{pnfdInfoId}` (GET, PATCH userDefinedData, DELETE when
 * NOT_IN_USE), `/{pnfdInfoId}/pnfd_content` (PUT one SOL001 YAML file: 204 once on-boarded,
 * 422 naming the file and field when invalid — the PNFD is then ERROR —; GET as text/plain
 * or a zip). PnfdOnBoarding, PnfdOnBoardingFailure and PnfdDeletion notifications go to
 * the NSD management subscriptions. A PNFD belongs to its creator's tenant; another
 * tenant's answers 404. The service is built here over the store's PNFD table (it has no
 * other user).
 */
export const pnfdRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const pnfds = createPnfdService({ repo: pnfdRepository(deps.store.db), clock: deps.clock, ids: deps.ids, maxUploadBytes: deps.config.maxUploadBytes });
  const n = deps.services.monitoring?.notifications;
  const notify = (what: string, p: Promise<void> | undefined) => p?.catch((err: unknown) => app.log.warn({ err }, `notification ${what} not queued`));
  const base = '/nsd/v1/pnf_descriptors';

  app.post(base, { schema: { tags, summary: 'Create a PNFD resource', body: CreatePnfdInfoRequest, response: { 201: PnfdInfoSchema } }, config: { action: 'nsd:create' } }, async (req, reply) => {
    const body = toPnfdInfo(await pnfds.create(req.body.userDefinedData ?? {}, callerOf(req).tenant), baseUrl(req));
    return reply.code(201).header('location', body._links.self.href).send(body);
  });
  app.get(base, { schema: { tags, summary: 'List PNFDs (SOL013 filter, fields, paging)', querystring: ListQuery, response: { 200: Type.Array(Type.Partial(PnfdInfoSchema)) } }, config: { action: 'nsd:read' } }, async (req, reply) => {
    const all = (await pnfds.list(tenantFilter(callerOf(req)))).map((r) => toPnfdInfo(r, baseUrl(req)));
    return listResponse(req, reply, all, req.query, { attributes: ATTRIBUTES, defaultExcluded: DEFAULT_EXCLUDED, pageSize: deps.config.pageSize });
  });
  app.get(`${base}/:id`, { schema: { tags, summary: 'Read a PNFD', params: IdParams, response: { 200: PnfdInfoSchema } }, config: { action: 'nsd:read' } }, async (req) =>
    toPnfdInfo(await pnfds.get(req.params.id, tenantFilter(callerOf(req))), baseUrl(req)),
  );
  app.patch(`${base}/:id`, { schema: { tags, summary: 'Change a PNFD\'s userDefinedData', params: IdParams, body: PnfdInfoModifications, response: { 200: PnfdInfoModifications } }, config: { action: 'nsd:update' } }, async (req) => {
    await pnfds.patch(req.params.id, req.body.userDefinedData, tenantFilter(callerOf(req)));
    return req.body;
  });
  app.delete(`${base}/:id`, { schema: { tags, summary: 'Delete a NOT_IN_USE PNFD', params: IdParams }, config: { action: 'nsd:delete' } }, async (req, reply) => {
    const r = await pnfds.delete(req.params.id, tenantFilter(callerOf(req)));
    await notify('PnfdDeletion', n?.publishPnfdDeleted({ pnfdInfoId: r.id, pnfdId: r.pnfdId, tenant: r.tenant }));
    return reply.code(204).send();
  });
  app.get(`${base}/:id/pnfd_content`, { schema: { tags, summary: 'The PNFD file (text/plain) or a zip holding it', params: IdParams }, config: { action: 'nsd:read' } }, async (req, reply) => {
    const r = await pnfds.get(req.params.id, tenantFilter(callerOf(req)));
    if (r.onboardingState !== 'ONBOARDED' || r.content === null) {
      // SOL005 §5.4.7.3.2: 409 when the PNFD is not ONBOARDED.
      throw new ConflictError(`PNFD ${r.id} is ${r.onboardingState}; upload its content first`, { code: 'STATE_CONFLICT', details: { pnfdOnboardingState: r.onboardingState } });
    }
    const as = negotiateDescriptor(req.headers.accept, false, 'text');
    if (as === 'zip') return reply.type('application/zip').send(zipOfEntries([[r.fileName ?? 'pnfd.yaml', Buffer.from(r.content)]]));
    return reply.type('text/plain; charset=utf-8').send(r.content);
  });

  await app.register(async (upload) => {
    acceptRawBodies(upload, RAW_PACKAGE_TYPES);
    upload.withTypeProvider<TypeBoxTypeProvider>().put(
      `${base}/:id/pnfd_content`,
      { schema: { tags, summary: 'Upload the PNFD (one SOL001 YAML file); on-boards it', params: IdParams, consumes: ['text/plain', 'multipart/form-data'] }, config: { action: 'nsd:upload' } },
      async (req, reply) => {
        const scope = tenantFilter(callerOf(req));
        await pnfds.get(req.params.id, scope); // another tenant's answers 404 before the body is read
        try {
          const r = await pnfds.upload(req.params.id, await uploadFrom(req, deps.config.maxUploadBytes), scope);
          await notify('PnfdOnBoarding', n?.publishPnfdOnboarded({ pnfdInfoId: r.id, pnfdId: r.pnfdId as string, tenant: r.tenant }));
        } catch (e) {
          // An upload that ended the PNFD in ERROR is an on-boarding failure; a refused one (409, 415) changed nothing.
          const after = e instanceof RondoError && e.status === 422 ? await pnfds.get(req.params.id, scope).catch(() => undefined) : undefined;
          if (after?.onboardingState === 'ERROR' && after.failureDetails) {
            await notify('PnfdOnBoardingFailure', n?.publishPnfdOnboardingFailure({ pnfdInfoId: after.id, pnfdId: after.pnfdId, tenant: after.tenant }, after.failureDetails as { status: number; detail: string }));
          }
          throw e;
        }
        return reply.code(204).send();
      },
    );
  });
};
