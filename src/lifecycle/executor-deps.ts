import type { Clock, IdGenerator, ProblemDetails } from '../model/index.js';
import { nextState } from './op-state-machine.js';
import type { OpEvent } from './op-state-machine.js';
import type { DescriptorSource, DriverRegistry, LifecycleRepositories, OpNotifier, StoredOpOcc } from './ports.js';
import type { HotSource } from './heat-ports.js';
import type { CrashPoints } from './crash-points.js';
import type { SpecificManagers } from './specific-managers.js';
import type { PlanHandOff } from './plan-store.js';

/** What the executor needs; the composition root builds it once. */
export interface ExecutorDeps {
  readonly repos: LifecycleRepositories;
  readonly drivers: DriverRegistry;
  readonly descriptors: DescriptorSource;
  readonly notifier: OpNotifier;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly stepDeadlineSeconds: number;
  /** Computes created at once (default 8); networks made one after another (a sweep deletes up to 4 at once). */
  readonly computeConcurrency?: number;
  readonly sapImage?: string;
  /** HOT translations of VNFDs, needed when a VNF is placed on an OpenStack PoP (Heat path). */
  readonly hots?: HotSource;
  /** How often a running op's row is read for a cancel request (default 500 ms). */
  readonly cancelPollMs?: number;
  /** The NSs' specific managers (SSM/FSM): asked at the end of an instantiation, removed at termination and rollback. */
  readonly managers?: SpecificManagers;
  /** Fault injection for crash tests (default: none). */
  readonly crashPoints?: CrashPoints;
  /** Hands a plan the request just stored to this process's worker (default: the worker reads it back). */
  readonly handOff?: PlanHandOff;
  /** Told when an operation's request, phases and steps begin and end (`RONDO_TRACE=1` logs it; default: nothing). */
  readonly trace?: (event: TraceEvent) => void;
}

/** One mark of an operation's timeline (debug trace); the receiver stamps the time. */
export interface TraceEvent {
  readonly opId: string;
  /** `request`, `ipam`, `plan`, `store`, `run`, `phase`, `step` or `complete`. */
  readonly what: 'request' | 'ipam' | 'plan' | 'store' | 'run' | 'phase' | 'step' | 'complete';
  readonly edge: 'begin' | 'end';
  /** The phase number, or the step's kind and target, or how it ended. */
  readonly detail?: string;
}

/** Guarded op state change through the state machine, published to the notifier. */
export async function moveOp(deps: ExecutorDeps, op: StoredOpOcc, event: OpEvent, error?: ProblemDetails | null): Promise<StoredOpOcc> {
  const next = nextState(op.operationState, event, op.id);
  const moved = await deps.repos.opOccs.transition(op.id, op.operationState, next, { now: deps.clock.now(), ...(error === undefined ? {} : { error }) });
  deps.crashPoints?.hit('after-commit', { opId: moved.id, operationState: moved.operationState });
  deps.notifier.notify({ opId: moved.id, nsInstanceId: moved.nsInstanceId, operationState: moved.operationState, lcmOperationType: moved.lcmOperationType });
  return moved;
}

