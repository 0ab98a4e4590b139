import { VimError, systemClock } from '../../model/index.js';
import type { Capacity, Clock, IdGenerator } from '../../model/index.js';
import { formatIpv4, isHostAddress, parseCidr, parseIpv4 } from '../ipv4-cidr.js';
import type { Ipv4Cidr } from '../ipv4-cidr.js';
import { throwIfAborted } from '../vim-abort.js';
import { LABEL_NS, LABEL_POP, LABEL_STEP, LABEL_TUNNEL, assertSamePop } from '../vim-driver.js';
import type {
  ComputeHealth, ComputeInfo, ComputeInterface, ComputeSpec, ComputeState, ExecResult, LabelledResource, Labels,
  NetworkInfo, NetworkSpec, TunnelEndpointInfo, TunnelEndpointSpec, TunnelPeering, VimCapabilities, VimDriver, VimEvent,
} from '../vim-driver.js';
import { MemoryEventHub } from './memory-event-hub.js';
import { simulateExec } from './memory-exec.js';
import type { MemoryExecHandler, MemoryExecRecord } from './memory-exec.js';
import { MemorySubnetIndex } from './memory-subnet-index.js';

/** The driver verbs a fault can be injected into. */
export type MemoryVerb = Exclude<keyof VimDriver, 'name' | 'capabilities'>;

/** Options of {@link createMemoryVimDriver}. */
export interface MemoryVimOptions {
  readonly name?: string;
  /** Labels everything `rondo.pop=<popId>` and scopes `listByLabel` to it. */
  readonly popId?: string;
  readonly clock?: Clock;
  /** Ids for networks and computes; default `net-1`, `cmp-2`, ... from one counter. */
  readonly ids?: IdGenerator;
  /** Reported by `capacity()`; default 16 vCPU / 64 GiB. `null`: unknown. */
  readonly capacity?: Capacity | null;
  /** Refuse computes beyond `capacity` with QUOTA. Default false. */
  readonly enforceCapacity?: boolean;
  /** The only images that exist; default: every image not in `missingImages`. */
  readonly images?: Iterable<string>;
  /** Images that do not exist (NOT_FOUND on create, false from `hasImage`). */
  readonly missingImages?: Iterable<string>;
  /** Answers execs before the built-in simulation. */
  readonly onExec?: MemoryExecHandler;
}

/** What the PoPs of one memory engine share. */
interface MemoryEngineState {
  readonly networks: Map<string, NetworkRecord>;
  readonly networkIds: Map<string, string>;
  readonly computes: Map<string, ComputeRecord>;
  readonly computeIds: Map<string, string>;
  /** `rondo.ns` value → ids of resources carrying it. */
  readonly byNs: Map<string, Set<string>>;
  readonly subnets: MemorySubnetIndex;
  readonly faults: Map<MemoryVerb, VimError[]>;
  readonly events: MemoryEventHub;
  used: Capacity;
}

interface NetworkRecord {
  readonly info: NetworkInfo;
  readonly cidr: Ipv4Cidr;
  /** address → compute id */
  readonly used: Map<number, string>;
}

/**
 * A deterministic, locally administered unicast MAC (first octet 0x02) for an address on
 * a network: one byte of an FNV-1a hash of the network id, then the four IPv4 octets, so
 * two interfaces on one network never share it and a re-created compute gets the same one.
 */
export function memoryMac(networkId: string, addr: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < networkId.length; i++) h = Math.imul(h ^ networkId.charCodeAt(i), 0x01000193) >>> 0;
  const octets = [0x02, h & 0xff, (addr >>> 24) & 0xff, (addr >>> 16) & 0xff, (addr >>> 8) & 0xff, addr & 0xff];
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}

interface ComputeRecord {
  readonly spec: ComputeSpec;
  readonly id: string;
  readonly labels: Labels;
  readonly interfaces: readonly (ComputeInterface & { readonly networkId: string; readonly addr: number })[];
  state: ComputeState;
  exitCode?: number;
  health?: ComputeHealth;
}

/** The image of the memory VIM's tunnel endpoints (its own, like Docker's helper). */
const TUNNEL_HELPER_IMAGE = 'rondo/tunnel:latest';

/** Owner of a network's gateway address in `NetworkRecord.used`. */
const GATEWAY = 'gateway';

