import type { NsLevel, NsScalingAspect } from '../../model/index.js';
import { asArray, asRecord, asText } from '../issue-collector.js';

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => asArray(v).map(asRecord);

/** What a SOL006 NSD's flavour adds to the model for NS scaling; fields absent when it declares none. */
export interface Sol006NsScaling {
  readonly scalingAspects?: NsScalingAspect[];
  readonly instantiationLevels?: NsLevel[];
  readonly defaultInstantiationLevel?: string;
}

/**
 * Reads the NS scaling of a SOL006 NSD flavour (`df[i]`, at `at`): each
 * `ns-instantiation-level` with its `vnf-to-level-mapping` (`vnf-profile-id`,
 * `number-of-instances`, default 1), `default-instantiation-level`, and each
 * `scaling-aspect` whose `scaling-level` names the instantiation levels it steps through,
 * lowest first (SOL006 2.6.1 makes it one leafref; a list is taken as well). Names that
 * are not there (a profile, a level) are reported through `add`.
 */
export function readSol006NsScaling(df: Rec, at: string, profiles: ReadonlySet<string>, add: (path: string, message: string) => void): Sol006NsScaling {
  const instantiationLevels = list(df['ns-instantiation-level']).map((l, li): NsLevel => {
    const id = asText(l['id']) ?? '';
    if (asText(l['id']) === undefined) add(`${at}/ns-instantiation-level/${li}/id`, 'required field id is missing');
    const vnfInstances: Record<string, number> = {};
    list(l['vnf-to-level-mapping']).forEach((m, mi) => {
      const profile = asText(m['vnf-profile-id']) ?? '';
      const n = m['number-of-instances'] ?? 1;
      if (!profiles.has(profile)) add(`${at}/ns-instantiation-level/${li}/vnf-to-level-mapping/${mi}/vnf-profile-id`, `"${profile}" is not a vnf-profile of this df`);
      else if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) add(`${at}/ns-instantiation-level/${li}/vnf-to-level-mapping/${mi}/number-of-instances`, `must be a whole number of at least 0, not ${JSON.stringify(n)}`);
      else vnfInstances[profile] = n;
    });
    const description = asText(l['description']);
    return { id, ...(description === undefined ? {} : { description }), vnfInstances };
  });
  const byId = new Map(instantiationLevels.map((l) => [l.id, l]));
  const scalingAspects = list(df['scaling-aspect']).map((a, ai): NsScalingAspect => {
    const id = asText(a['id']) ?? '';
    const named = Array.isArray(a['scaling-level']) ? a['scaling-level'].map(asText) : [asText(a['scaling-level'])].filter((x) => x !== undefined);
    const levels = named.flatMap((l, k) => {
      const level = byId.get(l ?? '');
      if (!level) add(`${at}/scaling-aspect/${ai}/scaling-level${Array.isArray(a['scaling-level']) ? `/${k}` : ''}`, `"${l ?? ''}" is not an id of this df's ns-instantiation-level`);
      return level ? [level] : [];
    });
    if (named.length === 0) add(`${at}/scaling-aspect/${ai}/scaling-level`, `scaling-aspect "${id}" names no scaling-level; it needs the ns-instantiation-levels it steps through`);
    const name = asText(a['name']);
    const description = asText(a['description']);
    return { id, ...(name === undefined ? {} : { name }), ...(description === undefined ? {} : { description }), levels };
  });
  const defaultLevel = asText(df['default-instantiation-level'] ?? df['default-instantiation-level-id']);
  if (defaultLevel !== undefined && !byId.has(defaultLevel)) add(`${at}/default-instantiation-level`, `"${defaultLevel}" is not an id of this df's ns-instantiation-level`);
  return {
    ...(scalingAspects.length > 0 ? { scalingAspects } : {}),
    ...(instantiationLevels.length > 0 ? { instantiationLevels } : {}),
    ...(defaultLevel === undefined ? {} : { defaultInstantiationLevel: defaultLevel }),
  };
}
