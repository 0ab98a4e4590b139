import type { Nsd, NsLevel, NsScalingAspect, VnfInstance, Vnfd } from '../model/index.js';
import { BadRequestError, RondoError } from '../model/index.js';
import type { NsBuild } from './ns-build.js';
import { scaleAspectsOf, scaleLevels } from './scale-aspects.js';
import type { ScaleAspect } from './scale-aspects.js';
import { resolveScale } from './scale-requests.js';
import type { ScaleChange, ScaleRequest, ScaleVnfData } from './scale-requests.js';

/** SOL005 ScaleNsByStepsData (§6.5.3.28). */
export interface ScaleNsByStepsData {
  readonly scalingDirection: 'SCALE_OUT' | 'SCALE_IN';
  /** An NS scaling aspect of the NSD. */
  readonly aspectId: string;
  /** Default 1. */
  readonly numberOfSteps?: number;
}

/** SOL005 NsScaleInfo (§6.5.3.29). */
export interface NsScaleInfo {
  readonly nsScalingAspectId: string;
  readonly nsScaleLevelId: string;
}

/** SOL005 ScaleNsToLevelData (§6.5.3.30): an NS instantiation level, or a level per NS aspect. */
export interface ScaleNsToLevelData {
  readonly nsInstantiationLevel?: string;
  readonly nsScaleInfo?: readonly NsScaleInfo[];
}

/**
 * SOL005 ScaleNsData (§6.5.3.27) as Rondo carries it out: by steps or to a level. The
 * members that add or remove VNF instances (`vnfInstanceToBeAdded`, `vnfInstanceToBeRemoved`)
 * are kept only to be refused.
 */
export interface ScaleNsData {
  readonly scaleNsByStepsData?: ScaleNsByStepsData;
  readonly scaleNsToLevelData?: ScaleNsToLevelData;
  readonly vnfInstanceToBeAdded?: readonly unknown[];
  readonly vnfInstanceToBeRemoved?: readonly unknown[];
}

const notSupported = (message: string, details: Record<string, unknown>): RondoError => new RondoError('SCALE_NOT_SUPPORTED', message, { details });

/**
 * VNF scale level of each aspect that holds `instances` VNF instances' worth of a VNF.
 * Rondo runs one VNF instance per member and grows it by VNFC instances instead: N
 * instances of the VNF is N instances of each VDU (one at instantiation), so an aspect
 * goes to the fewest steps that reach N for every VDU it scales (the way
 * SCALE_TO_INSTANTIATION_LEVEL turns VDU counts into levels).
 */
export function vnfLevelsFor(aspects: readonly ScaleAspect[], instances: number): Map<string, number> {
  return new Map(aspects.map((a) => [a.id, Math.max(0, ...Object.values(a.deltas).map((d) => (d > 0 ? Math.ceil((instances - 1) / d) : 0)))]));
}

/** What an NS level asks of the VNFs: per member, the VNF scale level of each of its aspects. */
export type NsLevelTargets = Map<string, Map<string, number>>;
type Targets = NsLevelTargets;

/**
 * The NS level's VNF instance counts as VNF aspect levels, checked: 422
 * `SCALE_NOT_SUPPORTED` for a count of 0 (Rondo keeps every member of the NS) or above 1
 * for a VNF without scaling aspects, 422 `SCALE_LIMIT_EXCEEDED` when a VNF aspect would go
 * past its maximum (naming the NS level and the VNF aspect).
 */
export function targetsOf(level: NsLevel, where: string, vnfds: Readonly<Record<string, Vnfd>>): Targets {
  const out: Targets = new Map();
  for (const [member, n] of Object.entries(level.vnfInstances)) {
    const aspects = vnfds[member] ? scaleAspectsOf(vnfds[member]) : [];
    if (n === 0) throw notSupported(`${where} has no instance of ${member}; Rondo keeps every VNF of the NS, so it cannot go there`, { vnfProfileId: member, nsLevelId: level.id });
    if (n > 1 && aspects.length === 0) {
      throw notSupported(`${where} asks for ${n} instances of ${member}, whose VNFD has no scaling aspect to grow it by`, { vnfProfileId: member, nsLevelId: level.id, numberOfInstances: n });
    }
    const levels = vnfLevelsFor(aspects, n);
    for (const a of aspects) {
      const to = levels.get(a.id) ?? 0;
      if (to > a.maxScaleLevel) {
        throw new RondoError('SCALE_LIMIT_EXCEEDED', `${where} asks for ${n} instances of ${member}: its aspect ${a.id} would go to level ${to}, past its maximum level ${a.maxScaleLevel}`, {
          details: { vnfProfileId: member, nsLevelId: level.id, aspectId: a.id, requestedLevel: to, limit: a.maxScaleLevel, maximumScaleLevel: a.maxScaleLevel },
        });
      }
    }
    out.set(member, levels);
  }
  return out;
}

