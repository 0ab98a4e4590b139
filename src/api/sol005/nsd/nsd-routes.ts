import { readFile } from 'node:fs/promises';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ConflictError } from '../../../model/index.js';
import type { NsdRecord } from '../../../catalog/index.js';
import { assertVisible, tenantFilter } from '../../../auth/index.js';
import type { AuthContext } from '../../../auth/index.js';
import { callerOf } from '../../http/caller.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { IdParams, ListQuery } from '../../http/schema-types.js';
import { baseUrl, listResponse } from '../../http/list-response.js';
import { acceptRawBodies, RAW_PACKAGE_TYPES, uploadFrom } from '../../http/upload-source.js';
import { bindOpId } from '../../http/request-id.js';
import { sendFileWithRange } from '../../http/byte-range.js';
import { descriptorFiles, negotiateDescriptor, zipOfEntries } from '../descriptor-content.js';
import { catalogNotifications } from '../catalog-notifications.js';
import { CreateNsdInfoRequest, NSD_ATTRIBUTES, NSD_DEFAULT_EXCLUDED, NsdInfoModifications, NsdInfoSchema, toNsdInfo } from './nsd-info.js';

const tags = ['nsd'];

/**
 * SOL005 NSD management: `/nsd/v1/ns_descriptors`. An NSD belongs to the tenant of its
 * creator; another tenant's answers 404 like a missing one.
 */
