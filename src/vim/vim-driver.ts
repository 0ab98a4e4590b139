import { VimError } from '../model/index.js';
import type { Capacity } from '../model/index.js';

/** Labels every VIM resource carries so re-runs and reconciliation can find them. */
export const LABEL_NS = 'rondo.ns';
export const LABEL_VNF = 'rondo.vnf';
export const LABEL_STEP = 'rondo.step';
export const LABEL_POP = 'rondo.pop';
export const LABEL_LINK = 'rondo.link';
/**
 * On a network: the PoPs whose computes may join it, comma-separated, when more than the
 * one in `rondo.pop` may (label mode: PoPs that are labels on one engine share a link's
 * network). Absent: only the network's own `rondo.pop`.
 */
export const LABEL_POPS = 'rondo.pops';

/**
 * The PoPs whose computes may join a network with these labels: the `rondo.pops` list,
 * else its `rondo.pop`; null when it carries neither (not made for a PoP: anyone may join).
 */
export function networkPops(labels: Labels): string[] | null {
  const list = labels[LABEL_POPS];
  if (list !== undefined && list !== '') return list.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const pop = labels[LABEL_POP];
  return pop === undefined ? null : [pop];
}

/**
 * Throws VimError FOREIGN_POP when a compute of PoP `popId` may not join network
 * `network` (labels `labels`); a driver bound to no PoP, or a network of no PoP, passes.
 */
export function assertSamePop(vim: string, popId: string | undefined, network: string, labels: Labels): void {
  if (popId === undefined) return;
  const pops = networkPops(labels);
  if (pops === null || pops.includes(popId)) return;
  throw new VimError(
    'FOREIGN_POP', vim,
    `network ${network} belongs to PoP ${pops.join(', ')}; a compute of PoP ${popId} cannot join it (PoPs are separate sites: place the link's members on one PoP, or join PoPs by an inter-PoP link)`,
  );
}
/** On a tunnel endpoint (the helper of an inter-PoP link): its VXLAN network identifier. */
export const LABEL_TUNNEL = 'rondo.tunnel';

export type Labels = Readonly<Record<string, string>>;

export interface NetworkSpec {
  /** VIM-side name, unique per engine: `rondo-<ns8>-<link>`. */
  readonly name: string;
  /** CIDR, e.g. `10.30.0.0/29`. */
  readonly subnet: string;
  /** Gateway address inside the subnet the VIM may reserve (Docker's bridge does). */
  readonly gateway?: string;
  /** No traffic beyond the network (no external route); default false. */
  readonly internal?: boolean;
  /**
   * A segment of an inter-PoP link that is not the link's first: the VIM must not give
   * the gateway address to anything on this segment (the first segment's bridge holds it,
   * and the tunnel makes both one L2 domain). Docker: `inhibit_ipv4` on the bridge.
   */
  readonly noGateway?: boolean;
  /** MTU of the network's interfaces (a tunnelled segment leaves room for the VXLAN header). */
  readonly mtu?: number;
  readonly labels: Labels;
}

/** One end of an inter-PoP link on this PoP: a helper the driver owns, bridging the link's segment with a VXLAN interface. */
export interface TunnelEndpointSpec {
  /** The helper's VIM name (unique per engine). */
  readonly name: string;
  /** The link's segment network on this PoP (name or id). */
  readonly network: string;
  /**
   * An address of the segment's subnet no compute of this PoP uses (a member's on another
   * PoP): the VIM may insist on giving the helper one; the helper drops it, its segment
   * interface is a bridge port only.
   */
  readonly address: string;
  /** VXLAN network identifier (1..16777215), allocated by IPAM, unique while the link lives. */
  readonly vni: number;
  /** The underlay the helper joins: a network of the PoP whose address the peers reach (Docker default `bridge`). */
  readonly underlay?: string;
  readonly labels: Labels;
}

