import { VimError } from '../../model/index.js';
import type { OpenStackApi } from './keystone-client.js';

/** The network fields the driver uses. */
export interface NeutronNetwork {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly subnets: readonly string[];
}

/** The subnet fields the driver uses. */
export interface NeutronSubnet {
  readonly id: string;
  readonly network_id: string;
  readonly cidr: string;
  readonly gateway_ip: string | null;
  readonly tags: readonly string[];
}

/** The port fields the driver uses. */
export interface NeutronPort {
  readonly id: string;
  readonly name: string;
  readonly network_id: string;
  readonly device_id: string;
  readonly status: string;
  readonly fixed_ips: readonly { subnet_id: string; ip_address: string }[];
  /** Absent only from fakes that leave it out; Neutron always reports it. */
  readonly mac_address?: string;
  readonly tags: readonly string[];
}

/** A security group. */
export interface NeutronSecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const notFound = (e: unknown): boolean => e instanceof VimError && e.kind === 'NOT_FOUND';
const RESOURCES = { networks: 'network', subnets: 'subnet', ports: 'port', 'security-groups': 'security_group' } as const;
type Collection = keyof typeof RESOURCES;

/** Lists a Neutron collection filtered by query fields and tags (all must match). */
export async function neutronList<T>(api: OpenStackApi, collection: Collection, filter: Record<string, string> = {}, tags: readonly string[] = [], signal?: AbortSignal): Promise<T[]> {
  const q = Object.entries(filter).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  if (tags.length > 0) q.push(`tags=${encodeURIComponent(tags.join(','))}`);
  const res = await api.call<Record<string, T[]>>('network', { method: 'GET', path: `/v2.0/${collection}${q.length ? `?${q.join('&')}` : ''}`, what: `list ${collection}`, ...sig(signal) });
  return res.body[collection.replace('-', '_')] ?? [];
}

/** Creates one Neutron resource and then sets its tags (POST does not take tags everywhere). */
export async function neutronCreate<T extends { id: string }>(api: OpenStackApi, collection: Collection, body: Record<string, unknown>, tags: readonly string[], signal?: AbortSignal): Promise<T> {
  const key = RESOURCES[collection];
  const res = await api.call<Record<string, T>>('network', { method: 'POST', path: `/v2.0/${collection}`, what: `create ${key} ${String(body.name ?? '')}`, body: { [key]: body }, ...sig(signal) });
  const created = res.body[key] as T;
  if (tags.length > 0) {
    try {
      await api.call('network', { method: 'PUT', path: `/v2.0/${collection}/${created.id}/tags`, what: `tag ${key} ${created.id}`, body: { tags }, ...sig(signal) });
    } catch (e) {
      // An untagged resource would be invisible to listByLabel: do not leave it behind.
      await neutronDelete(api, collection, created.id).catch(() => undefined);
      throw e;
    }
  }
  return { ...created, tags };
}

/** Deletes one Neutron resource; a missing one is fine. */
export async function neutronDelete(api: OpenStackApi, collection: Collection, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await api.call('network', { method: 'DELETE', path: `/v2.0/${collection}/${id}`, what: `delete ${RESOURCES[collection]} ${id}`, ...sig(signal) });
  } catch (e) {
    if (!notFound(e)) throw e;
  }
}

/** Sets network quotas of a project (admin only). */
export async function setNetworkQuota(api: OpenStackApi, projectId: string, quota: Record<string, number>, signal?: AbortSignal): Promise<void> {
  await api.call('network', { method: 'PUT', path: `/v2.0/quotas/${projectId}`, what: `set network quota of ${projectId}`, body: { quota }, ...sig(signal) });
}
