import { describe, expect, it } from 'vitest';
import { parseYamlSafe, readTangoNsd, readTangoVnfd, validateNsdAgainstVnfds } from '../index.js';
import type { ValidationIssue } from '../../model/index.js';

const vnfd = {
  vendor: 'eu.rondo',
  name: 'vnf-a',
  version: '0.1',
  virtual_deployment_units: [
    {
      id: 'vdu01',
      vm_image: 'vnf/busybox:latest',
      vm_image_format: 'docker',
      resource_requirements: { cpu: { vcpus: 1, cpu_bw: 0.5 }, memory: { size: 1, size_unit: 'GB' }, storage: { size: 512, size_unit: 'MiB' } },
      connection_points: [{ id: 'eth0', type: 'internal' }, { id: 'eth1', type: 'internal' }],
      environment: ['SON_EMU_CMD=./start.sh', 'OTHER=1'],
    },
  ],
  connection_points: [{ id: 'input', type: 'external' }, { id: 'output', type: 'external' }],
  virtual_links: [
    { id: 'in', connectivity_type: 'E-Line', connection_points_reference: ['vdu01:eth0', 'input'] },
    { id: 'out', connectivity_type: 'E-Line', connection_points_reference: ['vdu01:eth1', 'output'] },
  ],
};

describe('readTangoVnfd', () => {
  it('maps resources, external CPs and the emulator start command', () => {
    const r = readTangoVnfd(vnfd, 'vnfd.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.vdus[0]).toMatchObject({ vcpus: 1, cpuBw: 0.5, memoryMiB: 1024, storageGiB: 1, env: { SON_EMU_CMD: './start.sh', OTHER: '1' } });
    expect(r.value.connectionPoints).toEqual([
      { id: 'input', type: 'external', vdu: 'vdu01', vduCp: 'eth0' },
      { id: 'output', type: 'external', vdu: 'vdu01', vduCp: 'eth1' },
    ]);
    expect(r.value.startCommands).toEqual(['./start.sh']);
  });

  it('carries function_specific_managers into the model (SONATA options list), and refuses a manager without image', () => {
    const r = readTangoVnfd({ ...vnfd, function_specific_managers: [{ id: 'fsm-fw', image: 'rondo/fsm:1', description: 'configures', options: [{ key: 'config_path', value: '/tmp/fw.conf' }] }] }, 'vnfd.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.managers).toEqual([{ id: 'fsm-fw', image: 'rondo/fsm:1', description: 'configures', options: { config_path: '/tmp/fw.conf' } }]);
    const bad = readTangoVnfd({ ...vnfd, function_specific_managers: [{ id: '' }, { id: 'ok' }] }, 'vnfd.yaml');
    expect(bad.ok ? [] : bad.error.map((i) => i.path)).toEqual(['/function_specific_managers/0/id', '/function_specific_managers/1/image']);
    // SONATA takes any id (its own pilots use 31 characters, others dots): Rondo names topics and users by a key of it.
    const long = readTangoVnfd({ ...vnfd, function_specific_managers: [{ id: 'sonfsmcommunication-pilotconfig', image: 'a' }, { id: 'eu.sonata.fsm', image: 'b' }] }, 'vnfd.yaml');
    if (!long.ok) throw new Error(JSON.stringify(long.error));
    const keys = (long.value.managers ?? []).map((m) => [m.id, m.descriptorId]);
    expect(keys.map(([, d]) => d)).toEqual(['sonfsmcommunication-pilotconfig', 'eu.sonata.fsm']);
    for (const [id] of keys) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,26}$/);
    expect(keys[0]?.[0]).toMatch(/^sonfsmcommunication-/);
    expect(keys[1]?.[0]).toMatch(/^eu-sonata-fsm-[0-9a-z]{6}$/);
    expect(readTangoVnfd(vnfd, 'vnfd.yaml').ok && 'managers' in (readTangoVnfd(vnfd, 'vnfd.yaml') as { value: object }).value).toBe(false);
  });

  it('reports every problem at once with paths', () => {
    const bad = structuredClone(vnfd) as typeof vnfd;
    const unit = bad.virtual_deployment_units[0] as (typeof vnfd.virtual_deployment_units)[number];
    unit.resource_requirements.cpu.cpu_bw = 3;
    bad.virtual_links.push({ id: 'in', connectivity_type: 'E-LAN', connection_points_reference: ['vdu09:eth0', 'nowhere'] });
    const r = readTangoVnfd(bad, 'vnfd.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((i) => i.path).sort()).toEqual([
      '/virtual_deployment_units/0/resource_requirements/cpu/cpu_bw',
      '/virtual_links/2/connection_points_reference/0',
      '/virtual_links/2/connection_points_reference/1',
      '/virtual_links/2/id',
    ]);
  });

  it('reports schema errors: wrong types and unknown units', () => {
    const r = readTangoVnfd({ ...vnfd, virtual_deployment_units: [{ id: 'v', vm_image: 'x', resource_requirements: { cpu: { vcpus: 0 }, memory: { size: 1, size_unit: 'parsecs' } } }] }, 'vnfd.yaml');
    expect(r.ok ? [] : r.error.map((i) => i.path)).toEqual([
      '/virtual_deployment_units/0/resource_requirements/cpu/vcpus',
      '/virtual_deployment_units/0/resource_requirements/memory/size_unit',
    ]);
  });
});

