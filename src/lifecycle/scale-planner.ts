import type { VnfInstance, Vnfd } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { freeHostAddresses, subnetOfAddress } from '../ipam/index.js';
import type { NsBuild } from './ns-build.js';
import type { ComputeStepParams, PlannedInterface, PlannedRoute, PlannedStep, UnnumberedStep, RemoveStepParams } from './ns-plan-types.js';
import { SCALE_PHASES } from './ns-plan-types.js';
import { computeName } from './resource-names.js';
import type { ScaleChange } from './scale-requests.js';
import { HEAL_STOP_TIMEOUT_SECONDS } from './day2-planner.js';
import { stopCommandsByVdu } from './vnf-commands.js';
import { planStackScale } from './heat-scale.js';

/** What {@link planScale} is made from; no I/O while planning. */
/** What the SCALE planner reads of a member's VNF record. */
export type ScaleMember = Pick<VnfInstance, 'memberId' | 'kind' | 'computeIds' | 'interfaces'>;

export interface ScalePlanInput {
  readonly nsInstanceId: string;
  /** Every member of the NS (VNFs and SAPs), as recorded now. */
  readonly vnfs: readonly ScaleMember[];
  readonly changes: readonly ScaleChange[];
  readonly build: NsBuild;
  /** VNFDs by member id, for stop commands. */
  readonly vnfds: Readonly<Record<string, Vnfd>>;
}

interface Vnfc {
  readonly id: string;
  readonly spec: ComputeStepParams;
  readonly popId: string;
  readonly added: boolean;
}

const safe = (s: string): string => s.replace(/[^a-zA-Z0-9_.-]/g, '-');
const linkKey = (linkId: string, address: string): string => `${linkId}|${address}`;
const groupKey = (memberId: string, vduId: string | null): string => `${memberId}|${vduId ?? ''}`;
/** Original instances first, then by the level they were added at, then by name. */
const byAge = (a: Vnfc, b: Vnfc): number => (a.spec.scaleLevel ?? -1) - (b.spec.scaleLevel ?? -1) || a.spec.name.localeCompare(b.spec.name);

/** VIM name of a VNFC instance a scale-out adds: `<compute name>-<aspect>-<level>[-<k>]`. */
export const scaledComputeName = (base: string, aspectId: string, level: number, k: number): string => `${base}-${safe(aspectId)}-${level}${k > 0 ? `-${k}` : ''}`;

/**
 * SCALE of VNFs by aspect steps. Scale out: for each new level, `delta` new VNFC instances
 * per VDU of the aspect, each a copy of the VDU's first instance (image, resources, env,
 * interfaces on the same links in the same order) with new addresses, the lowest free on
 * each link; then its routes and start commands, as that instance got them; last, every
 * neighbour whose routes lead to the scaled VDU spreads them over all its instances
 * (`nexthops`). Scale in: the instances of the levels above the new one go, newest
 * first: neighbours first stop sending to them (drain), then their stop commands run,
 * then they are removed. Neighbour route steps keep the routes they replace (`previous`)
 * for a rollback. A VNF running as a Heat stack gets one `stack` step per aspect instead
 * (see {@link planStackScale}). Pure and deterministic.
 *
 * Throws RondoError `SCALE_NO_ADDRESS` when a link has no free address left, and
 * `SCALE_NOT_SUPPORTED` for a request that scales out and in at once.
 */
