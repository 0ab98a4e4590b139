import { VimError } from '../../model/index.js';
import type { Capacity } from '../../model/index.js';
import { raceAbort, throwIfAborted } from '../vim-abort.js';
import { LABEL_POP } from '../vim-driver.js';
import type {
  ComputeInfo, ComputeSpec, ExecResult, LabelledResource, Labels, NetworkInfo, NetworkSpec, VimCapabilities, VimDriver, VimEvent, TunnelEndpointInfo, TunnelEndpointSpec,
} from '../vim-driver.js';
import { findImage } from './glance-client.js';
import { KeystoneSession } from './keystone-client.js';
import type { OpenStackApi, OpenStackCredentials } from './keystone-client.js';
import { neutronList } from './neutron-client.js';
import type { NeutronNetwork } from './neutron-client.js';
import { listServers, novaLimits, novaVersion } from './nova-client.js';
import { computeInfo, createCompute, findServer, removeCompute, startServer, stopServer } from './openstack-computes.js';
import { HeatStacks } from './openstack-heat-stacks.js';
import { listStacks as heatListStacks } from './heat-client.js';
import { RONDO_TAG, hasLabels, labelsToTags } from './openstack-labels.js';
import { createNetwork, deleteNetwork, networkLabels, rondoSubnets } from './openstack-networks.js';
import { placementCapacity } from './placement-capacity.js';
import { watchServers } from './openstack-watch.js';

/** Options of {@link createOpenStackVimDriver}. */
export interface OpenStackVimOptions {
  readonly name?: string;
  readonly credentials: OpenStackCredentials;
  /** Labels everything `rondo.pop=<popId>` and scopes `listByLabel` to it. */
  readonly popId?: string;
  /** Per HTTP call; default 30 s. */
  readonly timeoutMs?: number;
  /** How long a server may take to become ACTIVE or go away; default 180 s. */
  readonly buildTimeoutMs?: number;
  /** How long a Heat stack may take; default 600 s. */
  readonly stackTimeoutMs?: number;
  /** Root disk of the flavors the driver picks or creates, GiB; default 1. */
  readonly diskGiB?: number;
  readonly availabilityZone?: string;
  /** Interval of the polling `watch`; default 3 s. */
  readonly watchIntervalMs?: number;
  /** The API client; default a Keystone session from `credentials`. */
  readonly api?: OpenStackApi;
}

/**
 * VimDriver for OpenStack over plain HTTP: networks are Neutron networks with one subnet
 * (labels as tags and in the description), computes are Neutron ports with fixed addresses
 * plus a Nova server on them (labels as server metadata and tags). No guest agent, so
 * `exec` is NOT_SUPPORTED; `watch` polls Nova. Also exposes the Heat-stack verbs
 * (`createStack`, `waitStack`, `stackOutputs`, `deleteStack`) the lifecycle deploys
 * translated VNFDs with.
 */
export class OpenStackVimDriver implements VimDriver {
  readonly name: string;
  readonly capabilities: VimCapabilities = { exec: false, watch: true, fixedAddresses: true, cpuQuota: false };
  readonly api: OpenStackApi;
  private readonly stacks: HeatStacks;
  private readonly scopeTags: string[];

  constructor(private readonly opts: OpenStackVimOptions) {
    this.name = opts.name ?? 'openstack';
    this.api = opts.api ?? new KeystoneSession(this.name, opts.credentials, { timeoutMs: opts.timeoutMs ?? 30_000 });
    this.stacks = new HeatStacks(this.api, { deadlineMs: opts.stackTimeoutMs ?? 600_000 });
    this.scopeTags = opts.popId ? labelsToTags({ [LABEL_POP]: opts.popId }).slice(1) : [];
  }

  async init(signal?: AbortSignal): Promise<void> {
    await this.checkConnectivity(signal);
  }

  async destroy(): Promise<void> {
    if (this.api instanceof KeystoneSession) this.api.invalidate();
  }

  async checkConnectivity(signal?: AbortSignal): Promise<{ version: string }> {
    throwIfAborted(this.name, signal, 'check connectivity');
    return { version: `nova ${await novaVersion(this.api, signal)}` };
  }

