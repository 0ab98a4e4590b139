import { VimError } from '../../model/index.js';
import { isHostAddress, parseCidr, parseIpv4 } from '../ipv4-cidr.js';
import { LABEL_NS, LABEL_STEP } from '../vim-driver.js';
import type { ComputeInfo, ComputeSpec, ComputeState, Labels } from '../vim-driver.js';
import { findImage } from './glance-client.js';
import type { OpenStackApi } from './keystone-client.js';
import { createFlavor, createServer, deleteServer, getServer, listFlavors, listServers, serverAction } from './nova-client.js';
import type { NovaFlavor, NovaServer } from './nova-client.js';
import { neutronCreate, neutronDelete, neutronList } from './neutron-client.js';
import type { NeutronNetwork, NeutronPort, NeutronSubnet } from './neutron-client.js';
import { RONDO_TAG, labelsToTags } from './openstack-labels.js';
import { findNetwork } from './openstack-networks.js';
import { pollUntil } from './openstack-poll.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Tag on a compute's ports naming the server they were made for (`rondo.port-of=<name>`). */
const PORT_OF = 'rondo.port-of=';

/** Deterministic flavor name (the Heat translator uses the same scheme). */
export const flavorName = (vcpus: number, ramMiB: number, diskGiB: number): string => `rondo-c${vcpus}-m${ramMiB}-d${diskGiB}`;

/** Maps a Nova server status onto the contract's compute states. */
export function computeState(status: string | undefined): ComputeState {
  switch (status) {
    case 'ACTIVE': return 'ACTIVE';
    case 'ERROR': return 'ERROR';
    case 'SHUTOFF': case 'STOPPED': case 'PAUSED': case 'SUSPENDED': case 'SHELVED': case 'SHELVED_OFFLOADED': return 'STOPPED';
    case 'DELETED': case 'SOFT_DELETED': case undefined: return 'DELETED';
    default: return 'BUILD';
  }
}

/**
 * The flavor named {@link flavorName}; else an existing flavor with exactly these sizes;
 * else one created (admin only). A race with another creator is resolved by looking again.
 */
export async function ensureFlavor(api: OpenStackApi, vcpus: number, ramMiB: number, diskGiB: number, signal?: AbortSignal): Promise<NovaFlavor> {
  const name = flavorName(vcpus, ramMiB, diskGiB);
  const pick = (all: NovaFlavor[]): NovaFlavor | undefined =>
    all.find((f) => f.name === name) ?? all.find((f) => f.vcpus === vcpus && f.ram === ramMiB && f.disk === diskGiB);
  const found = pick(await listFlavors(api, signal));
  if (found) return found;
  try {
    return await createFlavor(api, { name, vcpus, ram: ramMiB, disk: diskGiB }, signal);
  } catch (e) {
    if (e instanceof VimError && e.kind === 'CONFLICT') {
      const again = pick(await listFlavors(api, signal));
      if (again) return again;
    }
    throw e;
  }
}

/** A server found by id or exact name among Rondo's (tag `rondo`), or undefined. */
export async function findServer(api: OpenStackApi, idOrName: string, scopeTags: readonly string[], signal?: AbortSignal): Promise<NovaServer | undefined> {
  if (UUID.test(idOrName)) {
    const s = await getServer(api, idOrName, signal);
    if (s) return s;
  }
  return (await listServers(api, { name: idOrName, tags: [RONDO_TAG, ...scopeTags] }, signal))[0];
}

