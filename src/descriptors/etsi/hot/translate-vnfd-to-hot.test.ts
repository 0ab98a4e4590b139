import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PackageInvalidError } from '../../../model/index.js';
import { rondoFlavorName, translateVnfdFile, translateVnfdToHot } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/heat-translator/', import.meta.url));
const fixture = (p: string): string => readFileSync(join(FIXTURES, p), 'utf8');

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Translates `base` after `mutate` changed its parsed form; returns the thrown error. */
const failure = (base: string, mutate: (d: Doc) => void): PackageInvalidError => {
  const doc = parse(fixture(base)) as Doc;
  mutate(doc);
  try {
    translateVnfdToHot(new Map([['vnfd.yaml', stringify(doc)]]));
  } catch (e) {
    expect(e).toBeInstanceOf(PackageInvalidError);
    return e as PackageInvalidError;
  }
  throw new Error('translation succeeded but should have failed');
};
const nodes = (d: Doc): Doc => d.topology_template.node_templates as Doc;

describe('translateVnfdToHot', () => {
  it('reads Tacker’s multi-file layout from a map: imports relative to the importing file, derived types, flavour file', () => {
    const files = new Map<string, string>();
    for (const f of ['sample_vnfd_top.yaml', 'sample_vnfd_types.yaml', 'sample_vnfd_df_simple.yaml']) files.set(`Definitions/${f}`, fixture(`multi-file/Definitions/${f}`));
    const { main, nested } = translateVnfdToHot(files);
    expect(nested).toEqual({});
    expect(main.parameters.selected_flavour?.default).toBe('simple');
    expect(main.resources.VDU1).toMatchObject({ type: 'OS::Nova::Server', properties: { name: 'server', image: 'rondo-test-image', networks: [{ port: { get_resource: 'CP1' } }] } });
    expect(main.resources.CP1?.properties).toEqual({ network: { get_resource: 'internal' }, fixed_ips: [{ ip_address: '10.77.0.10' }] });
    expect(main.resources.internal_subnet?.properties).toMatchObject({ cidr: '10.77.0.0/24', enable_dhcp: false });
    expect(main.outputs.CP1_ip?.value).toEqual({ get_attr: ['CP1', 'fixed_ips', 0, 'ip_address'] });
  });

  it('names a missing non-standard import', () => {
    const files = new Map([['Definitions/top.yaml', fixture('multi-file/Definitions/sample_vnfd_top.yaml')]]);
    try {
      translateVnfdToHot(files, { entry: 'Definitions/top.yaml' });
      expect.unreachable();
    } catch (e) {
      expect((e as PackageInvalidError).code).toBe('HOT_INPUT_INVALID');
      expect((e as PackageInvalidError).issues[0]?.message).toContain('Definitions/sample_vnfd_types.yaml');
    }
  });

  it('references deterministic flavor names instead of flavor resources when asked', () => {
    const { main, nested } = translateVnfdToHot(join(FIXTURES, 'mixed-scaling/vnfd.yaml'), { flavors: 'named', images: { VDU1: 'img-a' } });
    expect(Object.values(main.resources).some((r) => r.type === 'OS::Nova::Flavor')).toBe(false);
    const vdu1 = nested['worker_instance.hot.yaml']?.resources.VDU1?.properties;
    expect(vdu1).toMatchObject({ flavor: rondoFlavorName({ vcpus: 1, ramMiB: 512, diskGiB: 1 }), image: 'img-a' });
    expect(rondoFlavorName({ vcpus: 1, ramMiB: 512, diskGiB: 1 })).toBe('rondo-c1-m512-d1');
  });

  it('sizes the scaling group from the chosen instantiation level', () => {
    const { main } = translateVnfdToHot(join(FIXTURES, 'mixed-scaling/vnfd.yaml'), { instantiationLevel: 'instantiation_level_2' });
    expect(main.resources.worker_instance?.properties).toMatchObject({ min_size: 1, max_size: 3, desired_capacity: 3 });
  });

  it('passes a server group into the nested template of a scaled VDU', () => {
    const doc = parse(fixture('mixed-scaling/vnfd.yaml')) as Doc;
    doc.topology_template.policies.push({ spread: { type: 'tosca.policies.nfv.AntiAffinityRule', targets: ['VDU1'], properties: { scope: 'nfvi_node' } } });
    const { main, nested } = translateVnfdToHot(new Map([['v.yaml', stringify(doc)]]));
    expect(main.resources.spread_group?.type).toBe('OS::Nova::ServerGroup');
    const t = nested['worker_instance.hot.yaml'];
    expect(t?.resources.VDU1?.properties?.scheduler_hints).toEqual({ group: { get_param: 'spread_group_id' } });
    expect((main.resources.worker_instance?.properties?.resource as Doc).properties.spread_group_id).toEqual({ get_resource: 'spread_group' });
  });

  it.each([
    ['an affinity scope other than nfvi_node', 'affinity/vnfd.yaml', (d: Doc) => { d.topology_template.policies[0].Affinity.properties.scope = 'zone'; }, 'policies/Affinity', 'scope'],
    ['an MPLS link', 'vl-qos/vnfd.yaml', (d: Doc) => { nodes(d).VL1.properties.connectivity_type.layer_protocols = ['mpls']; }, 'node_templates/VL1', 'layer_protocols'],
    ['an IP link without CIDR', 'vl-qos/vnfd.yaml', (d: Doc) => { delete nodes(d).VL1.properties.vl_profile.virtual_link_protocol_data[0].l3_protocol_data.cidr; }, 'node_templates/VL1', 'cidr'],
    ['provider network data', 'vl-qos/vnfd.yaml', (d: Doc) => { nodes(d).VL1.properties.vl_profile.virtual_link_protocol_data[0].l2_protocol_data = { network_type: 'vlan', vlan_id: 7 }; }, 'node_templates/VL1', 'network_type'],
    ['a trunk port', 'cp-order/vnfd.yaml', (d: Doc) => { nodes(d).CP1.properties.trunk_mode = true; }, 'node_templates/CP1', 'trunk_mode'],
    ['a VnfExtCp node', 'cp-order/vnfd.yaml', (d: Doc) => { nodes(d).EXT = { type: 'tosca.nodes.nfv.VnfExtCp', properties: { layer_protocols: ['ipv4'] } }; }, 'node_templates/EXT', 'type'],
    ['a get_input', 'vdu-single/vnfd.yaml', (d: Doc) => { nodes(d).VDU1.properties.name = { get_input: 'name' }; }, 'node_templates/VDU1', 'properties.name'],
    ['CPU pinning', 'vdu-single/vnfd.yaml', (d: Doc) => { nodes(d).VDU1.capabilities.virtual_compute.properties.virtual_cpu.virtual_cpu_pinning = { virtual_cpu_pinning_policy: 'static' }; }, 'node_templates/VDU1', 'virtual_cpu_pinning'],
    ['a VDU without image', 'vdu-single/vnfd.yaml', (d: Doc) => { delete nodes(d).VDU1.properties.sw_image_data; }, 'node_templates/VDU1', 'sw_image_data'],
    ['non-uniform step deltas', 'mixed-scaling/vnfd.yaml', (d: Doc) => {
      const p = d.topology_template.policies;
      p[0].scaling_aspects.properties.aspects.worker_instance.step_deltas = ['delta_1', 'delta_2'];
      p[2].VDU_scaling_aspect_deltas.properties.deltas.delta_2 = { number_of_instances: 2 };
    }, 'policies/VDU_scaling_aspect_deltas', 'deltas'],
    ['several initial instances without an aspect', 'vdu-single/vnfd.yaml', (d: Doc) => {
      d.topology_template.policies = [{ init: { type: 'tosca.policies.nfv.VduInitialDelta', properties: { initial_delta: { number_of_instances: 2 } }, targets: ['VDU1'] } }];
    }, 'policies/init', 'initial_delta'],
    ['an unknown policy type', 'vdu-single/vnfd.yaml', (d: Doc) => {
      d.topology_template.policies = [{ sg: { type: 'tosca.policies.nfv.SecurityGroupRule', targets: ['VDU1'] } }];
    }, 'policies/sg', 'type'],
  ])('rejects %s with HOT_UNSUPPORTED naming the node and property', (_what, base, mutate, node, property) => {
    const e = failure(base, mutate);
    expect(e.code).toBe('HOT_UNSUPPORTED');
    expect(e.status).toBe(422);
    expect(e.issues[0]?.path).toContain(node);
    expect(e.issues[0]?.path).toContain(property.split('.').join('/'));
  });
});

