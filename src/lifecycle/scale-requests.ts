import type { VnfInstance, Vnfd } from '../model/index.js';
import { BadRequestError, ConflictError, RondoError } from '../model/index.js';
import type { NsBuild } from './ns-build.js';
import { scaleAspectsOf } from './scale-aspects.js';
import type { ScaleNsData } from './scale-ns-requests.js';
import { currentLevel } from './heat-scale.js';

/** SOL005 ScaleByStepData. */
export interface ScaleByStepData {
  readonly aspectId: string;
  /** Default 1. */
  readonly numberOfSteps?: number;
}

/** SOL005 ScaleToLevelData: an instantiation level of the VNF's flavour, or a level per aspect. */
export interface ScaleToLevelData {
  readonly vnfInstantiationLevelId?: string;
  readonly vnfScaleInfo?: readonly { readonly aspectId: string; readonly scaleLevel: number }[];
}

/** SOL005 ScaleVnfData: by steps, or to a level (SCALE_TO_INSTANTIATION_LEVEL, SCALE_TO_SCALE_LEVEL(S)). */
export interface ScaleVnfData {
  readonly vnfInstanceId: string;
  readonly scaleVnfType: 'SCALE_OUT' | 'SCALE_IN' | 'SCALE_TO_INSTANTIATION_LEVEL' | 'SCALE_TO_SCALE_LEVEL(S)';
  readonly scaleByStepData?: ScaleByStepData;
  readonly scaleToLevelData?: ScaleToLevelData;
}

/** SOL005 ScaleNsRequest as the lifecycle takes it: SCALE_VNF (this module) or SCALE_NS (scale-ns-requests.ts). */
export interface ScaleRequest {
  readonly scaleType: string;
  readonly scaleVnfData?: readonly ScaleVnfData[];
  readonly scaleNsData?: ScaleNsData;
  /** The SOL005 ScaleNsRequest as sent, echoed as `operationParams`; default: this request. */
  readonly operationParams?: Readonly<Record<string, unknown>>;
  /** Started by a policy (`isAutomaticInvocation: true`), not by a user. */
  readonly automatic?: boolean;
}

/** What a SCALE changes: one aspect of one VNF, from its current level to another. */
export interface ScaleChange {
  readonly memberId: string;
  readonly aspectId: string;
  readonly direction: 'out' | 'in';
  readonly fromLevel: number;
  readonly toLevel: number;
  /** Per VDU: instances per step (from the VNFD when the request was taken). */
  readonly deltas: Readonly<Record<string, number>>;
}

const notSupported = (message: string, details: Record<string, unknown>): RondoError => new RondoError('SCALE_NOT_SUPPORTED', message, { details });

/**
 * What a SCALE does, checked before anything is stored or touched: `scaleType` SCALE_VNF
 * (422 `SCALE_NOT_SUPPORTED` otherwise; SCALE_OUT/SCALE_IN by steps, or to a level, see
 * {@link toLevel}; out and in at once is 422 `SCALE_NOT_SUPPORTED` too),
 * each named VNF a VNF of the NS (422 `VNF_INSTANCE_UNKNOWN`), STARTED (409
 * `VNF_STATE_CONFLICT`), made of containers or a Heat stack with a scaling group for the
 * aspect (422 `SCALE_NOT_SUPPORTED` otherwise),
 * the aspect one of its VNFD's (422 `SCALE_ASPECT_UNKNOWN` naming those it has), and the new
 * level within 0 and the aspect's maximum (422 `SCALE_LIMIT_EXCEEDED` naming the aspect
 * and the limit). 400 for a VNF and aspect named twice or a step count below 1.
 */
