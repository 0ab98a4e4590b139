import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { createWriteStream } from 'node:fs';
import type { ValidationIssue } from '../../model/index.js';
import { readDescriptorFile, readPackageEntry, readPackageFile, tarGz } from '../../packages/index.js';
import { readSol006Nsd, readSol006Vnfd } from '../index.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'rondo-sol006-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const render = (i: ValidationIssue): string => `${i.file} ${i.path}: ${i.message}`;

/** A two-VDU SOL006 VNFD with interfaces written out of order, day-1/day-2 primitives and a checksum. */
const vnfd = {
  vnfd: {
    id: 'two-vdu',
    provider: 'Rondo',
    'product-name': 'two-vdu',
    version: '2.0',
    'mgmt-cp': 'mgmt-ext',
    'sw-image-desc': [
      { id: 'img', name: 'ubuntu', image: 'ubuntu22.04', 'disk-format': 'qcow2', checksum: { algorithm: 'sha-256', hash: 'ab'.repeat(32) } },
      { id: 'img-os', name: 'ubuntu-os', image: 'ubuntu-os', 'vim-type': 'openstack' },
    ],
    'virtual-compute-desc': [{ id: 'small', 'virtual-cpu': { 'num-virtual-cpu': 2 }, 'virtual-memory': { size: 0.5 } }],
    'virtual-storage-desc': [{ id: 'disk', 'type-of-storage': 'root-storage', 'size-of-storage': 5 }],
    'int-virtual-link-desc': [{ id: 'backplane' }],
    vdu: [
      {
        id: 'front',
        'sw-image-desc': 'img',
        'alternative-sw-image-desc': ['img-os'],
        'virtual-compute-desc': 'small',
        'virtual-storage-desc': ['disk'],
        'cloud-init': '#!/bin/sh\necho hi\n',
        'int-cpd': [
          { id: 'front-back', 'int-virtual-link-desc': 'backplane', 'virtual-network-interface-requirement': [{ name: 'eth1', position: 2 }] },
          { id: 'front-mgmt', 'virtual-network-interface-requirement': [{ name: 'eth0', position: 1 }] },
        ],
      },
      { id: 'back', 'sw-image-desc': 'img', 'virtual-compute-desc': 'small', 'int-cpd': [{ id: 'back-0', 'int-virtual-link-desc': 'backplane' }] },
    ],
    'ext-cpd': [{ id: 'mgmt-ext', 'int-cpd': { 'vdu-id': 'front', cpd: 'front-mgmt' } }],
    df: [
      {
        id: 'default-df',
        'vdu-profile': [{ id: 'front', 'min-number-of-instances': 1, 'max-number-of-instances': 3 }, { id: 'back', 'min-number-of-instances': 1 }],
        'instantiation-level': [{ id: 'small', 'vdu-level': [{ 'vdu-id': 'front', 'number-of-instances': 1 }, { 'vdu-id': 'back', 'number-of-instances': 2 }] }],
        'default-instantiation-level-id': 'small',
        'scaling-aspect': [{ id: 'front-out', 'max-scale-level': 2, 'aspect-delta-details': { deltas: [{ id: 'd', 'vdu-delta': [{ id: 'front', 'number-of-instances': 1 }] }] } }],
        'lcm-operations-configuration': {
          'operate-vnf-op-config': {
            'day1-2': [
              {
                id: 'two-vdu',
                'execution-environment-list': [{ id: 'ee', juju: { charm: 'simple' } }],
                'initial-config-primitive': [{ seq: 1, name: 'config', 'execution-environment-ref': 'ee', parameter: [{ name: 'ssh-hostname', value: '<rw_mgmt_ip>' }] }],
                'config-primitive': [{ name: 'touch', 'execution-environment-ref': 'ee', parameter: [{ name: 'filename', 'data-type': 'STRING', 'default-value': '/home/ubuntu/touched' }] }],
              },
            ],
          },
        },
      },
    ],
  },
};

