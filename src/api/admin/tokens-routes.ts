import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { USER_ROLES } from '../../auth/index.js';
import type { AuthService } from '../../auth/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { StringEnum } from '../http/schema-types.js';
import { callerOf } from '../http/caller.js';

const tags = ['admin'];
/** Credentials and key requests are tiny; anything bigger is refused before parsing. */
export const AUTH_BODY_LIMIT = 16 * 1024;

const TokenRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const TokenGrant = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  project: Type.String(),
  roles: Type.Array(StringEnum(USER_ROLES)),
});
const ApiKeyRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
  { additionalProperties: false },
);
const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  userId: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
const CreatedApiKey = Type.Intersect([ApiKeyView, Type.Object({ key: Type.String({ description: 'rondo_<id>_<secret>: shown only in this answer' }) })]);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** `POST /admin/v1/tokens` (log in) and `/admin/v1/api_keys` (create, list, revoke). */
export const tokensRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, opts) => tokensRoutesOf(opts.deps.services.auth)(app, opts);

function tokensRoutesOf(auth: AuthService): FastifyPluginAsyncTypebox<RoutePluginOptions> {
  return async (app) => {
    app.post(
      '/admin/v1/tokens',
      {
        schema: { tags, summary: 'Log in: a bearer token for a username and password', body: TokenRequest, response: { 200: TokenGrant } },
        config: { action: 'token:create', public: true },
        bodyLimit: AUTH_BODY_LIMIT,
      },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        return auth.accounts.login(request.body.username, request.body.password);
      },
    );

    app.post(
      '/admin/v1/api_keys',
      {
        schema: { tags, summary: 'Create an API key for the caller (the key is shown once)', body: ApiKeyRequest, response: { 201: CreatedApiKey } },
        config: { action: 'apikey:create' },
        bodyLimit: AUTH_BODY_LIMIT,
      },
      async (request, reply) => {
        const created = await auth.apiKeys.create(callerOf(request), request.body);
        return reply.code(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.get(
      '/admin/v1/api_keys',
      { schema: { tags, summary: "The caller's API keys (all keys for admins)", response: { 200: Type.Array(ApiKeyView) } }, config: { action: 'apikey:read' } },
      async (request) => auth.apiKeys.list(callerOf(request)),
    );

    app.delete(
      '/admin/v1/api_keys/:id',
      { schema: { tags, summary: 'Revoke an API key', params: IdParams }, config: { action: 'apikey:delete' } },
      async (request, reply) => {
        await auth.apiKeys.revoke(callerOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