export function planScale(input: ScalePlanInput): PlannedStep[] {
  const { build } = input;
  if (new Set(input.changes.map((c) => c.direction)).size > 1) {
    throw new RondoError('SCALE_NOT_SUPPORTED', 'a request both scales out and scales in; send them as two requests', { details: {} });
  }
  const stacks = planStackScale(input.vnfs, input.changes, build, input.vnfds);
  const members = new Map<string, Vnfc[]>();
  for (const v of input.vnfs) {
    members.set(v.memberId, v.computeIds.flatMap((id) => {
      const b = build.computes.get(id);
      return b ? [{ id, spec: b.params, popId: b.popId, added: false }] : [];
    }));
  }
  const used = new Map<string, Set<string>>();
  const hold = (linkId: string, address: string): void => void (used.get(linkId) ?? used.set(linkId, new Set()).get(linkId))?.add(address);
  for (const v of input.vnfs) for (const i of v.interfaces) hold(i.linkId, i.address);
  for (const list of members.values()) for (const c of list) for (const i of c.spec.interfaces) hold(i.linkId, i.address);

  const steps: UnnumberedStep[] = [...stacks.steps];
  const removed: Vnfc[] = [];
  const added: Vnfc[] = [];
  const changed = new Set<string>();
  for (const change of stacks.rest) {
    const list = members.get(change.memberId) ?? [];
    for (const vdu of Object.keys(change.deltas)) changed.add(groupKey(change.memberId, vdu));
    if (change.direction === 'in') {
      const going = list.filter((c) => c.spec.aspectId === change.aspectId && (c.spec.scaleLevel ?? 0) > change.toLevel);
      removed.push(...going.sort(byAge).reverse());
      members.set(change.memberId, list.filter((c) => !going.includes(c)));
      continue;
    }
    const vdus = input.vnfds[change.memberId]?.vdus.length ?? 1;
    for (let level = change.fromLevel + 1; level <= change.toLevel; level++) {
      for (const [vduId, delta] of Object.entries(change.deltas)) {
        const template = list.filter((c) => c.spec.vduId === vduId).sort(byAge)[0];
        if (!template) continue;
        const base = computeName(input.nsInstanceId, change.memberId, vdus > 1 ? vduId : undefined);
        for (let k = 0; k < delta; k++) {
          const interfaces = template.spec.interfaces.map((i): PlannedInterface => {
            const subnet = subnetOfAddress(i.address, i.prefix);
            let address: string;
            try {
              address = freeHostAddresses(subnet, used.get(i.linkId) ?? new Set(), 1)[0] as string;
            } catch (e) {
              throw new RondoError('SCALE_NO_ADDRESS', `link ${i.linkId} (${subnet}) has no free address for another instance of ${change.memberId}; scale out by fewer steps`, { cause: e, details: { linkId: i.linkId, subnet, aspectId: change.aspectId } });
            }
            hold(i.linkId, address);
            return { ...i, address };
          });
          const spec: ComputeStepParams = { ...template.spec, action: 'create', name: scaledComputeName(base, change.aspectId, level, k), interfaces, aspectId: change.aspectId, scaleLevel: level };
          const vnfc: Vnfc = { id: spec.name, spec, popId: template.popId, added: true };
          list.push(vnfc);
          added.push(vnfc);
          steps.push({ phase: SCALE_PHASES.computes, kind: 'compute', target: spec.name, popId: vnfc.popId, params: spec });
          const routes = build.routes.get(template.spec.name);
          if (routes) steps.push({ phase: SCALE_PHASES.routes, kind: 'route', target: spec.name, popId: vnfc.popId, params: { compute: spec.name, routes: routes.params.routes.map((r) => r) } });
          const start = build.starts.get(template.spec.name);
          if (start) steps.push({ phase: SCALE_PHASES.starts, kind: 'start', target: spec.name, popId: vnfc.popId, params: { ...start.params, compute: spec.name } });
        }
      }
    }
    members.set(change.memberId, list);
  }

  // Which VDU group (and CP) each address on each link belongs to: every compute ever made, the current ones last so they win.
  const owner = new Map<string, { group: string; cp: string }>();
  for (const b of build.computes.values()) for (const i of b.params.interfaces) owner.set(linkKey(i.linkId, i.address), { group: groupKey(b.params.memberId, b.params.vduId), cp: i.cp });
  const groups = new Map<string, Vnfc[]>();
  for (const list of members.values()) {
    for (const c of list) {
      const g = groupKey(c.spec.memberId, c.spec.vduId);
      groups.set(g, [...(groups.get(g) ?? []), c]);
      for (const i of c.spec.interfaces) owner.set(linkKey(i.linkId, i.address), { group: g, cp: i.cp });
    }
  }
  /** The route with every current instance of the next hop's VDU as next hops; unchanged when the next hop is not one of a changed VDU. */
  const spread = (r: PlannedRoute, all: boolean): PlannedRoute => {
    const o = owner.get(linkKey(r.viaLinkId, r.nexthops?.[0] ?? r.via));
    if (!o || (!all && !changed.has(o.group))) return r;
    const hops = (groups.get(o.group) ?? []).sort(byAge).flatMap((c) => c.spec.interfaces.filter((i) => i.linkId === r.viaLinkId && i.cp === o.cp).map((i) => i.address));
    if (hops.length === 0) return r;
    return { dest: r.dest, via: hops[0] as string, viaLinkId: r.viaLinkId, nexthops: hops };
  };
  // The new instances route like their template, spread over next hops that are scaled themselves.
  for (const [n, s] of steps.entries()) {
    if (s.kind !== 'route') continue;
    steps[n] = { ...s, params: { compute: s.params.compute, routes: s.params.routes.map((r) => {
      const out = spread(r, true);
      return out.nexthops && out.nexthops.length === 1 ? { dest: out.dest, via: out.via, viaLinkId: out.viaLinkId } : out;
    }) } };
  }
  const phase = removed.length > 0 ? SCALE_PHASES.drain : SCALE_PHASES.spread;
  for (const list of members.values()) {
    for (const c of list) {
      if (c.added) continue;
      const now = build.routes.get(c.spec.name);
      if (!now || !now.params.routes.some((r) => spread(r, false) !== r)) continue;
      const routes = now.params.routes.map((r) => spread(r, false));
      // A rollback puts these back; with `nexthops`, so the blocks of a spread route go too.
      const previous = now.params.routes.map((r) => (r.nexthops ? r : { ...r, nexthops: [r.via] }));
      steps.push({ phase, kind: 'route', target: c.spec.name, popId: now.popId, params: { compute: c.spec.name, routes, previous } });
    }
  }
  for (const c of removed) {
    const vnfd = input.vnfds[c.spec.memberId];
    const commands = vnfd && c.spec.vduId ? (stopCommandsByVdu(vnfd).get(c.spec.vduId) ?? []) : [];
    if (commands.length > 0) {
      steps.push({ phase: SCALE_PHASES.stops, kind: 'stop', target: c.spec.name, popId: c.popId, params: { compute: c.spec.name, commands, detach: false, timeoutSeconds: HEAL_STOP_TIMEOUT_SECONDS } });
    }
    const params: RemoveStepParams = { action: 'remove', name: c.spec.name, computeId: c.id, memberId: c.spec.memberId, interfaces: c.spec.interfaces };
    steps.push({ phase: SCALE_PHASES.computes, kind: 'compute', target: c.spec.name, popId: c.popId, params });
  }
  return steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.phase - b.s.phase || a.i - b.i).map(({ s }, seq) => ({ ...s, seq }));
}