const sameOwner = (a: Labels, b: Labels): boolean => a[LABEL_NS] === b[LABEL_NS] && a[LABEL_STEP] === b[LABEL_STEP];

/**
 * A deterministic in-memory VIM: networks with subnet checks, computes with fixed
 * addresses, labels, a simulated exec (recorded in {@link execLog}), events on
 * {@link kill}, capacity and fault injection. Every verb is O(1) or O(interfaces) except
 * `listByLabel` (O(resources of the queried `rondo.ns`, or all when absent)).
 */
export class MemoryVimDriver implements VimDriver {
  readonly name: string;
  readonly capabilities: VimCapabilities = { exec: true, watch: true, fixedAddresses: true, cpuQuota: true };
  /** Every exec run, in order. */
  readonly execLog: MemoryExecRecord[] = [];
  /** The only images that exist, or null for "all but {@link missingImages}"; mutable. */
  readonly images: Set<string> | null;
  /** Images reported missing; tests may add and delete. */
  readonly missingImages: Set<string>;
  /** Tunnel endpoints by name (dropped with their compute): VNI, underlay address, peering. */
  readonly tunnels = new Map<string, { readonly vni: number; readonly underlayAddress: string; readonly peers: readonly string[]; readonly bandwidthMbps?: number }>();

  readonly #popId: string | undefined;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #capacity: Capacity | null;
  readonly #enforceCapacity: boolean;
  readonly #onExec: MemoryExecHandler | undefined;
  /** The engine's state: shared by the views of other PoPs on it ({@link forPop}). */
  readonly #s: MemoryEngineState;