  async capacity(signal?: AbortSignal): Promise<Capacity | null> {
    throwIfAborted(this.name, signal, 'capacity');
    try {
      const c = await placementCapacity(this.api, signal);
      if (c) return c;
    } catch (e) {
      // Placement is admin-only by default: fall back to the project's quota.
      if (!(e instanceof VimError && (e.kind === 'AUTH' || e.kind === 'NOT_SUPPORTED'))) throw e;
    }
    const l = await novaLimits(this.api, signal);
    const cpu = l.maxTotalCores ?? -1;
    const mem = l.maxTotalRAMSize ?? -1;
    return cpu > 0 && mem > 0 ? { cpu, memoryMiB: mem } : null;
  }

  async createNetwork(spec: NetworkSpec, signal?: AbortSignal): Promise<NetworkInfo> {
    throwIfAborted(this.name, signal, `create network ${spec.name}`);
    return createNetwork(this.api, spec, this.labelled(spec.labels), this.scopeTags, signal);
  }

  async subnetsInUse(signal?: AbortSignal): Promise<string[]> {
    return rondoSubnets(this.api, signal);
  }

  async deleteNetwork(idOrName: string, signal?: AbortSignal): Promise<void> {
    throwIfAborted(this.name, signal, `delete network ${idOrName}`);
    await deleteNetwork(this.api, idOrName, this.scopeTags, signal);
  }

  async createCompute(spec: ComputeSpec, signal?: AbortSignal): Promise<ComputeInfo> {
    throwIfAborted(this.name, signal, `create compute ${spec.name}`);
    return createCompute(this.api, spec, {
      labels: this.labelled(spec.labels),
      scopeTags: this.scopeTags,
      diskGiB: this.opts.diskGiB ?? 1,
      buildTimeoutMs: this.opts.buildTimeoutMs ?? 180_000,
      ...(this.opts.availabilityZone ? { availabilityZone: this.opts.availabilityZone } : {}),
    }, signal);
  }

  /** VMs have no fast stop worth waiting for here: the server is deleted at once, then its ports. */
  async deleteCompute(idOrName: string, _opts: { graceSeconds?: number } = {}, signal?: AbortSignal): Promise<void> {
    throwIfAborted(this.name, signal, `delete compute ${idOrName}`);
    const s = await findServer(this.api, idOrName, this.scopeTags, signal);
    if (s) await removeCompute(this.api, s, this.opts.buildTimeoutMs ?? 180_000, signal);
  }

  /** `os-stop` (Nova shuts the guest down its own way; `graceSeconds` is Nova's to decide), then SHUTOFF is awaited. */
  /** Inter-PoP tunnels are Docker helpers; an OpenStack PoP has none: NOT_SUPPORTED. */
  async createTunnelEndpoint(spec: TunnelEndpointSpec): Promise<TunnelEndpointInfo> {
    throw new VimError('NOT_SUPPORTED', this.name, `OpenStack PoP ${this.name} cannot make inter-PoP tunnel endpoint ${spec.name}; place the link's members on Docker PoPs or on this PoP alone`);
  }

  /** See {@link createTunnelEndpoint}: NOT_SUPPORTED. */
  async connectTunnel(idOrName: string): Promise<void> {
    throw new VimError('NOT_SUPPORTED', this.name, `OpenStack PoP ${this.name} has no inter-PoP tunnel endpoint ${idOrName}`);
  }

  async stopCompute(idOrName: string, _opts: { graceSeconds?: number } = {}, signal?: AbortSignal): Promise<ComputeInfo> {
    throwIfAborted(this.name, signal, `stop compute ${idOrName}`);
    const s = await findServer(this.api, idOrName, this.scopeTags, signal);
    if (!s) throw new VimError('NOT_FOUND', this.name, `server ${idOrName} not found`);
    return stopServer(this.api, s, this.opts.buildTimeoutMs ?? 180_000, signal);
  }