describe('readTangoNsd', () => {
  const nsd = {
    vendor: 'eu.rondo',
    name: 'ns',
    version: '0.1',
    network_functions: [
      { vnf_id: 'a', vnf_vendor: 'eu.rondo', vnf_name: 'vnf-a', vnf_version: '0.1' },
      { vnf_id: 'a', vnf_vendor: 'eu.rondo', vnf_name: 'vnf-a', vnf_version: '0.1' },
    ],
    connection_points: [{ id: 'input', interface: 'ipv4', type: 'external' }],
    virtual_links: [
      { id: 'l1', connectivity_type: 'E-Line', connection_points_reference: ['input', 'a:input', 'a:output'] },
      { id: 'l2', connectivity_type: 'E-LAN', connection_points_reference: ['ghost:input', 'nosap'] },
    ],
    forwarding_graphs: [
      { fg_id: 'fg', network_forwarding_paths: [{ fp_id: 'p', connection_points: [{ connection_point_ref: 'input', position: 1 }, { connection_point_ref: 'zz:x', position: 1 }] }] },
    ],
  };

  it('reads a link bandwidth from qos.bandwidth in Mbit/s (bandwidth_unit, default Mbps)', () => {
    const ok = (qos: unknown) => {
      const r = readTangoNsd({
        vendor: 'eu.rondo', name: 'ns', version: '0.1', network_functions: [{ vnf_id: 'a', vnf_vendor: 'eu.rondo', vnf_name: 'vnf-a', vnf_version: '0.1' }],
        connection_points: [{ id: 'input', interface: 'ipv4', type: 'external' }],
        virtual_links: [{ id: 'l1', connectivity_type: 'E-Line', connection_points_reference: ['input', 'a:input'], ...(qos === undefined ? {} : { qos }) }],
      }, 'nsd.yaml');
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value.virtualLinks[0]?.bandwidthMbps;
    };
    expect(ok({ bandwidth: 12 })).toBe(12);
    expect(ok({ bandwidth: 1, bandwidth_unit: 'Gbps' })).toBe(1000);
    expect(ok({ bandwidth: 500, bandwidth_unit: 'kbps' })).toBe(0.5);
    expect(ok(undefined)).toBeUndefined();
    expect(ok({ bandwidth: 5, bandwidth_unit: 'furlongs' })).toBeUndefined();
  });

  it('reports every semantic problem of the NSD at once', () => {
    const warnings: ValidationIssue[] = [];
    const r = readTangoNsd(nsd, 'nsd.yaml', 'tango', warnings);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.every((i) => i.file === 'nsd.yaml')).toBe(true);
    expect(r.error.map((i) => i.path).sort()).toEqual([
      '/forwarding_graphs/0/network_forwarding_paths/0/connection_points/1/connection_point_ref',
      '/forwarding_graphs/0/network_forwarding_paths/0/connection_points/1/position',
      '/network_functions/1/vnf_id',
      '/virtual_links/0/connection_points_reference',
      '/virtual_links/1/connection_points_reference/1',
    ]);
    // An E-LAN member naming no vnf_id is left out with a warning (tng-schema's default-nsd
    // example has one); the unknown hop of the forwarding path above stays an error.
    expect(warnings).toEqual([{ file: 'nsd.yaml', path: '/virtual_links/1/connection_points_reference/0', message: expect.stringContaining('"ghost" is not a vnf_id') }]);
  });

  it('checks CP references against the VNFDs', () => {
    const ok = readTangoNsd({ ...nsd, network_functions: [nsd.network_functions[0]], virtual_links: [{ id: 'l', connectivity_type: 'E-Line', connection_points_reference: ['input', 'a:eth7'] }], forwarding_graphs: [] }, 'nsd.yaml');
    const v = readTangoVnfd(vnfd, 'vnfd.yaml');
    if (!ok.ok || !v.ok) throw new Error('fixtures must read');
    expect(validateNsdAgainstVnfds(ok.value, [v.value], 'nsd.yaml')).toEqual([
      expect.objectContaining({ file: 'nsd.yaml', path: '/virtual_links/0/connection_points_reference/1' }),
    ]);
  });
});

