import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ConflictError, NotFoundError } from '../../../model/index.js';
import type { PackageRecord, UploadInput, VnfdRecord } from '../../../catalog/index.js';
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
import {
  CreateVnfPkgInfoRequest,
  toVnfPkgInfo,
  VNF_PKG_ATTRIBUTES,
  VNF_PKG_DEFAULT_EXCLUDED,
  VnfPkgInfoModifications,
  VnfPkgInfoSchema,
} from './vnf-package-info.js';
import { catalogNotifications } from '../catalog-notifications.js';

const tags = ['vnfpkgm'];

/**
 * SOL005 VNF package management: `/vnfpkgm/v1/vnf_packages`. A package belongs to the
 * tenant of its creator; another tenant's answers 404 like a missing one.
 */
export const vnfPackageRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const catalog = deps.services.catalog;
  const pageSize = deps.config.pageSize;
  const notify = catalogNotifications(deps, app.log);

  /** The VnfPkgInfo if `ctx` may see it; NotFoundError otherwise. */
  const visible = async (ctx: AuthContext, id: string): Promise<VnfdRecord> => {
    const v = await catalog.getVnfPackage(id);
    assertVisible(ctx, v.tenant, 'VNF package', id);
    return v;
  };
  const onboarded = async (ctx: AuthContext, id: string): Promise<{ v: VnfdRecord; pkg: PackageRecord }> => {
    const v = await visible(ctx, id);
    if (v.onboardingState !== 'ONBOARDED' || !v.packageId) {
      // SOL005 §9.4.5.3.2: 409 when the package is not ONBOARDED yet.
      throw new ConflictError(`VNF package ${id} is ${v.onboardingState}; upload its content first`, { code: 'STATE_CONFLICT', details: { onboardingState: v.onboardingState } });
    }
    return { v, pkg: (await catalog.getPackage(v.packageId)).package };
  };
  /**
   * On-boards `input` into the package `before` (CREATED) and notifies: the
   * `VnfPackageOnboardingNotification` once ONBOARDED. An upload refused because the
   * package was not CREATED changed nothing and sends nothing.
   */
  const onboard = async (before: VnfdRecord, input: UploadInput): Promise<void> => {
    await catalog.uploadVnfPackageContent(before.id, input).finally(async () => before.onboardingState === 'CREATED' && notify.vnfPackageUploaded(await catalog.getVnfPackage(before.id)));
  };
  const info = async (v: VnfdRecord, base: string) => toVnfPkgInfo(v, v.packageId ? (await catalog.getPackage(v.packageId)).package : undefined, base);

  app.post(
    '/vnfpkgm/v1/vnf_packages',
    { schema: { tags, summary: 'Create a VNF package resource', body: CreateVnfPkgInfoRequest, response: { 201: VnfPkgInfoSchema } }, config: { action: 'vnfpkgm:create' } },
    async (request, reply) => {
      const v = await catalog.createVnfPackage(request.body.userDefinedData ?? {}, callerOf(request).tenant);
      const body = toVnfPkgInfo(v, undefined, baseUrl(request));
      return reply.code(201).header('location', body._links.self.href).send(body);
    },
  );

  app.get(
    '/vnfpkgm/v1/vnf_packages',
    { schema: { tags, summary: 'List VNF packages (SOL013 filter, fields, paging)', querystring: ListQuery, response: { 200: Type.Array(Type.Partial(VnfPkgInfoSchema)) } }, config: { action: 'vnfpkgm:read' } },
    async (request, reply) => {
      const base = baseUrl(request);
      const scope = tenantFilter(callerOf(request));
      const pkgs = new Map((await catalog.listPackages(scope)).map((p) => [p.package.id, p.package]));
      const all = (await catalog.listVnfPackages(scope)).map((v) => toVnfPkgInfo(v, v.packageId ? pkgs.get(v.packageId) : undefined, base));
      return listResponse(request, reply, all, request.query, { attributes: VNF_PKG_ATTRIBUTES, defaultExcluded: VNF_PKG_DEFAULT_EXCLUDED, pageSize });
    },
  );

  app.get(
    '/vnfpkgm/v1/vnf_packages/:id',
    { schema: { tags, summary: 'Read a VNF package', params: IdParams, response: { 200: VnfPkgInfoSchema } }, config: { action: 'vnfpkgm:read' } },
    async (request) => info(await visible(callerOf(request), request.params.id), baseUrl(request)),
  );

  app.patch(
    '/vnfpkgm/v1/vnf_packages/:id',
    { schema: { tags, summary: 'Enable/disable a VNF package or change its userDefinedData', params: IdParams, body: VnfPkgInfoModifications, response: { 200: VnfPkgInfoModifications } }, config: { action: 'vnfpkgm:update' } },
    async (request) => {
      const before = await visible(callerOf(request), request.params.id);
      await notify.vnfPackageChanged(before, await catalog.patchVnfPackage(request.params.id, request.body));
      return request.body;
    },
  );

  app.delete(
    '/vnfpkgm/v1/vnf_packages/:id',
    { schema: { tags, summary: 'Delete a DISABLED, NOT_IN_USE VNF package', params: IdParams }, config: { action: 'vnfpkgm:delete' } },
    async (request, reply) => {
      const v = await visible(callerOf(request), request.params.id);
      await catalog.deleteVnfPackage(request.params.id);
      await notify.vnfPackageDeleted(v);
      return reply.code(204).send();
    },
  );

  app.get(
    '/vnfpkgm/v1/vnf_packages/:id/vnfd',
    { schema: { tags, summary: 'The VNFD: text/plain if it is one file, or a zip of its files (application/zip)', params: IdParams }, config: { action: 'vnfpkgm:read' } },
    async (request, reply) => {
      const { v, pkg } = await onboarded(callerOf(request), request.params.id);
      const files = await descriptorFiles((path) => catalog.readEntry(pkg.id, path), v.file as string, pkg.files.map((f) => f.path));
      // SOL005 §9.4.4a.3.2: text/plain only for a single-file VNFD, else 406.
      const as = negotiateDescriptor(request.headers.accept, files.length > 1, 'text');
      if (as === 'zip') return reply.type('application/zip').send(zipOfEntries(files));
      return reply.type('text/plain; charset=utf-8').send(files[0]?.[1]);
    },
  );

  app.get(
    '/vnfpkgm/v1/vnf_packages/:id/package_content',
    { schema: { tags, summary: 'Download the package file', params: IdParams }, config: { action: 'vnfpkgm:read' } },
    async (request, reply) => {
      const { pkg } = await onboarded(callerOf(request), request.params.id);
      const f = await catalog.packageFile(pkg.id);
      return sendFileWithRange(request, reply, f.path, f.size, f.isZip ? 'application/zip' : 'text/plain; charset=utf-8');
    },
  );

  app.get(
    '/vnfpkgm/v1/vnf_packages/:id/artifacts/*',
    { schema: { tags, summary: 'One artifact file of the package', params: Type.Object({ id: Type.String(), '*': Type.String() }) }, config: { action: 'vnfpkgm:read' } },
    async (request, reply) => {
      const { pkg } = await onboarded(callerOf(request), request.params.id);
      const path = request.params['*'];
      const entry = pkg.files.find((f) => f.path === path);
      if (!entry) throw new NotFoundError('artifact', path);
      const content = await catalog.readEntry(pkg.id, path);
      return reply.type(entry.contentType ?? 'application/octet-stream').send(content);
    },
  );

  // Uploads get their own scope: raw zip/YAML bodies stream through untouched here only.
  await app.register(async (upload) => {
    acceptRawBodies(upload, RAW_PACKAGE_TYPES);
    upload.withTypeProvider<TypeBoxTypeProvider>().put(
      '/vnfpkgm/v1/vnf_packages/:id/package_content',
      {
        config: { action: 'vnfpkgm:upload' },
        schema: { tags, summary: 'Upload the package (zip); on-boards it', params: IdParams, consumes: ['application/zip', 'multipart/form-data'] },
      },
      async (request, reply) => {
        bindOpId(request, `onboard-${request.params.id}`);
        const before = await visible(callerOf(request), request.params.id);
        const input = await uploadFrom(request, deps.config.maxUploadBytes);
        await onboard(before, input);
        request.log.info('VNF package on-boarded');
        return reply.code(202).send();
      },
    );
  });
};
