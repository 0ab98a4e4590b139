import type { Lenience } from './hot-unsupported.js';
import { hotUnsupported } from './hot-unsupported.js';
import type { ToscaNode, ToscaPolicy } from './tosca-topology.js';
import { isDict } from './tosca-topology.js';

/** How one scaling aspect becomes an `OS::Heat::AutoScalingGroup`. */
export interface AspectPlan {
  readonly aspect: string;
  /** VDUs the group scales together (each with its ports and volumes), in document order. */
  readonly vdus: readonly string[];
  /** Instances added per scale step (VduScalingAspectDeltas). */
  readonly delta: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
}

type Dict = Record<string, unknown>;
const byType = (ps: readonly ToscaPolicy[], t: string): ToscaPolicy[] => ps.filter((p) => p.type === `tosca.policies.nfv.${t}`);
const instances = (v: unknown): number | undefined => (isDict(v) && typeof v.number_of_instances === 'number' ? v.number_of_instances : undefined);

/**
 * Plans one Heat scaling group per `ScalingAspects` aspect: min size from
 * `VduInitialDelta`, max size = min + `max_scale_level` × delta, desired capacity from the
 * chosen instantiation level (`VduInstantiationLevels`, else the aspect's `scale_level` in
 * `InstantiationLevels`, else the min size).
 *
 * @throws PackageInvalidError HOT_UNSUPPORTED when one Heat group cannot express the
 *   aspect: non-uniform step deltas, VDUs of one aspect with different deltas or sizes,
 *   a VDU in two aspects, an aspect that targets no VDU, or several initial instances of
 *   a VDU that no aspect scales. Step deltas that are missing or differ are, when
 *   `lenience` warns, taken as heat-translator takes them: the first step's delta (1 when
 *   `VduScalingAspectDeltas` does not define it).
 */
export function scalingPlan(policies: readonly ToscaPolicy[], nodes: ReadonlyMap<string, ToscaNode>, lenience: Lenience, level?: string): AspectPlan[] {
  const plans: AspectPlan[] = [];
  const aspectOfVdu = new Map<string, string>();
  const levels = byType(policies, 'InstantiationLevels')[0];
  const chosenLevel = level ?? (typeof levels?.properties.default_level === 'string' ? levels.properties.default_level : undefined);
  const initialOf = (vdu: string): number | undefined => {
    for (const p of byType(policies, 'VduInitialDelta')) if (p.targets.includes(vdu)) return instances(p.properties.initial_delta);
    return undefined;
  };
  for (const sa of byType(policies, 'ScalingAspects')) {
    const aspects = isDict(sa.properties.aspects) ? sa.properties.aspects : {};
    for (const [aspect, rawDef] of Object.entries(aspects)) {
      const at = `policies/${sa.name}`;
      const def: Dict = isDict(rawDef) ? rawDef : {};
      if (nodes.has(aspect)) throw hotUnsupported(sa.file, at, `properties.aspects.${aspect}`, 'an aspect must not share its name with a node (both become HOT resources)');
      const deltasPolicy = byType(policies, 'VduScalingAspectDeltas').filter((p) => p.properties.aspect === aspect);
      const vdus = [...nodes.values()].filter((n) => n.kind === 'VDU' && deltasPolicy.some((p) => p.targets.includes(n.name))).map((n) => n.name);
      if (vdus.length === 0) throw hotUnsupported(sa.file, at, `properties.aspects.${aspect}`, 'no VduScalingAspectDeltas targets a VDU for this aspect');
      const stepNames = Array.isArray(def.step_deltas) ? def.step_deltas.filter((s): s is string => typeof s === 'string') : [];
      const maxLevel = typeof def.max_scale_level === 'number' ? def.max_scale_level : 1;
      let delta: number | undefined;
      let minSize: number | undefined;
      let desired: number | undefined;
      for (const vdu of vdus) {
        const dp = deltasPolicy.find((p) => p.targets.includes(vdu)) as ToscaPolicy;
        const deltas = isDict(dp.properties.deltas) ? dp.properties.deltas : {};
        const names = stepNames.length > 0 ? stepNames : Object.keys(deltas);
        const values = new Set(names.map((n) => instances(deltas[n])));
        let [d] = [...values];
        if (values.size !== 1 || d === undefined || d < 1) {
          const first = names[0] === undefined ? undefined : instances(deltas[names[0]]);
          const fallback = first !== undefined && first >= 1 ? first : 1;
          lenience.soften(hotUnsupported(dp.file, `policies/${dp.name}`, 'properties.deltas', `aspect ${aspect} needs one uniform step delta for ${vdu} in steps [${names.join(', ')}] (a Heat scaling policy adds a fixed number)`), `the group scales by ${fallback} (the first step's delta, else 1)`);
          d = fallback;
        }
        const prev = aspectOfVdu.get(vdu);
        if (prev !== undefined) throw hotUnsupported(dp.file, `policies/${dp.name}`, 'targets', `${vdu} is scaled by aspects ${prev} and ${aspect}; a server belongs to one Heat group`);
        aspectOfVdu.set(vdu, aspect);
        const node = nodes.get(vdu) as ToscaNode;
        const profile = isDict(node.properties.vdu_profile) ? node.properties.vdu_profile : {};
        const min = initialOf(vdu) ?? (typeof profile.min_number_of_instances === 'number' ? profile.min_number_of_instances : 1);
        const want = desiredOf(policies, vdu, aspect, chosenLevel, min, d);
        if ((delta ?? d) !== d || (minSize ?? min) !== min || (desired ?? want) !== want) {
          throw hotUnsupported(sa.file, at, `properties.aspects.${aspect}`, `VDUs ${vdus.join(', ')} scale together in one Heat group but have different deltas, initial or level sizes`);
        }
        delta = d;
        minSize = min;
        desired = want;
      }
      const min = minSize as number;
      plans.push({ aspect, vdus, delta: delta as number, minSize: min, maxSize: min + maxLevel * (delta as number), desiredCapacity: desired as number });
    }
  }
  for (const p of byType(policies, 'VduInitialDelta')) {
    const n = instances(p.properties.initial_delta) ?? 1;
    for (const t of p.targets) {
      if (n > 1 && !aspectOfVdu.has(t)) {
        throw hotUnsupported(p.file, `policies/${p.name}`, 'properties.initial_delta', `${t} starts with ${n} instances but no scaling aspect scales it; add a ScalingAspects aspect`);
      }
    }
  }
  return plans;
}

function desiredOf(policies: readonly ToscaPolicy[], vdu: string, aspect: string, level: string | undefined, min: number, delta: number): number {
  if (level === undefined) return min;
  for (const p of byType(policies, 'VduInstantiationLevels')) {
    if (!p.targets.includes(vdu) || !isDict(p.properties.levels)) continue;
    const n = instances(p.properties.levels[level]);
    if (n !== undefined) return n;
  }
  for (const p of byType(policies, 'InstantiationLevels')) {
    const lv = isDict(p.properties.levels) ? p.properties.levels[level] : undefined;
    const si = isDict(lv) && isDict(lv.scale_info) ? lv.scale_info[aspect] : undefined;
    if (isDict(si) && typeof si.scale_level === 'number') return min + si.scale_level * delta;
  }
  return min;
}
