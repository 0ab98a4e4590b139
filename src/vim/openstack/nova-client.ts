import { VimError } from '../../model/index.js';
import type { OpenStackApi, ServiceCall } from './keystone-client.js';

/**
 * Compute API microversion: 2.52+ lets a server be created with tags, 2.26+ filters by
 * tags; 2.79 is in every release since Train and below the fake driver's maximum.
 */
export const NOVA_MICROVERSION = '2.79';

/** The server fields the driver uses. */
export interface NovaServer {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly metadata: Record<string, string>;
  readonly tags?: readonly string[];
  readonly fault?: { message?: string; code?: number };
  readonly 'OS-EXT-AZ:availability_zone'?: string;
}

/** The flavor fields the driver uses. */
export interface NovaFlavor {
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  readonly ram: number;
  readonly disk: number;
}

const call = <T>(api: OpenStackApi, c: ServiceCall) =>
  api.call<T>('compute', { ...c, headers: { ...c.headers, 'openstack-api-version': `compute ${NOVA_MICROVERSION}`, 'x-openstack-nova-api-version': NOVA_MICROVERSION } });
const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const notFound = (e: unknown): boolean => e instanceof VimError && e.kind === 'NOT_FOUND';

/** Nova's version document, e.g. `2.93` (the maximum microversion). */
export async function novaVersion(api: OpenStackApi, signal?: AbortSignal): Promise<string> {
  const res = await call<{ version?: { version?: string; id?: string } }>(api, { method: 'GET', path: '/', what: 'compute version', ...sig(signal) });
  return res.body.version?.version || res.body.version?.id || 'unknown';
}

/** A server by id, or undefined when Nova does not know it. */
export async function getServer(api: OpenStackApi, id: string, signal?: AbortSignal): Promise<NovaServer | undefined> {
  try {
    return (await call<{ server: NovaServer }>(api, { method: 'GET', path: `/servers/${encodeURIComponent(id)}`, what: `show server ${id}`, ...sig(signal) })).body.server;
  } catch (e) {
    if (notFound(e)) return undefined;
    throw e;
  }
}

/** Servers with every tag in `tags` (and exactly this name, when given). */
export async function listServers(api: OpenStackApi, filter: { tags?: readonly string[]; name?: string }, signal?: AbortSignal): Promise<NovaServer[]> {
  const q: string[] = [];
  if (filter.tags && filter.tags.length > 0) q.push(`tags=${encodeURIComponent(filter.tags.join(','))}`);
  // Nova's name filter is a regular expression: anchor and escape it.
  if (filter.name !== undefined) q.push(`name=${encodeURIComponent(`^${filter.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)}`);
  const res = await call<{ servers: NovaServer[] }>(api, { method: 'GET', path: `/servers/detail${q.length ? `?${q.join('&')}` : ''}`, what: 'list servers', ...sig(signal) });
  return res.body.servers.filter((s) => filter.name === undefined || s.name === filter.name);
}

/** Boots a server on pre-created ports; returns its id. */
export async function createServer(
  api: OpenStackApi,
  spec: { name: string; imageRef: string; flavorRef: string; ports: readonly string[]; metadata: Record<string, string>; tags: readonly string[]; userData?: string; availabilityZone?: string; schedulerGroup?: string },
  signal?: AbortSignal,
): Promise<string> {
  const server: Record<string, unknown> = {
    name: spec.name,
    imageRef: spec.imageRef,
    flavorRef: spec.flavorRef,
    networks: spec.ports.length > 0 ? spec.ports.map((port) => ({ port })) : 'none',
    metadata: spec.metadata,
    tags: spec.tags,
  };
  if (spec.userData !== undefined) server.user_data = Buffer.from(spec.userData).toString('base64');
  if (spec.availabilityZone !== undefined) server.availability_zone = spec.availabilityZone;
  const body: Record<string, unknown> = { server };
  if (spec.schedulerGroup !== undefined) body['os:scheduler_hints'] = { group: spec.schedulerGroup };
  const res = await call<{ server: { id: string } }>(api, { method: 'POST', path: '/servers', what: `create server ${spec.name}`, body, ...sig(signal) });
  return res.body.server.id;
}

/** Deletes a server; a missing one is fine. Does not wait. */
export async function deleteServer(api: OpenStackApi, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await call(api, { method: 'DELETE', path: `/servers/${encodeURIComponent(id)}`, what: `delete server ${id}`, ...sig(signal) });
  } catch (e) {
    if (!notFound(e)) throw e;
  }
}

/** Runs a server action (`os-stop`, `os-resetState`...). */
export async function serverAction(api: OpenStackApi, id: string, action: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  await call(api, { method: 'POST', path: `/servers/${encodeURIComponent(id)}/action`, what: `server ${id} action ${Object.keys(action).join()}`, body: action, ...sig(signal) });
}

/** Every flavor with details. */
export async function listFlavors(api: OpenStackApi, signal?: AbortSignal): Promise<NovaFlavor[]> {
  return (await call<{ flavors: NovaFlavor[] }>(api, { method: 'GET', path: '/flavors/detail?is_public=None', what: 'list flavors', ...sig(signal) })).body.flavors;
}

/** Creates a public flavor (admin only). */
export async function createFlavor(api: OpenStackApi, f: Omit<NovaFlavor, 'id'>, signal?: AbortSignal): Promise<NovaFlavor> {
  const res = await call<{ flavor: NovaFlavor }>(api, {
    method: 'POST',
    path: '/flavors',
    what: `create flavor ${f.name}`,
    body: { flavor: { name: f.name, vcpus: f.vcpus, ram: f.ram, disk: f.disk, 'os-flavor-access:is_public': true } },
    ...sig(signal),
  });
  return res.body.flavor;
}

/** Deletes a flavor; a missing one is fine. */
export async function deleteFlavor(api: OpenStackApi, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await call(api, { method: 'DELETE', path: `/flavors/${encodeURIComponent(id)}`, what: `delete flavor ${id}`, ...sig(signal) });
  } catch (e) {
    if (!notFound(e)) throw e;
  }
}

/** Absolute limits of the project (`maxTotalCores`, `maxTotalRAMSize`, ... ; -1 = unlimited). */
export async function novaLimits(api: OpenStackApi, signal?: AbortSignal): Promise<Record<string, number>> {
  return (await call<{ limits: { absolute: Record<string, number> } }>(api, { method: 'GET', path: '/limits', what: 'compute limits', ...sig(signal) })).body.limits.absolute;
}

/** Sets compute quotas of a project (admin only). */
export async function setComputeQuota(api: OpenStackApi, projectId: string, quota: Record<string, number>, signal?: AbortSignal): Promise<void> {
  await call(api, { method: 'PUT', path: `/os-quota-sets/${projectId}`, what: `set compute quota of ${projectId}`, body: { quota_set: quota }, ...sig(signal) });
}