describe('SOL006 VNFD reader', () => {
  it('maps resources, interface order, links, flavours and config primitives', () => {
    const r = readSol006Vnfd(vnfd, 'two_vdu_vnfd.yaml');
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    const v = r.value;
    expect(v.ref).toEqual({ vendor: 'Rondo', name: 'two-vdu', version: '2.0' });
    const front = v.vdus[0];
    expect(front).toMatchObject({ id: 'front', image: 'ubuntu22.04', imageFormat: 'qcow2', vcpus: 2, memoryMiB: 512, storageGiB: 5, initialInstances: 1, maxInstances: 3 });
    expect(front?.connectionPoints).toEqual([{ id: 'front-mgmt', type: 'management' }, { id: 'front-back', type: 'internal', internalLink: 'backplane' }]);
    expect(front?.alternativeImages).toEqual([{ vimType: 'openstack', image: 'ubuntu-os' }]);
    expect(front?.imageChecksum).toEqual({ algorithm: 'sha-256', hash: 'ab'.repeat(32) });
    expect(front?.userData).toEqual({ content: '#!/bin/sh\necho hi\n' });
    expect(v.vdus[1]?.initialInstances).toBe(2);
    expect(v.scalingAspects).toEqual([{ id: 'front-out', maxScaleLevel: 2, deltas: { front: 1 } }]);
    expect(v.configPrimitives).toEqual([
      { name: 'config', stage: 'initial', order: 1, parameters: [{ name: 'ssh-hostname', value: '<rw_mgmt_ip>' }], executionEnvironment: 'juju charm simple' },
      { name: 'touch', stage: 'on-demand', parameters: [{ name: 'filename', dataType: 'STRING', value: '/home/ubuntu/touched' }], executionEnvironment: 'juju charm simple' },
    ]);
  });

  it('reads the module-qualified JSON form the same way', () => {
    const r = readSol006Vnfd(JSON.parse(JSON.stringify({ 'etsi-nfv-vnfd:vnfd': vnfd.vnfd })), 'x.json');
    expect(r.ok && r.value.vdus.map((d) => d.id)).toEqual(['front', 'back']);
  });

  it('reports every broken reference with its path', () => {
    const broken = structuredClone(vnfd) as typeof vnfd & { vnfd: Record<string, unknown> };
    const v = broken.vnfd as unknown as { vdu: Record<string, unknown>[]; 'ext-cpd': Record<string, unknown>[]; df: Record<string, unknown>[]; 'mgmt-cp': string };
    (v.vdu[1] as Record<string, unknown>)['sw-image-desc'] = 'nope';
    (v.vdu[1] as Record<string, unknown>)['virtual-storage-desc'] = ['gone'];
    v['ext-cpd'].push({ id: 'data-ext', 'int-cpd': { 'vdu-id': 'middle', cpd: 'x' } });
    v['mgmt-cp'] = 'missing-ext';
    (v.df[0] as Record<string, unknown>)['default-instantiation-level-id'] = 'huge';
    const r = readSol006Vnfd(broken, 'f.yaml');
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.error.map(render)).toEqual(expect.arrayContaining([
      'f.yaml /vnfd/vdu/1/sw-image-desc: VDU "back" names sw-image-desc "nope", which is not an id of sw-image-desc',
      'f.yaml /vnfd/vdu/1/virtual-storage-desc/0: VDU "back" names virtual-storage-desc "gone", which is not an id of virtual-storage-desc',
      'f.yaml /vnfd/ext-cpd/1/int-cpd/vdu-id: ext-cpd "data-ext" names VDU "middle", which is not an id of vdu',
      'f.yaml /vnfd/mgmt-cp: mgmt-cp "missing-ext" is not an id of ext-cpd',
      'f.yaml /df/0/default-instantiation-level-id: "huge" is not an id of this df\'s instantiation-level'.replace('/df', '/vnfd/df'),
    ]));
  });
});

