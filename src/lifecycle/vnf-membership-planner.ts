import type { Nsd, VimAccount, VnfInstance, Vnfd } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { freeHostAddresses, subnetOfAddress } from '../ipam/index.js';
import type { Placement } from '../placement/index.js';
import type { NsBuild } from './ns-build.js';
import type { PlannedRoute, PlannedStep, RemoveStepParams, UnnumberedStep } from './ns-plan-types.js';
import { DAY2_PHASES } from './ns-plan-types.js';
import { planNs } from './ns-planner.js';
import { isStepOf } from './op-step-view.js';
import type { HotBundle } from './heat-ports.js';
import { HEAL_STOP_TIMEOUT_SECONDS } from './day2-planner.js';
import { stopCommandsByVdu } from './vnf-commands.js';

const sorted = (steps: UnnumberedStep[]): PlannedStep[] =>
  steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.phase - b.s.phase || a.i - b.i).map(({ s }, seq) => ({ ...s, seq }));

/** What {@link planRemoveVnf} is made from; no I/O while planning. */
export interface RemoveVnfPlanInput {
  readonly vnfs: readonly VnfInstance[];
  /** The NSD members to take out of the NS. */
  readonly memberIds: readonly string[];
  readonly build: NsBuild;
  /** VNFDs by member id, for stop commands. */
  readonly vnfds: Readonly<Record<string, Vnfd>>;
}

/**
 * REMOVE_VNF: phase 0 runs the stop commands of every compute of the members (best
 * effort, {@link HEAL_STOP_TIMEOUT_SECONDS}), phase 1 removes each compute (the SCALE-in
 * `remove` step: deleting a gone compute succeeds, so a re-run is harmless). Its addresses
 * are free once its VNF record is gone (IPAM hands out subnets per link; addresses inside
 * one are what the records hold). Neighbours need no route change: a member a forwarding
 * path crosses is refused at request time, and only forwarding paths make routes. Pure.
 *
 * Throws RondoError `NS_UPDATE_NOT_SUPPORTED` for a compute no step made (a Heat stack).
 */
export function planRemoveVnf(input: RemoveVnfPlanInput): PlannedStep[] {
  const steps: UnnumberedStep[] = [];
  for (const memberId of input.memberIds) {
    const vnf = input.vnfs.find((v) => v.memberId === memberId && v.kind === 'vnf');
    if (!vnf) continue; // Gone already (a re-plan after its removal was recorded): nothing left to remove.
    const vnfd = input.vnfds[memberId];
    for (const computeId of vnf.computeIds) {
      const built = input.build.computes.get(computeId);
      if (!built) throw new RondoError('NS_UPDATE_NOT_SUPPORTED', `${memberId} runs as a Heat stack on PoP ${vnf.popId}; REMOVE_VNF of a Heat stack is not supported`, { details: { memberId, computeId } });
      const name = built.params.name;
      const commands = vnfd && built.params.vduId ? (stopCommandsByVdu(vnfd).get(built.params.vduId) ?? []) : [];
      if (commands.length > 0) steps.push({ phase: DAY2_PHASES.stops, kind: 'stop', target: name, popId: built.popId, params: { compute: name, commands, detach: false, timeoutSeconds: HEAL_STOP_TIMEOUT_SECONDS } });
      const params: RemoveStepParams = { action: 'remove', name, computeId, memberId, interfaces: built.params.interfaces };
      steps.push({ phase: DAY2_PHASES.computes, kind: 'compute', target: name, popId: built.popId, params });
    }
  }
  return sorted(steps);
}

