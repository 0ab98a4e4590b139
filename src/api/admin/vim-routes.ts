import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VIM_TYPES } from '../../model/index.js';
import type { Capacity, VimAccount } from '../../model/index.js';
import { publicAccount } from '../../vim/index.js';
import type { VimCheck } from '../../vim/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { IdParams, StringEnum } from '../http/schema-types.js';
import { baseUrl } from '../http/list-response.js';
import { callerOf, vimAccessOf } from '../http/caller.js';

const tags = ['admin'];

const CapacitySchema = Type.Object({ cpu: Type.Number({ minimum: 0 }), memoryMiB: Type.Number({ minimum: 0 }) });

/** Body of `POST /admin/v1/vims`. Credentials are write-only. */
const VimAccountRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 63, description: 'Also the PoP id' }),
  type: StringEnum(VIM_TYPES),
  endpoint: Type.String({ minLength: 1, description: 'Docker: unix:///var/run/docker.sock, tcp://host:2375, or tcp://host:2376 with TLS credentials; OpenStack: the Keystone v3 URL' }),
  capacity: Type.Optional(CapacitySchema),
  config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  credentials: Type.Optional(
    Type.Union([
      Type.Object(
        {
          username: Type.String(),
          password: Type.String(),
          projectName: Type.String(),
          userDomainName: Type.Optional(Type.String()),
          projectDomainName: Type.Optional(Type.String()),
          region: Type.Optional(Type.String()),
        },
        { additionalProperties: false, title: 'OpenStackCredentials', description: 'OpenStack (Keystone v3 password)' },
      ),
      Type.Object(
        {
          tlsCaCert: Type.String({ minLength: 1, description: "PEM of the CA that signed the engine's certificate" }),
          tlsCert: Type.String({ minLength: 1, description: 'PEM client certificate, signed by the CA the engine trusts (dockerd --tlscacert)' }),
          tlsKey: Type.String({ minLength: 1, description: 'PEM private key of the client certificate' }),
        },
        { additionalProperties: false, title: 'DockerTlsCredentials', description: 'Docker over mutual TLS (a tcp://host:port endpoint of dockerd --tlsverify)' },
      ),
    ], { description: 'Write-only; stored sealed and never returned' }),
  ),
});

/** A PoP as the API shows it: no secret, plus capacity in use and the last check. */
const VimAccountSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.String(),
    endpoint: Type.String(),
    capacity: Type.Union([CapacitySchema, Type.Null()]),
    usage: CapacitySchema,
    config: Type.Record(Type.String(), Type.Unknown()),
    hasCredentials: Type.Boolean(),
    createdAt: Type.String(),
    _links: Type.Object({ self: Type.Object({ href: Type.String() }), check: Type.Object({ href: Type.String() }) }),
  },
  { additionalProperties: true },
);

/** Body of `PATCH /admin/v1/vims/{id}` (JSON merge patch, RFC 7396). */
const VimAccountPatch = Type.Object(
  {
    imageMap: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Union([Type.String({ minLength: 1 }), Type.Null()]), {
      description: 'VM image name (as descriptors name it) → the image this PoP runs instead (a container image on Docker, a Glance image name or id on OpenStack); null removes an entry',
    })),
  },
  { additionalProperties: false },
);

const CheckSchema = Type.Object({ id: Type.String(), reachable: Type.Boolean(), version: Type.String(), capacity: Type.Union([CapacitySchema, Type.Null()]) });

const none: Capacity = { cpu: 0, memoryMiB: 0 };

function toView(a: VimAccount, usage: Record<string, Capacity>, base: string, check?: VimCheck | null) {
  const p = publicAccount(a);
  const self = `${base}/admin/v1/vims/${encodeURIComponent(a.id)}`;
  return {
    id: p.id, name: p.name, type: p.type, endpoint: p.endpoint, capacity: p.capacity, usage: usage[a.id] ?? none, config: p.config,
    hasCredentials: a.config.secret !== undefined, createdAt: p.createdAt,
    ...(check ? { version: check.version, reportedCapacity: check.capacity } : {}),
    _links: { self: { href: self }, check: { href: `${self}/check` } },
  };
}

