import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ONBOARDING_STATES, OPERATIONAL_STATES, USAGE_STATES } from '../../catalog/index.js';
import type { PackageView } from '../../catalog/index.js';
import { PACKAGE_FORMATS } from '../../model/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { assertVisible, tenantFilter } from '../../auth/index.js';
import type { AuthContext } from '../../auth/index.js';
import { callerOf } from '../http/caller.js';
import { IdParams, StringEnum } from '../http/schema-types.js';
import { acceptRawBodies, uploadFrom } from '../http/upload-source.js';
import { bindOpId } from '../http/request-id.js';

const DescriptorSummary = Type.Object({
  id: Type.String(),
  descriptorId: Type.String(),
  vendor: Type.String(),
  name: Type.String(),
  version: Type.String(),
  file: Type.String(),
  onboardingState: StringEnum(ONBOARDING_STATES),
  operationalState: StringEnum(OPERATIONAL_STATES),
  usageState: StringEnum(USAGE_STATES),
});

/** Rondo's own view of an on-boarded package and what it brought. */
export const AdminPackage = Type.Object({
  id: Type.String(),
  format: StringEnum(PACKAGE_FORMATS),
  vendor: Type.String(),
  name: Type.String(),
  version: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  fileName: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer(),
  sha1: Type.String(),
  sha256: Type.String(),
  fileCount: Type.Integer(),
  createdAt: Type.String(),
  nsds: Type.Array(DescriptorSummary),
  vnfds: Type.Array(DescriptorSummary),
});
export type AdminPackage = Static<typeof AdminPackage>;

/** Maps the catalog's package view to the admin representation. */
export function toAdminPackage(v: PackageView): AdminPackage {
  const p = v.package;
  const summary = (d: PackageView['nsds'][number] | PackageView['vnfds'][number], descriptorId: string | null) => ({
    id: d.id,
    descriptorId: descriptorId ?? '',
    vendor: d.vendor ?? '',
    name: d.name ?? '',
    version: d.version ?? '',
    file: d.file ?? '',
    onboardingState: d.onboardingState,
    operationalState: d.operationalState,
    usageState: d.usageState,
  });
  return {
    id: p.id,
    format: p.format,
    vendor: p.vendor,
    name: p.name,
    version: p.version,
    description: p.description,
    fileName: p.fileName,
    size: p.size,
    sha1: p.sha1,
    sha256: p.sha256,
    fileCount: p.files.length,
    createdAt: p.createdAt.toISOString(),
    nsds: v.nsds.map((n) => summary(n, n.nsdId)),
    vnfds: v.vnfds.map((d) => summary(d, d.vnfdId)),
  };
}

const tags = ['admin'];

/**
 * `/admin/v1/packages`: list, show, upload and delete whole packages (the CLI uses these).
 * Packages belong to the uploader's tenant; another tenant's answers 404.
 */
export const adminPackageRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const catalog = deps.services.catalog;
  const visible = async (ctx: AuthContext, id: string): Promise<PackageView> => {
    const v = await catalog.getPackage(id);
    assertVisible(ctx, v.package.tenant, 'package', id);
    return v;
  };

  app.get('/admin/v1/packages', { schema: { tags, summary: 'On-boarded packages', response: { 200: Type.Array(AdminPackage) } }, config: { action: 'package:read' } }, async (request) =>
    (await catalog.listPackages(tenantFilter(callerOf(request)))).map(toAdminPackage),
  );
  app.get(
    '/admin/v1/packages/:id',
    { schema: { tags, summary: 'One package with its NSDs and VNFDs', params: IdParams, response: { 200: AdminPackage } }, config: { action: 'package:read' } },
    async (request) => toAdminPackage(await visible(callerOf(request), request.params.id)),
  );
  app.delete(
    '/admin/v1/packages/:id',
    { schema: { tags, summary: 'Delete a package and its descriptors (none may be in use)', params: IdParams }, config: { action: 'package:delete' } },
    async (request, reply) => {
      await visible(callerOf(request), request.params.id);
      await catalog.deletePackage(request.params.id);
      return reply.code(204).send();
    },
  );

  await app.register(async (upload) => {
    upload.removeContentTypeParser(['application/json', 'text/plain']);
    acceptRawBodies(upload, '*');
    upload.withTypeProvider<TypeBoxTypeProvider>().post(
      '/admin/v1/packages',
      { schema: { tags, summary: 'Upload and on-board a package (raw body or multipart)', consumes: ['application/zip', 'application/octet-stream'], response: { 201: AdminPackage } }, config: { action: 'package:upload' } },
      async (request, reply) => {
        bindOpId(request, `onboard-${request.id}`);
        const r = await catalog.onboard(await uploadFrom(request, deps.config.maxUploadBytes), callerOf(request).tenant);
        const body = toAdminPackage(r);
        return reply.code(201).header('location', `/admin/v1/packages/${body.id}`).send(body);
      },
    );
  });
};
