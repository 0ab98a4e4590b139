import type { NsState, VnfInstance } from '../model/index.js';

/** Kinds of VIM resource reconciliation looks at. */
export const RECONCILE_RESOURCE_KINDS = ['compute', 'network'] as const;
export type ReconcileResourceKind = (typeof RECONCILE_RESOURCE_KINDS)[number];

/** A VIM resource labelled `rondo.ns` that no live NS instance accounts for. */
export interface OrphanResource {
  readonly pop: string;
  readonly kind: ReconcileResourceKind;
  readonly id: string;
  readonly name: string;
  /** The `rondo.ns` label value. */
  readonly ns: string;
  /** Why it is an orphan: the NS record is gone, or it is NOT_INSTANTIATED and idle. */
  readonly reason: 'NS_UNKNOWN' | 'NS_NOT_INSTANTIATED';
}

/** A VNF record of an INSTANTIATED NS whose computes are no longer on the VIM. */
export interface VanishedVnf {
  readonly nsInstanceId: string;
  readonly vnfInstanceId: string;
  readonly memberId: string;
  readonly popId: string;
  readonly missingComputeIds: readonly string[];
}

/** A PoP that could not be listed; nothing on it was judged. */
export interface ReconcileError {
  readonly pop: string;
  readonly code: string;
  readonly message: string;
}

/** What one reconciliation pass found and did. */
export interface ReconcileReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Nothing was changed (`runOnce({ dryRun: true })`). */
  readonly dryRun: boolean;
  readonly orphans: readonly OrphanResource[];
  /** Orphans actually deleted (0 on a dry run). */
  readonly removed: number;
  /** VNFs newly marked FAILED (on a dry run: would be marked). */
  readonly vanished: readonly VanishedVnf[];
  readonly errors: readonly ReconcileError[];
}

/** The NS facts reconciliation judges resources by. */
export interface NsLiveness {
  readonly state: NsState;
  /** The NS has an operation that is not in a final state (FAILED_TEMP included). */
  readonly openOp: boolean;
}

/**
 * What reconciliation reads and writes in the store (`src/store/reconcile-repository.ts`
 * implements it).
 */
export interface ReconcileRepository {
  /** Every NS instance with its state and whether it has an open operation. */
  nsLiveness(): Promise<ReadonlyMap<string, NsLiveness>>;
  /** Liveness of one NS; undefined when the record is gone. */
  nsLivenessOf(nsInstanceId: string): Promise<NsLiveness | undefined>;
  /** VNF records (SAPs included) of INSTANTIATED NS instances that have no open operation. */
  settledVnfs(): Promise<VnfInstance[]>;
  /**
   * Guarded: sets the VNF FAILED if it is not already and its NS is still INSTANTIATED
   * with no open operation; returns the updated record, or undefined when nothing changed.
   */
  markVnfFailed(vnfInstanceId: string, now: Date): Promise<VnfInstance | undefined>;
}