/** A tunnel endpoint as the VIM made it. */
export interface TunnelEndpointInfo {
  readonly id: string;
  readonly name: string;
  /** The address the other endpoints send VXLAN packets to. */
  readonly underlayAddress: string;
}

/** What {@link VimDriver.connectTunnel} sets on an endpoint. */
export interface TunnelPeering {
  /** Underlay addresses of the link's other endpoints (head-end replication to each). */
  readonly peers: readonly string[];
  /** Egress rate limit of the tunnel (token bucket), Mbit/s; undefined: none. */
  readonly bandwidthMbps?: number;
}

export interface NetworkInfo {
  readonly id: string;
  readonly name: string;
  readonly subnet: string;
  readonly labels: Labels;
}

export interface InterfaceSpec {
  /** The network's VIM id or name. */
  readonly network: string;
  readonly address: string;
  /** Name inside the compute (`eth0`...), if the VIM can set it. */
  readonly ifName?: string;
  /**
   * MAC address to give the interface (a re-created compute keeps its neighbours' ARP
   * entries valid), if the VIM can set it; otherwise the VIM picks one. Docker honours it
   * from API 1.44 on (older engines derive the MAC from the address, which is as stable).
   */
  readonly macAddress?: string;
}

export interface ComputeSpec {
  readonly name: string;
  readonly image: string;
  /** Number of CPUs; Docker maps it with `cpuBw` to CFS quota/period. */
  readonly vcpus: number;
  /** Share of CPU time (5GTANGO cpu_bw); undefined: no quota. */
  readonly cpuBw?: number;
  readonly memoryMiB: number;
  readonly interfaces: readonly InterfaceSpec[];
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Labels;
  /** Command to keep the compute running, for images without an entrypoint. */
  readonly command?: readonly string[];
  /**
   * The caller names the interfaces in its first exec into this compute (`execAll` with
   * `interfaces`), which it runs before anything else uses them: a driver that must check
   * or fix the names inside the compute (Docker) leaves that to that exec, saving one.
   */
  readonly nameInterfacesLater?: boolean;
}

/** An interface's wanted name inside a compute, found by its address. */
export interface InterfaceName {
  readonly address: string;
  readonly ifName: string;
}

/** Options of {@link VimDriver.execAll}. */
export interface ExecAllOptions {
  /**
   * Before the commands, make each address sit on its wanted interface name (idempotent;
   * see {@link ComputeSpec.nameInterfacesLater}). A driver whose computes get their names
   * right at creation ignores it.
   */
  readonly interfaces?: readonly InterfaceName[];
}

/** One attached interface of a compute, as the VIM realised it. */
export interface ComputeInterface {
  /** Network name. */
  readonly network: string;
  readonly address: string;
  /**
   * Name inside the compute: the spec's `ifName`, else `eth<i>` for the i-th interface
   * in spec order. Absent when the driver could not verify it.
   */
  readonly ifName?: string;
  /**
   * MAC address of the interface as the VIM reports it (Docker: the endpoint's
   * `MacAddress`; OpenStack: the Neutron port's `mac_address`; memory: a deterministic
   * locally administered one), lower-case colon form. Absent when the VIM does not say.
   */
  readonly macAddress?: string;
}

export const COMPUTE_STATES = ['BUILD', 'ACTIVE', 'STOPPED', 'ERROR', 'DELETED'] as const;
export type ComputeState = (typeof COMPUTE_STATES)[number];

/** A compute's own health check, where the VIM runs one (Docker `HEALTHCHECK`). */
export type ComputeHealth = 'healthy' | 'unhealthy' | 'starting';

export interface ComputeInfo {
  readonly id: string;
  readonly name: string;
  readonly state: ComputeState;
  /** The result of the compute's health check; absent when it has none. */
  readonly health?: ComputeHealth;
  readonly labels: Labels;
  /** Addresses by network name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Interfaces in spec order with their names inside the compute (when known). */
  readonly interfaces?: readonly ComputeInterface[];
  readonly detail?: string;
}

