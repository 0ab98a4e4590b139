import { RondoError } from '../model/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import type { StoredOpOcc } from './ports.js';
import { deleteMadeComputes, markUndone, runRollback, TOUCHED_STATES } from './rollback-steps.js';

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
  await runRollback(op, deps, signal, async (steps) => {
    await deleteMadeComputes(steps, deps, signal);
    await deps.repos.vnfInstances.deleteMembers(op.nsInstanceId, (op.internalParams['add'] ?? []) as string[]);
    await markUndone(steps.filter((s) => (s.kind === 'compute' || s.kind === 'route' || s.kind === 'start') && TOUCHED_STATES.has(s.state)), deps);
  });
}

/** 409 `OP_ROLLBACK_NOT_SUPPORTED` for an UPDATE other than ADD_VNF / INSTANTIATE_VNF: what REMOVE_VNF removed and OPERATE_VNF changed is not made again. */
export function assertUpdateRollback(internalParams: Readonly<Record<string, unknown>>): void {
  if (internalParams['add']) return;
  throw new RondoError('OP_ROLLBACK_NOT_SUPPORTED', 'rollback of this UPDATE is not supported (only an ADD_VNF or INSTANTIATE_VNF is undone); retry or fail it', { details: {} });
}