/** Whether every VNF is at or above what `targets` asks (the NS has reached that level). */
const reached = (targets: Targets, current: ReadonlyMap<string, ReadonlyMap<string, number>>): boolean =>
  [...targets].every(([member, levels]) => [...levels].every(([aspect, to]) => (current.get(member)?.get(aspect) ?? 0) >= to));

/**
 * Current NS scale level of an aspect, as an index into its levels: the highest level
 * whose VNF levels every VNF has reached (-1: below the lowest). Derived, not stored, so a
 * SCALE_VNF in between moves it too.
 */
export function nsScaleLevelIndex(aspect: NsScalingAspect, vnfds: Readonly<Record<string, Vnfd>>, current: ReadonlyMap<string, ReadonlyMap<string, number>>): number {
  let found = -1;
  aspect.levels.forEach((l, i) => {
    try {
      if (reached(targetsOf(l, '', vnfds), current)) found = i;
    } catch {
      // A level the VNFs cannot take is not one they are at.
    }
  });
  return found;
}

function unknownAspect(nsd: Nsd, aspectId: string): RondoError {
  const known = (nsd.scalingAspects ?? []).map((a) => a.id);
  return new RondoError('SCALE_ASPECT_UNKNOWN', `the NSD has no NS scaling aspect ${aspectId}; ${known.length > 0 ? `its aspects: ${known.join(', ')}` : 'it declares none'}`, {
    details: { aspectId, aspects: known },
  });
}

/**
 * What a SCALE_NS does, as the VNF scale changes {@link resolveScale} checks and the SCALE
 * executor carries out. `scaleNsByStepsData`: the NS aspect (422 `SCALE_ASPECT_UNKNOWN`
 * naming those the NSD has) moves from its current level (see {@link nsScaleLevelIndex}) by
 * `numberOfSteps`; past its highest or below its lowest level is 422
 * `SCALE_LIMIT_EXCEEDED` naming the NS aspect and the limit. `scaleNsToLevelData`: an NS
 * instantiation level, or a level per NS aspect (422 `SCALE_NOT_SUPPORTED` for a level the
 * NSD does not have). Each VNF the level names moves each of its aspects to the level
 * holding that many VNF instances' worth ({@link vnfLevelsFor}); VNFs it does not name
 * stay. Adding or removing VNF instances is 422 `SCALE_NOT_SUPPORTED`; 400 without
 * scaleNsData or with both kinds of it.
 */
