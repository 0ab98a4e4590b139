import { describe, expect, it } from 'vitest';
import { ok } from '../../model/index.js';
import { readSol001Vnfd } from './sol001-vnfd-reader.js';
import type { ImportResolver } from './tosca-template-set.js';

// Tacker's layout in miniature: a top-level file with the VNF's identity (null sections as
// Tacker writes them) importing a deployment-flavour file that maps flavour_id.
const top = (props: Record<string, unknown>) => ({
  tosca_definitions_version: 'tosca_simple_yaml_1_2',
  imports: ['etsi_nfv_sol001_vnfd_types.yaml', 'flavours/df.yaml'],
  topology_template: {
    node_templates: {
      VNF: { type: 'tosca.nodes.nfv.VNF', properties: props, requirements: null, interfaces: null, capabilities: null, artifacts: null },
    },
  },
});
const flavour = {
  tosca_definitions_version: 'tosca_simple_yaml_1_2',
  imports: ['../etsi_nfv_sol001_vnfd_types.yaml'],
  topology_template: {
    substitution_mappings: { node_type: 'tosca.nodes.nfv.VNF', properties: { flavour_id: 'simple' }, requirements: { virtual_link_external: [] } },
    node_templates: {
      VNF: { type: 'tosca.nodes.nfv.VNF', properties: { flavour_description: 'small' } },
      VDU1: {
        type: 'tosca.nodes.nfv.Vdu.Compute',
        properties: { name: 'vdu1', sw_image_data: { name: 'cirros' } },
        artifacts: null,
        capabilities: { virtual_compute: { properties: { virtual_cpu: { num_virtual_cpu: 1 }, virtual_memory: { virtual_mem_size: '512 MB' } } } },
      },
    },
  },
};
const resolve: ImportResolver = (p) => (p === 'Definitions/flavours/df.yaml' ? ok(flavour) : undefined);
const identity = { descriptor_id: 'd1', descriptor_version: '1.0', provider: 'Company', product_name: 'Sample', software_version: '1.0', vnfm_info: ['Tacker'], flavour_id: { get_input: 'selected_flavour' } };

describe('readSol001Vnfd as tosca-parser and Tacker judge it', () => {
  it('reads function-specific managers from VNF node artifacts of type rondo.artifacts.FunctionSpecificManager (others are not managers)', () => {
    const doc = top(identity);
    (doc.topology_template.node_templates.VNF as { artifacts: unknown }).artifacts = {
      'fsm-fw': { type: 'rondo.artifacts.FunctionSpecificManager', file: 'rondo/fsm-firewall:latest', properties: { config_path: '/etc/fw.conf' } },
      other: { type: 'tosca.artifacts.Deployment', file: 'x.sh' },
    };
    const r = readSol001Vnfd(doc, 'Definitions/top.yaml', resolve);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.managers).toEqual([{ id: 'fsm-fw', image: 'rondo/fsm-firewall:latest', options: { config_path: '/etc/fw.conf' } }]);
    expect('managers' in (readSol001Vnfd(top(identity), 'Definitions/top.yaml', resolve) as { value: object }).value).toBe(false);
  });

  it('accepts null sections, empty requirement mappings and a flavour file imported relative to its importer', () => {
    const r = readSol001Vnfd(top(identity), 'Definitions/top.yaml', resolve);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect([r.value.descriptorId, r.value.vdus.map((v) => v.id), r.value.connectionPoints]).toEqual(['d1', ['VDU1'], []]);
  });

  it('refuses a VNF without a SOL001-mandatory property, naming the file and the field', () => {
    const { software_version: _sv, vnfm_info: _vi, ...rest } = identity;
    const r = readSol001Vnfd(top(rest), 'Definitions/top.yaml', resolve);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((i) => [i.file, i.path])).toEqual([
      ['Definitions/top.yaml', '/topology_template/node_templates/VNF/properties/software_version'],
      ['Definitions/top.yaml', '/topology_template/node_templates/VNF/properties/vnfm_info'],
    ]);
    expect(r.error[0]?.message).toMatch(/required VNF property software_version is missing/);
  });

  it('takes flavour_id from substitution_mappings.properties and flavour_description from the flavour file', () => {
    const { flavour_id: _f, ...rest } = identity;
    const read = readSol001Vnfd(top(rest), 'Definitions/top.yaml', resolve);
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    // The one flavour of the template, as the model keeps it (the VNF's instantiatedVnfInfo.flavourId).
    expect(read.value.deploymentFlavours).toEqual([{ id: 'simple', description: 'small', vduProfiles: [], instantiationLevels: [], scalingAspects: [] }]);
    // A literal on the node is taken over the get_input Tacker writes there.
    const own = readSol001Vnfd(top({ ...identity, flavour_id: 'big' }), 'Definitions/top.yaml', resolve);
    expect(own.ok && own.value.deploymentFlavours?.map((f) => f.id)).toEqual(['big']);
    // Without the flavour file both are missing.
    const alone = readSol001Vnfd(top(rest), 'Definitions/top.yaml', () => undefined);
    expect(alone.ok ? [] : alone.error.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/topology_template/node_templates/VNF/properties/flavour_id', '/topology_template/node_templates/VNF/properties/flavour_description']),
    );
  });
});
