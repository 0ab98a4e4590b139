/**
 * What the scale buttons of a VNF may do: each scaling aspect with its current level (from
 * the instance's `scaleStatus`) and, where the VNFD says, its highest level. Pure, so the
 * page and its unit test read the same thing.
 */
import type { VnfdModel, VnfView } from './api-types.js';

/** A scaling aspect of a running VNF as its buttons need it. */
export interface AspectView {
  readonly id: string;
  /** 0 is the instantiation; each scale-out step adds one. */
  readonly level: number;
  /** The highest level, or null when the VNFD is not at hand (the API still refuses past it: 422). */
  readonly max: number | null;
}

/** VNFC instances of each VDU at instantiation: Rondo makes one (src/lifecycle/scale-aspects.ts). */
const INSTANTIATED_PER_VDU = 1;

/**
 * The highest level of each scaling aspect of a VNFD, by the rule the server scales by
 * (`scaleAspectsOf` in src/lifecycle/scale-aspects.ts; vnf-scaling.test.ts holds the two
 * together): SOL001/SOL006 aspects, lowered where a VDU's `maxInstances` is reached
 * sooner; for a 5GTANGO VNFD (no aspects) one aspect per VDU with a maximum, named after it.
 */
export function aspectLimits(vnfd: Pick<VnfdModel, 'vdus' | 'scalingAspects'>): Map<string, number> {
  const cap = new Map(vnfd.vdus.map((v) => [v.id, v.maxInstances]));
  if (vnfd.scalingAspects.length > 0) {
    return new Map(vnfd.scalingAspects.map((a) => {
      let max = a.maxScaleLevel;
      for (const [vdu, delta] of Object.entries(a.deltas)) {
        const most = cap.get(vdu);
        if (most !== undefined && delta > 0) max = Math.min(max, Math.floor((most - INSTANTIATED_PER_VDU) / delta));
      }
      return [a.id, Math.max(0, max)];
    }));
  }
  return new Map(vnfd.vdus.flatMap((v) => (v.maxInstances === undefined ? [] : [[v.id, Math.max(0, v.maxInstances - INSTANTIATED_PER_VDU)] as const])));
}

/**
 * The scaling aspects of a VNF instance: those its VNFD declares and those its
 * `scaleStatus` lists (a VNFD not at hand still leaves the buttons, without limits).
 */
export function aspectsOf(vnf: VnfView, vnfds: readonly VnfdModel[] | undefined): AspectView[] {
  const vnfd = vnfds?.find((d) => d.descriptorId === vnf.vnfdId);
  const limits = vnfd ? aspectLimits(vnfd) : new Map<string, number>();
  const ids = [...new Set([...limits.keys(), ...vnf.scaleStatus.map((s) => s.aspectId)])];
  return ids.map((id) => ({
    id,
    level: vnf.scaleStatus.find((s) => s.aspectId === id)?.scaleLevel ?? 0,
    max: limits.get(id) ?? null,
  }));
}
