import type { NsLevel, NsScalingAspect } from '../../model/index.js';
import type { IssueCollector } from '../issue-collector.js';
import { asRecord, asText } from '../issue-collector.js';
import type { ToscaPolicy, ToscaTemplateSet } from './tosca-template-set.js';

/** What an NSD's scaling policies add to the model; fields absent when the NSD declares none. */
export interface Sol001NsScaling {
  readonly scalingAspects?: NsScalingAspect[];
  readonly instantiationLevels?: NsLevel[];
  readonly defaultInstantiationLevel?: string;
}

const policiesOf = (set: ToscaTemplateSet, type: string): ToscaPolicy[] => set.policies.filter((p) => p.type.toLowerCase() === type.toLowerCase());
const add = (c: IssueCollector, p: ToscaPolicy, rel: string, message: string): void => void c.issues.push({ file: p.file, path: `${p.path}${rel}`, message });

/**
 * Level ids of a map in the order the levels go: by number when every key is a whole
 * number (SOL001 4.x keys `ns_scale_levels` by integer), else as written.
 */
const levelOrder = (keys: readonly string[]): string[] => (keys.every((k) => /^\d+$/.test(k)) ? [...keys].sort((a, b) => Number(a) - Number(b)) : [...keys]);

/**
 * Reads the NS scaling of a SOL001 NSD: `tosca.policies.nfv.NsScalingAspects` (`aspects`,
 * each with `ns_scale_levels`), `VnfToLevelMapping` (`aspect`, `number_of_instances` per
 * scale level, targets: VNF nodes), `NsInstantiationLevels` (`ns_levels`, older drafts
 * `levels`; `default_level`) and `VnfToInstantiationLevelMapping` (`number_of_instances`
 * per NS instantiation level). A mapping naming an aspect, a level or a target the NSD
 * does not have, or a count that is not a whole number of at least 0, is an issue.
 */
export function readSol001NsScaling(set: ToscaTemplateSet, members: ReadonlySet<string>, c: IssueCollector): Sol001NsScaling {
  const aspects = new Map<string, { name?: string; description?: string; levels: Map<string, { description?: string; vnfInstances: Record<string, number> }> }>();
  for (const p of policiesOf(set, 'tosca.policies.nfv.NsScalingAspects')) {
    for (const [id, raw] of Object.entries(asRecord(p.properties['aspects']))) {
      const a = asRecord(raw);
      const levels = asRecord(a['ns_scale_levels']);
      if (Object.keys(levels).length === 0) add(c, p, `/properties/aspects/${id}/ns_scale_levels`, `NS scaling aspect "${id}" has no ns_scale_levels; it needs at least one`);
      const name = asText(a['name']);
      const description = asText(a['description']);
      aspects.set(id, {
        ...(name === undefined ? {} : { name }),
        ...(description === undefined ? {} : { description }),
        levels: new Map(levelOrder(Object.keys(levels)).map((k) => {
          const d = asText(asRecord(levels[k])['description']);
          return [k, { ...(d === undefined ? {} : { description: d }), vnfInstances: {} }];
        })),
      });
    }
  }
  const counts = (p: ToscaPolicy, known: ReadonlyMap<string, { vnfInstances: Record<string, number> }>, what: string): void => {
    for (const t of p.targets) if (!members.has(t)) add(c, p, '/targets', `target "${t}" is not a VNF node of the NSD`);
    for (const [level, n] of Object.entries(asRecord(p.properties['number_of_instances']))) {
      const at = known.get(level);
      if (!at) {
        add(c, p, `/properties/number_of_instances/${level}`, `"${level}" is not ${what}; known: ${[...known.keys()].join(', ') || 'none'}`);
        continue;
      }
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        add(c, p, `/properties/number_of_instances/${level}`, `number of instances must be a whole number of at least 0, not ${JSON.stringify(n)}`);
        continue;
      }
      for (const t of p.targets) if (members.has(t)) at.vnfInstances[t] = n;
    }
  };
  for (const p of policiesOf(set, 'tosca.policies.nfv.VnfToLevelMapping')) {
    const aspectId = asText(p.properties['aspect']) ?? '';
    const aspect = aspects.get(aspectId);
    if (!aspect) {
      add(c, p, '/properties/aspect', `"${aspectId}" is not an aspect of an NsScalingAspects policy; known: ${[...aspects.keys()].join(', ') || 'none'}`);
      continue;
    }
    counts(p, aspect.levels, `a scale level of NS aspect ${aspectId}`);
  }
  const nsLevels = new Map<string, { description?: string; vnfInstances: Record<string, number> }>();
  let defaultLevel: string | undefined;
  for (const p of policiesOf(set, 'tosca.policies.nfv.NsInstantiationLevels')) {
    for (const [id, raw] of Object.entries(asRecord(p.properties['ns_levels'] ?? p.properties['levels']))) {
      const d = asText(asRecord(raw)['description']);
      nsLevels.set(id, { ...(d === undefined ? {} : { description: d }), vnfInstances: {} });
    }
    defaultLevel = asText(p.properties['default_level']) ?? defaultLevel;
    if (defaultLevel !== undefined && !nsLevels.has(defaultLevel)) add(c, p, '/properties/default_level', `"${defaultLevel}" is not one of ns_levels`);
  }
  for (const p of policiesOf(set, 'tosca.policies.nfv.VnfToInstantiationLevelMapping')) counts(p, nsLevels, 'an NS instantiation level (NsInstantiationLevels ns_levels)');

  const scalingAspects = [...aspects.entries()].map(([id, a]): NsScalingAspect => ({
    id, ...(a.name === undefined ? {} : { name: a.name }), ...(a.description === undefined ? {} : { description: a.description }),
    levels: [...a.levels.entries()].map(([lid, l]) => ({ id: lid, ...l })),
  }));
  const instantiationLevels = [...nsLevels.entries()].map(([id, l]): NsLevel => ({ id, ...l }));
  return {
    ...(scalingAspects.length > 0 ? { scalingAspects } : {}),
    ...(instantiationLevels.length > 0 ? { instantiationLevels } : {}),
    ...(defaultLevel === undefined ? {} : { defaultInstantiationLevel: defaultLevel }),
  };
}
