import type { OpStep } from '../model/index.js';
import type { StackStepParams } from './heat-plan.js';
import type { CommandStepParams, ComputeStepParams, RecreateStepParams, RouteStepParams } from './ns-plan-types.js';
import type { OpOccRepository, OpStepRepository } from './ports.js';
import { typedStep } from './op-step-view.js';

/** A step's params with the PoP it ran on. */
export interface Built<P> {
  readonly params: P;
  readonly popId: string;
}

/**
 * How the computes of an NS instance were made, read back from the DONE steps of its
 * operations: the spec of each compute by its VIM id (what HEAL re-creates it from), and
 * the chaining routes and start commands of each compute by name (what HEAL and a start
 * of OPERATE_VNF run again in it). Heat stacks leave no compute steps: their servers are
 * absent from `computes`; the stack each such VNF was made as is in `stacks` by member id.
 */
export interface NsBuild {
  readonly computes: ReadonlyMap<string, Built<ComputeStepParams>>;
  readonly routes: ReadonlyMap<string, Built<RouteStepParams>>;
  readonly starts: ReadonlyMap<string, Built<CommandStepParams>>;
  /** Absent in builds made by hand (tests): no stacks. */
  readonly stacks?: ReadonlyMap<string, Built<StackStepParams>>;
}

/** The spec a re-created compute was made with: its step's params without the HEAL bookkeeping. */
const specOf = (p: ComputeStepParams | RecreateStepParams): ComputeStepParams => {
  if (p.action === 'create') return p;
  const { replaces: _r, macs: _m, action: _a, ...spec } = p;
  return { ...spec, action: 'create' };
};

/**
 * {@link NsBuild} from steps in the order they ran (operations by start, then `seq`): a
 * later step wins, so a compute re-created by HEAL is known by its new id, and routes of
 * an NS instantiated again after a termination are those of the last instantiation.
 * Pure.
 */
export function nsBuildOf(steps: readonly OpStep[]): NsBuild {
  const computes = new Map<string, Built<ComputeStepParams>>();
  const routes = new Map<string, Built<RouteStepParams>>();
  const starts = new Map<string, Built<CommandStepParams>>();
  const stacks = new Map<string, Built<StackStepParams>>();
  for (const step of steps) {
    if (step.state !== 'DONE') continue;
    const s = typedStep(step);
    if (s.kind === 'compute' && (s.params.action === 'create' || s.params.action === 'recreate') && typeof s.result?.['computeId'] === 'string') {
      computes.set(s.result['computeId'], { params: specOf(s.params), popId: s.popId });
    } else if (s.kind === 'route') {
      routes.set(s.params.compute, { params: s.params, popId: s.popId });
    } else if (s.kind === 'start') {
      starts.set(s.params.compute, { params: s.params, popId: s.popId });
    } else if (s.kind === 'stack' && s.params.action === 'create') {
      stacks.set(s.params.memberId, { params: s.params, popId: s.popId });
    }
  }
  return { computes, routes, starts, stacks };
}

/** {@link nsBuildOf} over every operation of the NS (two queries). */
export async function loadNsBuild(nsInstanceId: string, repos: { readonly opOccs: Pick<OpOccRepository, 'list'>; readonly opSteps: Pick<OpStepRepository, 'listByOps'> }): Promise<NsBuild> {
  const ops = (await repos.opOccs.list({ nsInstanceId })).sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
  const order = new Map(ops.map((o, i) => [o.id, i]));
  const steps = (await repos.opSteps.listByOps(ops.map((o) => o.id))).sort((a, b) => (order.get(a.opId) ?? 0) - (order.get(b.opId) ?? 0) || a.seq - b.seq);
  return nsBuildOf(steps);
}
