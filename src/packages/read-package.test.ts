import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCpRef, NotFoundError } from '../model/index.js';
import type { ParsedPackage, ValidationIssue } from '../model/index.js';
import { rawZip } from '../../test/support/hostile-corpus.js';
import { buildPackage, readDescriptorFile, readPackageEntry, readPackageFile } from './index.js';

const root = join(import.meta.dirname, '../..');
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'rondo-pkg-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const build = async (src: string, name: string): Promise<string> => {
  const out = join(tmp, name);
  await buildPackage(join(root, src), out);
  return out;
};
const valid = (r: Awaited<ReturnType<typeof readPackageFile>>): ParsedPackage => {
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
};
const issues = (r: Awaited<ReturnType<typeof readPackageFile>>): ValidationIssue[] => {
  if (r.ok) throw new Error('expected the package to be invalid');
  return r.error;
};

/** Zips a folder exactly as it is (no hash filling), entries sorted. */
const zipVerbatim = async (dir: string, out: string): Promise<string> => {
  const walk = async (rel: string): Promise<string[]> => {
    const out: string[] = [];
    for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      out.push(...(d.isDirectory() ? await walk(p) : [p]));
    }
    return out;
  };
  const files = (await walk('')).sort();
  await writeFile(out, rawZip(await Promise.all(files.map(async (name) => ({ name, data: await readFile(join(dir, name)), deflate: true })))));
  return out;
};

