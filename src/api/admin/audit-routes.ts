import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuthService } from '../../auth/index.js';
import type { RoutePluginOptions } from '../app-deps.js';

const Entry = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  at: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  tenant: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  method: Type.String(),
  route: Type.String(),
  target: Type.Record(Type.String(), Type.String()),
  status: Type.Integer(),
  requestId: Type.String(),
});
const Query = Type.Object(
  {
    user: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'paging cursor: the `next` of the previous page' })),
  },
  { additionalProperties: false },
);

/** `GET /admin/v1/audit`: the audit log, newest first, for admins; filters and cursor paging. */
export const auditRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, opts) => auditRoutesOf(opts.deps.services.auth)(app, opts);

function auditRoutesOf(auth: AuthService): FastifyPluginAsyncTypebox<RoutePluginOptions> {
  return async (app) => {
    app.get(
      '/admin/v1/audit',
      {
        schema: {
          tags: ['admin'],
          summary: 'Audit log of state-changing calls (filter by user, action, since; page with before=next)',
          querystring: Query,
          response: { 200: Type.Object({ entries: Type.Array(Entry), next: Type.Union([Type.Integer(), Type.Null()]) }) },
        },
        config: { action: 'audit:read' },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 100;
        const rows = await auth.auditLog.list({
          limit,
          ...(q.user !== undefined ? { username: q.user } : {}),
          ...(q.action !== undefined ? { action: q.action } : {}),
          ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
          ...(q.before !== undefined ? { before: q.before } : {}),
        });
        const entries = rows.map((r) => ({ ...r, at: r.at.toISOString(), target: { ...r.target } }));
        return { entries, next: rows.length === limit ? (rows[rows.length - 1]?.seq ?? null) : null };
      },
    );
  };
}
