import type { OpStep } from '../model/index.js';
import type { DriverRegistry } from './ports.js';
import { forEachInLanes } from './lanes.js';
import { isStepOf } from './op-step-view.js';

/** States of a compute that a retry may keep: it runs, or is still coming up. */
const ALIVE = new Set(['ACTIVE', 'BUILD']);

/**
 * The DONE steps of an INSTANTIATE that a retry must run again because what they made is
 * gone: a compute whose container or server is no longer running (an engine that went away
 * mid-operation can kill the container it was starting after answering the start), with the
 * route and start steps that ran inside it. A PoP that does not answer keeps its steps as
 * they are: the retry meets that PoP again anyway.
 */
export async function deadComputeSteps(steps: readonly OpStep[], drivers: DriverRegistry, signal?: AbortSignal): Promise<string[]> {
  const done = steps.filter((s) => s.kind === 'compute' && s.state === 'DONE' && typeof s.result?.['computeId'] === 'string');
  const dead = new Set<string>();
  await forEachInLanes(done, 8, async (s) => {
    const state = await drivers.get(s.popId).status(String(s.result?.['computeId']), signal).then((c) => c.state, () => 'UNKNOWN');
    if (state !== 'UNKNOWN' && !ALIVE.has(state)) dead.add(s.target);
  });
  if (dead.size === 0) return [];
  const inside = (s: OpStep): boolean => (isStepOf(s, 'route') || isStepOf(s, 'start')) && dead.has(s.params.compute);
  return steps.filter((s) => s.state === 'DONE' && ((s.kind === 'compute' && dead.has(s.target)) || inside(s))).map((s) => s.id);
}
