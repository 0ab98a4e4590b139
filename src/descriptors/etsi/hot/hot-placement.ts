import type { HotResource } from './hot-template.js';
import type { Lenience } from './hot-unsupported.js';
import { hotUnsupported } from './hot-unsupported.js';
import type { ToscaNode, ToscaPolicy } from './tosca-topology.js';

/** Suffix heat-translator gives the server group of an affinity policy. */
export const GROUP_SUFFIX = '_group';

/** Server groups by resource name, and the group of each VDU. */
export interface PlacementPlan {
  readonly groups: Record<string, HotResource>;
  readonly groupOfVdu: ReadonlyMap<string, string>;
}

/**
 * Translates `AffinityRule`/`AntiAffinityRule` policies into `OS::Nova::ServerGroup`
 * resources named `<policy>_group`; each target VDU gets `scheduler_hints.group`.
 *
 * When `lenience` warns, a rule with another scope is dropped, and so are targets that are
 * not VDUs (and the rule, when no VDU is left), as heat-translator does.
 *
 * @throws PackageInvalidError HOT_UNSUPPORTED for a VDU in two groups, and (when `lenience`
 *   refuses) a scope other than `nfvi_node` (Nova groups are per host) or a target that is
 *   not a VDU.
 */
export function placementPlan(policies: readonly ToscaPolicy[], nodes: ReadonlyMap<string, ToscaNode>, lenience: Lenience): PlacementPlan {
  const groups: Record<string, HotResource> = {};
  const groupOfVdu = new Map<string, string>();
  for (const p of policies) {
    if (p.type !== 'tosca.policies.nfv.AffinityRule' && p.type !== 'tosca.policies.nfv.AntiAffinityRule') continue;
    const at = `policies/${p.name}`;
    if (p.properties.scope !== 'nfvi_node') {
      lenience.soften(hotUnsupported(p.file, at, 'properties.scope', `scope ${String(p.properties.scope)} has no Nova mapping; only nfvi_node (one host) is translated`), 'the rule is left out');
      continue;
    }
    const name = `${p.name}${GROUP_SUFFIX}`;
    const vdus: string[] = [];
    for (const t of p.targets) {
      if (nodes.get(t)?.kind !== 'VDU') {
        lenience.soften(hotUnsupported(p.file, at, 'targets', `${t} is not a Vdu.Compute; only VDU targets are translated`), 'the target is left out');
        continue;
      }
      const previous = groupOfVdu.get(t);
      if (previous !== undefined) throw hotUnsupported(p.file, at, 'targets', `${t} is already in ${previous}; Nova puts a server in one group only`);
      vdus.push(t);
    }
    if (vdus.length === 0) {
      lenience.soften(hotUnsupported(p.file, at, 'targets', 'the rule names no VDU'), 'the rule is left out');
      continue;
    }
    for (const t of vdus) groupOfVdu.set(t, name);
    const rule = p.type === 'tosca.policies.nfv.AffinityRule' ? 'affinity' : 'anti-affinity';
    groups[name] = { type: 'OS::Nova::ServerGroup', properties: { name, policies: [rule] } };
  }
  return { groups, groupOfVdu };
}
