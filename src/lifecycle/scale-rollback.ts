import type { OpStep } from '../model/index.js';
import { RondoError } from '../model/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import { moveOp } from './executor-deps.js';
import type { RouteStepParams } from './ns-plan-types.js';
import { problemOf } from './op-problem.js';
import type { StoredOpOcc } from './ports.js';
import { recordScale } from './scale-records.js';
import { loadNsBuild } from './ns-build.js';
import { routeCommands } from './service-chain.js';
import { StepCommandError } from './step-runner.js';
import { runStackScale, stackPatch } from './heat-scale.js';
import type { StackScaleParams } from './heat-scale.js';

const TOUCHED = new Set(['DONE', 'FAILED', 'RUNNING']);

/**
 * Undoes a scale-out: the neighbours get the routes they had before (their spread blocks
 * removed), a Heat stack's scaling group is set back to its size before, then every
 * instance the operation made (or may have: FAILED and RUNNING steps too) is deleted by
 * name and leaves its VNF record. Each undone step is recorded UNDONE,
 * so the NS's build forgets it and a later operation routes as before. ROLLING_BACK →
 * ROLLED_BACK; a failure goes back to FAILED_TEMP with `ROLLBACK_FAILED` (rollback again).
 * Every undo is idempotent, so a crash in between only repeats it.
 */
export async function rollbackScale(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal): Promise<void> {
  const steps = await deps.repos.opSteps.listByOp(op.id);
  try {
    const routes = steps.filter((s) => s.kind === 'route' && TOUCHED.has(s.state) && (s.params as unknown as RouteStepParams).previous);
    for (const s of routes) {
      const p = s.params as unknown as RouteStepParams;
      for (const cmd of (p.previous ?? []).flatMap((r) => routeCommands(r))) {
        const r = await deps.drivers.get(s.popId).exec(p.compute, cmd, signal);
        if (r.exitCode !== 0) throw new StepCommandError(p.compute, cmd, r.exitCode, r.stderr);
      }
    }
    await undone(routes, deps);
    // Heat stacks: the group back to its size before (an idempotent update), the VNF record from what is left.
    const scaled = steps.filter((s) => s.kind === 'stack' && s.params['action'] === 'scale' && TOUCHED.has(s.state));
    for (const s of scaled) {
      const p = s.params as unknown as StackScaleParams;
      const r = await runStackScale(s, deps.drivers.get(s.popId), signal, p.previousCapacity);
      const vnf = (await deps.repos.vnfInstances.listByNs(op.nsInstanceId)).find((v) => v.memberId === p.memberId && v.kind === 'vnf');
      if (vnf) await deps.repos.vnfInstances.patch(vnf.id, stackPatch(vnf, p, r, p.fromLevel));
    }
    await undone(scaled, deps);
    const made = steps.filter((s) => s.kind === 'compute' && s.params['action'] === 'create' && TOUCHED.has(s.state));
    for (const s of made) await deps.drivers.get(s.popId).deleteCompute(s.target, {}, signal);
    // Records before UNDONE: a crash in between only repeats the (idempotent) patch.
    await recordScale(op.nsInstanceId, made, deps.repos.vnfInstances, true, await loadNsBuild(op.nsInstanceId, deps.repos));
    // Routes and start commands inside deleted instances went with them.
    await undone([...made, ...steps.filter((s) => (s.kind === 'route' || s.kind === 'start') && TOUCHED.has(s.state) && !routes.includes(s))], deps);
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

/** 409 `OP_ROLLBACK_NOT_SUPPORTED` for a SCALE that removes instances: what is removed is not made again. */
export function assertScaleRollback(internalParams: Readonly<Record<string, unknown>>): void {
  const changes = (internalParams['scale'] ?? []) as { direction?: string }[];
  if (changes.every((c) => c.direction === 'out')) return;
  throw new RondoError('OP_ROLLBACK_NOT_SUPPORTED', 'rollback of a scale-in is not supported (the removed instances are gone); retry or fail it', { details: {} });
}
