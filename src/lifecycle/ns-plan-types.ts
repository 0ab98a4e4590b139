import type { StepKind } from '../model/index.js';
import type { Placement } from '../placement/index.js';
import type { PopSkipped } from './ns-placement.js';
// Heat path: `stack` steps (one per VNF on an OpenStack PoP), see heat-plan.ts.
import type { StackStepParams, StackSweepParams } from './heat-plan.js';
import type { StackScaleParams } from './heat-scale.js';

/** Phases of an INSTANTIATE plan; steps of one phase may run concurrently. */
export const INSTANTIATE_PHASES = { networks: 0, computes: 1, routes: 2, starts: 3 } as const;
/** Phases of a TERMINATE plan. */
export const TERMINATE_PHASES = { stops: 0, computes: 1, networks: 2 } as const;
/**
 * Phases of the day-2 plans, HEAL and UPDATE (OPERATE_VNF): stop commands, then the
 * computes (re-created, stopped or started), then the chaining routes and start commands
 * inside the computes that came (back) up.
 */
export const DAY2_PHASES = { stops: 0, computes: 1, routes: 2, starts: 3 } as const;
/**
 * Phases of a SCALE plan. Scale in: the neighbours stop sending to the instances that go
 * (drain), their stop commands run, then they are removed. Scale out: the new instances
 * are made, get their routes and start commands, and only then do the neighbours spread
 * traffic over them (spread).
 */
export const SCALE_PHASES = { drain: 0, stops: 1, computes: 2, routes: 3, starts: 4, spread: 5 } as const;

// Step params (and results) are object type aliases, not interfaces: only an alias is
// assignable to the JSON record a stored step keeps (`OpStep.params`, an index signature),
// so a plan is stored, and a stored step viewed typed (op-step-view.ts), without a cast
// through `unknown`.

/** `network` step: create one network (one per virtual link) on the link's engine. */
export type NetworkStepParams = {
  readonly action: 'create';
  readonly name: string;
  readonly linkId: string;
  readonly subnet: string;
  readonly gateway: string;
  /** Every PoP whose computes join it, when more than one (PoPs on one engine): labelled `rondo.pops`. */
  readonly pops?: readonly string[];
  /** A segment of a tunnelled (inter-PoP) link: room for the VXLAN header. */
  readonly mtu?: number;
  /** A segment of a tunnelled link other than the first: its bridge does not hold the gateway. */
  readonly noGateway?: boolean;
};

/** One end of an inter-PoP link: the tunnel endpoint on one engine. */
export interface TunnelEndpointPlan {
  /** The PoP whose driver makes it (the first of the link's PoPs on that engine). */
  readonly popId: string;
  readonly name: string;
  /** The link's segment on that engine. */
  readonly network: string;
  /** A member address of another engine's PoP, which no compute of this engine uses. */
  readonly address: string;
  /** The PoP's underlay ({@link underlayOf}). */
  readonly underlay: string;
}

/**
 * `tunnel` step: the endpoints of one inter-PoP link on every engine it spans, then each
 * pointed at the others' underlay addresses (VXLAN, head-end replication), shaped to
 * `bandwidthMbps` when the NSD or the instantiation gives one. Undone and swept as
 * computes (the endpoints are labelled with the NS).
 */
export type TunnelStepParams = {
  readonly action: 'create';
  readonly name: string;
  readonly linkId: string;
  readonly subnet: string;
  readonly vni: number;
  readonly endpoints: readonly TunnelEndpointPlan[];
  /** Egress rate of every endpoint, Mbit/s. Latency emulation is unavailable (no netem in the kernel). */
  readonly bandwidthMbps?: number;
};

/** One interface of a planned compute. */
export interface PlannedInterface {
  readonly network: string;
  readonly linkId: string;
  /** The CP it realises: the VNF's external CP id or the SAP id. */
  readonly cp: string;
  readonly address: string;
  readonly prefix: number;
}

/** `compute` step: create one VDU container/server or one SAP. */
export type ComputeStepParams = {
  readonly action: 'create';
  readonly name: string;
  readonly memberId: string;
  readonly memberKind: 'vnf' | 'sap';
  readonly vduId: string | null;
  readonly vnfdId: string | null;
  readonly vnfdRef: string | null;
  readonly image: string;
  readonly vcpus: number;
  readonly cpuBw?: number;
  readonly memoryMiB: number;
  readonly interfaces: readonly PlannedInterface[];
  readonly env: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  /** A VNFC instance a SCALE added: the aspect it belongs to. */
  readonly aspectId?: string;
  /** ... and the scale level it was added at (a scale-in removes the highest levels first). */
  readonly scaleLevel?: number;
};

/** One chaining route inside a compute. */
export interface PlannedRoute {
  readonly dest: string;
  readonly via: string;
  /** The link the next hop is on; resolves the device name when the VIM reports it. */
  readonly viaLinkId: string;
  /**
   * Every next hop when the next node is a scaled VNF (one address per VNFC instance,
   * `via` first): the destination is spread over them (see `routeCommands`). Set by SCALE
   * plans, also with one hop, so the spread routes of a larger scale are removed again.
   */
  readonly nexthops?: readonly string[];
}

/** `route` step: install the chaining routes of one compute. */
export type RouteStepParams = {
  readonly compute: string;
  readonly routes: readonly PlannedRoute[];
  /** SCALE: the routes the compute had before, put back by a rollback. */
  readonly previous?: readonly PlannedRoute[];
};