describe('SOL006 NSD NS scaling', () => {
  /** Two profiles; an NS aspect stepping through two NS instantiation levels. */
  const nsd = (df: Record<string, unknown>) => ({
    nsd: { nsd: [{ id: 'pair', 'vnfd-id': ['a'], 'virtual-link-desc': [{ id: 'net' }], df: [{ id: 'default-df', 'vnf-profile': [{ id: 'one', 'vnfd-id': 'a' }, { id: 'two', 'vnfd-id': 'a' }], ...df }] }] },
  });
  const levels = [
    { id: 'base', 'vnf-to-level-mapping': [{ 'vnf-profile-id': 'one' }, { 'vnf-profile-id': 'two', 'number-of-instances': 1 }] },
    { id: 'double', description: 'two of one', 'vnf-to-level-mapping': [{ 'vnf-profile-id': 'one', 'number-of-instances': 2 }] },
  ];

  it('reads ns-instantiation-level mappings (number-of-instances defaults to 1) and a scaling-aspect over them', () => {
    const r = readSol006Nsd(nsd({ 'ns-instantiation-level': levels, 'default-instantiation-level': 'base', 'scaling-aspect': [{ id: 'grow', name: 'grow', 'scaling-level': ['base', 'double'] }] }), 'pair.yaml');
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    expect(r.value.instantiationLevels).toEqual([{ id: 'base', vnfInstances: { one: 1, two: 1 } }, { id: 'double', description: 'two of one', vnfInstances: { one: 2 } }]);
    expect(r.value.defaultInstantiationLevel).toBe('base');
    expect(r.value.scalingAspects).toEqual([{ id: 'grow', name: 'grow', levels: r.value.instantiationLevels }]);
  });

  it('reads each vnf-profile\'s instance counts (REMOVE_VNF needs a minimum of 0); absent ones stay absent', () => {
    const doc = nsd({});
    const df = doc.nsd.nsd[0]?.df[0] as { 'vnf-profile': Record<string, unknown>[] };
    df['vnf-profile'] = [{ id: 'one', 'vnfd-id': 'a', 'min-number-of-instances': 0, 'max-number-of-instances': 3 }, { id: 'two', 'vnfd-id': 'a' }];
    const r = readSol006Nsd(doc, 'pair.yaml');
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    expect(r.value.vnfs.map((v) => [v.vnfId, v.minInstances, v.maxInstances])).toEqual([['one', 0, 3], ['two', undefined, undefined]]);
  });

  it('reports a mapping to a profile or a level the df does not have', () => {
    const r = readSol006Nsd(nsd({ 'ns-instantiation-level': [{ id: 'x', 'vnf-to-level-mapping': [{ 'vnf-profile-id': 'three' }] }], 'scaling-aspect': [{ id: 'grow', 'scaling-level': 'nope' }] }), 'pair.yaml');
    expect(r.ok ? [] : r.error.map((i) => i.path)).toEqual(['/nsd/nsd/0/df/0/ns-instantiation-level/0/vnf-to-level-mapping/0/vnf-profile-id', '/nsd/nsd/0/df/0/scaling-aspect/0/scaling-level']);
  });
});

/** An OSM IM (pre-SOL006) VNFD and NSD, as OSM Release 8 and 5GTANGO's OSM exports write them. */
const imVnfd = `vnfd:vnfd-catalog:
  vnfd:
  - id: cirros_vnfd
    name: cirros_vnf
    vendor: OSM
    version: '1.0'
    mgmt-interface:
      cp: eth0
    connection-point:
    - name: eth0
    - name: eth1
    internal-vld:
    - id: internal
      internal-connection-point:
      - id-ref: vdu-eth2
    vdu:
    - id: cirros_vnfd-VM
      count: 2
      image: cirros034
      cloud-init-file: cloud-config
      vm-flavor: {vcpu-count: 1, memory-mb: 256, storage-gb: 2}
      internal-connection-point:
      - id: vdu-eth2
      interface:
      - name: eth0
        external-connection-point-ref: eth0
      - name: eth1
        external-connection-point-ref: eth1
      - name: eth2
        internal-connection-point-ref: vdu-eth2
`;
const imNsd = `nsd:nsd-catalog:
  nsd:
  - id: cirros_2vnf_ns
    name: cirros_2vnf_ns
    vendor: OSM
    version: '1.0'
    constituent-vnfd:
    - member-vnf-index: 1
      vnfd-id-ref: cirros_vnfd
    - member-vnf-index: 2
      vnfd-id-ref: cirros_vnfd
    vld:
    - id: mgmt
      mgmt-network: 'true'
      vim-network-name: mgmt
      vnfd-connection-point-ref:
      - {member-vnf-index-ref: 1, vnfd-id-ref: cirros_vnfd, vnfd-connection-point-ref: eth0}
      - {member-vnf-index-ref: 2, vnfd-id-ref: cirros_vnfd, vnfd-connection-point-ref: eth0}
    - id: data
      vnfd-connection-point-ref:
      - {member-vnf-index-ref: 1, vnfd-id-ref: cirros_vnfd, vnfd-connection-point-ref: eth1}
      - {member-vnf-index-ref: 2, vnfd-id-ref: cirros_vnfd, vnfd-connection-point-ref: eth1}
`;

