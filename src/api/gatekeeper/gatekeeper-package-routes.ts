import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../app-deps.js';
import { tenantFilter } from '../../auth/index.js';
import { callerOf } from '../http/caller.js';
import { acceptRawBodies, uploadFrom } from '../http/upload-source.js';
import { bindOpId } from '../http/request-id.js';
import '../http/fastify-augment.js';

/** 5GTANGO gatekeeper `POST /packages` answer, field names byte-for-byte. */
const UploadAnswer = Type.Object({
  service_uuid: Type.String(),
  size: Type.Integer(),
  sha1: Type.String(),
  error: Type.Null(),
});

/** 5GTANGO gatekeeper `GET /packages` answer. */
const ServiceList = Type.Object({ service_uuid_list: Type.Array(Type.String()) });

/**
 * The 5GTANGO (vim-emu dummy gatekeeper) package API at `/packages` and
 * `/api/v2/packages`: multipart field `package` or any raw body; `service_uuid` is the
 * catalog id of the package's NSD. Errors carry the gatekeeper fields and RFC 7807 ones.
 * Uploads belong to the caller's tenant; the list shows the caller's tenant's services.
 */
export const gatekeeperPackageRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const catalog = deps.services.catalog;
  // Like the gatekeeper, every non-multipart body is the package itself.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  acceptRawBodies(app, '*');

  for (const prefix of ['', '/api/v2']) {
    app.post(
      `${prefix}/packages`,
      {
        config: { action: 'package:upload', errorShape: 'gatekeeper' },
        schema: {
          tags: ['5gtango'],
          summary: 'Upload and on-board a 5GTANGO/SONATA package (multipart field "package" or raw body)',
          consumes: ['multipart/form-data', 'application/octet-stream', 'application/zip'],
          response: { 201: UploadAnswer },
        },
      },
      async (request, reply) => {
        bindOpId(request, `onboard-${request.id}`);
        const input = await uploadFrom(request, deps.config.maxUploadBytes, 'package');
        const r = await catalog.onboard(input, callerOf(request).tenant);
        const u = request.uploadInfo;
        request.log.info({ packageId: r.package.id }, 'package on-boarded');
        return reply.code(201).send({ service_uuid: r.nsds[0]?.id ?? r.package.id, size: u?.size ?? r.package.size, sha1: r.package.sha1, error: null });
      },
    );
    app.get(
      `${prefix}/packages`,
      { schema: { tags: ['5gtango'], summary: 'UUIDs of the on-boarded services (NSDs)', response: { 200: ServiceList } }, config: { action: 'package:read' } },
      async (request) => ({ service_uuid_list: (await catalog.listNsds(tenantFilter(callerOf(request)))).filter((n) => n.onboardingState === 'ONBOARDED').map((n) => n.id) }),
    );
  }
};
