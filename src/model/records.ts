/**
 * Runtime records: NS instances (NSR), VNF instances (VNFR), LCM operation occurrences
 * and their steps, VIM accounts (PoPs). State names are the SOL005 ones, identical in
 * TypeScript, SQL CHECK constraints and the API.
 */

/** SOL005 `NsInstance.nsState`. */
export const NS_STATES = ['NOT_INSTANTIATED', 'INSTANTIATED'] as const;
export type NsState = (typeof NS_STATES)[number];

/** SOL005 `NsLcmOperationStateType`. */
export const OP_STATES = [
  'PROCESSING',
  'COMPLETED',
  'PARTIALLY_COMPLETED',
  'FAILED_TEMP',
  'FAILED',
  'ROLLING_BACK',
  'ROLLED_BACK',
] as const;
export type OpState = (typeof OP_STATES)[number];

/** SOL005 `NsLcmOpType` (the subset Rondo runs). */
export const OP_TYPES = ['INSTANTIATE', 'SCALE', 'UPDATE', 'TERMINATE', 'HEAL'] as const;
export type OpType = (typeof OP_TYPES)[number];

export const CANCEL_MODES = ['GRACEFUL', 'FORCEFUL'] as const;
export type CancelMode = (typeof CANCEL_MODES)[number];

/** SOL003 `VnfOperationalStateType`, plus FAILED for a VNF whose compute died. */
export const VNF_STATES = ['STARTED', 'STOPPED', 'FAILED'] as const;
export type VnfState = (typeof VNF_STATES)[number];

