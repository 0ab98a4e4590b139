/**
 * The ports of the lifecycle core: repositories (implemented structurally by
 * `src/store/*-repository.ts`), the descriptor source (the catalog), the VIM driver
 * registry and the in-process notifier. The core depends on these shapes only.
 */
import type {
  CancelMode, Capacity, LcmOpOcc, Nsd, NsInstance, NsState, OpState, OpStep, OpType, ProblemDetails, StepState, VimAccount, VnfInstance, Vnfd,
} from '../model/index.js';
import type { SubnetAllocator } from '../ipam/index.js';
import type { VimDriver } from '../vim/index.js';
import type { NsInstanceQuery, OpOccQuery, RecordPage, TenantScope } from './list-query.js';
import type { NsDeployment } from './deployment-flavours.js';

/** NS instance records (NSR). */
export interface NsInstanceRepository {
  insert(ns: NsInstance): Promise<NsInstance>;
  /** The instance, if it exists within `scope` (another tenant's reads as missing). */
  get(id: string, scope?: TenantScope): Promise<NsInstance | undefined>;
  list(filter?: { readonly tenant?: string }): Promise<NsInstance[]>;
  /** One page of instances in `(createdAt, id)` order, filtered in the query. */
  page(query: NsInstanceQuery): Promise<RecordPage<NsInstance>>;
  /** Guarded: moves `expected` → `next`; ConflictError `NS_STATE_CHANGED` when the state was not `expected`. */
  setState(id: string, expected: NsState, next: NsState, now: Date): Promise<NsInstance>;
  /** Deletes the instance if it is in `expected`; ConflictError otherwise, NotFoundError when missing. */
  delete(id: string, expected: NsState): Promise<void>;
  /**
   * Keeps what an INSTANTIATE deploys the instance with (its NS and VNF flavours), only
   * while it is NOT_INSTANTIATED: ConflictError `NS_STATE_CONFLICT` otherwise, NotFoundError
   * when missing. In a transaction it holds the instance's row until the commit, so an
   * operation of the instance that ends meanwhile waits for it.
   */
  setDeployment(id: string, deployment: NsDeployment): Promise<void>;
}

/** A VNF record plus the resources it holds (for capacity accounting). */
export interface VnfRecord extends VnfInstance {
  readonly demand: Capacity;
}

/** What a day-2 operation changes in a VNF record. */
export interface VnfPatch {
  readonly computeIds?: readonly string[];
  readonly interfaces?: VnfInstance['interfaces'];
  readonly state?: VnfInstance['state'];
  readonly vnfcs?: VnfInstance['vnfcs'];
  readonly scaleStatus?: VnfInstance['scaleStatus'];
  /** What the VNF asks of its PoP now (placement's capacity check sums it). */
  readonly demand?: Capacity;
}

/** VNF instance records (VNFR); SAPs included with `kind: 'sap'`. */
export interface VnfInstanceRepository {
  /** Inserts or replaces by (nsInstanceId, memberId). */
  upsertMany(records: readonly VnfRecord[]): Promise<void>;
  listByNs(nsInstanceId: string): Promise<VnfInstance[]>;
  /** The members of several NS instances within `scope`, in one query: by NS, VNFs before SAPs, by member id. */
  listByNsIds(nsInstanceIds: readonly string[], scope?: TenantScope): Promise<VnfInstance[]>;
  deleteByNs(nsInstanceId: string): Promise<number>;
  /** Deletes the records of some members of the NS (REMOVE_VNF), with the same events as {@link deleteByNs}; how many went. */
  deleteMembers(nsInstanceId: string, memberIds: readonly string[]): Promise<number>;
  /** Changes what a day-2 operation changed (computes re-created, state); the record, or undefined when it is gone. */
  patch(id: string, patch: VnfPatch): Promise<VnfInstance | undefined>;
  /** Sum of recorded demand per PoP over every NS instance. */
  usageByPop(): Promise<Record<string, Capacity>>;
}

/** An operation plus its worker bookkeeping. */
export interface StoredOpOcc extends LcmOpOcc {
  /**
   * What the worker needs beyond the request (placement, autoRollback); never shown by
   * the API, whose `operationParams` echoes the request (SOL005 §6.5.2.3).
   */
  readonly internalParams: Record<string, unknown>;
  readonly owner: string | null;
  readonly leaseExpiresAt: string | null;
  readonly attempts: number;
  readonly deadline: string | null;
}

/** Filter for listing operations. */
export interface OpOccFilter {
  readonly nsInstanceId?: string;
  readonly operationState?: OpState;
  readonly tenant?: string;
}

/** What a guarded state change also writes. `error: undefined` keeps the current error. */
export interface OpStatePatch {
  readonly now: Date;
  readonly error?: ProblemDetails | null;
}

/** LCM operation occurrences, with the worker's claim and lease. */
export interface OpOccRepository {
  /** ConflictError `NS_OPERATION_IN_PROGRESS` when the NS already has a non-final operation. */
  create(op: LcmOpOcc, deadline: Date | null, internalParams?: Record<string, unknown>): Promise<StoredOpOcc>;
  /** The operation, if it exists within `scope` (another tenant's reads as missing). */
  get(id: string, scope?: TenantScope): Promise<StoredOpOcc | undefined>;
  list(filter?: OpOccFilter): Promise<StoredOpOcc[]>;
  /** One page of operations in `(startTime, id)` order, filtered in the query. */
  page(query: OpOccQuery): Promise<RecordPage<StoredOpOcc>>;
  /** Guarded `expected` → `next`; ConflictError `OP_STATE_CHANGED` when the state was not `expected`. */
  transition(id: string, expected: OpState, next: OpState, patch: OpStatePatch): Promise<StoredOpOcc>;
  /** Up to `limit` runnable operations whose lease is free or expired, now owned by `owner`. */
  claim(owner: string, opts: { readonly limit: number; readonly now: Date; readonly leaseSeconds: number }): Promise<StoredOpOcc[]>;
  /** Extends the lease; false when `owner` no longer holds it. */
  renewLease(id: string, owner: string, until: Date): Promise<boolean>;
  /** Frees the lease if `owner` holds it. */
  releaseLease(id: string, owner: string): Promise<void>;
  /** Sets `isCancelPending`/`cancelMode` if the op is in one of `states`; ConflictError otherwise. */
  requestCancel(id: string, mode: CancelMode, states: readonly OpState[]): Promise<StoredOpOcc>;
}

