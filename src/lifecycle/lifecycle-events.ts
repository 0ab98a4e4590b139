import type { NsState, OpState, OpType, PlacementSkippedPop, ProblemDetails } from '../model/index.js';
import type { OpChange } from './ports.js';

/**
 * The lifecycle's events: each stands for a state change and is written to the outbox by
 * the statement that makes the change (`src/store`), then published on the bus by the
 * outbox relay with the id it was written with. Payloads are JSON; every one names its NS
 * instance (`nsInstanceId`, the events' ordering key) and its tenant.
 */
export interface LifecycleTopics {
  /** An operation was created or changed state. */
  readonly 'op.changed': OpChangedEvent;
  /** An NS instance was created (SOL005 NsIdentifierCreationNotification). */
  readonly 'ns.created': NsInstanceEvent;
  /** An NS instance was deleted (SOL005 NsIdentifierDeletionNotification). */
  readonly 'ns.deleted': NsInstanceEvent;
  /** An NS instance changed state (NOT_INSTANTIATED ↔ INSTANTIATED). */
  readonly 'ns.changed': NsChangedEvent;
}

/** Every lifecycle topic. */
export const LIFECYCLE_TOPICS = ['op.changed', 'ns.created', 'ns.deleted', 'ns.changed'] as const satisfies readonly (keyof LifecycleTopics)[];
export type LifecycleTopic = (typeof LIFECYCLE_TOPICS)[number];

/** `op.changed`: the operation as its change committed it. */
export interface OpChangedEvent extends OpChange {
  /** The state it left; null when the operation was created. */
  readonly previousState: OpState | null;
  readonly lcmOperationType: OpType;
  readonly tenant: string;
  readonly isAutomaticInvocation: boolean;
  readonly startTime: string;
  readonly statusEnteredTime: string;
  readonly error: ProblemDetails | null;
  /** On creation of an INSTANTIATE only: PoPs placement skipped because they did not answer. */
  readonly placementSkipped?: readonly PlacementSkippedPop[];
}

/** `ns.created` / `ns.deleted`. */
export interface NsInstanceEvent {
  readonly nsInstanceId: string;
  readonly tenant: string;
  readonly nsInstanceName: string;
  readonly nsdInfoId: string;
}

/** `ns.changed`. */
export interface NsChangedEvent {
  readonly nsInstanceId: string;
  readonly tenant: string;
  readonly state: NsState;
  readonly previousState: NsState;
}
