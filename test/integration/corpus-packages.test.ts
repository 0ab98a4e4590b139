import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkToscaDefinitions, parseYamlSafe } from '../../src/descriptors/index.js';
import { translateVnfdToHot } from '../../src/descriptors/etsi/hot/index.js';
import type { NsdVnf, ParsedPackage, Result, ValidationIssue, Vnfd } from '../../src/model/index.js';
import { packFolderTarGz, readDescriptorFile, readDescriptorFiles, readPackageEntry, readPackageFile } from '../../src/packages/index.js';

// Real upstream packages and descriptors (see ../shared/corpus/README.md), judged by Rondo's
// package reader (the function behind `rondo package validate` and the SOL005/admin uploads)
// against each project's own verdict in index.tsv. Read in place, never copied.
const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');
if (!existsSync(join(CORPUS, 'index.tsv'))) throw new Error(`the upstream corpus is missing: ${CORPUS}/index.tsv (expected next to the repository, at ../shared/corpus)`);

interface Row {
  readonly path: string;
  readonly format: string;
  readonly verdict: 'valid' | 'invalid';
}
const rows: Row[] = readFileSync(join(CORPUS, 'index.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [path = '', format = '', verdict = ''] = l.split('\t');
    if (verdict !== 'valid' && verdict !== 'invalid') throw new Error(`index.tsv: bad verdict "${verdict}" for ${path}`);
    return { path, format, verdict };
  });

const isOsm = (r: Row): boolean => r.format.startsWith('osm-sol006-');
// JSON schemas and 5GTANGO policies are not descriptors Rondo on-boards: only their YAML is read.
const isYamlOnly = (r: Row): boolean => r.format === 'json-schema(yaml)' || r.format === '5gtango-policy';

const yamlFiles = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/i.test(d.name)) out.push(p);
  }
  return out.sort();
};

/** The catalog a lone tng-schema example NSD is judged against: tng-schema's own example VNFDs. */
const exampleCatalog = async (): Promise<(ref: NsdVnf['vnfd']) => Promise<boolean>> => {
  const known = new Set<string>();
  for (const f of await yamlFiles(join(CORPUS, 'tango/tng-schema-examples/function-descriptor'))) {
    const d = parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    known.add(`${String(d['vendor'])}/${String(d['name'])}/${String(d['version'])}`);
  }
  return (ref) => Promise.resolve('descriptorId' in ref ? false : known.has(`${ref.vendor}/${ref.name}/${ref.version}`));
};

