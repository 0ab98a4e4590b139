import type { CancelMode, OpStep } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { LABEL_NS } from '../vim/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import { moveOp } from './executor-deps.js';
import { problemOf } from './op-problem.js';
import type { StoredOpOcc } from './ports.js';
import { isStepOf } from './op-step-view.js';
import { undoStackStep } from './heat-step-runner.js';
import { watchCancel } from './cancel-watch.js';
import { forEachInLanes } from './lanes.js';
import { mayHaveMade, TOUCHED_STATES } from './rollback-steps.js';
import { rollbackScale } from './scale-rollback.js';
import { rollbackAddVnf } from './vnf-membership-rollback.js';

/**
 * Whether `s` may have made something to undo: a touched step ('DONE', 'FAILED', 'RUNNING').
 * A PENDING one may have acted too (its RUNNING mark is written after it starts): what its
 * computes, networks and tunnel endpoints are is found by the label sweep, a Heat stack is
 * not, so PENDING stack steps are undone too.
 */
const undoable = (s: OpStep): boolean => (s.kind === 'stack' ? mayHaveMade(s) : TOUCHED_STATES.has(s.state));

/**
 * Undoes an INSTANTIATE: computes, then networks, in reverse plan order (FAILED and
 * RUNNING steps too — a timed-out create may still have happened; see {@link undoable}), then a sweep by
 * `rondo.ns` on every PoP of the plan for anything no step knows, then the subnets and
 * VNF records are released. ROLLING_BACK → ROLLED_BACK keeping the original error;
 * a rollback that fails goes back to FAILED_TEMP with `ROLLBACK_FAILED`. A cancel request
 * (seen within the cancel poll) stops it before the next undo: FAILED_TEMP with
 * `OP_CANCELLED`, what is undone stays undone.
 */
export async function rollbackOperation(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal): Promise<void> {
  if (op.lcmOperationType === 'SCALE') return rollbackScale(op, deps, signal);
  if (op.lcmOperationType === 'UPDATE' && op.internalParams['add']) return rollbackAddVnf(op, deps, signal);
  if (op.lcmOperationType !== 'INSTANTIATE') return void (await moveOp(deps, op, 'rollback-done'));
  const watch = watchCancel(op.id, deps.repos.opOccs, deps.cancelPollMs ?? 500, undefined, (wake) => deps.notifier.subscribe((c) => c.opId === op.id && c.cancelMode !== undefined && wake()));
  try {
    await undoAll(op, deps, signal, () => watch.mode);
  } finally {
    watch.stop();
  }
}

async function undoAll(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal, cancelled: () => CancelMode | null): Promise<void> {
  const steps = await deps.repos.opSteps.listByOp(op.id);
  try {
    const reverse = [...steps].sort((a, b) => b.seq - a.seq);
    // `stack` (Heat path) and `tunnel` before `network`: stack ports and tunnel endpoints sit on the NS networks.
    for (const kind of ['route', 'start', 'stack', 'tunnel', 'compute', 'network'] as const) {
      const undo = reverse.filter((s) => s.kind === kind && undoable(s));
      await undoSteps(undo, deps, signal, kind === 'compute' || kind === 'stack' || kind === 'tunnel' ? (deps.computeConcurrency ?? 8) : 1, cancelled);
    }
    await sweep(op.nsInstanceId, [...new Set(steps.map((s) => s.popId))], deps, signal);
    await deps.repos.vnfInstances.deleteByNs(op.nsInstanceId);
    await deps.repos.subnets.release(op.nsInstanceId);
    await deps.managers?.release(op.nsInstanceId);
  } catch (e) {
    if (signal.aborted) return;
    const mode = cancelled();
    if (e instanceof RondoError && e.code === 'OP_CANCELLED' && mode) {
      const problem = problemOf(new RondoError('OP_CANCELLED', `rollback cancelled (${mode}); rollback again, retry or fail it`));
      await moveOp(deps, op, mode === 'FORCEFUL' ? 'cancel-forceful' : 'cancel-graceful', { ...problem, originalError: op.error });
      return;
    }
    const cause = problemOf(e);
    await moveOp(deps, op, 'rollback-failed', { ...cause, code: 'ROLLBACK_FAILED', title: 'ROLLBACK_FAILED', detail: `rollback failed: ${cause.detail}; fix the VIM and rollback again`, originalError: op.error });
    return;
  }
  if (signal.aborted) return;
  await moveOp(deps, op, 'rollback-done');
}

async function undoSteps(steps: readonly OpStep[], deps: ExecutorDeps, signal: AbortSignal, lanes: number, cancelled: () => CancelMode | null): Promise<void> {
  const undone: { id: string; outcome: { state: 'UNDONE'; now: Date } }[] = [];
  try {
    await forEachInLanes(steps, lanes, async (s) => {
      if (signal.aborted) throw new RondoError('OP_ABORTED', 'rollback interrupted');
      if (cancelled()) throw new RondoError('OP_CANCELLED', 'rollback cancelled');
      const driver = deps.drivers.get(s.popId);
      if (s.kind === 'compute') await driver.deleteCompute(s.target, {}, signal);
      if (s.kind === 'network') await driver.deleteNetwork(s.target, signal);
      if (s.kind === 'stack') await undoStackStep(s, driver, signal);
      // An inter-PoP link: its endpoint on every PoP it spans (deleting a missing one succeeds).
      if (isStepOf(s, 'tunnel')) for (const e of s.params.endpoints) await deps.drivers.get(e.popId).deleteCompute(e.name, {}, signal);
      undone.push({ id: s.id, outcome: { state: 'UNDONE', now: deps.clock.now() } });
    });
  } finally {
    // Recorded together; a crash before this only means the undo runs again (deletes are idempotent).
    await deps.repos.opSteps.finish(undone);
    if (undone.length > 0) deps.crashPoints?.hit('after-undo-done', { opId: steps[0]?.opId ?? '' });
  }
}

/** Deletes whatever still carries `rondo.ns=<id>` on the PoPs: computes first, then networks. */
export async function sweep(nsInstanceId: string, popIds: readonly string[], deps: ExecutorDeps, signal: AbortSignal): Promise<void> {
  for (const kind of ['compute', 'network'] as const) {
    for (const popId of popIds) {
      const driver = deps.drivers.get(popId);
      const found = await driver.listByLabel({ [LABEL_NS]: nsInstanceId }, signal);
      for (const r of found.filter((x) => x.kind === kind)) {
        if (kind === 'compute') await driver.deleteCompute(r.id, {}, signal);
        else await driver.deleteNetwork(r.id, signal);
      }
    }
  }
}
