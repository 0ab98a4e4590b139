import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { BadRequestError, ConflictError, NotFoundError, RondoError } from '../../../model/index.js';
import { guardedFetch } from '../../../auth/index.js';
import type { PackageRecord, UploadInput, VnfdRecord } from '../../../catalog/index.js';
import { assertVisible, tenantFilter } from '../../../auth/index.js';
import type { AuthContext } from '../../../auth/index.js';
import { callerOf } from '../../http/caller.js';
import type { RoutePluginOptions } from '../../app-deps.js';
import { IdParams, ListQuery } from '../../http/schema-types.js';
import { baseUrl, listResponse } from '../../http/list-response.js';
import { acceptRawBodies, RAW_PACKAGE_TYPES, uploadFrom } from '../../http/upload-source.js';
import { bindOpId } from '../../http/request-id.js';
import { sendBufferWithRange, sendFileWithRange } from '../../http/byte-range.js';
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

/** Whole-fetch bound of an upload from URI (connect, headers, body). */
const UPLOAD_FROM_URI_TIMEOUT_MS = 300_000;

/** SOL005 v2.6.1 §9.5.2.4 `UploadVnfPkgFromUriRequest`. */
const UploadVnfPkgFromUriRequest = Type.Object(
  {
    addressInformation: Type.String({ minLength: 1, maxLength: 2048 }),
    authType: Type.Optional(Type.Union([Type.Literal('BASIC'), Type.Literal('OAUTH2_CLIENT_CREDENTIALS')])),
    userName: Type.Optional(Type.String({ maxLength: 256 })),
    password: Type.Optional(Type.String({ maxLength: 1024 })),
    paramsOauth2ClientCredentials: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

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
  /** Uploads from URI still running; the app's close waits for them (each is bounded by its timeout). */
  const fetching = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...fetching]);
  });

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
      return sendFileWithRange(request, reply, f.path, f.size, f.mediaType);
    },
  );

  app.get(
    '/vnfpkgm/v1/vnf_packages/:id/artifacts/*',
    { schema: { tags, summary: 'One artifact file of the package; one byte range on request', params: Type.Object({ id: Type.String(), '*': Type.String() }) }, config: { action: 'vnfpkgm:read' } },
    async (request, reply) => {
      const { pkg } = await onboarded(callerOf(request), request.params.id);
      const path = request.params['*'];
      const entry = pkg.files.find((f) => f.path === path);
      if (!entry) throw new NotFoundError('artifact', path);
      const content = await catalog.readEntry(pkg.id, path);
      // One byte range on request, as for the package content (NFV-TST010 5.3.5.6.3, 5.3.5.6.5).
      return sendBufferWithRange(request, reply, content, entry.contentType ?? 'application/octet-stream');
    },
  );

  app.post(
    '/vnfpkgm/v1/vnf_packages/:id/package_content/upload_from_uri',
    {
      schema: { tags, summary: 'Fetch the package from a URI and on-board it (202; the package shows the outcome)', params: IdParams, body: UploadVnfPkgFromUriRequest },
      config: { action: 'vnfpkgm:upload' },
    },
    async (request, reply) => {
      const before = await visible(callerOf(request), request.params.id);
      const { addressInformation, authType, userName, password } = request.body;
      // SOL005 §9.4.6.3.1: 409 unless the package is CREATED.
      if (before.onboardingState !== 'CREATED') {
        throw new ConflictError(`VNF package ${before.id} is ${before.onboardingState}; only a CREATED package takes content`, { code: 'STATE_CONFLICT', details: { onboardingState: before.onboardingState } });
      }
      if (authType === 'OAUTH2_CLIENT_CREDENTIALS') {
        throw new BadRequestError('authType OAUTH2_CLIENT_CREDENTIALS is not supported; use BASIC with userName and password', { code: 'PACKAGE_URI_INVALID', details: { field: 'authType' } });
      }
      if ((userName === undefined) !== (password === undefined)) {
        throw new BadRequestError('userName and password go together', { code: 'PACKAGE_URI_INVALID', details: { field: userName === undefined ? 'userName' : 'password' } });
      }
      // The one outbound guard (RONDO_OUTBOUND_ALLOW): a refused URI is a 400 now, nothing fetched.
      const guard = deps.services.auth.outbound;
      const url = guard.check(addressInformation, 'addressInformation');
      const headers: Record<string, string> = userName !== undefined ? { authorization: `Basic ${Buffer.from(`${userName}:${password ?? ''}`).toString('base64')}` } : {};
      // The fetch is the upload's source: the catalog moves the package to UPLOADING,
      // reads it, on-boards it, and leaves it in ERROR with onboardingFailureDetails when the
      // fetch fails (refused address, timeout, more than the upload limit, a non-200
      // answer; redirects are not followed), exactly as for a failed direct upload.
      const source = Readable.from(
        (async function* () {
          const res = await guardedFetch(guard, url.href, { method: 'GET', headers }, { timeoutMs: UPLOAD_FROM_URI_TIMEOUT_MS, maxBytes: deps.config.maxUploadBytes });
          if (res.status !== 200) {
            const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
            throw new RondoError('PACKAGE_URI_FAILED', `${url.origin}${url.pathname} answered ${res.status}${redirect}`, { details: { sourceStatus: res.status } });
          }
          yield res.body;
        })(),
      );
      const type = url.pathname.endsWith('.yaml') || url.pathname.endsWith('.yml') ? {} : { contentType: 'application/zip' };
      const job = onboard(before, { source, fileName: url.pathname.split('/').pop() || 'package', ...type })
        .then(() => request.log.info({ vnfPkgId: before.id }, 'VNF package on-boarded from URI'))
        .catch((err: unknown) => request.log.warn({ err, vnfPkgId: before.id }, 'VNF package upload from URI failed'))
        .finally(() => fetching.delete(job));
      fetching.add(job);
      return reply.code(202).send();
    },
  );

  // Uploads get their own scope: raw zip/YAML bodies stream through untouched here only.
  await app.register(async (upload) => {
    acceptRawBodies(upload, RAW_PACKAGE_TYPES);
    upload.withTypeProvider<TypeBoxTypeProvider>().put(
      '/vnfpkgm/v1/vnf_packages/:id/package_content',
      {
        config: { action: 'vnfpkgm:upload' },
        schema: { tags, summary: 'Upload the package (zip; or an OSM SOL006 package as tar.gz); on-boards it', params: IdParams, consumes: ['application/zip', 'application/gzip', 'multipart/form-data'] },
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