// OSM packages are folders in the corpus; users upload them as osmclient builds them: a
// `<folder>.tar.gz` with the folder inside. Built here, in a temp dir, never in the corpus.
const scratch = mkdtempSync(join(tmpdir(), 'rondo-corpus-osm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const osmTarGz = async (folder: string): Promise<string> => {
  const out = join(scratch, `${basename(folder)}-${Math.random().toString(36).slice(2)}.tar.gz`);
  await packFolderTarGz(folder, out);
  return out;
};

/**
 * The catalog an OSM NS package is judged against: the VNFDs of the corpus's OSM VNF
 * packages, on-boarded first as OSM requires (an NS package carries no VNFD).
 */
const osmCatalog = async (): Promise<(ref: NsdVnf['vnfd']) => Promise<Vnfd | undefined>> => {
  const byId = new Map<string, Vnfd>();
  for (const row of rows.filter((r) => r.format === 'osm-sol006-vnfd-pkg' || r.format === 'osm-sol006-knf-pkg')) {
    const r = await readPackageFile(await osmTarGz(join(CORPUS, row.path)));
    if (r.ok) for (const v of r.value.vnfds) byId.set(v.descriptorId, v);
  }
  return (ref) => Promise.resolve('descriptorId' in ref ? byId.get(ref.descriptorId) : undefined);
};

/** Reads one row the way Rondo meets it: a package upload, a descriptor upload, or a descriptor folder. */
const judge = async (row: Row): Promise<Result<unknown, ValidationIssue[]>> => {
  const abs = join(CORPUS, row.path);
  switch (row.format) {
    case 'osm-sol006-vnfd-pkg':
    case 'osm-sol006-knf-pkg':
      return readPackageFile(await osmTarGz(abs), { fileName: `${basename(abs)}.tar.gz` });
    case 'osm-sol006-nsd-pkg':
      return readPackageFile(await osmTarGz(abs), { fileName: `${basename(abs)}.tar.gz`, externalVnfd: await osmCatalog() });
    case 'etsi-sol004-csar(zip)':
    case 'sonata-son':
    case '5gtango-tgo':
      return readPackageFile(abs);
    case 'sol001-types': {
      // A type file is imported by descriptors, not on-boarded: it must parse and be a TOSCA definitions file.
      const parsed = parseYamlSafe(readFileSync(abs, 'utf8'), row.path);
      if (!parsed.ok) return parsed;
      const issues = checkToscaDefinitions(parsed.value, row.path);
      return issues.length > 0 ? { ok: false, error: issues } : { ok: true, value: parsed.value };
    }
    case 'sonata-nsd':
      // son-validate --service <nsd> --dpath functions/valid/ (son-cli's test_unit_validate.py).
      return readDescriptorFiles([abs, ...(await yamlFiles(join(CORPUS, 'tango/son-validate-samples/functions/valid')))], CORPUS);
    case 'sonata-vnfd(set)':
      return readDescriptorFiles(await yamlFiles(abs), CORPUS);
    case '5gtango-project': {
      // tng-sdk-project's project.yml lists the descriptors; other YAML beside them is not packaged.
      const project = parse(readFileSync(join(abs, 'project.yml'), 'utf8')) as { files?: Array<{ path: string; type: string }> };
      const listed = (project.files ?? []).filter((f) => /5gtango\.(nsd|vnfd)/.test(f.type)).map((f) => join(abs, f.path));
      return readDescriptorFiles(listed, CORPUS);
    }
    case '5gtango-nsd':
      return readDescriptorFile(abs, { fileName: row.path, resolveExternalVnfd: await exampleCatalog() });
    case '5gtango-vnfd':
      return readDescriptorFile(abs, { fileName: row.path });
    default:
      throw new Error(`index.tsv: format "${row.format}" of ${row.path} has no reader in this test; add one`);
  }
};

const render = (i: ValidationIssue): string => `${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`;

describe('upstream corpus', () => {
  it('judges every package and descriptor as its upstream project does', async () => {
    const osm = rows.filter(isOsm);
    const yamlOnly = rows.filter(isYamlOnly);
    const judged = rows.filter((r) => !isYamlOnly(r));
    expect(judged.length).toBeGreaterThan(40);

    const outcomes = await Promise.all(judged.map(async (row) => ({ row, r: await judge(row) })));
    const wrong: string[] = [];
    let validAccepted = 0;
    let invalidRefused = 0;
    for (const { row, r } of outcomes) {
      if (row.verdict === 'valid') {
        if (r.ok) validAccepted += 1;
        else wrong.push(`${row.path} (valid upstream) refused:\n    ${r.error.map(render).join('\n    ')}`);
        continue;
      }
      if (r.ok) {
        wrong.push(`${row.path} (invalid upstream) accepted`);
        continue;
      }
      // Every refusal names a file of the item and the field (a JSON pointer, or file:line:column for YAML).
      const unnamed = r.error.filter((i) => i.file === '' || (i.path === '' && !/:\d+:\d+/.test(i.message)));
      if (unnamed.length > 0) wrong.push(`${row.path} refused without naming file and field:\n    ${unnamed.map(render).join('\n    ')}`);
      else invalidRefused += 1;
    }

    // JSON schemas and policies: the YAML reader must read what PyYAML reads.
    for (const row of yamlOnly) {
      const r = parseYamlSafe(readFileSync(join(CORPUS, row.path), 'utf8'), row.path);
      if (!r.ok) wrong.push(`${row.path} (YAML) not read:\n    ${r.error.map(render).join('\n    ')}`);
    }

    const valid = judged.filter((r) => r.verdict === 'valid').length;
    const invalid = judged.length - valid;
    console.log(`corpus: ${validAccepted}/${valid} valid accepted (${osm.length} OSM SOL006 packages), ${invalidRefused}/${invalid} invalid refused, ${yamlOnly.length} schema/policy files read as YAML`);
    expect(wrong).toEqual([]);
    expect(osm.length).toBe(8);
  });

  it('refuses the invalid items for the reason upstream gives', async () => {
    const reasons: Record<string, RegExp> = {
      'etsi/csar_short_notation_for_artifacts_without_sw_image_data.zip': /VDU1\/properties\/sw_image_data: .*no sw_image_data/,
      'etsi/csar_multiple_sw_image_data_with_short_notation.zip': /VDU1\/artifacts: .*2 software image artifacts/,
      'tango/son-validate-samples/services/invalid_syntax.yml': /services\/invalid_syntax\.yml \/network_functionsX: unknown field/,
      'tango/son-validate-samples/services/invalid_integrity.yml': /services\/invalid_integrity\.yml \/network_functions\/0: VNFD eu\.sonata-nfv\/firewall\.vnf\/0\.3/,
      'tango/son-validate-samples/services/invalid_topology.yml': /services\/invalid_topology\.yml \/virtual_links\/\d+: E-Line "firewall-2-iperf" .*loop/,
      'tango/son-validate-samples/functions/invalid_syntax/': /invalid_syntax\/\S+\.yml \/(virtual_linksX|connection_pointsX|function_specific_managersX): unknown field/,
      'tango/son-validate-samples/functions/invalid_integrity/': /invalid_integrity\/\S+\.yml \/virtual_links\/\d+\/connection_points_reference\/\d+: "vdu0[36]" is not a VDU id/,
    };
    const invalid = rows.filter((r) => r.verdict === 'invalid');
    expect(invalid.map((r) => r.path).sort()).toEqual(Object.keys(reasons).sort());
    await Promise.all(
      invalid.map(async (row) => {
        const r = await judge(row);
        expect(r.ok, row.path).toBe(false);
        if (!r.ok) expect(r.error.map(render).join('\n'), row.path).toMatch(reasons[row.path] as RegExp);
      }),
    );
  });

  it('translates Tacker CSARs that carry ETSI\'s SOL001 v2.6.1 type files to HOT (rondo vnfd translate)', async () => {
    // The type files travel inside the CSAR; etsi_nfv_sol001_vnfd_types.yaml continues a flow
    // sequence at column 1, which heat-translator (PyYAML) reads.
    for (const [zip, entry, resources] of [
      ['etsi/vnflcm3.zip', 'Definitions/helloworld3.vnfd.tosca.yaml', ['VDU1', 'CP1', 'CP2', 'CP3']],
      ['etsi/test_enhanced_policy.zip', 'Definitions/sample_vnfd_top.yaml', ['VDU1_flavor', 'VDU1_scale', 'internalVL1']],
    ] as const) {
      const pkg = await readPackageFile(join(CORPUS, zip));
      if (!pkg.ok) throw new Error(pkg.error.map(render).join('\n'));
      const files = new Map<string, string>();
      for (const f of pkg.value.files.filter((x) => x.path.endsWith('.yaml'))) files.set(f.path, (await readPackageEntry(join(CORPUS, zip), f.path)).toString('utf8'));
      expect([...files.keys()], zip).toContain('Definitions/etsi_nfv_sol001_vnfd_types.yaml');
      const hot = translateVnfdToHot(files, { entry, flavour: 'simple' });
      expect(Object.keys(hot.main.resources), zip).toEqual(expect.arrayContaining([...resources]));
    }
  });

  it('keeps what upstream only warns about as warnings of an accepted package', async () => {
    // son-validate reports a stale MANIFEST.MF md5 as a warning; the package is on-boarded.
    const r = await readPackageFile(join(CORPUS, 'tango/packages/sonata-fw-vtc-service.son'));
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    const p: ParsedPackage = r.value;
    expect(p.warnings?.map(render).join('\n')).toMatch(/checksum mismatch: META-INF\/MANIFEST\.MF \/package_content\/0\/md5/);
    // Tacker's top-level + flavour split: the VNF's identity from the top file, the VDU from the flavour.
    const csar = await readPackageFile(join(CORPUS, 'etsi/vnflcm1.zip'));
    if (!csar.ok) throw new Error(csar.error.map(render).join('\n'));
    expect(csar.value.vnfds.map((v) => [v.ref.vendor, v.vdus.map((d) => d.id)])).toEqual([['Company', ['VDU1']]]);
  });
});

describe('OSM SOL006 packages of the corpus', () => {
  const read = async (name: string, catalog = true) => {
    const r = await readPackageFile(await osmTarGz(join(CORPUS, 'osm', name)), { fileName: `${name}.tar.gz`, ...(catalog ? { externalVnfd: await osmCatalog() } : {}) });
    if (!r.ok) throw new Error(r.error.map(render).join('\n'));
    return r.value;
  };

  it('map onto Rondo\'s model: VDUs, interfaces in order, links, flavours, scaling, cloud-init', async () => {
    const multi = await read('hackfest_multivdu_vnf');
    expect(multi.format).toBe('sol006');
    const vnfd = multi.vnfds[0];
    expect(vnfd?.file).toBe('hackfest_multivdu_vnf/hackfest_multivdu_vnfd.yaml');
    expect(vnfd?.vdus.map((v) => [v.id, v.image, v.vcpus, v.memoryMiB, v.storageGiB, v.connectionPoints.map((c) => `${c.id}:${c.type}${c.internalLink ? `@${c.internalLink}` : ''}`)])).toEqual([
      ['mgmtVM', 'ubuntu20.04', 1, 1024, 10, ['mgmtVM-eth0-int:management', 'mgmtVM-eth1-int:internal@internal']],
      ['dataVM', 'ubuntu20.04', 1, 1024, 10, ['dataVM-eth0-int:external', 'dataVM-xe0-int:internal@internal']],
    ]);
    expect(vnfd?.vdus[0]?.alternativeImages?.map((a) => a.vimType)).toEqual(['aws', 'azure', 'gcp']);
    expect(vnfd?.connectionPoints).toEqual([
      { id: 'vnf-mgmt-ext', type: 'management', vdu: 'mgmtVM', vduCp: 'mgmtVM-eth0-int' },
      { id: 'vnf-data-ext', type: 'external', vdu: 'dataVM', vduCp: 'dataVM-eth0-int' },
    ]);
    expect(vnfd?.internalLinks).toEqual([{ id: 'internal' }]);
    expect(vnfd?.deploymentFlavours?.[0]?.instantiationLevels).toEqual([{ id: 'default-instantiation-level', vduInstances: { mgmtVM: 1, dataVM: 1 } }]);

    const ns = (await read('hackfest_multivdu_ns')).nsds[0];
    expect(ns?.vnfs).toEqual([{ vnfId: '1', vnfd: { descriptorId: 'hackfest_multivdu-vnf' } }]);
    expect(ns?.virtualLinks.map((l) => [l.id, l.management, l.externalNetwork, l.cpRefs.map((r) => (r.kind === 'vnf' ? `${r.vnfId}:${r.cp}` : r.sap))])).toEqual([
      ['mgmtnet', true, 'osm-ext', ['1:vnf-mgmt-ext']],
      ['datanet', false, 'osm-ext', ['1:vnf-data-ext']],
    ]);

    const metrics = (await read('hackfest_basic_metrics_vnf')).vnfds[0];
    const vm = metrics?.vdus[0];
    expect(vm?.userData).toEqual({ content: readFileSync(join(CORPUS, 'osm/hackfest_basic_metrics_vnf/cloud_init/cloud-config'), 'utf8'), file: 'hackfest_basic_metrics_vnf/cloud_init/cloud-config' });
    expect([vm?.initialInstances, vm?.maxInstances]).toEqual([1, 2]);
    expect(metrics?.scalingAspects).toEqual([
      {
        id: 'vdu_autoscale', name: 'vdu_autoscale', maxScaleLevel: 1, deltas: { 'hackfest_basic_metrics-VM': 1 },
        triggers: [{ name: 'cpu_util_above_threshold', parameter: 'vnf_cpu_util', automatic: true, scaleOut: { operator: 'GT', threshold: 60 }, scaleIn: { operator: 'LT', threshold: 10 }, cooldownSeconds: 5, thresholdSeconds: 1 }],
      },
    ]);
    expect(metrics?.monitoringParameters.map((m) => m.metric)).toEqual(['cpu_utilization', 'average_memory_utilization', 'packets_sent', 'packets_received']);

    const knf = (await read('openldap_scale_knf')).vnfds[0];
    expect(knf?.vdus.map((v) => [v.id, v.imageFormat, v.image, v.initialInstances, v.maxInstances])).toEqual([['ldap', 'helm-chart', 'stable/openldap', 1, 10]]);
    expect(knf?.scalingAspects.map((a) => [a.id, a.maxScaleLevel, a.deltas])).toEqual([['scale-kdu', 10, { ldap: 2 }]]);
    expect((await read('autoheal_vnf')).vnfds[0]?.ref).toEqual({ vendor: 'TATA ELXSI', name: 'autoheal_vnfd', version: '1' });
  });

  /** A copy of a corpus package in a temp folder of the same name, edited by `edit`. */
  const brokenCopy = (name: string, edit: (dir: string) => void): string => {
    const dir = join(mkdtempSync(join(scratch, 'broken-')), name);
    cpSync(join(CORPUS, 'osm', name), dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const replaceIn = (file: string, from: string, to: string): void => {
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
    writeFileSync(file, text.replace(from, to));
  };

  it('refuses broken references, naming the file and the path', async () => {
    const dir = brokenCopy('hackfest_multivdu_vnf', (d) => {
      rmSync(join(d, 'checksums.txt'));
      const f = join(d, 'hackfest_multivdu_vnfd.yaml');
      replaceIn(f, '      cpd: dataVM-eth0-int', '      cpd: dataVM-eth9-int');
      replaceIn(f, '    virtual-compute-desc: dataVM-compute', '    virtual-compute-desc: dataVM-computer');
      replaceIn(f, "    sw-image-desc: ubuntu20.04\n    alternative-sw-image-desc:\n    - ubuntu20.04-aws\n    - ubuntu20.04-azure\n    - ubuntu20.04-gcp\n    virtual-compute-desc: dataVM", "    sw-image-desc: ubuntu22.04\n    alternative-sw-image-desc:\n    - ubuntu20.04-aws\n    - ubuntu20.04-azure\n    - ubuntu20.04-gcp\n    virtual-compute-desc: dataVM");
    });
    const r = await readPackageFile(await osmTarGz(dir), { fileName: 'hackfest_multivdu_vnf.tar.gz' });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.error.map(render).join('\n');
    const file = 'hackfest_multivdu_vnf/hackfest_multivdu_vnfd.yaml';
    expect(text).toContain(`${file} /vnfd/ext-cpd/1/int-cpd/cpd: ext-cpd "vnf-data-ext" names int-cpd "dataVM-eth9-int", which VDU "dataVM" does not have`);
    expect(text).toContain(`${file} /vnfd/vdu/1/sw-image-desc: VDU "dataVM" names sw-image-desc "ubuntu22.04", which is not an id of sw-image-desc`);
    expect(text).toContain(`${file} /vnfd/vdu/1/virtual-compute-desc: VDU "dataVM" names virtual-compute-desc "dataVM-computer"`);

    // An NS package whose VNFD is neither on-boarded nor in the package.
    const ns = await readPackageFile(await osmTarGz(join(CORPUS, 'osm/hackfest_multivdu_ns')), { fileName: 'ns.tar.gz', resolveExternalVnfd: () => Promise.resolve(false) });
    expect(ns.ok ? '' : ns.error.map(render).join('\n')).toContain('hackfest_multivdu_ns/hackfest_multivdu_nsd.yaml /nsd/nsd/0/df/0/vnf-profile/0/vnfd-id: VNFD descriptor_id hackfest_multivdu-vnf of member "1" is neither in the package nor on-boarded');
    // A CP the VNFD does not have.
    const cpDir = brokenCopy('autoheal_ns', (d) => {
      rmSync(join(d, 'checksums.txt'));
      replaceIn(join(d, 'autoheal_nsd.yaml'), 'constituent-cpd-id: vnf-cp0-ext', 'constituent-cpd-id: vnf-cp1-ext');
    });
    const cp = await readPackageFile(await osmTarGz(cpDir), { externalVnfd: await osmCatalog() });
    expect(cp.ok ? '' : cp.error.map(render).join('\n')).toContain('autoheal_ns/autoheal_nsd.yaml /nsd/nsd/0/df/0/vnf-profile/0/virtual-link-connectivity/0/constituent-cpd-id/0/constituent-cpd-id: VNF "autoheal-basic-1" (autoheal_vnfd) has no external connection point "vnf-cp1-ext"; it has: vnf-cp0-ext');
  });

  it('verifies checksums.txt when present', async () => {
    const dir = brokenCopy('autoheal_vnf', (d) => replaceIn(join(d, 'autoheal_vnfd.yaml'), 'cooldown-time: 180', 'cooldown-time: 181'));
    const r = await readPackageFile(await osmTarGz(dir), { fileName: 'autoheal_vnf.tar.gz' });
    expect(r.ok ? '' : r.error.map(render).join('\n')).toMatch(/autoheal_vnf\/autoheal_vnfd\.yaml: checksum mismatch: autoheal_vnf\/checksums\.txt \/line\/1 declares MD5 e482d035c1d3f13555231a47015e1100/);
  });
});