export const nsdRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const catalog = deps.services.catalog;
  const notify = catalogNotifications(deps, app.log);

  /** The NsdInfo if `ctx` may see it; NotFoundError otherwise. */
  const visible = async (ctx: AuthContext, id: string): Promise<NsdRecord> => {
    const n = await catalog.getNsd(id);
    assertVisible(ctx, n.tenant, 'NSD', id);
    return n;
  };
  const onboarded = async (ctx: AuthContext, id: string): Promise<NsdRecord & { packageId: string }> => {
    const n = await visible(ctx, id);
    if (n.onboardingState !== 'ONBOARDED' || !n.packageId) {
      // SOL005 §5.4.4.3.2: 409 when the NSD is not ONBOARDED yet.
      throw new ConflictError(`NSD ${id} is ${n.onboardingState}; upload its content first`, { code: 'STATE_CONFLICT', details: { nsdOnboardingState: n.onboardingState } });
    }
    return n as NsdRecord & { packageId: string };
  };

  app.post(
    '/nsd/v1/ns_descriptors',
    { schema: { tags, summary: 'Create an NSD resource', body: CreateNsdInfoRequest, response: { 201: NsdInfoSchema } }, config: { action: 'nsd:create' } },
    async (request, reply) => {
      const n = await catalog.createNsd(request.body.userDefinedData ?? {}, callerOf(request).tenant);
      const body = toNsdInfo(n, baseUrl(request));
      return reply.code(201).header('location', body._links.self.href).send(body);
    },
  );

  app.get(
    '/nsd/v1/ns_descriptors',
    { schema: { tags, summary: 'List NSDs (SOL013 filter, fields, paging)', querystring: ListQuery, response: { 200: Type.Array(Type.Partial(NsdInfoSchema)) } }, config: { action: 'nsd:read' } },
    async (request, reply) => {
      const base = baseUrl(request);
      const all = (await catalog.listNsds(tenantFilter(callerOf(request)))).map((n) => toNsdInfo(n, base));
      return listResponse(request, reply, all, request.query, { attributes: NSD_ATTRIBUTES, defaultExcluded: NSD_DEFAULT_EXCLUDED, pageSize: deps.config.pageSize });
    },
  );

  app.get(
    '/nsd/v1/ns_descriptors/:id',
    { schema: { tags, summary: 'Read an NSD', params: IdParams, response: { 200: NsdInfoSchema } }, config: { action: 'nsd:read' } },
    async (request) => toNsdInfo(await visible(callerOf(request), request.params.id), baseUrl(request)),
  );

  app.patch(
    '/nsd/v1/ns_descriptors/:id',
    { schema: { tags, summary: 'Enable/disable an NSD or change its userDefinedData', params: IdParams, body: NsdInfoModifications, response: { 200: NsdInfoModifications } }, config: { action: 'nsd:update' } },
    async (request) => {
      const { nsdOperationalState, userDefinedData } = request.body;
      const before = await visible(callerOf(request), request.params.id);
      const after = await catalog.patchNsd(request.params.id, {
        ...(nsdOperationalState ? { operationalState: nsdOperationalState } : {}),
        ...(userDefinedData ? { userDefinedData } : {}),
      });
      await notify.nsdChanged(before, after);
      return request.body;
    },
  );

  app.delete(
    '/nsd/v1/ns_descriptors/:id',
    { schema: { tags, summary: 'Delete a DISABLED, NOT_IN_USE NSD', params: IdParams }, config: { action: 'nsd:delete' } },
    async (request, reply) => {
      const n = await visible(callerOf(request), request.params.id);
      await catalog.deleteNsd(request.params.id);
      await notify.nsdDeleted(n);
      return reply.code(204).send();
    },
  );

  app.get(
    '/nsd/v1/ns_descriptors/:id/nsd_content',
    {
      schema: { tags, summary: 'The NSD file (text/plain, single-file NSDs only) or the archive (application/zip); one byte range on request', params: IdParams },
      config: { action: 'nsd:read' },
    },
    async (request, reply) => {
      const n = await onboarded(callerOf(request), request.params.id);
      const f = await catalog.packageFile(n.packageId);
      const main = n.file ?? 'nsd.yaml';
      if (!f.isZip && !f.isTarGz) {
        // A YAML upload is a single-file NSD.
        const as = negotiateDescriptor(request.headers.accept, false, 'text');
        if (as === 'zip') return reply.type('application/zip').send(zipOfEntries([[main, await readFile(f.path)]]));
        return sendFileWithRange(request, reply, f.path, f.size, 'text/plain; charset=utf-8');
      }
      const pkg = (await catalog.getPackage(n.packageId)).package;
      const files = await descriptorFiles((path) => catalog.readEntry(n.packageId, path), main, pkg.files.map((x) => x.path));
      // SOL005 §5.4.4.3.2: text/plain only for a single-file NSD (else 406); zip is the archive as on-boarded.
      const as = negotiateDescriptor(request.headers.accept, files.length > 1, 'zip');
      if (as === 'text') return reply.type('text/plain; charset=utf-8').send(files[0]?.[1]);
      if (f.isTarGz) {
        // An OSM package (tar.gz): its files, zipped, as SOL005 answers with a zip.
        const all = await Promise.all(pkg.files.map(async (x) => [x.path, await catalog.readEntry(n.packageId, x.path)] as const));
        return reply.type('application/zip').send(zipOfEntries(all));
      }
      return sendFileWithRange(request, reply, f.path, f.size, 'application/zip');
    },
  );

  await app.register(async (upload) => {
    acceptRawBodies(upload, RAW_PACKAGE_TYPES);
    upload.withTypeProvider<TypeBoxTypeProvider>().put(
      '/nsd/v1/ns_descriptors/:id/nsd_content',
      { schema: { tags, summary: 'Upload the NSD (zip, YAML/JSON, or an OSM SOL006 package as tar.gz); on-boards it', params: IdParams, consumes: ['application/zip', 'application/gzip', 'text/plain', 'application/yaml', 'application/json', 'multipart/form-data'] }, config: { action: 'nsd:upload' } },
      async (request, reply) => {
        bindOpId(request, `onboard-${request.params.id}`);
        const before = await visible(callerOf(request), request.params.id);
        const input = await uploadFrom(request, deps.config.maxUploadBytes);
        // The notification follows what the upload left (ONBOARDED, or ERROR: a failure);
        // an upload refused because the NSD was not CREATED changed nothing and sends none.
        const id = request.params.id;
        await catalog.uploadNsdContent(id, input).finally(async () => before.onboardingState === 'CREATED' && notify.nsdUploaded(await catalog.getNsd(id)));
        request.log.info('NSD on-boarded');
        return reply.code(202).send();
      },
    );
  });
};