describe("translateVnfdToHot with unsupported: 'warn'", () => {
  const warn = (base: string, mutate: (d: Doc) => void) => {
    const doc = parse(fixture(base)) as Doc;
    mutate(doc);
    return translateVnfdToHot(new Map([['vnfd.yaml', stringify(doc)]]), { unsupported: 'warn' });
  };

  it('still refuses an MPLS link that a CP uses (dropping it would leave the port without a network)', () => {
    expect(() => warn('blockstorage-scaling/vnfd.yaml', (d) => { nodes(d).VL1.properties.connectivity_type.layer_protocols = ['mpls']; })).toThrow(/VL1.*layer protocols \[mpls\]/);
  });

  it('keeps an Ethernet link that a CP uses as a network without subnet, without a warning', () => {
    const { main, nested, warnings } = warn('blockstorage-scaling/vnfd.yaml', (d) => {
      const vl = nodes(d).VL1.properties;
      vl.connectivity_type.layer_protocols = ['ethernet'];
      delete vl.vl_profile.virtual_link_protocol_data;
    });
    expect(main.resources.VL1?.type).toBe('OS::Neutron::Net');
    expect(main.resources.VL1_subnet).toBeUndefined();
    expect(nested['worker_instance.hot.yaml']?.resources.CP1?.properties?.network).toEqual({ get_param: 'vl1_id' });
    expect(warnings).toEqual([]);
  });

  it('passes the image parameter of a scaled VDU without image into its nested template', () => {
    const { main, nested, warnings } = warn('mixed-scaling/vnfd.yaml', (d) => { delete nodes(d).VDU1.properties.sw_image_data; });
    expect(main.parameters.vdu1_image).toMatchObject({ type: 'string' });
    expect((main.resources.worker_instance?.properties?.resource as Doc).properties.vdu1_image).toEqual({ get_param: 'vdu1_image' });
    const t = nested['worker_instance.hot.yaml'];
    expect(t?.parameters.vdu1_image).toEqual({ type: 'string' });
    expect(t?.resources.VDU1?.properties?.image).toEqual({ get_param: 'vdu1_image' });
    expect(warnings?.map((w) => w.message)).toEqual([expect.stringMatching(/sw_image_data.*the image is the template parameter vdu1_image$/)]);
  });

  it('reads nova_extra_specs given as YAML text into the flavor, in both modes', () => {
    for (const unsupported of ['warn', 'refuse'] as const) {
      const doc = parse(fixture('vdu-single/vnfd.yaml')) as Doc;
      nodes(doc).VDU1.capabilities.virtual_compute.properties.compute_requirements = { nova_extra_specs: 'hw:mem_page_size: large\nhw:cpu_policy: dedicated' };
      const { main } = translateVnfdToHot(new Map([['vnfd.yaml', stringify(doc)]]), { unsupported });
      expect(main.resources.VDU1_flavor?.properties?.extra_specs).toEqual({ 'hw:mem_page_size': 'large', 'hw:cpu_policy': 'dedicated' });
    }
  });
});

describe('translateVnfdFile', () => {
  it('writes main.yaml and the nested templates beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rondo-hot-'));
    try {
      const { written } = await translateVnfdFile(join(FIXTURES, 'multi-aspects/vnfd.yaml'), join(dir, 'out'));
      expect(written.map((p) => p.slice(dir.length + 5))).toEqual(['main.yaml', 'worker_instance1.hot.yaml', 'worker_instance2.hot.yaml']);
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['main.yaml', 'worker_instance1.hot.yaml', 'worker_instance2.hot.yaml']);
      const main = parse(await readFile(join(dir, 'out', 'main.yaml'), 'utf8')) as Doc;
      expect(String(main.heat_template_version)).toBe('2013-05-23');
      expect(main.resources.worker_instance1.properties.resource.type).toBe('worker_instance1.hot.yaml');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
