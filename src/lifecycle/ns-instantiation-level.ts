import type { Nsd, Vnfd } from '../model/index.js';
import { BadRequestError, RondoError } from '../model/index.js';
import type { NsBuild, Built } from './ns-build.js';
import type { CommandStepParams, ComputeStepParams, PlannedStep, RouteStepParams } from './ns-plan-types.js';
import { INSTANTIATE_PHASES } from './ns-plan-types.js';
import { scaleAspectsOf } from './scale-aspects.js';
import { planScale } from './scale-planner.js';
import type { ScaleMember } from './scale-planner.js';
import { isStepOf } from './op-step-view.js';
import { targetsOf } from './scale-ns-requests.js';
import type { ScaleChange } from './scale-requests.js';

/**
 * Where the steps that reach an NS instantiation level start in an INSTANTIATE plan: after
 * its own phases, so they meet the NS as a SCALE would (computes made, routes and start
 * commands run).
 */
export const LEVEL_PHASE_OFFSET = INSTANTIATE_PHASES.starts + 1;

/**
 * The VNF scale-outs that take a newly instantiated NS (every VNF aspect at level 0) to its
 * NS instantiation level (SOL005 InstantiateNsRequest `nsInstantiationLevelId`; absent: the
 * NSD's default level, SOL005 §6.5.2.11; neither: none). 400 for a level the NSD does not
 * have; 422 `SCALE_NOT_SUPPORTED` / `SCALE_LIMIT_EXCEEDED` for counts Rondo cannot reach
 * (see `targetsOf`).
 */
export function instantiationLevelChanges(nsd: Nsd, levelId: string | undefined, vnfds: Readonly<Record<string, Vnfd>>): ScaleChange[] {
  const id = levelId ?? nsd.defaultInstantiationLevel;
  if (id === undefined) return [];
  const levels = nsd.instantiationLevels ?? [];
  const level = levels.find((l) => l.id === id);
  if (!level) {
    throw new BadRequestError(`the NSD has no NS instantiation level ${id}; ${levels.length > 0 ? `its levels: ${levels.map((l) => l.id).join(', ')}` : 'it declares none'}`, {
      details: { nsInstantiationLevelId: id, levels: levels.map((l) => l.id) },
    });
  }
  return [...targetsOf(level, `NS instantiation level ${level.id}`, vnfds)].flatMap(([memberId, to]) => {
    const aspects = scaleAspectsOf(vnfds[memberId] ?? { vdus: [], scalingAspects: [] });
    return aspects.flatMap((a): ScaleChange[] => {
      const toLevel = to.get(a.id) ?? 0;
      return toLevel > 0 ? [{ memberId, aspectId: a.id, direction: 'out', fromLevel: 0, toLevel, deltas: a.deltas }] : [];
    });
  });
}

/**
 * The VNF scale-outs that take each VNF the plan deploys as containers to its VNFD's own
 * instantiation level (SOL001 `VduInitialDelta` / the default `VduInstantiationLevels`,
 * SOL006 `instantiation-level`: the VDUs' `initialInstances`), for the members no NS
 * level already sets (`covered`). Rondo's planner makes one instance of each VDU; each
 * aspect goes to the lowest level that gives every VDU it grows its initial number
 * (capped at the aspect's maximum). A Heat stack boots its own counts. Pure.
 */
export function vnfDefaultLevelChanges(steps: readonly PlannedStep[], vnfds: Readonly<Record<string, Vnfd>>, covered: ReadonlySet<string>): ScaleChange[] {
  const members = new Set(steps.flatMap((s) => (isStepOf(s, 'compute', 'create') && s.params.memberKind === 'vnf' ? [s.params.memberId] : [])));
  return [...members].filter((m) => !covered.has(m)).flatMap((memberId) => {
    const vnfd = vnfds[memberId];
    if (!vnfd) return [];
    const initial = new Map(vnfd.vdus.map((v) => [v.id, v.initialInstances ?? 1]));
    return scaleAspectsOf(vnfd).flatMap((a): ScaleChange[] => {
      const needed = Object.entries(a.deltas).map(([vdu, delta]) => (delta > 0 ? Math.ceil(((initial.get(vdu) ?? 1) - 1) / delta) : 0));
      const toLevel = Math.min(a.maxScaleLevel, Math.max(0, ...needed));
      return toLevel > 0 ? [{ memberId, aspectId: a.id, direction: 'out', fromLevel: 0, toLevel, deltas: a.deltas }] : [];
    });
  });
}

/**
 * An INSTANTIATE plan with the steps that take it to its instantiation level appended:
 * planned by the SCALE planner against the NS as the plan will make it (each compute by
 * its name), phases after the plan's own, `seq` following on. 422 `SCALE_NOT_SUPPORTED`
 * for a VNF the plan deploys as a Heat stack (a stack is not scaled). Pure.
 */
export function withInstantiationLevel(nsInstanceId: string, steps: readonly PlannedStep[], changes: readonly ScaleChange[], vnfds: Readonly<Record<string, Vnfd>>): PlannedStep[] {
  if (changes.length === 0) return [...steps];
  const computes = new Map<string, Built<ComputeStepParams>>();
  const routes = new Map<string, Built<RouteStepParams>>();
  const starts = new Map<string, Built<CommandStepParams>>();
  const members = new Map<string, { kind: 'vnf' | 'sap'; popId: string; names: string[] }>();
  for (const s of steps) {
    // An INSTANTIATE plan's computes are all made (`create`).
    if (isStepOf(s, 'compute', 'create')) {
      const p = s.params;
      computes.set(s.target, { params: p, popId: s.popId });
      const m = members.get(p.memberId) ?? members.set(p.memberId, { kind: p.memberKind, popId: s.popId, names: [] }).get(p.memberId);
      m?.names.push(s.target);
    } else if (s.kind === 'route') {
      routes.set(s.params.compute, { params: s.params, popId: s.popId });
    } else if (s.kind === 'start') {
      starts.set(s.params.compute, { params: s.params, popId: s.popId });
    }
  }
  for (const c of changes) {
    if (!members.has(c.memberId)) {
      throw new RondoError('SCALE_NOT_SUPPORTED', `${c.memberId} is deployed as a Heat stack, which Rondo does not scale; its NS instantiation level asks for more than one instance`, { details: { vnfProfileId: c.memberId } });
    }
  }
  // The NS as the plan leaves it, each compute known by its name until the VIM gives it an id.
  const vnfs = [...members].map(([memberId, m]): ScaleMember => ({
    memberId, kind: m.kind, computeIds: m.names,
    interfaces: m.names.flatMap((n) => computes.get(n)?.params.interfaces ?? []).map((i) => ({ cp: i.cp, linkId: i.linkId, address: i.address, prefix: i.prefix })),
  }));
  const build: NsBuild = { computes, routes, starts };
  const scaled = planScale({ nsInstanceId, vnfs, changes, build, vnfds });
  const next = Math.max(-1, ...steps.map((s) => s.seq)) + 1;
  return [...steps, ...scaled.map((s) => ({ ...s, phase: s.phase + LEVEL_PHASE_OFFSET, seq: s.seq + next }))];
}