  /** `os-start`, then ACTIVE is awaited; the server keeps its ports and addresses. */
  async startCompute(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo> {
    throwIfAborted(this.name, signal, `start compute ${idOrName}`);
    const s = await findServer(this.api, idOrName, this.scopeTags, signal);
    if (!s) throw new VimError('NOT_FOUND', this.name, `server ${idOrName} not found`);
    return startServer(this.api, s, this.opts.buildTimeoutMs ?? 180_000, signal);
  }

  async exec(idOrName: string, _cmd: readonly string[], _signal?: AbortSignal): Promise<ExecResult> {
    throw new VimError('NOT_SUPPORTED', this.name, `cannot run commands in ${idOrName}: OpenStack has no guest agent; use user data or a management network`);
  }

  async listByLabel(labels: Labels, signal?: AbortSignal): Promise<LabelledResource[]> {
    throwIfAborted(this.name, signal, 'list by label');
    const want = this.labelled(labels);
    const tags = [RONDO_TAG, ...labelsToTags(want).slice(1)];
    const work = (async (): Promise<LabelledResource[]> => {
      const nets = await neutronList<NeutronNetwork>(this.api, 'networks', {}, tags, signal);
      const servers = await listServers(this.api, { tags }, signal);
      return [
        ...nets.map((n) => ({ kind: 'network' as const, id: n.id, name: n.name, labels: networkLabels(n) })),
        ...servers.map((s) => ({ kind: 'compute' as const, id: s.id, name: s.name, labels: s.metadata })),
      ].filter((r) => hasLabels(r.labels, want));
    })();
    return signal ? raceAbort(this.name, signal, 'list by label', work) : work;
  }

  async status(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo> {
    throwIfAborted(this.name, signal, `status of ${idOrName}`);
    const s = await findServer(this.api, idOrName, this.scopeTags, signal);
    if (!s) return { id: idOrName, name: idOrName, state: 'DELETED', labels: {}, addresses: {} };
    return computeInfo(this.api, s, signal);
  }

  watch(signal: AbortSignal): AsyncIterable<VimEvent> {
    return watchServers(this.api, [RONDO_TAG, ...this.scopeTags], this.opts.watchIntervalMs ?? 3_000, signal);
  }

  async hasImage(image: string, signal?: AbortSignal): Promise<boolean> {
    throwIfAborted(this.name, signal, `look up image ${image}`);
    return (await findImage(this.api, { idOrName: image }, signal)) !== undefined;
  }

  /** See {@link HeatStacks.createStack}. */
  createStack(...args: Parameters<HeatStacks['createStack']>): ReturnType<HeatStacks['createStack']> {
    const [name, template, files, params, labels, signal] = args;
    return this.stacks.createStack(name, template, files, params, this.labelled(labels), signal);
  }

  /** See {@link HeatStacks.waitStack}. */
  waitStack(...args: Parameters<HeatStacks['waitStack']>): ReturnType<HeatStacks['waitStack']> {
    return this.stacks.waitStack(...args);
  }

  /** See {@link HeatStacks.updateStack}. */
  updateStack(...args: Parameters<HeatStacks['updateStack']>): ReturnType<HeatStacks['updateStack']> {
    return this.stacks.updateStack(...args);
  }

  /** See {@link HeatStacks.stackOutputs}. */
  stackOutputs(...args: Parameters<HeatStacks['stackOutputs']>): ReturnType<HeatStacks['stackOutputs']> {
    return this.stacks.stackOutputs(...args);
  }

  /** See {@link HeatStacks.deleteStack}. */
  deleteStack(...args: Parameters<HeatStacks['deleteStack']>): ReturnType<HeatStacks['deleteStack']> {
    return this.stacks.deleteStack(...args);
  }

  /**
   * The id of an active Glance image by name or id, or undefined. The lifecycle's Heat
   * path passes ids to stacks: Heat looks names up with Glance's `name=` filter, which
   * reads `vnf/busybox:latest` as an operator and rejects it.
   */
  async imageId(image: string, signal?: AbortSignal): Promise<string | undefined> {
    throwIfAborted(this.name, signal, `look up image ${image}`);
    return (await findImage(this.api, { idOrName: image }, signal))?.id;
  }

  /** Stacks (of this PoP) carrying every label of `labels` as tags: termination finds them by `rondo.ns`. */
  async listStacks(labels: Labels, signal?: AbortSignal): Promise<{ id: string; name: string; status: string }[]> {
    throwIfAborted(this.name, signal, 'list stacks');
    const stacks = await heatListStacks(this.api, labelsToTags(this.labelled(labels)), signal);
    return stacks.map((s) => ({ id: s.id, name: s.stack_name, status: s.stack_status }));
  }

  private labelled(labels: Labels): Labels {
    return this.opts.popId ? { ...labels, [LABEL_POP]: this.opts.popId } : labels;
  }
}

/** Builds an OpenStack VimDriver (call `init` to check it can reach the VIM). */
export const createOpenStackVimDriver = (opts: OpenStackVimOptions): OpenStackVimDriver => new OpenStackVimDriver(opts);