describe('OSM IM (pre-SOL006) descriptors', () => {
  it('are converted as OSM converts them: x → x-ext, interface i → i-int, vm-flavor → compute/storage', async () => {
    const pkg = join(tmp, 'cirros_vnf.tar.gz');
    await writeFile(pkg, tarGz([
      { path: 'cirros_vnf/cirros_vnfd.yaml', data: Buffer.from(imVnfd) },
      { path: 'cirros_vnf/cloud_init/cloud-config', data: Buffer.from('#cloud-config\npassword: x\n') },
    ]));
    const r = await readPackageFile(pkg);
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    const v = r.value.vnfds[0];
    expect(r.value.metadata).toMatchObject({ layout: 'osm', form: 'osm-im' });
    expect(v?.vdus[0]).toMatchObject({ id: 'cirros_vnfd-VM', image: 'cirros034', vcpus: 1, memoryMiB: 256, storageGiB: 2, initialInstances: 2, userData: { file: 'cirros_vnf/cloud_init/cloud-config' } });
    expect(v?.vdus[0]?.connectionPoints.map((c) => `${c.id}:${c.type}`)).toEqual(['eth0-int:management', 'eth1-int:external', 'eth2-int:internal']);
    expect(v?.connectionPoints.map((c) => c.id)).toEqual(['eth0-ext', 'eth1-ext']);
    const nsdFile = join(tmp, 'cirros_nsd.yaml');
    await writeFile(nsdFile, imNsd);
    const n = await readDescriptorFile(nsdFile, { externalVnfd: (ref) => Promise.resolve('descriptorId' in ref && ref.descriptorId === 'cirros_vnfd' ? v : undefined) });
    if (!n.ok) throw new Error(n.error.map(render).join('\n'));
    const nsd = n.value.nsds[0];
    expect(nsd?.vnfs.map((m) => m.vnfId)).toEqual(['1', '2']);
    expect(nsd?.virtualLinks.map((l) => [l.id, l.management, l.externalNetwork ?? null, l.cpRefs.map((c) => (c.kind === 'vnf' ? `${c.vnfId}:${c.cp}` : ''))])).toEqual([
      ['mgmt', true, 'mgmt', ['1:eth0-ext', '2:eth0-ext']],
      ['data', false, null, ['1:eth1-ext', '2:eth1-ext']],
    ]);
  });

  it('report broken references at the OSM IM path', () => {
    const r = readSol006Nsd({ 'nsd:nsd-catalog': { nsd: [{ id: 'n', 'constituent-vnfd': [{ 'member-vnf-index': 1, 'vnfd-id-ref': 'a' }], vld: [{ id: 'l', 'vnfd-connection-point-ref': [{ 'member-vnf-index-ref': 3, 'vnfd-connection-point-ref': 'eth0' }] }] }] } }, 'n.yaml');
    expect(r.ok ? [] : r.error.map(render)).toEqual(['n.yaml /nsd:nsd-catalog/nsd/0/vld/0/vnfd-connection-point-ref/0/member-vnf-index-ref: "3" is not a member-vnf-index of constituent-vnfd']);
    const v = readSol006Vnfd({ 'vnfd-catalog': { vnfd: [{ id: 'v', vdu: [{ id: 'x', image: 'i', interface: [{ name: 'e', 'external-connection-point-ref': 'nope' }] }] }] } }, 'v.yaml');
    expect(v.ok ? [] : v.error.map(render)).toEqual(['v.yaml /vnfd-catalog/vnfd/0/vdu/0/interface/0/external-connection-point-ref: "nope" is not a connection-point name of the VNFD']);
  });
});

