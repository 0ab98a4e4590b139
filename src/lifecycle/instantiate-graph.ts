import type { OpStep } from '../model/index.js';
import type { StepGraph } from './phase-runner.js';
import type { PlannedInterface } from './ns-plan-types.js';
import { isStepOf, typedStep } from './op-step-view.js';

const networksOf = (interfaces: readonly PlannedInterface[]): string[] => interfaces.map((i) => i.network);

/**
 * What each step of an INSTANTIATE's first phases (networks, computes and tunnels, routes,
 * starts) waits for, so the phases overlap:
 * - a compute, for the networks its interfaces join (on its engine);
 * - a tunnel, for its segments;
 * - a compute's routes, for the compute and its next hops: every compute and tunnel on
 *   the networks its routes go through (not a management LAN they do not use);
 * - its start commands, for its routes and what they waited for.
 * Anything else (a Heat stack, commands in a server no step of this plan makes) waits for
 * every step of the phases before its own, as a phase would.
 */
export function instantiateGraph(steps: readonly OpStep[], slotOf: StepGraph['slot']): StepGraph {
  const networks = new Map<string, OpStep[]>();
  const computes = new Map<string, { readonly step: OpStep; readonly interfaces: readonly PlannedInterface[] }>();
  const routes = new Map<string, { readonly step: OpStep; readonly via: ReadonlySet<string> }>();
  const onNetwork = new Map<string, OpStep[]>();
  const push = (m: Map<string, OpStep[]>, k: string, s: OpStep): void => {
    const l = m.get(k);
    if (l) l.push(s);
    else m.set(k, [s]);
  };
  for (const s of steps) {
    if (isStepOf(s, 'network', 'create')) push(networks, s.target, s);
    else if (isStepOf(s, 'compute', 'create')) {
      computes.set(s.target, { step: s, interfaces: s.params.interfaces });
      for (const n of networksOf(s.params.interfaces)) push(onNetwork, n, s);
    } else if (isStepOf(s, 'tunnel')) for (const e of s.params.endpoints) push(onNetwork, e.network, s);
    else if (isStepOf(s, 'route')) routes.set(s.params.compute, { step: s, via: new Set(s.params.routes.map((r) => r.viaLinkId)) });
  }
  /** The steps making network `name` on the engine of PoP `popId` (each segment of a tunnelled link is one). */
  const networkFor = (name: string, popId: string): OpStep[] => {
    const all = networks.get(name) ?? [];
    const here = all.filter((n) => {
      const s = typedStep(n);
      return n.popId === popId || (s.kind === 'network' && s.params.action === 'create' && (s.params.pops ?? []).includes(popId));
    });
    return here.length > 0 ? here : all;
  };
  const earlier = (s: OpStep): string[] => steps.filter((x) => x.phase < s.phase).map((x) => x.id);
  const needs = (step: OpStep): readonly string[] => {
    const s = typedStep(step);
    switch (s.kind) {
      case 'network':
        return [];
      case 'tunnel':
        return s.params.endpoints.flatMap((e) => networkFor(e.network, e.popId).map((n) => n.id));
      case 'compute':
        return s.params.action === 'create' ? networksOf(s.params.interfaces).flatMap((n) => networkFor(n, s.popId).map((x) => x.id)) : earlier(s);
      case 'route':
      case 'start': {
        const compute = computes.get(s.params.compute);
        if (!compute) return earlier(s);
        // Its next hops: everything on the networks its routes go through.
        const route = routes.get(s.params.compute);
        const through = networksOf(compute.interfaces.filter((i) => route?.via.has(i.linkId)));
        const hops = through.flatMap((n) => (onNetwork.get(n) ?? []).map((x) => x.id));
        return [compute.step.id, ...hops, ...(s.kind === 'start' && route ? [route.step.id] : [])];
      }
      default:
        return earlier(s);
    }
  };
  return { needs, slot: slotOf };
}