/**
 * VIM accounts (PoPs): `/admin/v1/vims`. Adding checks connectivity first (400/503 with
 * the VimError code when unreachable; `?check=false` skips it); PATCH changes the image
 * map of VM image names (`config.imageMap`: container images on Docker, Glance images on
 * OpenStack); credentials are stored
 * apart from the rest of the config and never returned; removing a PoP an NS instance
 * uses is 409 `VIM_ACCOUNT_IN_USE`. An account belongs to its creator's tenant; callers
 * see their tenant's accounts and those an admin shared with it, others answer 404.
 */
export const vimRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const vims = deps.services.vims;
  const access = vimAccessOf(deps);

  app.post(
    '/admin/v1/vims',
    {
      config: { action: 'vim:create' },
      schema: {
        tags,
        summary: 'Add a VIM account (PoP); checks connectivity unless check=false',
        querystring: Type.Object({ check: Type.Optional(Type.Boolean()) }),
        body: VimAccountRequest,
        response: { 201: VimAccountSchema },
      },
    },
    async (request, reply) => {
      const { credentials, capacity, config, ...rest } = request.body;
      const { account, check } = await vims.add(
        { ...rest, tenant: callerOf(request).tenant, ...(credentials ? { credentials } : {}), ...(capacity ? { capacity } : {}), ...(config ? { config } : {}) },
        { check: request.query.check !== false },
      );
      const body = toView(account, await vims.usage(), baseUrl(request), check);
      return reply.code(201).header('location', body._links.self.href).send(body);
    },
  );

  app.get(
    '/admin/v1/vims',
    { schema: { tags, summary: 'List VIM accounts (PoPs) with capacity in use', response: { 200: Type.Array(VimAccountSchema) } }, config: { action: 'vim:read' } },
    async (request) => {
      const usage = await vims.usage();
      const visible = await access.visibleIds(callerOf(request));
      const accounts = (await vims.list()).filter((a) => visible === 'all' || visible.includes(a.id));
      return accounts.map((a) => toView(a, usage, baseUrl(request)));
    },
  );

  app.get(
    '/admin/v1/vims/:id',
    { schema: { tags, summary: 'Read a VIM account (PoP)', params: IdParams, response: { 200: VimAccountSchema } }, config: { action: 'vim:read' } },
    async (request) => {
      await access.assertVisible(callerOf(request), request.params.id);
      return toView(await vims.get(request.params.id), await vims.usage(), baseUrl(request));
    },
  );

  app.patch(
    '/admin/v1/vims/:id',
    {
      schema: { tags, summary: 'Change a VIM account (PoP): its image map (merge patch; null removes an entry)', params: IdParams, body: VimAccountPatch, response: { 200: VimAccountSchema } },
      config: { action: 'vim:update' },
    },
    async (request) => {
      await access.assertVisible(callerOf(request), request.params.id);
      const updated = await vims.update(request.params.id, { ...(request.body.imageMap ? { imageMap: request.body.imageMap } : {}) });
      return toView(updated, await vims.usage(), baseUrl(request));
    },
  );

  app.post(
    '/admin/v1/vims/:id/check',
    { schema: { tags, summary: 'Check connectivity of a VIM account (200, or 400/503 with the VimError code)', params: IdParams, response: { 200: CheckSchema } }, config: { action: 'vim:read' } },
    async (request) => {
      await access.assertVisible(callerOf(request), request.params.id);
      const r = await vims.check(request.params.id);
      return { id: request.params.id, reachable: true, version: r.version, capacity: r.capacity };
    },
  );

  app.delete(
    '/admin/v1/vims/:id',
    { schema: { tags, summary: 'Remove a VIM account (409 while an NS instance uses it)', params: IdParams }, config: { action: 'vim:delete' } },
    async (request, reply) => {
      await access.assertVisible(callerOf(request), request.params.id);
      await vims.remove(request.params.id);
      return reply.code(204).send();
    },
  );
};