describe('OSM package layout', () => {
  it('reads the folder-less form and a zip, verifies checksums written without the folder, and serves entries', async () => {
    const yaml = `vnfd:\n  id: one\n  vdu:\n  - id: vm\n    sw-image-desc: img\n    cloud-init-file: init.sh\n    virtual-compute-desc: c\n  sw-image-desc:\n  - {id: img, image: busybox}\n  virtual-compute-desc:\n  - {id: c, virtual-memory: {size: 2}}\n`;
    const init = '#!/bin/sh\necho up\n';
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const files = [
      { path: 'one_vnfd.yaml', data: Buffer.from(yaml) },
      { path: 'cloud_init/init.sh', data: Buffer.from(init) },
      { path: 'checksums.txt', data: Buffer.from(`${md5(yaml)}\tone_vnfd.yaml\n${md5(init)}  cloud_init/init.sh\n`) },
    ];
    const tgz = join(tmp, 'one.tgz');
    await writeFile(tgz, tarGz(files));
    const r = await readPackageFile(tgz);
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    expect(r.value.vnfds[0]?.vdus[0]).toMatchObject({ memoryMiB: 2048, vcpus: 1, userData: { content: init, file: 'cloud_init/init.sh' } });
    expect((await readPackageEntry(tgz, 'cloud_init/init.sh')).toString()).toBe(init);

    const zipPath = join(tmp, 'one.zip');
    await new Promise<void>((resolve, reject) => {
      const z = new yazl.ZipFile();
      for (const f of files) z.addBuffer(f.data, `one/${f.path}`);
      z.end();
      z.outputStream.pipe(createWriteStream(zipPath)).on('close', () => resolve()).on('error', reject);
    });
    const zr = await readPackageFile(zipPath);
    expect(zr.ok && [zr.value.format, zr.value.vnfds[0]?.file]).toEqual(['sol006', 'one/one_vnfd.yaml']);

    const bad = join(tmp, 'bad.tgz');
    await writeFile(bad, tarGz([files[0] as (typeof files)[0], { path: 'checksums.txt', data: Buffer.from(`${'0'.repeat(32)}\tone_vnfd.yaml\n${md5('x')}\tcloud_init/gone\n`) }]));
    const br = await readPackageFile(bad, { fileName: 'bad.tgz' });
    const text = br.ok ? '' : br.error.map(render).join('\n');
    expect(text).toContain('one_vnfd.yaml : checksum mismatch: checksums.txt /line/1 declares MD5 00000000000000000000000000000000');
    expect(text).toContain('checksums.txt /line/2: cloud_init/gone is listed but not in the package');
    expect(text).toContain('one_vnfd.yaml /vnfd/vdu/0/cloud-init-file: cloud-init-file "init.sh" is not in the package (expected cloud_init/init.sh)');
  });

  it('takes a lone SOL006 descriptor (YAML or JSON) as an upload, with a warning for a cloud-init file it cannot have', async () => {
    const json = join(tmp, 'one_vnfd.json');
    await writeFile(json, JSON.stringify({ vnfd: { id: 'one', vdu: [{ id: 'vm', 'sw-image-desc': 'img', 'cloud-init-file': 'x', 'virtual-compute-desc': 'c' }], 'sw-image-desc': [{ id: 'img' }], 'virtual-compute-desc': [{ id: 'c' }] } }));
    const r = await readDescriptorFile(json);
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    expect([r.value.format, r.value.vnfds[0]?.vdus[0]?.image]).toEqual(['sol006', 'img']);
    expect(r.value.warnings?.map(render).join('\n')).toMatch(/cloud-init-file "x" comes with the package/);
  });

  it('refuses a folder with two descriptors', async () => {
    const two = join(tmp, 'two.tar.gz');
    await writeFile(two, tarGz([
      { path: 'p/a_vnfd.yaml', data: Buffer.from('vnfd: {id: a}\n') },
      { path: 'p/b_nsd.yaml', data: Buffer.from('nsd: {nsd: [{id: b}]}\n') },
    ]));
    const r = await readPackageFile(two, { fileName: 'two.tar.gz' });
    expect(r.ok ? '' : r.error.map(render).join('\n')).toContain('an OSM package holds one descriptor in its folder; found 2: p/a_vnfd.yaml, p/b_nsd.yaml');
  });
});
