import type { OpStep } from '../model/index.js';
import type { StepGraph } from './phase-runner.js';

/** The fields of a stored step's params this module reads (see ns-plan-types.ts). */
interface Shape {
  readonly action?: unknown;
  readonly pops?: unknown;
  readonly compute?: unknown;
  readonly interfaces?: readonly { readonly network?: unknown; readonly linkId?: unknown }[];
  readonly routes?: readonly { readonly viaLinkId?: unknown }[];
  readonly endpoints?: readonly { readonly network?: unknown; readonly popId?: unknown }[];
}
const shape = (s: OpStep): Shape => s.params as Shape;
const names = (xs: readonly { readonly network?: unknown }[] | undefined): string[] => (xs ?? []).flatMap((x) => (typeof x.network === 'string' ? [x.network] : []));

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
  const computes = new Map<string, OpStep>();
  const routes = new Map<string, OpStep>();
  const onNetwork = new Map<string, OpStep[]>();
  const push = (m: Map<string, OpStep[]>, k: string, s: OpStep): void => {
    const l = m.get(k);
    if (l) l.push(s);
    else m.set(k, [s]);
  };
  for (const s of steps) {
    const p = shape(s);
    if (s.kind === 'network') push(networks, s.target, s);
    else if (s.kind === 'compute' && p.action === 'create') {
      computes.set(s.target, s);
      for (const n of names(p.interfaces)) push(onNetwork, n, s);
    } else if (s.kind === 'tunnel') for (const n of names(p.endpoints)) push(onNetwork, n, s);
    else if (s.kind === 'route' && typeof p.compute === 'string') routes.set(p.compute, s);
  }
  /** The step making network `name` on the engine of PoP `popId` (each segment of a tunnelled link is one). */
  const networkFor = (name: string, popId: string): OpStep[] => {
    const all = networks.get(name) ?? [];
    const here = all.filter((n) => n.popId === popId || (Array.isArray(shape(n).pops) && (shape(n).pops as unknown[]).includes(popId)));
    return here.length > 0 ? here : all;
  };
  const earlier = (s: OpStep): string[] => steps.filter((x) => x.phase < s.phase).map((x) => x.id);
  /** The compute and every compute and tunnel on the networks of `route`'s next hops. */
  const nextHops = (compute: OpStep, route: OpStep | undefined): string[] => {
    const via = new Set((shape(route ?? compute).routes ?? []).map((r) => r.viaLinkId));
    const through = names((shape(compute).interfaces ?? []).filter((i) => via.has(i.linkId)));
    return [compute.id, ...through.flatMap((n) => (onNetwork.get(n) ?? []).map((x) => x.id))];
  };
  const needs = (s: OpStep): readonly string[] => {
    const p = shape(s);
    switch (s.kind) {
      case 'network':
        return [];
      case 'tunnel':
        return (p.endpoints ?? []).flatMap((e) => (typeof e.network === 'string' && typeof e.popId === 'string' ? networkFor(e.network, e.popId).map((n) => n.id) : []));
      case 'compute':
        return p.action === 'create' ? names(p.interfaces).flatMap((n) => networkFor(n, s.popId).map((x) => x.id)) : earlier(s);
      case 'route':
      case 'start': {
        const compute = typeof p.compute === 'string' ? computes.get(p.compute) : undefined;
        if (!compute) return earlier(s);
        const route = routes.get(compute.target);
        return [...nextHops(compute, route), ...(s.kind === 'start' && route ? [route.id] : [])];
      }
      default:
        return earlier(s);
    }
  };
  return { needs, slot: slotOf };
}