/** How a step ended. */
export interface StepOutcome {
  readonly state: Extract<StepState, 'DONE' | 'FAILED' | 'UNDONE' | 'PENDING'>;
  readonly result?: Record<string, unknown> | null;
  readonly error?: ProblemDetails | null;
  readonly now: Date;
  /** When the step started, for one whose RUNNING mark was never written (it ended first). */
  readonly startedAt?: Date;
}

/** The persisted plan of an operation. */
export interface OpStepRepository {
  /** Inserts the whole plan in one statement (a plan is never half-written). */
  insertMany(steps: readonly OpStep[]): Promise<void>;
  listByOp(opId: string): Promise<OpStep[]>;
  /** The steps of several operations in one query, by operation then `seq`. */
  listByOps(opIds: readonly string[]): Promise<OpStep[]>;
  /**
   * Records how steps ended, and marks `running` steps RUNNING from their start, in one
   * statement.
   */
  finish(updates: readonly { readonly id: string; readonly outcome: StepOutcome }[], running?: readonly { readonly id: string; readonly at: Date }[]): Promise<void>;
  /** FAILED and RUNNING steps of the op, and the DONE ones in `redo`, back to PENDING (retry); returns how many. */
  resetUnfinished(opId: string, redo?: readonly string[]): Promise<number>;
  /** Drops the op's whole plan (to plan it again); returns how many steps it had. */
  deleteByOp(opId: string): Promise<number>;
  /** Every PoP any step of any operation of the NS ran on. */
  popIdsForNs(nsInstanceId: string): Promise<string[]>;
}

/** Everything the lifecycle persists. */
export interface LifecycleRepositories {
  readonly nsInstances: NsInstanceRepository;
  readonly vnfInstances: VnfInstanceRepository;
  readonly opOccs: OpOccRepository;
  readonly opSteps: OpStepRepository;
  readonly subnets: SubnetAllocator;
  /**
   * Runs `work` over these repositories bound to one transaction: all of it commits or
   * none (an instantiation's subnets, operation and plan; a re-planned network phase).
   * Inside a transaction already: runs `work` in it. Optional: without it `work` runs on
   * these repositories as they are.
   */
  transaction?<T>(work: (repos: LifecycleRepositories) => Promise<T>): Promise<T>;
}

/**
 * Descriptors of an on-boarded NSD, by the catalog's NSD id. The catalog implements it;
 * both methods throw NotFoundError for an unknown id.
 */
export interface DescriptorSource {
  getNsd(nsdInfoId: string): Promise<Nsd>;
  /** The VNFDs of the NSD keyed by member `vnfId`. */
  getVnfds(nsdInfoId: string): Promise<Readonly<Record<string, Vnfd>>>;
  /**
   * The VNF packages (VnfPkgInfo ids) of the NSD's VNFDs keyed by member `vnfId`, resolved
   * like {@link getVnfds}. Optional: without it VNF instances carry no `vnfPkgId`.
   */
  getVnfPkgIds?(nsdInfoId: string): Promise<Readonly<Record<string, string>>>;
  /**
   * The NsdInfo id a SOL005 `CreateNsRequest.nsdId` names (SOL005 §6.5.2.9: the NSD's own
   * identifier, `NsdInfo.nsdId`), among the NsdInfos of `tenant` (all when undefined):
   * the one ONBOARDED and ENABLED NsdInfo carrying it; when none carries it, `nsdId`
   * itself taken as an NsdInfo id (what Rondo accepted before). Throws ConflictError
   * `NSD_ID_AMBIGUOUS` when several usable ones carry it, `STATE_CONFLICT` when some
   * carry it but none is ONBOARDED and ENABLED. Optional: without it `nsdId` is the NsdInfo id.
   */
  resolveNsdInfoId?(nsdId: string, tenant?: string): Promise<string>;
}

/** The drivers of the registered PoPs. */
export interface DriverRegistry {
  /** Throws NotFoundError for an unknown PoP. */
  get(popId: string): VimDriver;
  /** Every PoP, in placement preference order. */
  accounts(): readonly VimAccount[];
}

/** A state change of an operation: what wakes the worker and `waitForOp` (the bus's `op.changed` carries more). */
export interface OpChange {
  readonly opId: string;
  readonly nsInstanceId: string;
  readonly operationState: OpState;
  /** INSTANTIATE, HEAL, …: so a listener (the event stream) tells operations apart without reading them. */
  readonly lcmOperationType?: OpType;
  /** Set when the change is a cancel request (the state did not change): wakes the executor's cancel watch. */
  readonly cancelMode?: CancelMode;
}

/**
 * Wakes the worker and `waitForOp` when an operation is created or changes. A wake-up
 * only: listeners read the operation again. The lifecycle calls `notify` after each
 * committed change (its event is in the outbox already).
 */
export interface OpNotifier {
  notify(change: OpChange): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (change: OpChange) => void): () => void;
}
