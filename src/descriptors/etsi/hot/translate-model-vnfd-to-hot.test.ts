import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Vnfd } from '../../../model/index.js';
import { readSol006Vnfd } from '../../index.js';
import { translateModelVnfdToHot } from './translate-model-vnfd-to-hot.js';

const OSM = resolve(import.meta.dirname, '../../../../../shared/corpus/osm');
const CLOUD_CONFIG = readFileSync(`${OSM}/hackfest_basic_metrics_vnf/cloud_init/cloud-config`, 'utf8');

function corpusVnfd(pkg: string): Vnfd {
  const file = `${pkg}/${pkg.replace(/_vnf$/, '_vnfd')}.yaml`;
  const r = readSol006Vnfd(parse(readFileSync(`${OSM}/${file}`, 'utf8')), file, { cloudInit: new Map([['cloud-config', { content: CLOUD_CONFIG, file: 'cloud_init/cloud-config' }]]) });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('translateModelVnfdToHot (SOL006 VNFDs through the model)', () => {
  it('hackfest_multivdu: internal link with a subnet, ports in interface order, exposed CPs as network parameters, flavors, outputs', () => {
    const { main, nested } = translateModelVnfdToHot(corpusVnfd('hackfest_multivdu_vnf'), { file: 'hackfest_multivdu_vnfd.yaml' });
    expect(nested).toEqual({});
    expect(Object.entries(main.resources).map(([n, r]) => `${n}:${r.type}`).sort()).toEqual([
      'dataVM-eth0-int:OS::Neutron::Port', 'dataVM-xe0-int:OS::Neutron::Port', 'dataVM:OS::Nova::Server', 'dataVM_flavor:OS::Nova::Flavor',
      'internal:OS::Neutron::Net', 'internal_subnet:OS::Neutron::Subnet',
      'mgmtVM-eth0-int:OS::Neutron::Port', 'mgmtVM-eth1-int:OS::Neutron::Port', 'mgmtVM:OS::Nova::Server', 'mgmtVM_flavor:OS::Nova::Flavor',
    ]);
    expect(Object.keys(main.parameters).sort()).toEqual(['datavm-eth0-int_network', 'mgmtvm-eth0-int_network']);
    expect(main.resources['internal_subnet']?.properties).toEqual({ network: { get_resource: 'internal' }, ip_version: 4, cidr: '192.168.100.0/24' });
    expect(main.resources['mgmtVM-eth0-int']?.properties).toEqual({ network: { get_param: 'mgmtvm-eth0-int_network' } });
    expect(main.resources['mgmtVM-eth1-int']?.properties).toEqual({ network: { get_resource: 'internal' } });
    expect(main.resources['mgmtVM_flavor']?.properties).toEqual({ ram: 1024, vcpus: 1, disk: 10 });
    expect(main.resources['mgmtVM']?.properties).toEqual({
      name: 'mgmtVM', image: 'ubuntu20.04', flavor: { get_resource: 'mgmtVM_flavor' }, user_data_format: 'RAW',
      networks: [{ port: { get_resource: 'mgmtVM-eth0-int' } }, { port: { get_resource: 'mgmtVM-eth1-int' } }],
    });
    expect(Object.keys(main.outputs).sort()).toEqual(['dataVM-eth0-int_ip', 'dataVM-xe0-int_ip', 'dataVM_id', 'mgmtVM-eth0-int_ip', 'mgmtVM-eth1-int_ip', 'mgmtVM_id']);
  });

  it('hackfest_basic_metrics: the cloud-init file is the server user data, unchanged; named flavors on request', () => {
    const { main } = translateModelVnfdToHot(corpusVnfd('hackfest_basic_metrics_vnf'), { flavors: 'named' });
    expect(main.resources['hackfest_basic_metrics-VM']?.properties).toMatchObject({ flavor: 'rondo-c1-m1024-d10', user_data: CLOUD_CONFIG, user_data_format: 'RAW' });
    expect(Object.values(main.resources).some((r) => r.type === 'OS::Nova::Flavor')).toBe(false);
  });

  it('refuses with HOT_UNSUPPORTED what one server per VDU cannot hold, and clashing names', () => {
    const vnfd = corpusVnfd('hackfest_multivdu_vnf');
    const twice = { ...vnfd, vdus: vnfd.vdus.map((v, i) => (i === 0 ? { ...v, initialInstances: 2 } : v)) };
    expect(() => translateModelVnfdToHot(twice)).toThrow(expect.objectContaining({ code: 'HOT_UNSUPPORTED', status: 422 }));
    const clash = { ...vnfd, internalLinks: [{ id: 'mgmtVM' }] };
    expect(() => translateModelVnfdToHot(clash)).toThrow(expect.objectContaining({ code: 'HOT_UNSUPPORTED' }));
  });
});
