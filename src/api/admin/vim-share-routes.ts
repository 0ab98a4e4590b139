import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../model/index.js';
import { TENANT_PATTERN } from '../../auth/index.js';
import type { AuthService } from '../../auth/index.js';
import type { RoutePluginOptions } from '../app-deps.js';

const tags = ['admin'];
const Params = Type.Object({ vimId: Type.String({ minLength: 1, maxLength: 128 }) });
const TenantParams = Type.Object({ vimId: Type.String({ minLength: 1, maxLength: 128 }), tenant: Type.String({ pattern: TENANT_PATTERN.source }) });
const Shares = Type.Object({ vimId: Type.String(), tenants: Type.Array(Type.String()) });

/** `/admin/v1/vims/{vimId}/shares`: an admin shares a VIM account with other tenants. */
export const vimShareRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, opts) => vimShareRoutesOf(opts.deps.services.auth)(app, opts);

function vimShareRoutesOf(auth: AuthService): FastifyPluginAsyncTypebox<RoutePluginOptions> {
  return async (app, { deps }) => {
    const exists = async (vimId: string) => {
      if (!(await auth.shares.vimExists(vimId))) throw new NotFoundError('VIM account', vimId);
    };
    app.get('/admin/v1/vims/:vimId/shares', { schema: { tags, params: Params, response: { 200: Shares } }, config: { action: 'vim:share' } }, async (request) => {
      await exists(request.params.vimId);
      return { vimId: request.params.vimId, tenants: await auth.shares.tenantsOf(request.params.vimId) };
    });
    app.put(
      '/admin/v1/vims/:vimId/shares/:tenant',
      { schema: { tags, summary: 'Share a VIM account with a tenant (idempotent)', params: TenantParams, response: { 200: Shares } }, config: { action: 'vim:share' } },
      async (request) => {
        const { vimId, tenant } = request.params;
        await exists(vimId);
        await auth.shares.share(vimId, tenant, deps.clock.now());
        return { vimId, tenants: await auth.shares.tenantsOf(vimId) };
      },
    );
    app.delete(
      '/admin/v1/vims/:vimId/shares/:tenant',
      { schema: { tags, summary: 'Stop sharing a VIM account with a tenant', params: TenantParams }, config: { action: 'vim:share' } },
      async (request, reply) => {
        if (!(await auth.shares.unshare(request.params.vimId, request.params.tenant))) throw new NotFoundError('VIM share', `${request.params.vimId}/${request.params.tenant}`);
        return reply.code(204).send();
      },
    );
  };
}