/** `start`/`stop` step: run commands inside one compute. */
export type CommandStepParams = {
  readonly compute: string;
  readonly commands: readonly string[];
  /** Start commands are daemons (5GTANGO ran them in a thread): run them in the background. */
  readonly detach: boolean;
  /** Stop commands of a GRACEFUL stop: all of them get this long together (`gracefulStopTimeout`). */
  readonly timeoutSeconds?: number;
};

/**
 * HEAL `compute` step: remove the compute (dead, sick, or every one for a reset) and make it
 * again from the spec it was made with: same name, image, addresses, interface order and
 * MACs. Idempotent: a compute carrying this step's `rondo.step` label that runs is kept.
 */
export type RecreateStepParams = Omit<ComputeStepParams, 'action'> & {
  readonly action: 'recreate';
  /** The VIM id of the compute it replaces: the VNF record holds it until the step is DONE. */
  readonly replaces: string;
  /** The MAC address of each network's interface of the compute it replaces. */
  readonly macs: Readonly<Record<string, string>>;
};

/** UPDATE (OPERATE_VNF) `compute` step: stop a compute and keep it, or start it again. */
export type PowerStepParams = {
  readonly action: 'stop' | 'start';
  /** The compute's VIM name, or its id when no step made it by name (a Heat stack's server). */
  readonly name: string;
  readonly computeId: string;
  readonly memberId: string;
  readonly memberKind: 'vnf' | 'sap';
  /** Its interfaces as planned (route steps find device names here); empty when unknown. */
  readonly interfaces: readonly PlannedInterface[];
  /** `stop`: seconds its processes get before they are killed. */
  readonly graceSeconds?: number;
};

/** SCALE-in `compute` step: remove one VNFC instance (its stop commands ran in an earlier phase). */
export type RemoveStepParams = {
  readonly action: 'remove';
  readonly name: string;
  /** Its VIM id: the VNF record drops it once the step is DONE. */
  readonly computeId: string;
  readonly memberId: string;
  /** Its interfaces: the VNF record drops their addresses once the step is DONE. */
  readonly interfaces: readonly PlannedInterface[];
};

/** TERMINATE `compute`/`network` step: delete everything labelled with the NS on one PoP. */
export type SweepStepParams = {
  readonly action: 'sweep';
};

/**
 * The params each step kind is planned with. Where one kind has several shapes, their
 * `action` tells them apart (a `compute` step creates, re-creates, stops, starts, removes
 * or sweeps). Every {@link StepKind} has an entry: {@link PlannedStep} indexes it by kind.
 */
export interface StepParamsByKind {
  readonly network: NetworkStepParams | SweepStepParams;
  readonly tunnel: TunnelStepParams;
  readonly compute: ComputeStepParams | RecreateStepParams | PowerStepParams | RemoveStepParams | SweepStepParams;
  readonly route: RouteStepParams;
  readonly start: CommandStepParams;
  readonly stop: CommandStepParams;
  readonly stack: StackStepParams | StackSweepParams | StackScaleParams;
}

/** The `action`s the params of kind `K` have (never for a kind whose params have none). */
export type StepAction<K extends StepKind> = StepParamsByKind[K] extends infer P ? (P extends { readonly action: infer A } ? A : never) : never;

/** The params of kind `K` whose `action` is `A`. */
export type StepParamsWith<K extends StepKind, A extends StepAction<K>> = StepParamsByKind[K] extends infer P
  ? P extends { readonly action: infer X } ? (A extends X ? P & { readonly action: A } : never) : never
  : never;

/** A planned step of kind `K` (whose params are `P`, by default any of that kind's). */
export interface PlannedStepOf<K extends StepKind, P extends StepParamsByKind[K] = StepParamsByKind[K]> {
  readonly seq: number;
  readonly phase: number;
  readonly kind: K;
  /** What the step acts on: a network or compute name, or a PoP for sweeps. */
  readonly target: string;
  readonly popId: string;
  readonly params: P;
}

/**
 * One planned step of kind `K` per shape of that kind's params (distributed, so a guard
 * on `kind` and `action` narrows a step to one of them).
 */
type PlannedStepsOf<K extends StepKind> = StepParamsByKind[K] extends infer P ? (P extends StepParamsByKind[K] ? PlannedStepOf<K, P> : never) : never;

/** A step before it gets an id and is persisted: a union on `kind`, so `kind` narrows `params`. */
export type PlannedStep = { [K in StepKind]: PlannedStepsOf<K> }[StepKind];

/** A {@link PlannedStep} before the plan numbers it (`Omit` per member, so the union stays one on `kind`). */
export type UnnumberedStep = PlannedStep extends infer S ? (S extends PlannedStep ? Omit<S, 'seq'> : never) : never;

/** A network of the plan with its subnet. */
export interface PlannedNetwork {
  readonly linkId: string;
  readonly name: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly popId: string;
  /** `type|endpoint` of the VIM the network lives on. */
  readonly engine: string;
  /** Every PoP whose computes join it, when more than one (they share its engine). */
  readonly pops?: readonly string[];
  /** One segment of an inter-PoP link (joined to the others by its `tunnel` step). */
  readonly tunnelled?: boolean;
  /** Not the link's first segment: no gateway on its bridge. */
  readonly noGateway?: boolean;
}

/** The result of planning: what a dry run shows and what instantiation persists. */
export interface NsPlan {
  readonly nsInstanceId: string;
  readonly placement: Placement;
  readonly networks: readonly PlannedNetwork[];
  readonly computes: readonly ComputeStepParams[];
  readonly steps: readonly PlannedStep[];
  /** PoPs placement left out because they did not answer the probe. */
  readonly skippedPops?: readonly PopSkipped[];
}