describe('examples/tango-chain', () => {
  it('builds deterministically and reads back as the 3-VNF chain', async () => {
    const a = await build('examples/tango-chain', 'chain-a.tgo');
    const b = await build('examples/tango-chain', 'chain-b.tgo');
    expect(await readFile(a)).toEqual(await readFile(b));
    const pkg = valid(await readPackageFile(a));
    expect(pkg.format).toBe('tango');
    expect(pkg.ref).toEqual({ vendor: 'eu.rondo', name: 'tango-chain', version: '0.1' });
    const nsd = pkg.nsds[0];
    expect(nsd?.vnfs.map((v) => v.vnfId)).toEqual(['client', 'firewall', 'server']);
    expect(nsd?.saps).toEqual([
      { id: 'mgmt', type: 'management' },
      { id: 'input', type: 'external' },
      { id: 'output', type: 'external' },
    ]);
    expect(nsd?.virtualLinks.map((l) => [l.id, l.type, l.management])).toEqual([
      ['mgmt', 'E-LAN', true],
      ['input-2-client', 'E-Line', false],
      ['client-2-firewall', 'E-Line', false],
      ['firewall-2-server', 'E-Line', false],
      ['server-lan', 'E-LAN', false],
    ]);
    expect(nsd?.forwardingGraphs[0]?.paths[0]?.hops.map(formatCpRef)).toEqual([
      'input', 'client:input', 'client:output', 'firewall:input', 'firewall:output', 'server:input', 'server:output', 'output',
    ]);
    expect(pkg.vnfds).toHaveLength(3);
    const fw = pkg.vnfds.find((v) => v.ref.name === 'vnf-firewall');
    expect(fw?.vdus[0]).toMatchObject({ image: 'vnf/busybox:latest', imageFormat: 'docker', vcpus: 1, cpuBw: 0.2, memoryMiB: 64 });
    expect(fw?.startCommands).toEqual(['echo started > /tmp/started']);
    expect(fw?.connectionPoints.map((c) => `${c.id}->${c.vdu}:${c.vduCp}`)).toEqual(['mgmt->vdu01:mgmt', 'input->vdu01:input', 'output->vdu01:output']);
    expect(pkg.files.find((f) => f.path === 'Definitions/nsd.yaml')?.contentType).toBe('application/vnd.5gtango.nsd');
  });

  it('serves single entries and refuses missing ones', async () => {
    const file = await build('examples/tango-chain', 'chain-entry.tgo');
    const nsd = await readPackageEntry(file, '/Definitions/nsd.yaml');
    expect(nsd.toString('utf8')).toContain('ns-chain');
    await expect(readPackageEntry(file, 'Definitions/nope.yaml')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('examples/sol004-csar', () => {
  it('reads back a SOL001 VNFD and an NSD that references it', async () => {
    const pkg = valid(await readPackageFile(await build('examples/sol004-csar', 'relay.csar')));
    expect(pkg.format).toBe('etsi-csar');
    expect(pkg.ref).toEqual({ vendor: 'eu.rondo', name: 'relay', version: '1.0' });
    const vnfd = pkg.vnfds[0];
    expect(vnfd?.vdus.map((v) => [v.id, v.image, v.imageFormat, v.vcpus, v.memoryMiB])).toEqual([
      ['front', 'vnf/busybox:latest', 'docker', 1, 64],
      ['back', 'vnf/busybox:latest', 'docker', 1, 123],
    ]);
    expect(vnfd?.connectionPoints.map((c) => `${c.id}->${c.vdu}:${c.vduCp}`)).toEqual(['ingress->front:front_ext_cp', 'egress->back:back_ext_cp']);
    expect(vnfd?.scalingAspects).toEqual([{ id: 'back_aspect', name: 'back_aspect', maxScaleLevel: 2, deltas: { back: 1 } }]);
    const nsd = pkg.nsds[0];
    expect(nsd?.vnfs).toEqual([{ vnfId: 'relay', vnfd: { descriptorId: vnfd?.descriptorId } }]);
    expect(nsd?.virtualLinks.map((l) => [l.id, l.type, l.cpRefs.map(formatCpRef)])).toEqual([
      ['vl_in', 'E-Line', ['relay:ingress', 'sap_in']],
      ['vl_out', 'E-LAN', ['relay:egress', 'sap_out']],
    ]);
  });

  it('rejects a changed file whose manifest digest no longer matches', async () => {
    const dir = join(tmp, 'csar-tamper');
    const built = await build('examples/sol004-csar', 'relay-ok.csar');
    const files = ['TOSCA-Metadata/TOSCA.meta', 'relay.mf', 'ChangeLog.txt', 'Definitions/relay_types.yaml', 'Definitions/relay_top.vnfd.yaml', 'Definitions/relay_ns.nsd.yaml'];
    const entries = await Promise.all(files.map(async (name) => ({ name, data: await readPackageEntry(built, name) })));
    const changed = entries.map((e) => (e.name === 'ChangeLog.txt' ? { ...e, data: Buffer.from('tampered') } : e));
    await writeFile(dir, rawZip(changed));
    const found = issues(await readPackageFile(dir));
    expect(found).toEqual([expect.objectContaining({ file: 'ChangeLog.txt', message: expect.stringContaining('checksum mismatch') })]);
  });
});

describe('invalid examples', () => {
  it('reports a broken CP reference with file and path, in links and in forwarding paths', async () => {
    const found = issues(await readPackageFile(await build('examples/invalid/broken-cp-ref', 'broken.tgo')));
    expect(found.map((i) => [i.file, i.path])).toEqual([
      ['Definitions/nsd.yaml', '/virtual_links/3/connection_points_reference/0'],
      ['Definitions/nsd.yaml', '/forwarding_graphs/0/network_forwarding_paths/0/connection_points/4/connection_point_ref'],
    ]);
  });

  it('reports an unknown VNFD unless the catalog knows it', async () => {
    const file = await build('examples/invalid/unknown-vnfd', 'unknown.tgo');
    expect(issues(await readPackageFile(file))).toEqual([expect.objectContaining({ file: 'Definitions/nsd.yaml', path: '/network_functions/2' })]);
    const asked: unknown[] = [];
    const pkg = valid(await readPackageFile(file, { resolveExternalVnfd: async (ref) => (asked.push(ref), true) }));
    expect(asked).toEqual([{ vendor: 'eu.rondo', name: 'vnf-server', version: '0.1' }]);
    expect(pkg.vnfds).toHaveLength(2);
  });

  it('reports a bad hash naming the file', async () => {
    const file = await zipVerbatim(join(root, 'examples/invalid/bad-hash'), join(tmp, 'bad-hash.tgo'));
    const found = issues(await readPackageFile(file));
    expect(found).toEqual([expect.objectContaining({ file: 'Definitions/vnfd-firewall.yaml', message: expect.stringContaining('TOSCA-Metadata/NAPD.yaml /package_content/2/hash') })]);
  });
});

describe('real-world-shaped packages', () => {
  it('5GTANGO tng-schema layout (NAPD named in a TOSCA.meta block, /-rooted and file:// sources) reads valid', async () => {
    const pkg = valid(await readPackageFile(await build('test/fixtures/packages/tng-ns-package', 'tng.tgo')));
    expect(pkg.format).toBe('tango');
    expect(pkg.nsds[0]?.forwardingGraphs[0]?.paths[0]?.hops.map(formatCpRef)).toEqual(['input', 'vnf0:input', 'vnf0:output', 'output']);
    expect(pkg.vnfds[0]?.vdus[0]).toMatchObject({ vcpus: 2, memoryMiB: 2048, storageGiB: 10 });
    expect(pkg.vnfds[0]?.startCommands).toEqual(['service nginx start']);
    expect(pkg.vnfds[0]?.stopCommands).toEqual(['service nginx stop']);
  });

  it('SONATA .son layout (META-INF/MANIFEST.MF, md5) reads valid', async () => {
    const pkg = valid(await readPackageFile(await build('test/fixtures/packages/sonata-demo', 'demo.son')));
    expect(pkg.format).toBe('sonata');
    expect(pkg.nsds[0]?.format).toBe('sonata');
    expect(pkg.vnfds.map((v) => v.ref.name).sort()).toEqual(['firewall-vnf', 'iperf-vnf']);
  });

  it('Tacker sample CSAR layout (top + flavour + types files, storage-borne image) reads valid', async () => {
    const pkg = valid(await readPackageFile(await build('test/fixtures/packages/tacker-csar', 'tacker.zip')));
    const vnfd = pkg.vnfds[0];
    expect(vnfd?.ref).toEqual({ vendor: 'Company', name: 'Sample VNF', version: '1.0' });
    expect(vnfd?.vdus.map((v) => [v.id, v.image, v.memoryMiB, v.storageGiB])).toEqual([
      ['VDU1', 'Software of VDU1', 489, 3],
      ['VDU2', 'VirtualStorage', 489, 3],
    ]);
    expect(vnfd?.connectionPoints).toEqual([{ id: 'virtual_link_external', type: 'external', vdu: 'VDU1', vduCp: 'CP1' }]);
  });
});

describe('single descriptor uploads', () => {
  it('reads a lone 5GTANGO VNFD and a lone SOL001 NSD', async () => {
    const vnfd = valid(await readDescriptorFile(join(root, 'examples/tango-chain/Definitions/vnfd-server.yaml')));
    expect(vnfd.vnfds[0]?.ref.name).toBe('vnf-server');
    const nsd = await readDescriptorFile(join(root, 'examples/sol004-csar/Definitions/relay_ns.nsd.yaml'));
    // Its VNF type file is not beside it: the import is reported, not thrown.
    expect(issues(nsd)[0]?.message).toContain('relay_types.yaml');
  });
});

describe('robustness', () => {
  it('random bytes and mutations of a valid package never make the reader throw', async () => {
    const good = await readFile(await build('examples/tango-chain', 'fuzz-base.tgo'));
    const target = join(tmp, 'fuzz.bin');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
          fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((muts) => {
            const b = Buffer.from(good);
            for (const [at, v] of muts) b[at] = v;
            return b;
          }),
          fc.nat(good.length).map((n) => good.subarray(0, n)),
        ),
        async (bytes) => {
          await writeFile(target, bytes);
          const r = await readPackageFile(target, { fileName: 'fuzz.tgo' });
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
    expect((await stat(target)).isFile()).toBe(true);
  }, 60_000);
});
