import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { USER_ROLES } from '../../auth/index.js';
import type { AuthService } from '../../auth/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { StringEnum } from '../http/schema-types.js';
import { callerOf } from '../http/caller.js';
import { AUTH_BODY_LIMIT } from './tokens-routes.js';

const tags = ['admin'];
const Roles = Type.Array(StringEnum(USER_ROLES), { minItems: 1, maxItems: USER_ROLES.length });
const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  tenant: Type.String(),
  roles: Type.Array(StringEnum(USER_ROLES)),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const NewUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 63 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    tenant: Type.String({ minLength: 1, maxLength: 63 }),
    roles: Roles,
  },
  { additionalProperties: false },
);
const UserPatch = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    roles: Type.Optional(Roles),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** `/admin/v1/users` (admins) and `/admin/v1/users/me` (anyone, about themselves). */
export const usersRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, opts) => usersRoutesOf(opts.deps.services.auth)(app, opts);

function usersRoutesOf(auth: AuthService): FastifyPluginAsyncTypebox<RoutePluginOptions> {
  return async (app) => {
    app.get(
      '/admin/v1/users/me',
      {
        schema: { tags, summary: 'Who am I: user, tenant, roles', response: { 200: Type.Object({ user: Type.String(), tenant: Type.String(), roles: Type.Array(Type.String()), isAdmin: Type.Boolean(), method: Type.String() }) } },
        config: { action: 'user:self' },
      },
      async (request) => {
        const c = callerOf(request);
        return { user: c.user, tenant: c.tenant, roles: [...c.roles], isAdmin: c.isAdmin, method: c.method };
      },
    );
    app.post(
      '/admin/v1/users',
      { schema: { tags, summary: 'Create a user', body: NewUser, response: { 201: UserView } }, config: { action: 'user:create' }, bodyLimit: AUTH_BODY_LIMIT },
      async (request, reply) => reply.code(201).send(await auth.accounts.createUser(request.body)),
    );
    app.get('/admin/v1/users', { schema: { tags, summary: 'List users', response: { 200: Type.Array(UserView) } }, config: { action: 'user:read' } }, async () =>
      auth.accounts.listUsers(),
    );
    app.get(
      '/admin/v1/users/:id',
      { schema: { tags, summary: 'Read a user', params: IdParams, response: { 200: UserView } }, config: { action: 'user:read' } },
      async (request) => auth.accounts.getUser(request.params.id),
    );
    app.patch(
      '/admin/v1/users/:id',
      {
        schema: { tags, summary: 'Change password, tenant, roles or disable a user (ends their tokens)', params: IdParams, body: UserPatch, response: { 200: UserView } },
        config: { action: 'user:update' },
        bodyLimit: AUTH_BODY_LIMIT,
      },
      async (request) => auth.accounts.updateUser(request.params.id, request.body),
    );
    app.delete(
      '/admin/v1/users/:id',
      { schema: { tags, summary: 'Delete a user and their API keys', params: IdParams }, config: { action: 'user:delete' } },
      async (request, reply) => {
        await auth.accounts.deleteUser(callerOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