/** `stack`: one Heat stack per VNF on an OpenStack PoP (src/lifecycle/heat-*.ts). */
export const STEP_KINDS = ['network', 'compute', 'route', 'start', 'stop', 'stack', 'tunnel'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_STATES = ['PENDING', 'RUNNING', 'DONE', 'FAILED', 'UNDONE'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** RFC 7807 body, as SOL005 uses it for `LcmOpOcc.error` and every error response. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

/** One interface of a VNF (or SAP) instance on one virtual link. */
export interface InterfaceRecord {
  readonly cp: string;
  readonly linkId: string;
  readonly address: string;
  /** Prefix length of the link's subnet. */
  readonly prefix: number;
  readonly ifName?: string;
  /** MAC address the VIM reports for the interface (SOL005 `IpOverEthernetAddressInfo.macAddress`). */
  readonly macAddress?: string;
}

/** One VNFC instance (compute) of a VNF: SOL005 `VnfcResourceInfo`. */
export interface VnfcRecord {
  readonly computeId: string;
  /** Its VIM name (kept when HEAL re-creates it). */
  readonly name: string;
  readonly vduId: string | null;
  /** For an instance a scale-out added: the aspect and the level it was added at. */
  readonly aspectId?: string;
  readonly scaleLevel?: number;
}

/** SOL005 `VnfScaleInfo`: the level of one scaling aspect of a VNF. */
export interface ScaleStatusEntry {
  readonly aspectId: string;
  readonly scaleLevel: number;
}

/** A VNF instance (VNFR). SAPs are recorded as VNF instances with `kind: 'sap'`. */
export interface VnfInstance {
  readonly id: string;
  readonly nsInstanceId: string;
  /** Member id in the NSD (`vnf_id`), or the SAP id. */
  readonly memberId: string;
  readonly kind: 'vnf' | 'sap';
  readonly vnfdId: string | null;
  readonly vnfdRef: string | null;
  /** The on-boarded VNF package (VnfPkgInfo id) the VNFD came from; null/absent for SAPs and records from before it was kept. */
  readonly vnfPkgId?: string | null;
  readonly popId: string;
  readonly computeIds: readonly string[];
  readonly interfaces: readonly InterfaceRecord[];
  readonly state: VnfState;
  readonly createdAt: string;
  /** Its VNFC instances, one per compute id; absent on records from before they were kept. */
  readonly vnfcs?: readonly VnfcRecord[];
  /** SOL005 `scaleStatus`: each scaling aspect's level; absent for SAPs and records from before. */
  readonly scaleStatus?: readonly ScaleStatusEntry[];
}

/** An NS instance (NSR). */
export interface NsInstance {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly nsdId: string;
  readonly nsdInfoId: string;
  readonly state: NsState;
  readonly tenant: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * SOL005 `NsInstance.flavourId`: the NSD deployment flavour the last INSTANTIATE asked for
   * (checked against the NSD, chosen when the request named none). Absent before the first
   * instantiation and on records from before it was kept.
   */
  readonly flavourId?: string;
  /**
   * Member id → the VNF deployment flavour its VNFD is deployed with (SOL005
   * `instantiatedVnfInfo.flavourId`), decided with `flavourId`; absent like it.
   */
  readonly vnfFlavours?: Readonly<Record<string, string>>;
}

/** A step of an operation's persisted plan. Idempotent: re-running finds what it made. */
export interface OpStep {
  readonly id: string;
  readonly opId: string;
  /** Position in the plan; steps of one `phase` may run concurrently. */
  readonly seq: number;
  readonly phase: number;
  readonly kind: StepKind;
  readonly target: string;
  readonly popId: string;
  readonly params: Record<string, unknown>;
  readonly state: StepState;
  readonly result: Record<string, unknown> | null;
  readonly error: ProblemDetails | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

/** An NS LCM operation occurrence (SOL005 `NsLcmOpOcc`). */
export interface LcmOpOcc {
  readonly id: string;
  readonly nsInstanceId: string;
  readonly lcmOperationType: OpType;
  readonly operationState: OpState;
  readonly statusEnteredTime: string;
  readonly startTime: string;
  readonly isAutomaticInvocation: boolean;
  readonly operationParams: Record<string, unknown>;
  readonly isCancelPending: boolean;
  readonly cancelMode: CancelMode | null;
  readonly error: ProblemDetails | null;
  readonly tenant: string;
  /**
   * INSTANTIATE only, when a live placement SSM serves `mano.service.place`: what it was
   * asked and said (Rondo's extension of NsLcmOpOcc, docs/plugins.md).
   */
  readonly placementAdvice?: PlacementAdviceRecord;
  /**
   * INSTANTIATE only: the PoPs placement skipped because they did not answer a bounded
   * probe of their engine, with why (Rondo's extension of NsLcmOpOcc).
   */
  readonly placementSkipped?: readonly PlacementSkippedPop[];
}

/** A PoP placement skipped: it did not answer. */
export interface PlacementSkippedPop {
  readonly popId: string;
  readonly reason: string;
}

/** Outcomes of asking a placement SSM: its answer became pins, or it gave none and Rondo placed alone. */
export const PLACEMENT_ADVICE_OUTCOMES = ['ADVISED', 'FAILED'] as const;
export type PlacementAdviceOutcome = (typeof PLACEMENT_ADVICE_OUTCOMES)[number];

/** What a placement SSM said about one INSTANTIATE, recorded with the operation when it was asked. */
export interface PlacementAdviceRecord {
  readonly outcome: PlacementAdviceOutcome;
  /** The registered plugins serving `mano.service.place` when it was asked (`name@uuid`). */
  readonly plugins: readonly string[];
  /** ADVISED: its answer (member id → PoP id); pins of the request win over it. */
  readonly placement?: Readonly<Record<string, string>>;
  /** FAILED: why no answer is used (timeout, error, malformed answer): the error code and message. */
  readonly reason?: string;
}

export const VIM_TYPES = ['docker', 'memory', 'openstack'] as const;
export type VimType = (typeof VIM_TYPES)[number];

/** Cpu in vCPUs, memory in MiB. */
export interface Capacity {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** A VIM account: one point of presence (PoP). Several may share one Docker engine. */
export interface VimAccount {
  readonly id: string;
  readonly name: string;
  readonly type: VimType;
  /** Docker: `unix:///var/run/docker.sock` or `tcp://host:2375`; OpenStack: Keystone URL. */
  readonly endpoint: string;
  readonly capacity: Capacity | null;
  /** Non-secret driver configuration; `imageMap` is the PoP's {@link ImageMap}. */
  readonly config: Record<string, unknown>;
  readonly tenant: string;
  readonly createdAt: string;
}

/**
 * A PoP's image map: VM image name as descriptors name it (`ubuntu20.04`) → the image the
 * PoP runs for it: a container image on Docker (`vnf/busybox:latest`), a Glance image name
 * or id on OpenStack. Kept in `config.imageMap`.
 */
export type ImageMap = Readonly<Record<string, string>>;

/**
 * The underlay of a PoP: where its tunnel endpoints (the helpers of inter-PoP links) get
 * the address their peers send VXLAN packets to. `config.underlay` names a network of the
 * PoP (Docker: the helper joins it, e.g. a macvlan on the host's NIC for engines on other
 * hosts) or `none`. Default: `bridge` (the engine's default bridge, routed between the
 * local engines of one host) for a Docker PoP on a `unix://` socket, `memory` for the
 * memory VIM, none otherwise (a remote engine must name its underlay). null: no underlay,
 * so no link may join this PoP to another engine's.
 */
export const underlayOf = (a: Pick<VimAccount, 'config' | 'type' | 'endpoint'>): string | null => {
  const u = a.config['underlay'];
  if (typeof u === 'string' && u !== '') return u === 'none' ? null : u;
  if (a.type === 'docker' && a.endpoint.startsWith('unix://')) return 'bridge';
  if (a.type === 'memory') return 'memory';
  return null;
};

/** The image map of an account (empty when it has none). */
export const imageMapOf = (a: Pick<VimAccount, 'config'>): ImageMap => {
  const m = a.config['imageMap'];
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return {};
  return Object.fromEntries(Object.entries(m as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
};
