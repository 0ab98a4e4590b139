import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ok } from '../../model/index.js';
import { readSol001Nsd } from '../index.js';
import type { ImportResolver } from '../index.js';

const DIR = 'examples/sol004-csar/Definitions';
const text = (f: string): Record<string, unknown> => parse(readFileSync(`${DIR}/${f.split('/').pop() as string}`, 'utf8')) as Record<string, unknown>;
const resolver: ImportResolver = (path) => (existsSync(`${DIR}/${path.split('/').pop() as string}`) ? ok(text(path)) : undefined);

/** The example relay NSD with the given `policies` (SOL001 lists them as one-entry maps). */
function withPolicies(policies: Record<string, unknown>[]): unknown {
  const doc = text('relay_ns.nsd.yaml');
  return { ...doc, topology_template: { ...(doc['topology_template'] as object), policies } };
}

/** SOL001 4.x NS scaling: integer scale levels, VNF instance counts per level and per NS instantiation level. */
const scaling = [
  { ns_scaling: { type: 'tosca.policies.nfv.NsScalingAspects', properties: { aspects: { relay_aspect: { name: 'relays', description: 'more relays', ns_scale_levels: { 2: { description: 'big' }, 0: { description: 'base' }, 1: { description: 'more' } } } } } } },
  { relay_to_level: { type: 'tosca.policies.nfv.VnfToLevelMapping', targets: ['relay'], properties: { aspect: 'relay_aspect', number_of_instances: { 0: 1, 1: 2, 2: 3 } } } },
  { ns_levels: { type: 'tosca.policies.nfv.NsInstantiationLevels', properties: { ns_levels: { small: { description: 'one relay' }, large: { description: 'three' } }, default_level: 'small' } } },
  { relay_to_il: { type: 'tosca.policies.nfv.VnfToInstantiationLevelMapping', targets: ['relay'], properties: { number_of_instances: { small: 1, large: 3 } } } },
];

describe('SOL001 NSD NS scaling policies', () => {
  it('reads NS aspects with their levels in numeric order, VNF counts per level and NS instantiation levels', () => {
    const r = readSol001Nsd(withPolicies(scaling), 'Definitions/relay_ns.nsd.yaml', resolver);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.scalingAspects).toEqual([{
      id: 'relay_aspect', name: 'relays', description: 'more relays',
      levels: [{ id: '0', description: 'base', vnfInstances: { relay: 1 } }, { id: '1', description: 'more', vnfInstances: { relay: 2 } }, { id: '2', description: 'big', vnfInstances: { relay: 3 } }],
    }]);
    expect(r.value.instantiationLevels).toEqual([{ id: 'small', description: 'one relay', vnfInstances: { relay: 1 } }, { id: 'large', description: 'three', vnfInstances: { relay: 3 } }]);
    expect(r.value.defaultInstantiationLevel).toBe('small');
  });

  it('reads the VNF node\'s vnf_profile instance counts (REMOVE_VNF needs a minimum of 0); without a profile they stay absent', () => {
    const doc = text('relay_ns.nsd.yaml');
    const topology = doc['topology_template'] as { node_templates: Record<string, { properties: Record<string, unknown> }> };
    const relay = topology.node_templates['relay'] as { properties: Record<string, unknown> };
    const withProfile = { ...doc, topology_template: { ...topology, node_templates: { ...topology.node_templates, relay: { ...relay, properties: { ...relay.properties, vnf_profile: { min_number_of_instances: 0, max_number_of_instances: 2 } } } } } };
    const r = readSol001Nsd(withProfile, 'Definitions/relay_ns.nsd.yaml', resolver);
    expect(r.ok && r.value.vnfs.map((v) => [v.vnfId, v.minInstances, v.maxInstances])).toEqual([['relay', 0, 2]]);
    const plain = readSol001Nsd(doc, 'Definitions/relay_ns.nsd.yaml', resolver);
    expect(plain.ok && plain.value.vnfs.map((v) => [v.vnfId, v.minInstances, v.maxInstances])).toEqual([['relay', undefined, undefined]]);
  });

  it('leaves the fields out when the NSD has no scaling policies', () => {
    const r = readSol001Nsd(text('relay_ns.nsd.yaml'), 'Definitions/relay_ns.nsd.yaml', resolver);
    expect(r.ok && [r.value.scalingAspects, r.value.instantiationLevels, r.value.defaultInstantiationLevel]).toEqual([undefined, undefined, undefined]);
  });

  it('reports mappings to an unknown aspect, level or target, a bad count and an unknown default level', () => {
    const broken = [
      scaling[0] as Record<string, unknown>,
      { a: { type: 'tosca.policies.nfv.VnfToLevelMapping', targets: ['relay'], properties: { aspect: 'nope', number_of_instances: { 0: 1 } } } },
      { b: { type: 'tosca.policies.nfv.VnfToLevelMapping', targets: ['ghost'], properties: { aspect: 'relay_aspect', number_of_instances: { 7: 1, 1: -1 } } } },
      { c: { type: 'tosca.policies.nfv.NsInstantiationLevels', properties: { ns_levels: { small: {} }, default_level: 'huge' } } },
    ];
    const r = readSol001Nsd(withPolicies(broken), 'Definitions/relay_ns.nsd.yaml', resolver);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((i) => i.path)).toEqual([
      '/topology_template/policies/1/a/properties/aspect',
      '/topology_template/policies/2/b/targets',
      '/topology_template/policies/2/b/properties/number_of_instances/1',
      '/topology_template/policies/2/b/properties/number_of_instances/7',
      '/topology_template/policies/3/c/properties/default_level',
    ]);
    expect(r.error[0]?.message).toContain('known: relay_aspect');
  });
});
