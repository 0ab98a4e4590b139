import { VimError } from '../../model/index.js';
import { parseCidr } from '../ipv4-cidr.js';
import { LABEL_NS, LABEL_STEP } from '../vim-driver.js';
import type { Labels, NetworkInfo, NetworkSpec } from '../vim-driver.js';
import type { OpenStackApi } from './keystone-client.js';
import { RONDO_TAG, labelsToTags, tagsToLabels } from './openstack-labels.js';
import { neutronCreate, neutronDelete, neutronList } from './neutron-client.js';
import type { NeutronNetwork, NeutronSubnet } from './neutron-client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Neutron descriptions hold 255 characters: the full labels live there, tags hold the
// filterable subset.
const LABELS_PREFIX = 'rondo:';

/** Labels of a network, from its description (all of them) or else its tags. */
export function networkLabels(n: Pick<NeutronNetwork, 'description' | 'tags'>): Record<string, string> {
  if (n.description?.startsWith(LABELS_PREFIX)) {
    try {
      return JSON.parse(n.description.slice(LABELS_PREFIX.length)) as Record<string, string>;
    } catch {
      // Edited by hand: fall back to the tags.
    }
  }
  return tagsToLabels(n.tags);
}

/** A Rondo network (tagged `rondo`) by id or name, or undefined. */
export async function findNetwork(api: OpenStackApi, idOrName: string, scopeTags: readonly string[], signal?: AbortSignal): Promise<NeutronNetwork | undefined> {
  const filter: Record<string, string> = UUID.test(idOrName) ? { id: idOrName } : { name: idOrName };
  const found = await neutronList<NeutronNetwork>(api, 'networks', filter, [RONDO_TAG, ...scopeTags], signal);
  return found[0];
}

/** The network as the driver reports it: id, name, first subnet's CIDR, labels. */
export async function networkInfo(api: OpenStackApi, n: NeutronNetwork, signal?: AbortSignal): Promise<NetworkInfo> {
  const subnets = await neutronList<NeutronSubnet>(api, 'subnets', { network_id: n.id }, [], signal);
  return { id: n.id, name: n.name, subnet: subnets[0]?.cidr ?? '', labels: networkLabels(n) };
}

/** The CIDRs of the project's Rondo subnets (Neutron allows overlaps; Rondo does not). */
export async function rondoSubnets(api: OpenStackApi, signal?: AbortSignal): Promise<string[]> {
  return (await neutronList<NeutronSubnet>(api, 'subnets', {}, [RONDO_TAG], signal)).map((s) => s.cidr).filter((c) => parseCidr(c) !== null);
}

/**
 * Creates a Neutron network and one IPv4 subnet without DHCP (Rondo assigns addresses).
 * Idempotent on name + (`rondo.ns`, `rondo.step`); another owner, or a CIDR that overlaps a
 * Rondo subnet of the project, is SUBNET_IN_USE (Neutron itself allows overlapping subnets).
 */
export async function createNetwork(api: OpenStackApi, spec: NetworkSpec, labels: Labels, scopeTags: readonly string[], signal?: AbortSignal): Promise<NetworkInfo> {
  const existing = await findNetwork(api, spec.name, scopeTags, signal);
  if (existing) {
    const have = networkLabels(existing);
    if (have[LABEL_NS] === labels[LABEL_NS] && have[LABEL_STEP] === labels[LABEL_STEP]) return networkInfo(api, existing, signal);
    throw new VimError('CONFLICT', api.vim, `network ${spec.name} already exists and belongs to ns ${have[LABEL_NS] ?? '?'} step ${have[LABEL_STEP] ?? '?'}; choose another name`);
  }
  const cidr = parseCidr(spec.subnet);
  if (!cidr) throw new VimError('CONFLICT', api.vim, `subnet ${spec.subnet} of network ${spec.name} is not an IPv4 CIDR with zero host bits`);
  const others = await neutronList<NeutronSubnet>(api, 'subnets', {}, [RONDO_TAG], signal);
  for (const s of others) {
    const o = parseCidr(s.cidr);
    if (o && o.network <= cidr.broadcast && cidr.network <= o.broadcast) {
      throw new VimError('SUBNET_IN_USE', api.vim, `subnet ${spec.subnet} of network ${spec.name} overlaps ${s.cidr} of network ${s.network_id}; pick a free range`);
    }
  }
  const tags = labelsToTags(labels);
  const net = await neutronCreate<NeutronNetwork>(api, 'networks', { name: spec.name, description: `${LABELS_PREFIX}${JSON.stringify(labels)}`.slice(0, 255), admin_state_up: true }, tags, signal);
  try {
    await neutronCreate<NeutronSubnet>(api, 'subnets', {
      name: `${spec.name}-subnet`,
      network_id: net.id,
      ip_version: 4,
      cidr: spec.subnet,
      enable_dhcp: false,
      ...(spec.gateway !== undefined ? { gateway_ip: spec.gateway } : {}),
    }, tags, signal);
  } catch (e) {
    await neutronDelete(api, 'networks', net.id).catch(() => undefined);
    throw e;
  }
  return { id: net.id, name: spec.name, subnet: spec.subnet, labels };
}

/** Deletes a Rondo network (and with it its subnets); missing is fine, ports still on it are CONFLICT. */
export async function deleteNetwork(api: OpenStackApi, idOrName: string, scopeTags: readonly string[], signal?: AbortSignal): Promise<void> {
  const n = await findNetwork(api, idOrName, scopeTags, signal);
  if (n) await neutronDelete(api, 'networks', n.id, signal);
}
