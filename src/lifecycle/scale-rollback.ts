import { RondoError } from '../model/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import { isStepOf } from './op-step-view.js';
import type { StoredOpOcc } from './ports.js';
import { deleteMadeComputes, markUndone, runRollback, TOUCHED_STATES } from './rollback-steps.js';
import { recordScale } from './scale-records.js';
import { loadNsBuild } from './ns-build.js';
import { routeCommands } from './service-chain.js';
import { StepCommandError } from './step-runner.js';
import { runStackScale, stackPatch } from './heat-scale.js';

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
  await runRollback(op, deps, signal, async (steps) => {
    const routes = steps.filter((s) => isStepOf(s, 'route')).filter((s) => TOUCHED_STATES.has(s.state) && s.params.previous);
    for (const s of routes) {
      const p = s.params;
      for (const cmd of (p.previous ?? []).flatMap((r) => routeCommands(r))) {
        const r = await deps.drivers.get(s.popId).exec(p.compute, cmd, signal);
        if (r.exitCode !== 0) throw new StepCommandError(p.compute, cmd, r.exitCode, r.stderr);
      }
    }
    await markUndone(routes, deps);
    // Heat stacks: the group back to its size before (an idempotent update), the VNF record from what is left.
    const scaled = steps.filter((s) => isStepOf(s, 'stack', 'scale')).filter((s) => TOUCHED_STATES.has(s.state));
    for (const s of scaled) {
      const p = s.params;
      const r = await runStackScale(s, deps.drivers.get(s.popId), signal, p.previousCapacity);
      const vnf = (await deps.repos.vnfInstances.listByNs(op.nsInstanceId)).find((v) => v.memberId === p.memberId && v.kind === 'vnf');
      if (vnf) await deps.repos.vnfInstances.patch(vnf.id, stackPatch(vnf, p, r, p.fromLevel));
    }
    await markUndone(scaled, deps);
    const made = await deleteMadeComputes(steps, deps, signal);
    // Records before UNDONE: a crash in between only repeats the (idempotent) patch.
    await recordScale(op.nsInstanceId, made, deps.repos.vnfInstances, true, await loadNsBuild(op.nsInstanceId, deps.repos));
    // Routes and start commands inside deleted instances went with them.
    await markUndone([...made, ...steps.filter((s) => (s.kind === 'route' || s.kind === 'start') && TOUCHED_STATES.has(s.state) && !routes.some((r) => r === s))], deps);
  });
}

/** 409 `OP_ROLLBACK_NOT_SUPPORTED` for a SCALE that removes instances: what is removed is not made again. */
export function assertScaleRollback(internalParams: Readonly<Record<string, unknown>>): void {
  const changes = (internalParams['scale'] ?? []) as { direction?: string }[];
  if (changes.every((c) => c.direction === 'out')) return;
  throw new RondoError('OP_ROLLBACK_NOT_SUPPORTED', 'rollback of a scale-in is not supported (the removed instances are gone); retry or fail it', { details: {} });
}
