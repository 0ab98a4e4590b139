import type { OpState } from '../model/index.js';
import { IllegalStateError } from '../model/index.js';

/** What can happen to an LCM operation occurrence. */
export const OP_EVENTS = [
  'step-failed',
  'all-done',
  'retry',
  'rollback',
  'rollback-done',
  'rollback-failed',
  'fail',
  'cancel-graceful',
  'cancel-forceful',
] as const;
export type OpEvent = (typeof OP_EVENTS)[number];

/** States after which nothing can happen any more. */
export const FINAL_OP_STATES = ['COMPLETED', 'PARTIALLY_COMPLETED', 'FAILED', 'ROLLED_BACK'] as const satisfies readonly OpState[];

/** States a worker runs: it claims operations in these. */
export const RUNNABLE_OP_STATES = ['PROCESSING', 'ROLLING_BACK'] as const satisfies readonly OpState[];

/** Why a transition is not allowed. */
export interface IllegalTransition {
  readonly illegal: true;
  readonly from: OpState;
  readonly event: OpEvent;
  readonly reason: string;
}

const TABLE: Readonly<Record<OpState, Partial<Record<OpEvent, OpState>>>> = {
  PROCESSING: {
    'step-failed': 'FAILED_TEMP',
    'all-done': 'COMPLETED',
    // SOL005 §6.4.10 (cancel): PROCESSING → FAILED_TEMP for both modes; FORCEFUL just
    // does not wait for running steps.
    'cancel-graceful': 'FAILED_TEMP',
    'cancel-forceful': 'FAILED_TEMP',
  },
  FAILED_TEMP: {
    // SOL005 §6.4.7–§6.4.9: retry, rollback and fail are allowed only from FAILED_TEMP.
    retry: 'PROCESSING',
    rollback: 'ROLLING_BACK',
    fail: 'FAILED',
  },
  ROLLING_BACK: {
    'rollback-done': 'ROLLED_BACK',
    'rollback-failed': 'FAILED_TEMP',
    'cancel-graceful': 'FAILED_TEMP',
    'cancel-forceful': 'FAILED_TEMP',
  },
  COMPLETED: {},
  PARTIALLY_COMPLETED: {},
  FAILED: {},
  ROLLED_BACK: {},
};

const why = (from: OpState, event: OpEvent): string => {
  if ((FINAL_OP_STATES as readonly OpState[]).includes(from)) return `operation is ${from}, a final state`;
  if (event === 'retry' || event === 'rollback' || event === 'fail') return `${event} needs FAILED_TEMP, operation is ${from}`;
  if (event.startsWith('cancel')) return `cancel needs PROCESSING or ROLLING_BACK, operation is ${from}`;
  return `${event} cannot happen in ${from}`;
};

/**
 * The SOL005 operation state machine, pure: the next state, or an
 * {@link IllegalTransition} saying why not. The worker and the service do the I/O.
 */
export function transition(from: OpState, event: OpEvent): OpState | IllegalTransition {
  const next = TABLE[from][event];
  return next ?? { illegal: true, from, event, reason: why(from, event) };
}

/** Whether a transition result is illegal. */
export const isIllegal = (r: OpState | IllegalTransition): r is IllegalTransition => typeof r === 'object';

/** {@link transition}, throwing IllegalStateError `OP_ILLEGAL_STATE` (409) when illegal. */
export function nextState(from: OpState, event: OpEvent, opId?: string): OpState {
  const r = transition(from, event);
  if (isIllegal(r)) {
    throw new IllegalStateError(`${opId ? `operation ${opId}: ` : ''}${r.reason}`, { details: { from, event, ...(opId ? { opId } : {}) } });
  }
  return r;
}

/** Whether an operation in this state is over. */
export const isFinalOpState = (s: OpState): boolean => (FINAL_OP_STATES as readonly OpState[]).includes(s);