/** What {@link VimDriver.execAll} answers. */
export interface ExecAllResult extends ExecResult {
  /** The command that failed (exit code not 0); absent when all succeeded. */
  readonly failedCommand?: readonly string[];
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A resource found by label: used by termination, re-runs and reconciliation. */
export type LabelledResource =
  | { readonly kind: 'network'; readonly id: string; readonly name: string; readonly labels: Labels }
  | { readonly kind: 'compute'; readonly id: string; readonly name: string; readonly labels: Labels };

/** Events from a VIM watcher. */
export type VimEvent =
  | (VimEventBase & { readonly type: 'compute.died'; readonly exitCode?: number })
  | (VimEventBase & { readonly type: 'compute.oom' })
  | (VimEventBase & { readonly type: 'compute.started' })
  | (VimEventBase & { readonly type: 'compute.health'; readonly healthy: boolean });

/** What every {@link VimEvent} carries. */
export interface VimEventBase {
  readonly computeId: string;
  /** The compute's name (the VM or container name) when the VIM says it in the event. */
  readonly computeName?: string;
  readonly labels: Labels;
  readonly at: Date;
}

/** What a driver can do beyond the mandatory verbs. */
export interface VimCapabilities {
  readonly exec: boolean;
  readonly watch: boolean;
  readonly fixedAddresses: boolean;
  readonly cpuQuota: boolean;
}

/**
 * The contract every VIM driver implements: small, async, idempotent verbs, each taking
 * an AbortSignal. Errors are always `VimError` (kind CONNECTION, AUTH, NOT_FOUND,
 * CONFLICT, QUOTA, NOT_SUPPORTED, UNEXPECTED_RESPONSE, TIMEOUT).
 *
 * Idempotency: `createNetwork`/`createCompute` with a name that already exists and
 * carries the same `rondo.ns` and `rondo.step` labels return the existing resource (another
 * owner: CONFLICT); `delete*` of a missing resource succeeds.
 *
 * Addresses: an interface address outside the network's subnet, or already used on it,
 * is CONFLICT; a missing image or network is NOT_FOUND.
 *
 * Abort: when `signal` aborts, the call rejects with VimError TIMEOUT whose `cause` is
 * `signal.reason` (retryable only if that reason is a `TimeoutError`). Drivers also apply
 * their own per-call timeout (TIMEOUT, retryable).
 *
 * PoPs: a driver bound to a PoP labels everything it creates `rondo.pop=<popId>` and
 * `listByLabel` sees only that PoP's resources.
 */
export interface VimDriver {
  readonly name: string;
  readonly capabilities: VimCapabilities;
  init(signal?: AbortSignal): Promise<void>;
  destroy(): Promise<void>;
  /** Throws VimError(CONNECTION|AUTH) when the VIM cannot be used. */
  checkConnectivity(signal?: AbortSignal): Promise<{ version: string }>;
  /** Total capacity the VIM reports, if it knows it. */
  capacity(signal?: AbortSignal): Promise<Capacity | null>;
  createNetwork(spec: NetworkSpec, signal?: AbortSignal): Promise<NetworkInfo>;
  deleteNetwork(idOrName: string, signal?: AbortSignal): Promise<void>;
  /** Creates and starts the compute with its interfaces attached. */
  createCompute(spec: ComputeSpec, signal?: AbortSignal): Promise<ComputeInfo>;
  /** Stops (quickly, not waiting for a grace period unless asked) and removes. */
  deleteCompute(idOrName: string, opts?: { graceSeconds?: number }, signal?: AbortSignal): Promise<void>;
  /** Runs a command inside a compute (capability `exec`). */
  exec(idOrName: string, cmd: readonly string[], signal?: AbortSignal): Promise<ExecResult>;
  /**
   * Runs `commands` one after another inside a compute in one round trip, stopping at the
   * first that fails (`failedCommand` names it; its exit code and output are the result's).
   * Optional: a driver without it gets one `exec` per command.
   */
  execAll?(idOrName: string, commands: readonly (readonly string[])[], signal?: AbortSignal, opts?: ExecAllOptions): Promise<ExecAllResult>;
  /** Every network and compute whose labels include all of `labels`. */
  listByLabel(labels: Labels, signal?: AbortSignal): Promise<LabelledResource[]>;
  /** Current state; a compute that does not exist is reported as `DELETED`, not thrown. */
  status(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo>;
  /** Streams events until the signal aborts (capability `watch`). */
  watch(signal: AbortSignal): AsyncIterable<VimEvent>;
  /** Whether an image is available to the VIM. */
  hasImage(image: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * The IPv4 subnets (CIDR text) of the networks the VIM has now that a new network must
   * not overlap, whoever made them (another Rondo, a user): IPAM skips them. Docker
   * refuses overlapping pools on one engine, so that is every network of the engine.
   */
  subnetsInUse(signal?: AbortSignal): Promise<string[]>;
  /**
   * Stops a compute and keeps it (interfaces, addresses, disk): its processes get
   * `graceSeconds` (default 0) to exit before they are killed. Already stopped: a no-op.
   * A missing compute is NOT_FOUND. Optional (OPERATE_VNF needs it): without it the
   * lifecycle answers NOT_SUPPORTED, see {@link stopComputeOf}.
   */
  stopCompute?(idOrName: string, opts?: { graceSeconds?: number }, signal?: AbortSignal): Promise<ComputeInfo>;
  /**
   * Starts a stopped compute with the interfaces, addresses and interface names it was
   * created with. Running already: a no-op (names still checked). A missing compute is
   * NOT_FOUND. Optional like {@link stopCompute}.
   */
  startCompute?(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo>;
  /**
   * Makes (idempotently: same name and `rondo.ns`/`rondo.step` labels) the endpoint of an
   * inter-PoP link on this PoP and answers its underlay address. Removed with
   * `deleteCompute(name)` or by a sweep of its labels. Optional: without it the lifecycle
   * answers NOT_SUPPORTED, see {@link tunnelsOf}.
   */
  createTunnelEndpoint?(spec: TunnelEndpointSpec, signal?: AbortSignal): Promise<TunnelEndpointInfo>;
  /** Points an endpoint at its peers and applies the link's bandwidth; replaces what was set before. */
  connectTunnel?(idOrName: string, peering: TunnelPeering, signal?: AbortSignal): Promise<void>;
}

/** The driver's tunnel verbs; VimError NOT_SUPPORTED when it has none. */
export function tunnelsOf(driver: VimDriver): Required<Pick<VimDriver, 'createTunnelEndpoint' | 'connectTunnel'>> {
  if (!driver.createTunnelEndpoint || !driver.connectTunnel) {
    throw new VimError('NOT_SUPPORTED', driver.name, `${driver.name} cannot make inter-PoP tunnels; place every member of the link on PoPs of one engine`);
  }
  return { createTunnelEndpoint: driver.createTunnelEndpoint.bind(driver), connectTunnel: driver.connectTunnel.bind(driver) };
}

/** The driver's `stopCompute`; VimError NOT_SUPPORTED when it has none. */
export function stopComputeOf(driver: VimDriver): NonNullable<VimDriver['stopCompute']> {
  if (!driver.stopCompute) throw new VimError('NOT_SUPPORTED', driver.name, `${driver.name} cannot stop a compute and keep it; OPERATE_VNF is not supported on this VIM`);
  return driver.stopCompute.bind(driver);
}

/** The driver's `startCompute`; VimError NOT_SUPPORTED when it has none. */
export function startComputeOf(driver: VimDriver): NonNullable<VimDriver['startCompute']> {
  if (!driver.startCompute) throw new VimError('NOT_SUPPORTED', driver.name, `${driver.name} cannot start a stopped compute; OPERATE_VNF is not supported on this VIM`);
  return driver.startCompute.bind(driver);
}