/** The compute as the contract reports it, with addresses from its ports in port order. */
export async function computeInfo(api: OpenStackApi, s: NovaServer, signal?: AbortSignal): Promise<ComputeInfo> {
  const ports = (await neutronList<NeutronPort>(api, 'ports', {}, [`${PORT_OF}${s.name}`], signal)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const addresses: Record<string, string> = {};
  const interfaces: { network: string; address: string; macAddress?: string }[] = [];
  for (const p of ports) {
    const net = await neutronList<NeutronNetwork>(api, 'networks', { id: p.network_id }, [], signal);
    const name = net[0]?.name ?? p.network_id;
    const address = p.fixed_ips[0]?.ip_address ?? '';
    addresses[name] = address;
    interfaces.push({ network: name, address, ...(p.mac_address ? { macAddress: p.mac_address.toLowerCase() } : {}) });
  }
  const detail = s.fault?.message;
  return { id: s.id, name: s.name, state: computeState(s.status), labels: s.metadata, addresses, interfaces, ...(detail ? { detail } : {}) };
}

/** What `createCompute` needs beyond the spec. */
export interface ComputeContext {
  readonly labels: Labels;
  readonly scopeTags: readonly string[];
  readonly diskGiB: number;
  readonly availabilityZone?: string;
  readonly buildTimeoutMs: number;
}

/**
 * Creates ports with the fixed addresses, then the server on them, and waits for ACTIVE.
 * Idempotent on name + owner labels. Checks addresses against the subnets first (outside:
 * CONFLICT); a missing image or network is NOT_FOUND; on any failure what was made is
 * removed again.
 */
export async function createCompute(api: OpenStackApi, spec: ComputeSpec, ctx: ComputeContext, signal?: AbortSignal): Promise<ComputeInfo> {
  const existing = await findServer(api, spec.name, ctx.scopeTags, signal);
  if (existing) {
    if (existing.metadata[LABEL_NS] !== ctx.labels[LABEL_NS] || existing.metadata[LABEL_STEP] !== ctx.labels[LABEL_STEP]) {
      throw new VimError('CONFLICT', api.vim, `server ${spec.name} already exists for ns ${existing.metadata[LABEL_NS] ?? '?'} step ${existing.metadata[LABEL_STEP] ?? '?'}`);
    }
    return waitActive(api, existing.id, ctx.buildTimeoutMs, signal);
  }
  const image = await findImage(api, { idOrName: spec.image }, signal);
  if (!image) throw new VimError('NOT_FOUND', api.vim, `image ${spec.image} is not in Glance (or not active); upload it first`);
  const nets: { net: NeutronNetwork; subnet: NeutronSubnet; address: string }[] = [];
  for (const itf of spec.interfaces) {
    const net = await findNetwork(api, itf.network, ctx.scopeTags, signal);
    if (!net) throw new VimError('NOT_FOUND', api.vim, `network ${itf.network} of server ${spec.name} does not exist; create it first`);
    const subnets = await neutronList<NeutronSubnet>(api, 'subnets', { network_id: net.id }, [], signal);
    const addr = parseIpv4(itf.address);
    const subnet = subnets.find((s) => {
      const c = parseCidr(s.cidr);
      return c !== null && addr !== null && isHostAddress(c, addr);
    });
    if (!subnet || itf.address === subnet.gateway_ip) {
      throw new VimError('CONFLICT', api.vim, `address ${itf.address} of server ${spec.name} is not a free host address of network ${itf.network} (${subnets.map((s) => s.cidr).join(', ')})`);
    }
    nets.push({ net, subnet, address: itf.address });
  }
  const flavor = await ensureFlavor(api, spec.vcpus, spec.memoryMiB, ctx.diskGiB, signal);
  const tags = labelsToTags(ctx.labels);
  const ports: string[] = [];
  try {
    for (const [i, n] of nets.entries()) {
      const port = await neutronCreate<NeutronPort>(api, 'ports', {
        name: `${spec.name}-p${i}`,
        network_id: n.net.id,
        fixed_ips: [{ subnet_id: n.subnet.id, ip_address: n.address }],
      }, [...tags, `${PORT_OF}${spec.name}`], signal);
      ports.push(port.id);
    }
    const id = await createServer(api, {
      name: spec.name,
      imageRef: image.id,
      flavorRef: flavor.id,
      ports,
      metadata: Object.fromEntries(Object.entries(ctx.labels).map(([k, v]) => [k.slice(0, 255), v.slice(0, 255)])),
      tags,
      ...(Object.keys(spec.env).length > 0 ? { userData: envUserData(spec.env) } : {}),
      ...(ctx.availabilityZone ? { availabilityZone: ctx.availabilityZone } : {}),
    }, signal);
    return await waitActive(api, id, ctx.buildTimeoutMs, signal).catch(async (e: unknown) => {
      await removeCompute(api, { id, name: spec.name }, ctx.buildTimeoutMs).catch(() => undefined);
      throw e;
    });
  } catch (e) {
    for (const p of ports) await neutronDelete(api, 'ports', p).catch(() => undefined);
    throw e;
  }
}

/** Polls a server (backoff, deadline) until ACTIVE; ERROR is thrown (no valid host → QUOTA). */
export async function waitActive(api: OpenStackApi, id: string, deadlineMs: number, signal?: AbortSignal): Promise<ComputeInfo> {
  const server = await pollUntil(api.vim, `server ${id} becoming ACTIVE`, async () => {
    const s = await getServer(api, id, signal);
    if (!s) throw new VimError('NOT_FOUND', api.vim, `server ${id} disappeared while building`);
    if (s.status === 'ERROR') {
      const msg = s.fault?.message ?? 'no fault given';
      throw new VimError(/no valid host|quota|insufficient/i.test(msg) ? 'QUOTA' : 'UNEXPECTED_RESPONSE', api.vim, `server ${s.name} went to ERROR: ${msg}`);
    }
    return s.status === 'ACTIVE' ? s : undefined;
  }, { deadlineMs, maxMs: 2_000, ...(signal ? { signal } : {}) });
  return computeInfo(api, server, signal);
}

/** Runs `os-stop`/`os-start`; Nova's 409 (the server is already in, or moving to, that state) is no error. */
async function powerAction(api: OpenStackApi, s: NovaServer, action: 'os-stop' | 'os-start', signal?: AbortSignal): Promise<void> {
  try {
    await serverAction(api, s.id, { [action]: null }, signal);
  } catch (e) {
    if (!(e instanceof VimError && e.kind === 'CONFLICT')) throw e;
  }
}

/** Stops a server (`os-stop`, Nova's own graceful shutdown) and waits for SHUTOFF; its ports stay. Idempotent. */
export async function stopServer(api: OpenStackApi, s: NovaServer, deadlineMs: number, signal?: AbortSignal): Promise<ComputeInfo> {
  if (s.status !== 'SHUTOFF') await powerAction(api, s, 'os-stop', signal);
  const stopped = await pollUntil(api.vim, `server ${s.name} stopping`, async () => {
    const now = await getServer(api, s.id, signal);
    if (!now) throw new VimError('NOT_FOUND', api.vim, `server ${s.name} disappeared while stopping`);
    return now.status === 'SHUTOFF' ? now : undefined;
  }, { deadlineMs, maxMs: 2_000, ...(signal ? { signal } : {}) });
  return computeInfo(api, stopped, signal);
}

/** Starts a stopped server (`os-start`) and waits for ACTIVE. Idempotent. */
export async function startServer(api: OpenStackApi, s: NovaServer, deadlineMs: number, signal?: AbortSignal): Promise<ComputeInfo> {
  if (s.status !== 'ACTIVE') await powerAction(api, s, 'os-start', signal);
  return waitActive(api, s.id, deadlineMs, signal);
}

/** Deletes a server, waits until Nova forgets it, then deletes its ports. Idempotent. */
export async function removeCompute(api: OpenStackApi, s: { id: string; name: string }, deadlineMs: number, signal?: AbortSignal): Promise<void> {
  await deleteServer(api, s.id, signal);
  await pollUntil(api.vim, `server ${s.name} deletion`, async () => ((await getServer(api, s.id, signal)) ? undefined : true), { deadlineMs, maxMs: 2_000, ...(signal ? { signal } : {}) });
  for (const p of await neutronList<NeutronPort>(api, 'ports', {}, [`${PORT_OF}${s.name}`], signal)) await neutronDelete(api, 'ports', p.id, signal);
}

/** Environment variables as a shell user-data script (cloud-init runs it at first boot). */
function envUserData(env: Readonly<Record<string, string>>): string {
  const q = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
  const lines = Object.entries(env).map(([k, v]) => `echo ${q(`${k}=${v}`)} >> /etc/environment`);
  return ['#!/bin/sh', ...lines, ''].join('\n');
}