describe('parseYamlSafe', () => {
  it('rejects custom tags, alias bombs and deep nesting', () => {
    expect(parseYamlSafe('a: !!js/function "x"\n', 'f').ok).toBe(false);
    expect(parseYamlSafe(`a: &a [1]\nb: [${Array(200).fill('*a').join(',')}]\n`, 'f').ok).toBe(false);
    expect(parseYamlSafe(`${'['.repeat(100)}${']'.repeat(100)}`, 'f').ok).toBe(false);
    expect(parseYamlSafe('a: {b: [1, 2]}\n', 'f')).toEqual({ ok: true, value: { a: { b: [1, 2] } } });
  });

  it('reads as PyYAML safe_load does, and says file:line:column on every error', () => {
    // PyYAML's YAML 1.1 scalars; sexagesimal numbers and dates stay text (documented in safe-yaml.ts).
    expect(parseYamlSafe('a: yes\nb: Off\nc: y\nd: 0777\ne: 1e3\nf: 1.0e+3\ng: 8080:80\nh: 2001-12-14\ni: 1_000\n', 'f')).toEqual({
      ok: true,
      value: { a: true, b: false, c: 'y', d: 511, e: '1e3', f: 1000, g: '8080:80', h: '2001-12-14', i: 1000 },
    });
    // A flow sequence continued at column 1 (ETSI's SOL001 v2.6.1 VNFD types file); a block scalar is left alone.
    expect(parseYamlSafe('p:\n  - v: [ a, b,\nc ]\n  - t: |\n      [ text\n', 'f')).toEqual({ ok: true, value: { p: [{ v: ['a', 'b', 'c'] }, { t: '[ text\n' }] } });
    // A duplicate key keeps its last value with a warning, as PyYAML (5GTANGO's comm-pilot VNFDs repeat `version:`).
    const warnings: ValidationIssue[] = [];
    expect(parseYamlSafe('a: 1\nb:\n  c: 2\n  c: 3\n', 'f.yaml', undefined, warnings)).toEqual({ ok: true, value: { a: 1, b: { c: 3 } } });
    expect(warnings).toEqual([{ file: 'f.yaml', path: '', message: 'duplicate key "c" at f.yaml:4:3; its last value is used, as PyYAML does' }]);
    for (const bad of ['a: [1,\n  2\nb: 3\n', 'x: 1\ny: !foo z\n', `a: &a [1]\nb: [${Array(200).fill('*a').join(',')}]\n`, `${'['.repeat(100)}${']'.repeat(100)}`]) {
      const r = parseYamlSafe(bad, 'dir/f.yaml');
      expect(r.ok).toBe(false);
      if (!r.ok) for (const i of r.error) expect(i.message).toMatch(/dir\/f\.yaml:\d+:\d+/);
    }
  });
});