export function resolveScale(vnfs: readonly VnfInstance[], vnfds: Readonly<Record<string, Vnfd>>, build: NsBuild, req: ScaleRequest): ScaleChange[] {
  if (req.scaleType !== 'SCALE_VNF') {
    throw notSupported(`scaleType ${req.scaleType} is not supported; Rondo scales VNFs (SCALE_VNF with scaleVnfData)`, { scaleType: req.scaleType });
  }
  const data = req.scaleVnfData ?? [];
  if (data.length === 0) throw new BadRequestError('SCALE_VNF needs scaleVnfData: the VNF instances, SCALE_OUT or SCALE_IN, and scaleByStepData');
  const seen = new Set<string>();
  const changes = data.flatMap((d): ScaleChange[] => {
    const vnf = vnfs.find((v) => v.id === d.vnfInstanceId && v.kind === 'vnf');
    if (!vnf) throw new RondoError('VNF_INSTANCE_UNKNOWN', `the NS instance has no VNF instance ${d.vnfInstanceId}`, { details: { vnfInstanceIds: [d.vnfInstanceId] } });
    if (vnf.state !== 'STARTED') {
      throw new ConflictError(`${vnf.memberId} is ${vnf.state}; start or heal it before scaling`, { code: 'VNF_STATE_CONFLICT', details: { vnfInstanceIds: [vnf.id] } });
    }
    if (d.scaleVnfType === 'SCALE_TO_INSTANTIATION_LEVEL' || d.scaleVnfType === 'SCALE_TO_SCALE_LEVEL(S)') return toLevel(vnf, vnfds[vnf.memberId], build, d, seen);
    const step = d.scaleByStepData;
    if (!step) throw new BadRequestError(`${d.scaleVnfType} of ${vnf.memberId} needs scaleByStepData (aspectId, numberOfSteps)`);
    const steps = step.numberOfSteps ?? 1;
    if (!Number.isInteger(steps) || steps < 1) throw new BadRequestError(`numberOfSteps must be a whole number of at least 1, not ${steps}`, { details: { numberOfSteps: steps } });
    const key = `${vnf.id}|${step.aspectId}`;
    if (seen.has(key)) throw new BadRequestError(`aspect ${step.aspectId} of ${vnf.memberId} is named twice; name each VNF and aspect once`, { details: { vnfInstanceId: vnf.id, aspectId: step.aspectId } });
    seen.add(key);
    const vnfd = vnfds[vnf.memberId];
    const aspects = vnfd ? scaleAspectsOf(vnfd) : [];
    const aspect = aspects.find((a) => a.id === step.aspectId);
    if (!aspect) {
      const known = aspects.map((a) => a.id);
      throw new RondoError('SCALE_ASPECT_UNKNOWN', `${vnf.memberId} has no scaling aspect ${step.aspectId}; ${known.length > 0 ? `its aspects: ${known.join(', ')}` : 'its VNFD declares none'}`, {
        details: { vnfInstanceId: vnf.id, aspectId: step.aspectId, aspects: known },
      });
    }
    const from = currentLevel(vnf, build, aspect);
    const to = d.scaleVnfType === 'SCALE_OUT' ? from + steps : from - steps;
    if (to > aspect.maxScaleLevel || to < 0) {
      const limit = to < 0 ? 0 : aspect.maxScaleLevel;
      const which = to < 0 ? 'minimum' : 'maximum';
      throw new RondoError('SCALE_LIMIT_EXCEEDED', `${d.scaleVnfType} of ${vnf.memberId} by ${steps} would take aspect ${aspect.id} from level ${from} to ${to}, past its ${which} level ${limit}`, {
        details: { vnfInstanceId: vnf.id, aspectId: aspect.id, scaleLevel: from, requestedLevel: to, limit, [`${which}ScaleLevel`]: limit },
      });
    }
    return [{ memberId: vnf.memberId, aspectId: aspect.id, direction: d.scaleVnfType === 'SCALE_OUT' ? 'out' : 'in', fromLevel: from, toLevel: to, deltas: aspect.deltas }];
  });
  if (new Set(changes.map((c) => c.direction)).size > 1) {
    throw notSupported('this request both scales out and scales in; send the two as separate requests', { directions: ['out', 'in'] });
  }
  return changes;
}