/** What {@link planAddVnf} is made from; no I/O while planning. */
export interface AddVnfPlanInput {
  readonly nsInstanceId: string;
  readonly nsd: Nsd;
  readonly vnfds: Readonly<Record<string, Vnfd>>;
  readonly accounts: readonly VimAccount[];
  /** The NS's placement, as its instantiation stored it. */
  readonly placement: Placement;
  /** The NS's subnets by link id, as IPAM holds them. */
  readonly subnets: ReadonlyMap<string, string>;
  /** Every member the NS runs now: their addresses are taken. */
  readonly vnfs: readonly VnfInstance[];
  /** The NSD members to bring back. */
  readonly memberIds: readonly string[];
  readonly hots?: Readonly<Record<string, HotBundle>>;
  readonly sapImage?: string;
}

const linkKey = (linkId: string, address: string): string => `${linkId}|${address}`;

/**
 * ADD_VNF / INSTANTIATE_VNF: the members' steps exactly as the NS's instantiation plans
 * them (the same planner over the same NSD, placement and subnets): phase 1 their computes
 * with interfaces on the NS links, phase 2 their chaining routes and the neighbours' routes
 * that lead to them, phase 3 their start commands. An address the instantiation would give
 * that another member holds now (a scale-out took it meanwhile) is swapped for the lowest
 * free one on the link, in the computes and in the neighbours' routes alike. Pure.
 *
 * Throws RondoError `SCALE_NO_ADDRESS` when a link has no free address left, and what
 * {@link planNs} throws.
 */
export function planAddVnf(input: AddVnfPlanInput): PlannedStep[] {
  const full = planNs({
    nsInstanceId: input.nsInstanceId, nsd: input.nsd, vnfds: input.vnfds, accounts: input.accounts, placement: input.placement, subnets: input.subnets,
    ...(input.hots ? { hots: input.hots } : {}), ...(input.sapImage ? { sapImage: input.sapImage } : {}),
  });
  const members = new Set(input.memberIds);
  const used = new Map<string, Set<string>>();
  const hold = (linkId: string, address: string): void => void (used.get(linkId) ?? used.set(linkId, new Set()).get(linkId))?.add(address);
  for (const v of input.vnfs) for (const i of v.interfaces) hold(i.linkId, i.address);
  const swapped = new Map<string, string>();
  const computes = full.steps.filter((s) => isStepOf(s, 'compute', 'create')).filter((s) => members.has(s.params.memberId));
  const names = new Set(computes.map((s) => s.target));
  const steps: UnnumberedStep[] = [];
  for (const s of computes) {
    const p = s.params;
    const interfaces = p.interfaces.map((i) => {
      if (!used.get(i.linkId)?.has(i.address)) {
        hold(i.linkId, i.address);
        return i;
      }
      const subnet = subnetOfAddress(i.address, i.prefix);
      let address: string;
      try {
        address = freeHostAddresses(subnet, used.get(i.linkId) ?? new Set(), 1)[0] as string;
      } catch (e) {
        throw new RondoError('SCALE_NO_ADDRESS', `link ${i.linkId} (${subnet}) has no free address for ${p.memberId}; scale in another member first`, { cause: e, details: { linkId: i.linkId, subnet } });
      }
      hold(i.linkId, address);
      swapped.set(linkKey(i.linkId, i.address), address);
      return { ...i, address };
    });
    steps.push({ ...s, phase: DAY2_PHASES.computes, params: { ...p, interfaces } });
  }
  const remap = (r: PlannedRoute): PlannedRoute => ({ ...r, via: swapped.get(linkKey(r.viaLinkId, r.via)) ?? r.via });
  const planned = new Set(computes.flatMap((s) => s.params.interfaces.map((i) => linkKey(i.linkId, i.address))));
  for (const s of full.steps) {
    if (s.kind !== 'route') continue;
    const p = s.params;
    const towards = p.routes.some((r) => planned.has(linkKey(r.viaLinkId, r.via)));
    if (!names.has(p.compute) && !towards) continue;
    steps.push({ ...s, phase: DAY2_PHASES.routes, params: { compute: p.compute, routes: p.routes.map(remap) } });
  }
  for (const s of full.steps) if (s.kind === 'start' && names.has(s.target)) steps.push({ ...s, phase: DAY2_PHASES.starts });
  return sorted(steps);
}