  /** `shared`: the engine state of another PoP's driver ({@link forPop}). */
  constructor(opts: MemoryVimOptions = {}, shared?: { readonly state: MemoryEngineState; readonly execLog: MemoryExecRecord[]; readonly images: Set<string> | null; readonly missingImages: Set<string> }) {
    this.#s = shared?.state ?? {
      networks: new Map(), networkIds: new Map(), computes: new Map(), computeIds: new Map(), byNs: new Map(),
      subnets: new MemorySubnetIndex(), faults: new Map(), events: new MemoryEventHub(), used: { cpu: 0, memoryMiB: 0 },
    };
    if (shared) this.execLog = shared.execLog;
    this.name = opts.name ?? 'memory';
    this.#popId = opts.popId;
    this.#clock = opts.clock ?? systemClock;
    let n = 0;
    this.#ids = opts.ids ?? { next: () => String(++n) };
    this.#capacity = opts.capacity === undefined ? { cpu: 16, memoryMiB: 65_536 } : opts.capacity;
    this.#enforceCapacity = opts.enforceCapacity ?? false;
    this.images = shared ? shared.images : opts.images === undefined ? null : new Set(opts.images);
    this.missingImages = shared ? shared.missingImages : new Set(opts.missingImages ?? []);
    this.#onExec = opts.onExec;
  }

  /**
   * A driver of PoP `popId` on this same engine (label mode: networks, computes, capacity
   * and faults are shared; labels and `listByLabel` are the other PoP's), as two Docker
   * PoPs on one endpoint share the engine.
   */
  forPop(popId: string, name = this.name): MemoryVimDriver {
    return new MemoryVimDriver(
      {
        name, popId, clock: this.#clock, ids: this.#ids, capacity: this.#capacity, enforceCapacity: this.#enforceCapacity, ...(this.#onExec ? { onExec: this.#onExec } : {}),
      },
      { state: this.#s, execLog: this.execLog, images: this.images, missingImages: this.missingImages },
    );
  }

  /** Makes the next call of `verb` throw `error` (default UNEXPECTED_RESPONSE). Queues. */
  failNext(verb: MemoryVerb, error?: VimError): void {
    const queue = this.#s.faults.get(verb) ?? [];
    queue.push(error ?? new VimError('UNEXPECTED_RESPONSE', this.name, `injected fault in ${verb}`));
    this.#s.faults.set(verb, queue);
  }

  /** Number of open `watch` iterators (wait for it before calling {@link kill}). */
  get watchers(): number {
    return this.#s.events.watchers;
  }

  /**
   * Simulates the compute dying (crash, OOM kill, `docker kill`): state ERROR (STOPPED
   * for exit code 0), a `compute.oom` event when `oom`, then `compute.died`.
   * Throws NOT_FOUND for an unknown compute.
   */
  kill(idOrName: string, opts: { exitCode?: number; oom?: boolean } = {}): void {
    const rec = this.#compute(idOrName);
    if (!rec) throw new VimError('NOT_FOUND', this.name, `compute ${idOrName} not found`);
    const exitCode = opts.exitCode ?? 137;
    rec.state = exitCode === 0 ? 'STOPPED' : 'ERROR';
    rec.exitCode = exitCode;
    const at = this.#clock.now();
    if (opts.oom) this.#s.events.publish({ type: 'compute.oom', computeId: rec.id, computeName: rec.spec.name, labels: rec.labels, at });
    this.#s.events.publish({ type: 'compute.died', computeId: rec.id, computeName: rec.spec.name, labels: rec.labels, exitCode, at });
  }

  /**
   * Sets the result of the compute's health check (as a Docker `HEALTHCHECK` would) and
   * publishes `compute.health`; `undefined` removes the check. Throws NOT_FOUND for an unknown compute.
   */
  setHealth(idOrName: string, health: ComputeHealth | undefined): void {
    const rec = this.#compute(idOrName);
    if (!rec) throw new VimError('NOT_FOUND', this.name, `compute ${idOrName} not found`);
    rec.health = health;
    if (health === 'healthy' || health === 'unhealthy') {
      this.#s.events.publish({ type: 'compute.health', computeId: rec.id, computeName: rec.spec.name, labels: rec.labels, healthy: health === 'healthy', at: this.#clock.now() });
    }
  }

  async init(signal?: AbortSignal): Promise<void> {
    this.#enter('init', signal);
  }

  async destroy(): Promise<void> {
    this.#enter('destroy', undefined);
  }

  async checkConnectivity(signal?: AbortSignal): Promise<{ version: string }> {
    this.#enter('checkConnectivity', signal);
    return { version: 'memory-1' };
  }

  async capacity(signal?: AbortSignal): Promise<Capacity | null> {
    this.#enter('capacity', signal);
    return this.#capacity;
  }

  async createNetwork(spec: NetworkSpec, signal?: AbortSignal): Promise<NetworkInfo> {
    this.#enter('createNetwork', signal);
    const labels = this.#labelled(spec.labels);
    const existing = this.#network(spec.name);
    if (existing) {
      if (sameOwner(existing.info.labels, labels) && existing.info.subnet === spec.subnet) return existing.info;
      throw new VimError('CONFLICT', this.name, `network ${spec.name} exists with another owner or subnet`);
    }
    const cidr = parseCidr(spec.subnet);
    if (!cidr) throw new VimError('UNEXPECTED_RESPONSE', this.name, `subnet ${spec.subnet} is not an IPv4 CIDR`);
    if (this.#s.subnets.overlaps(cidr)) throw new VimError('SUBNET_IN_USE', this.name, `subnet ${spec.subnet} overlaps another network`);
    const used = new Map<number, string>();
    // Like Docker's IPAM: without a gateway the first host address becomes the gateway.
    const gw = spec.gateway === undefined ? (cidr.prefix <= 30 ? cidr.network + 1 : null) : parseIpv4(spec.gateway);
    if (spec.gateway !== undefined && (gw === null || !isHostAddress(cidr, gw))) {
      throw new VimError('CONFLICT', this.name, `gateway ${spec.gateway} is not in ${spec.subnet}`);
    }
    if (gw !== null) used.set(gw, GATEWAY);
    const info: NetworkInfo = { id: `net-${this.#ids.next()}`, name: spec.name, subnet: spec.subnet, labels };
    this.#s.networks.set(info.id, { info, cidr, used });
    this.#s.networkIds.set(info.name, info.id);
    this.#s.subnets.add(cidr);
    this.#index(info.id, labels);
    return info;
  }

  async subnetsInUse(signal?: AbortSignal): Promise<string[]> {
    this.#enter('subnetsInUse', signal);
    return [...this.#s.networks.values()].map((n) => n.info.subnet);
  }

  async deleteNetwork(idOrName: string, signal?: AbortSignal): Promise<void> {
    this.#enter('deleteNetwork', signal);
    const rec = this.#network(idOrName);
    if (!rec) return;
    for (const owner of rec.used.values()) {
      if (owner !== GATEWAY) throw new VimError('CONFLICT', this.name, `network ${rec.info.name} still has computes attached`);
    }
    this.#s.networks.delete(rec.info.id);
    this.#s.networkIds.delete(rec.info.name);
    this.#s.subnets.remove(rec.cidr);
    this.#unindex(rec.info.id, rec.info.labels);
  }

  async createCompute(spec: ComputeSpec, signal?: AbortSignal): Promise<ComputeInfo> {
    this.#enter('createCompute', signal);
    const labels = this.#labelled(spec.labels);
    const existing = this.#compute(spec.name);
    if (existing) {
      if (sameOwner(existing.labels, labels)) return this.#info(existing);
      throw new VimError('CONFLICT', this.name, `compute ${spec.name} exists with another owner`);
    }
    // The tunnel helper's image is the driver's own: always there.
    if (spec.image !== TUNNEL_HELPER_IMAGE && !this.#imageExists(spec.image)) throw new VimError('NOT_FOUND', this.name, `image ${spec.image} not found; build or load it first`);
    if (this.#enforceCapacity && this.#capacity) {
      const cpu = this.#s.used.cpu + spec.vcpus;
      const mem = this.#s.used.memoryMiB + spec.memoryMiB;
      if (cpu > this.#capacity.cpu || mem > this.#capacity.memoryMiB) throw new VimError('QUOTA', this.name, `compute ${spec.name} exceeds the capacity`);
    }
    const id = `cmp-${this.#ids.next()}`;
    // Validate every interface before taking any address, so a failure leaves nothing.
    const interfaces = spec.interfaces.map((itf, i) => {
      const net = this.#network(itf.network);
      if (!net) throw new VimError('NOT_FOUND', this.name, `network ${itf.network} not found`);
      assertSamePop(this.name, this.#popId, net.info.name, net.info.labels);
      const addr = parseIpv4(itf.address);
      if (addr === null || !isHostAddress(net.cidr, addr)) throw new VimError('CONFLICT', this.name, `address ${itf.address} is not in ${net.info.subnet}`);
      if (net.used.has(addr)) throw new VimError('CONFLICT', this.name, `address ${itf.address} is already used on ${net.info.name}`);
      return { network: net.info.name, networkId: net.info.id, address: formatIpv4(addr), addr, ifName: itf.ifName ?? `eth${i}`, macAddress: itf.macAddress?.toLowerCase() ?? memoryMac(net.info.id, addr) };
    });
    if (new Set(interfaces.map((i) => `${i.networkId}/${i.addr}`)).size !== interfaces.length) {
      throw new VimError('CONFLICT', this.name, `compute ${spec.name} uses one address twice`);
    }
    for (const itf of interfaces) this.#s.networks.get(itf.networkId)?.used.set(itf.addr, id);
    const rec: ComputeRecord = { spec, id, labels, interfaces, state: 'ACTIVE' };
    this.#s.computes.set(id, rec);
    this.#s.computeIds.set(spec.name, id);
    this.#index(id, labels);
    this.#s.used = { cpu: this.#s.used.cpu + spec.vcpus, memoryMiB: this.#s.used.memoryMiB + spec.memoryMiB };
    this.#s.events.publish({ type: 'compute.started', computeId: id, computeName: spec.name, labels, at: this.#clock.now() });
    return this.#info(rec);
  }

  /**
   * A tunnel endpoint: a compute of image `rondo/tunnel` on the segment (holding
   * `spec.address` there, as Docker's helper does before it drops it) with a
   * deterministic underlay address `198.18.<hash>`; its peering is kept in {@link tunnels}.
   */
  async createTunnelEndpoint(spec: TunnelEndpointSpec, signal?: AbortSignal): Promise<TunnelEndpointInfo> {
    const info = await this.createCompute(
      { name: spec.name, image: TUNNEL_HELPER_IMAGE, vcpus: 0, memoryMiB: 0, interfaces: [{ network: spec.network, address: spec.address }], env: {}, labels: { ...spec.labels, [LABEL_TUNNEL]: String(spec.vni) } },
      signal,
    );
    let h = 0x811c9dc5;
    for (let i = 0; i < info.id.length; i++) h = Math.imul(h ^ info.id.charCodeAt(i), 0x01000193) >>> 0;
    const underlayAddress = `198.18.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`;
    const entry = this.tunnels.get(spec.name);
    this.tunnels.set(spec.name, { vni: spec.vni, underlayAddress, peers: entry?.peers ?? [], ...(entry?.bandwidthMbps === undefined ? {} : { bandwidthMbps: entry.bandwidthMbps }) });
    return { id: info.id, name: spec.name, underlayAddress };
  }

  /** Records the peering of an endpoint; NOT_FOUND for one that does not run. */
  async connectTunnel(idOrName: string, peering: TunnelPeering, signal?: AbortSignal): Promise<void> {
    this.#enter('connectTunnel', signal);
    const rec = this.#compute(idOrName);
    const entry = rec ? this.tunnels.get(rec.spec.name) : undefined;
    if (!rec || !entry) throw new VimError('NOT_FOUND', this.name, `tunnel endpoint ${idOrName} not found`);
    this.tunnels.set(rec.spec.name, { vni: entry.vni, underlayAddress: entry.underlayAddress, peers: [...peering.peers], ...(peering.bandwidthMbps === undefined ? {} : { bandwidthMbps: peering.bandwidthMbps }) });
  }

  async deleteCompute(idOrName: string, _opts?: { graceSeconds?: number }, signal?: AbortSignal): Promise<void> {
    this.#enter('deleteCompute', signal);
    const rec = this.#compute(idOrName);
    if (!rec) return;
    for (const itf of rec.interfaces) this.#s.networks.get(itf.networkId)?.used.delete(itf.addr);
    this.#s.computes.delete(rec.id);
    this.#s.computeIds.delete(rec.spec.name);
    this.tunnels.delete(rec.spec.name);
    this.#unindex(rec.id, rec.labels);
    this.#s.used = { cpu: this.#s.used.cpu - rec.spec.vcpus, memoryMiB: this.#s.used.memoryMiB - rec.spec.memoryMiB };
  }

  /** Stops the compute and keeps it (addresses stay taken); publishes `compute.died` (exit 0), as Docker's stop does. */
  async stopCompute(idOrName: string, _opts?: { graceSeconds?: number }, signal?: AbortSignal): Promise<ComputeInfo> {
    this.#enter('stopCompute', signal);
    const rec = this.#compute(idOrName);
    if (!rec) throw new VimError('NOT_FOUND', this.name, `compute ${idOrName} not found`);
    if (rec.state === 'ACTIVE' || rec.state === 'BUILD') {
      rec.state = 'STOPPED';
      rec.exitCode = 0;
      rec.health = undefined;
      this.#s.events.publish({ type: 'compute.died', computeId: rec.id, computeName: rec.spec.name, labels: rec.labels, exitCode: 0, at: this.#clock.now() });
    }
    return this.#info(rec);
  }

  /** Starts a stopped (or dead) compute with its interfaces; publishes `compute.started`. */
  async startCompute(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo> {
    this.#enter('startCompute', signal);
    const rec = this.#compute(idOrName);
    if (!rec) throw new VimError('NOT_FOUND', this.name, `compute ${idOrName} not found`);
    if (rec.state !== 'ACTIVE') {
      rec.state = 'ACTIVE';
      delete rec.exitCode;
      this.#s.events.publish({ type: 'compute.started', computeId: rec.id, computeName: rec.spec.name, labels: rec.labels, at: this.#clock.now() });
    }
    return this.#info(rec);
  }

  async exec(idOrName: string, cmd: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    this.#enter('exec', signal);
    const rec = this.#compute(idOrName);
    if (!rec) throw new VimError('NOT_FOUND', this.name, `compute ${idOrName} not found`);
    if (rec.state !== 'ACTIVE') throw new VimError('CONFLICT', this.name, `compute ${rec.spec.name} is not running`);
    const ctx = { compute: this.#info(rec), reachable: (address: string) => this.#reachable(rec, address) };
    const result = this.#onExec?.(cmd, ctx) ?? simulateExec(cmd, ctx);
    this.execLog.push({ computeId: rec.id, computeName: rec.spec.name, cmd: [...cmd], result, at: this.#clock.now() });
    return result;
  }

  async listByLabel(labels: Labels, signal?: AbortSignal): Promise<LabelledResource[]> {
    this.#enter('listByLabel', signal);
    const wanted = Object.entries(this.#labelled(labels));
    const ns = labels[LABEL_NS];
    const ids = ns === undefined ? [...this.#s.networks.keys(), ...this.#s.computes.keys()] : [...(this.#s.byNs.get(ns) ?? [])];
    const found: LabelledResource[] = [];
    for (const id of ids) {
      const net = this.#s.networks.get(id);
      const cmp = this.#s.computes.get(id);
      const res: LabelledResource | undefined = net
        ? { kind: 'network', id, name: net.info.name, labels: net.info.labels }
        : cmp && { kind: 'compute', id, name: cmp.spec.name, labels: cmp.labels };
      if (res && wanted.every(([k, v]) => res.labels[k] === v)) found.push(res);
    }
    return found;
  }

  async status(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo> {
    this.#enter('status', signal);
    const rec = this.#compute(idOrName);
    return rec ? this.#info(rec) : { id: idOrName, name: idOrName, state: 'DELETED', labels: {}, addresses: {} };
  }

  watch(signal: AbortSignal): AsyncIterable<VimEvent> {
    this.#enter('watch', signal);
    return this.#s.events.stream(signal);
  }

  async hasImage(image: string, signal?: AbortSignal): Promise<boolean> {
    this.#enter('hasImage', signal);
    return this.#imageExists(image);
  }

  #imageExists(image: string): boolean {
    return !this.missingImages.has(image) && (this.images === null || this.images.has(image));
  }

  #enter(verb: MemoryVerb, signal: AbortSignal | undefined): void {
    throwIfAborted(this.name, signal, verb);
    const fault = this.#s.faults.get(verb)?.shift();
    if (fault) throw fault;
  }

  #labelled(labels: Labels): Labels {
    return this.#popId === undefined ? labels : { ...labels, [LABEL_POP]: this.#popId };
  }

  #network(idOrName: string): NetworkRecord | undefined {
    return this.#s.networks.get(idOrName) ?? this.#s.networks.get(this.#s.networkIds.get(idOrName) ?? '');
  }

  #compute(idOrName: string): ComputeRecord | undefined {
    return this.#s.computes.get(idOrName) ?? this.#s.computes.get(this.#s.computeIds.get(idOrName) ?? '');
  }

  #index(id: string, labels: Labels): void {
    const ns = labels[LABEL_NS];
    if (ns === undefined) return;
    const set = this.#s.byNs.get(ns) ?? new Set<string>();
    set.add(id);
    this.#s.byNs.set(ns, set);
  }

  #unindex(id: string, labels: Labels): void {
    const ns = labels[LABEL_NS];
    const set = ns === undefined ? undefined : this.#s.byNs.get(ns);
    set?.delete(id);
    if (ns !== undefined && set?.size === 0) this.#s.byNs.delete(ns);
  }

  #reachable(from: ComputeRecord, address: string): boolean {
    const addr = parseIpv4(address);
    if (addr === null) return false;
    if (from.interfaces.some((i) => i.addr === addr)) return true;
    return from.interfaces.some((itf) => {
      const owner = this.#s.networks.get(itf.networkId)?.used.get(addr);
      return owner !== undefined && this.#s.computes.get(owner)?.state === 'ACTIVE';
    });
  }

  #info(rec: ComputeRecord): ComputeInfo {
    const interfaces = rec.interfaces.map(({ network, address, ifName, macAddress }) => ({ network, address, ifName, ...(macAddress ? { macAddress } : {}) }));
    const addresses = Object.fromEntries(interfaces.map((i) => [i.network, i.address]));
    const detail = rec.exitCode === undefined ? undefined : `exited with code ${rec.exitCode}`;
    return { id: rec.id, name: rec.spec.name, state: rec.state, ...(rec.health ? { health: rec.health } : {}), labels: rec.labels, addresses, interfaces, ...(detail ? { detail } : {}) };
  }
}

/** Creates a {@link MemoryVimDriver}; see {@link MemoryVimOptions}. */
export function createMemoryVimDriver(opts: MemoryVimOptions = {}): MemoryVimDriver {
  return new MemoryVimDriver(opts);
}