/**
 * SCALE_TO_INSTANTIATION_LEVEL (the level's instances per VDU, from the VNF's first
 * deployment flavour, turned into a level per aspect: enough steps for every VDU of the
 * aspect) or SCALE_TO_SCALE_LEVEL(S) (`vnfScaleInfo`): one change per aspect whose level
 * moves. 422 `SCALE_NOT_SUPPORTED` for an unknown instantiation level, and what
 * {@link resolveScale} answers for aspects and limits.
 */
function toLevel(vnf: VnfInstance, vnfd: Vnfd | undefined, build: NsBuild, d: ScaleVnfData, seen: Set<string>): ScaleChange[] {
  const aspects = vnfd ? scaleAspectsOf(vnfd) : [];
  let wanted: { aspectId: string; scaleLevel: number }[];
  if (d.scaleVnfType === 'SCALE_TO_INSTANTIATION_LEVEL') {
    const levelId = d.scaleToLevelData?.vnfInstantiationLevelId;
    const levels = vnfd?.deploymentFlavours?.[0]?.instantiationLevels ?? [];
    const level = levels.find((l) => l.id === levelId);
    if (!level) {
      throw notSupported(`${vnf.memberId} has no instantiation level ${levelId ?? '(none given)'}; ${levels.length > 0 ? `its levels: ${levels.map((l) => l.id).join(', ')}` : 'its VNFD declares none'}`, { vnfInstanceId: vnf.id, vnfInstantiationLevelId: levelId ?? null });
    }
    wanted = aspects.map((a) => ({
      aspectId: a.id,
      scaleLevel: Math.max(0, ...Object.entries(a.deltas).map(([vdu, delta]) => (delta > 0 ? Math.ceil(((level.vduInstances[vdu] ?? 1) - 1) / delta) : 0))),
    }));
  } else {
    wanted = [...(d.scaleToLevelData?.vnfScaleInfo ?? [])];
    if (wanted.length === 0) throw new BadRequestError('SCALE_TO_SCALE_LEVEL(S) needs scaleToLevelData.vnfScaleInfo: the level of each aspect');
  }
  return wanted.flatMap((w): ScaleChange[] => {
    const aspect = aspects.find((a) => a.id === w.aspectId);
    if (!aspect) {
      throw new RondoError('SCALE_ASPECT_UNKNOWN', `${vnf.memberId} has no scaling aspect ${w.aspectId}; its aspects: ${aspects.map((a) => a.id).join(', ') || 'none'}`, {
        details: { vnfInstanceId: vnf.id, aspectId: w.aspectId, aspects: aspects.map((a) => a.id) },
      });
    }
    const key = `${vnf.id}|${aspect.id}`;
    if (seen.has(key)) throw new BadRequestError(`aspect ${aspect.id} of ${vnf.memberId} is named twice; name each VNF and aspect once`, { details: { vnfInstanceId: vnf.id, aspectId: aspect.id } });
    seen.add(key);
    const from = currentLevel(vnf, build, aspect);
    if (w.scaleLevel > aspect.maxScaleLevel || w.scaleLevel < 0) {
      const limit = w.scaleLevel < 0 ? 0 : aspect.maxScaleLevel;
      const which = w.scaleLevel < 0 ? 'minimum' : 'maximum';
      throw new RondoError('SCALE_LIMIT_EXCEEDED', `${d.scaleVnfType} of ${vnf.memberId} would take aspect ${aspect.id} from level ${from} to ${w.scaleLevel}, past its ${which} level ${limit}`, {
        details: { vnfInstanceId: vnf.id, aspectId: aspect.id, scaleLevel: from, requestedLevel: w.scaleLevel, limit, [`${which}ScaleLevel`]: limit },
      });
    }
    if (w.scaleLevel === from) return [];
    return [{ memberId: vnf.memberId, aspectId: aspect.id, direction: w.scaleLevel > from ? 'out' : 'in', fromLevel: from, toLevel: w.scaleLevel, deltas: aspect.deltas }];
  });
}
