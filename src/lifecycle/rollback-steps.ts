import type { OpStep } from '../model/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import { moveOp } from './executor-deps.js';
import { problemOf } from './op-problem.js';
import type { StoredOpOcc } from './ports.js';
import { isStepOf } from './op-step-view.js';

/** Steps whose effect may exist on a VIM: done, failed half-way, or cut off while running. */
export const TOUCHED_STATES: ReadonlySet<string> = new Set(['DONE', 'FAILED', 'RUNNING']);

/**
 * Whether what step `s` creates (a compute or a Heat stack) may exist: a touched step's,
 * or a PENDING one's too, since a step acts before its RUNNING mark is written
 * (phase-runner.ts) and a crash can come in between. Deleting what does not exist is a no-op.
 */
export const mayHaveMade = (s: OpStep): boolean => TOUCHED_STATES.has(s.state) || s.state === 'PENDING';

/** Records the steps UNDONE (the NS's build forgets them). */
export async function markUndone(steps: readonly OpStep[], deps: ExecutorDeps): Promise<void> {
  if (steps.length === 0) return;
  await deps.repos.opSteps.finish(steps.map((s) => ({ id: s.id, outcome: { state: 'UNDONE' as const, now: deps.clock.now() } })));
}

/** Deletes, by name, every compute the operation made or may have made; returns their steps. */
export async function deleteMadeComputes(steps: readonly OpStep[], deps: ExecutorDeps, signal: AbortSignal): Promise<OpStep[]> {
  const made = steps.filter((s) => isStepOf(s, 'compute', 'create') && mayHaveMade(s));
  for (const s of made) await deps.drivers.get(s.popId).deleteCompute(s.target, {}, signal);
  return made;
}

/**
 * Runs a day-2 rollback over the operation's steps: ROLLING_BACK → ROLLED_BACK when `undo`
 * completes; a failure goes back to FAILED_TEMP with `ROLLBACK_FAILED` (rollback again);
 * an abort (the worker stopping) leaves the operation as it is, for the next worker.
 */
export async function runRollback(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal, undo: (steps: readonly OpStep[]) => Promise<void>): Promise<void> {
  const steps = await deps.repos.opSteps.listByOp(op.id);
  try {
    await undo(steps);
  } catch (e) {
    if (signal.aborted) return;
    const cause = problemOf(e);
    await moveOp(deps, op, 'rollback-failed', { ...cause, code: 'ROLLBACK_FAILED', title: 'ROLLBACK_FAILED', detail: `rollback failed: ${cause.detail}; fix the VIM and rollback again`, originalError: op.error });
    return;
  }
  if (signal.aborted) return;
  await moveOp(deps, op, 'rollback-done');
}
