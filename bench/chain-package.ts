import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPackage } from '../src/packages/index.js';

/** The relay VNFs' start command (SON_EMU_CMD). */
export const CHAIN_START = 'echo started > /tmp/started';

/**
 * A 5GTANGO package: SAP in → v0 → … → v(n-1) → SAP out over E-Lines, with a forwarding
 * path; `vduExtra` lines are added to the relay VDU (indented 4 spaces: e.g. a monitoring_policy).
 */
export async function chainPackage(dir: string, n: number, vduExtra: readonly string[] = []): Promise<string> {
  const src = join(dir, `chain-${n}`);
  await mkdir(join(src, 'Definitions'), { recursive: true });
  await mkdir(join(src, 'TOSCA-Metadata'), { recursive: true });
  await writeFile(join(src, 'TOSCA-Metadata/TOSCA.meta'), 'TOSCA-Meta-Version: 1.0\nCSAR-Version: 1.0\nCreated-By: Rondo bench\nEntry-Definitions: TOSCA-Metadata/NAPD.yaml\n');
  await writeFile(join(src, 'TOSCA-Metadata/NAPD.yaml'), [
    '---', 'descriptor_version: "0.9"', 'descriptor_type: "eu.5gtango.napd"', 'vendor: "eu.rondo.bench"', `name: "chain-${n}"`, 'version: "0.1"',
    'package_type: "application/vnd.5gtango.package.nsp"', 'maintainer: "bench"', 'package_content:',
    '  - source: "Definitions/nsd.yaml"', '    content-type: "application/vnd.5gtango.nsd"',
    '  - source: "Definitions/vnfd-relay.yaml"', '    content-type: "application/vnd.5gtango.vnfd"', '',
  ].join('\n'));
  await writeFile(join(src, 'Definitions/vnfd-relay.yaml'), [
    '---', 'descriptor_version: "0.9"', 'descriptor_type: "eu.5gtango.vnfd"', 'vendor: "eu.rondo.bench"', 'name: "relay"', 'version: "0.1"',
    'virtual_deployment_units:', '  - id: "vdu01"', '    vm_image: "vnf/busybox:latest"', '    vm_image_format: "docker"',
    '    resource_requirements:', '      cpu:', '        vcpus: 1', '        cpu_bw: 0.1', '      memory:', '        size: 32', '        size_unit: "MB"',
    '    connection_points:', '      - id: "input"', '        interface: "ipv4"', '        type: "internal"', '      - id: "output"', '        interface: "ipv4"', '        type: "internal"',
    '    environment:', `      SON_EMU_CMD: "${CHAIN_START}"`, ...vduExtra,
    'virtual_links:',
    '  - id: "input"', '    connectivity_type: "E-Line"', '    connection_points_reference: ["vdu01:input", "input"]',
    '  - id: "output"', '    connectivity_type: "E-Line"', '    connection_points_reference: ["vdu01:output", "output"]',
    'connection_points:', '  - id: "input"', '    interface: "ipv4"', '    type: "external"', '  - id: "output"', '    interface: "ipv4"', '    type: "external"', '',
  ].join('\n'));
  const v = Array.from({ length: n }, (_, i) => `v${i}`);
  const links = [['in', 'v0:input'], ...v.slice(1).map((x, i) => [`v${i}:output`, `${x}:input`]), [`v${n - 1}:output`, 'out']];
  const path = ['in', ...v.flatMap((x) => [`${x}:input`, `${x}:output`]), 'out'];
  await writeFile(join(src, 'Definitions/nsd.yaml'), [
    '---', 'descriptor_version: "0.9"', 'descriptor_type: "eu.5gtango.nsd"', 'vendor: "eu.rondo.bench"', `name: "ns-chain-${n}"`, 'version: "0.1"',
    'network_functions:', ...v.flatMap((x) => [`  - vnf_id: "${x}"`, '    vnf_vendor: "eu.rondo.bench"', '    vnf_name: "relay"', '    vnf_version: "0.1"']),
    'connection_points:', '  - id: "in"', '    interface: "ipv4"', '    type: "external"', '  - id: "out"', '    interface: "ipv4"', '    type: "external"',
    'virtual_links:', ...links.flatMap(([a, b], i) => [`  - id: "l${i}"`, '    connectivity_type: "E-Line"', `    connection_points_reference: ["${a}", "${b}"]`]),
    'forwarding_graphs:', '  - fg_id: "fg01"', '    number_of_endpoints: 2', `    number_of_virtual_links: ${links.length}`,
    `    constituent_virtual_links: [${links.map((_, i) => `"l${i}"`).join(', ')}]`, `    constituent_vnfs: [${v.map((x) => `"${x}"`).join(', ')}]`,
    '    network_forwarding_paths:', '      - fp_id: "fg01:fp01"', '        policy: "none"', '        connection_points:',
    ...path.flatMap((p, i) => [`          - connection_point_ref: "${p}"`, `            position: ${i + 1}`]), '',
  ].join('\n'));
  const file = join(dir, `chain-${n}.tgo`);
  await buildPackage(src, file);
  return file;
}
