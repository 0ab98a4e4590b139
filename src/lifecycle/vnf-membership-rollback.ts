import type { OpStep } from '../model/index.js';
import { RondoError } from '../model/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import { moveOp } from './executor-deps.js';
import { problemOf } from './op-problem.js';
import type { StoredOpOcc } from './ports.js';

const TOUCHED = new Set(['DONE', 'FAILED', 'RUNNING']);

/**
 * Undoes an ADD_VNF / INSTANTIATE_VNF: every compute the operation made (or may have:
 * FAILED and RUNNING steps too, a timed-out create may still have happened) is deleted by
 * name, then the added members' VNF records go, and the steps are recorded UNDONE (routes
 * and start commands inside the deleted computes went with them). Neighbours' routes
 * towards an added member exist only for members a forwarding path crosses, which
 * REMOVE_VNF never takes out, so there are none to put back. ROLLING_BACK → ROLLED_BACK; a
 * failure goes back to FAILED_TEMP with `ROLLBACK_FAILED`. Every undo is idempotent, so a
 * crash in between only repeats it.
 */
export async function rollbackAddVnf(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal): Promise<void> {
  const steps = await deps.repos.opSteps.listByOp(op.id);
  try {
    const made = steps.filter((s) => s.kind === 'compute' && s.params['action'] === 'create' && TOUCHED.has(s.state));
    for (const s of made) await deps.drivers.get(s.popId).deleteCompute(s.target, {}, signal);
    await deps.repos.vnfInstances.deleteMembers(op.nsInstanceId, (op.internalParams['add'] ?? []) as string[]);
    await undone(steps.filter((s) => (s.kind === 'compute' || s.kind === 'route' || s.kind === 'start') && TOUCHED.has(s.state)), deps);
  } catch (e) {
    if (signal.aborted) return;
    const cause = problemOf(e);
    await moveOp(deps, op, 'rollback-failed', { ...cause, code: 'ROLLBACK_FAILED', title: 'ROLLBACK_FAILED', detail: `rollback failed: ${cause.detail}; fix the VIM and rollback again`, originalError: op.error });
    return;
  }
  if (signal.aborted) return;
  await moveOp(deps, op, 'rollback-done');
}

async function undone(steps: readonly OpStep[], deps: ExecutorDeps): Promise<void> {
  if (steps.length === 0) return;
  await deps.repos.opSteps.finish(steps.map((s) => ({ id: s.id, outcome: { state: 'UNDONE' as const, now: deps.clock.now() } })));
}

/** 409 `OP_ROLLBACK_NOT_SUPPORTED` for an UPDATE other than ADD_VNF / INSTANTIATE_VNF: what REMOVE_VNF removed and OPERATE_VNF changed is not made again. */
export function assertUpdateRollback(internalParams: Readonly<Record<string, unknown>>): void {
  if (internalParams['add']) return;
  throw new RondoError('OP_ROLLBACK_NOT_SUPPORTED', 'rollback of this UPDATE is not supported (only an ADD_VNF or INSTANTIATE_VNF is undone); retry or fail it', { details: {} });
}
