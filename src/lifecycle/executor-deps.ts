import type { Clock, IdGenerator, ProblemDetails } from '../model/index.js';
import { nextState } from './op-state-machine.js';
import type { OpEvent } from './op-state-machine.js';
import type { DescriptorSource, DriverRegistry, LifecycleRepositories, OpNotifier, StoredOpOcc } from './ports.js';
import type { HotSource } from './heat-ports.js';
import type { CrashPoints } from './crash-points.js';
import type { SpecificManagers } from './specific-managers.js';

/** What the executor needs; the composition root builds it once. */
export interface ExecutorDeps {
  readonly repos: LifecycleRepositories;
  readonly drivers: DriverRegistry;
  readonly descriptors: DescriptorSource;
  readonly notifier: OpNotifier;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly stepDeadlineSeconds: number;
  /** Computes created at once (default 8); networks always one after another. */
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
}

/** Guarded op state change through the state machine, published to the notifier. */
export async function moveOp(deps: ExecutorDeps, op: StoredOpOcc, event: OpEvent, error?: ProblemDetails | null): Promise<StoredOpOcc> {
  const next = nextState(op.operationState, event, op.id);
  const moved = await deps.repos.opOccs.transition(op.id, op.operationState, next, { now: deps.clock.now(), ...(error === undefined ? {} : { error }) });
  deps.crashPoints?.hit('after-commit', { opId: moved.id, operationState: moved.operationState });
  deps.notifier.notify({ opId: moved.id, nsInstanceId: moved.nsInstanceId, operationState: moved.operationState, lcmOperationType: moved.lcmOperationType });
  return moved;
}