export function resolveScaleNs(nsd: Nsd, vnfs: readonly VnfInstance[], vnfds: Readonly<Record<string, Vnfd>>, build: NsBuild, req: ScaleRequest): ScaleChange[] {
  const data = req.scaleNsData;
  if (data?.vnfInstanceToBeAdded?.length || data?.vnfInstanceToBeRemoved?.length) {
    throw notSupported('Rondo does not add or remove VNF instances of an NS; scale the NS by steps or to a level (scaleNsByStepsData, scaleNsToLevelData)', {});
  }
  const steps = data?.scaleNsByStepsData;
  const toLevel = data?.scaleNsToLevelData;
  if (!steps === !toLevel) throw new BadRequestError('SCALE_NS needs scaleNsData with exactly one of scaleNsByStepsData (aspectId, scalingDirection, numberOfSteps) and scaleNsToLevelData');
  const current = new Map(vnfs.filter((v) => v.kind === 'vnf').map((v) => {
    const vnfd = vnfds[v.memberId];
    return [v.memberId, scaleLevels(v.computeIds, build, vnfd ? scaleAspectsOf(vnfd) : [])] as const;
  }));
  const aspectOf = (id: string): NsScalingAspect => {
    const a = nsd.scalingAspects?.find((x) => x.id === id);
    if (!a) throw unknownAspect(nsd, id);
    return a;
  };
  const wanted: Targets[] = [];
  if (steps) {
    const n = steps.numberOfSteps ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new BadRequestError(`numberOfSteps must be a whole number of at least 1, not ${n}`, { details: { numberOfSteps: n } });
    const aspect = aspectOf(steps.aspectId);
    const from = nsScaleLevelIndex(aspect, vnfds, current);
    const to = steps.scalingDirection === 'SCALE_OUT' ? from + n : from - n;
    const top = aspect.levels.length - 1;
    if (to > top || to < 0) {
      const limit = (to < 0 ? aspect.levels[0] : aspect.levels[top])?.id ?? null;
      const which = to < 0 ? 'minimum' : 'maximum';
      const at = from < 0 ? 'below its lowest level' : `at level ${aspect.levels[from]?.id}`;
      throw new RondoError('SCALE_LIMIT_EXCEEDED', `${steps.scalingDirection} by ${n} would take NS aspect ${aspect.id} (${at}) past its ${which} level ${limit}`, {
        details: { nsScalingAspectId: aspect.id, aspectId: aspect.id, nsScaleLevelId: aspect.levels[from]?.id ?? null, limit, [`${which}ScaleLevel`]: limit, levels: aspect.levels.map((l) => l.id) },
      });
    }
    const level = aspect.levels[to] as NsLevel;
    wanted.push(targetsOf(level, `level ${level.id} of NS aspect ${aspect.id}`, vnfds));
  } else if (toLevel?.nsInstantiationLevel !== undefined) {
    if (toLevel.nsScaleInfo?.length) throw new BadRequestError('scaleNsToLevelData takes nsInstantiationLevel or nsScaleInfo, not both');
    const levels = nsd.instantiationLevels ?? [];
    const level = levels.find((l) => l.id === toLevel.nsInstantiationLevel);
    if (!level) {
      throw notSupported(`the NSD has no NS instantiation level ${toLevel.nsInstantiationLevel}; ${levels.length > 0 ? `its levels: ${levels.map((l) => l.id).join(', ')}` : 'it declares none'}`, {
        nsInstantiationLevel: toLevel.nsInstantiationLevel, levels: levels.map((l) => l.id),
      });
    }
    wanted.push(targetsOf(level, `NS instantiation level ${level.id}`, vnfds));
  } else {
    const info = toLevel?.nsScaleInfo ?? [];
    if (info.length === 0) throw new BadRequestError('scaleNsToLevelData needs nsInstantiationLevel or nsScaleInfo (nsScalingAspectId, nsScaleLevelId)');
    const seen = new Set<string>();
    for (const i of info) {
      if (seen.has(i.nsScalingAspectId)) throw new BadRequestError(`NS aspect ${i.nsScalingAspectId} is named twice in nsScaleInfo; name each once`, { details: { nsScalingAspectId: i.nsScalingAspectId } });
      seen.add(i.nsScalingAspectId);
      const aspect = aspectOf(i.nsScalingAspectId);
      const level = aspect.levels.find((l) => l.id === i.nsScaleLevelId);
      if (!level) {
        throw notSupported(`NS aspect ${aspect.id} has no level ${i.nsScaleLevelId}; its levels: ${aspect.levels.map((l) => l.id).join(', ')}`, {
          nsScalingAspectId: aspect.id, nsScaleLevelId: i.nsScaleLevelId, levels: aspect.levels.map((l) => l.id),
        });
      }
      wanted.push(targetsOf(level, `level ${level.id} of NS aspect ${aspect.id}`, vnfds));
    }
  }
  // Two NS aspects naming one VNF: it gets the larger of the levels they ask (the capacity both need).
  const merged: Targets = new Map();
  for (const t of wanted) {
    for (const [member, levels] of t) {
      const m = merged.get(member) ?? merged.set(member, new Map()).get(member) as Map<string, number>;
      for (const [a, l] of levels) m.set(a, Math.max(m.get(a) ?? 0, l));
    }
  }
  const scaleVnfData: ScaleVnfData[] = [];
  for (const [member, levels] of merged) {
    const vnf = vnfs.find((v) => v.memberId === member && v.kind === 'vnf');
    if (!vnf) throw new RondoError('VNF_INSTANCE_UNKNOWN', `the NS instance has no VNF instance of member ${member}`, { details: { vnfProfileId: member } });
    const moving = [...levels].filter(([a, l]) => (current.get(member)?.get(a) ?? 0) !== l);
    if (moving.length === 0) continue;
    scaleVnfData.push({ vnfInstanceId: vnf.id, scaleVnfType: 'SCALE_TO_SCALE_LEVEL(S)', scaleToLevelData: { vnfScaleInfo: moving.map(([aspectId, scaleLevel]) => ({ aspectId, scaleLevel })) } });
  }
  if (scaleVnfData.length === 0) return [];
  // The VNF checks (STARTED, containers, one direction) are SCALE_VNF's own.
  return resolveScale(vnfs, vnfds, build, { scaleType: 'SCALE_VNF', scaleVnfData });
}
