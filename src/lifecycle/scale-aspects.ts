import type { Vnfd } from '../model/index.js';
import type { ComputeStepParams } from './ns-plan-types.js';
import type { NsBuild } from './ns-build.js';

/** A scaling aspect as a SCALE uses it: the instances one step adds per VDU, and the highest level. */
export interface ScaleAspect {
  readonly id: string;
  /** Per VDU: VNFC instances one scale step adds (or removes). */
  readonly deltas: Readonly<Record<string, number>>;
  /** Level 0 is the instantiation; a scale-out may reach this level and no further. */
  readonly maxScaleLevel: number;
}

/** Instances of a VDU at instantiation (Rondo makes one of each VDU). */
const INSTANTIATED_PER_VDU = 1;

/**
 * The scaling aspects of a VNFD. SOL001/SOL006: its `ScalingAspects` with their per-VDU
 * deltas, the highest level lowered where a VDU's `maxInstances` is reached sooner.
 * 5GTANGO/SONATA (no aspects): one aspect per VDU with a `scale_in_out.maximum`, named
 * after the VDU, one instance per step, up to that maximum. A VNFD with neither has none.
 */
export function scaleAspectsOf(vnfd: Pick<Vnfd, 'vdus' | 'scalingAspects'>): ScaleAspect[] {
  const maxOf = new Map(vnfd.vdus.map((v) => [v.id, v.maxInstances]));
  if (vnfd.scalingAspects.length > 0) {
    return vnfd.scalingAspects.map((a) => {
      let max = a.maxScaleLevel;
      for (const [vdu, delta] of Object.entries(a.deltas)) {
        const cap = maxOf.get(vdu);
        if (cap !== undefined && delta > 0) max = Math.min(max, Math.floor((cap - INSTANTIATED_PER_VDU) / delta));
      }
      return { id: a.id, deltas: a.deltas, maxScaleLevel: Math.max(0, max) };
    });
  }
  return vnfd.vdus.flatMap((v) => (v.maxInstances === undefined ? [] : [{ id: v.id, deltas: { [v.id]: 1 }, maxScaleLevel: Math.max(0, v.maxInstances - INSTANTIATED_PER_VDU) }]));
}

/** The computes of a VNF as they run now, with the spec each was made with (Heat servers have none and are left out). */
export function currentComputes(computeIds: readonly string[], build: NsBuild): { id: string; spec: ComputeStepParams; popId: string }[] {
  return computeIds.flatMap((id) => {
    const b = build.computes.get(id);
    return b ? [{ id, spec: b.params, popId: b.popId }] : [];
  });
}

/** Scale level of each aspect of a VNF, from the levels its VNFC instances were added at (0: none added). */
export function scaleLevels(computeIds: readonly string[], build: NsBuild, aspects: readonly ScaleAspect[]): Map<string, number> {
  const out = new Map(aspects.map((a) => [a.id, 0]));
  for (const { spec } of currentComputes(computeIds, build)) {
    if (spec.aspectId === undefined || spec.scaleLevel === undefined) continue;
    out.set(spec.aspectId, Math.max(out.get(spec.aspectId) ?? 0, spec.scaleLevel));
  }
  return out;
}
