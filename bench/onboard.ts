// On-boarding benchmark: `npx tsx bench/onboard.ts [iterations]`.
// 1. A synthetic 5GTANGO package with 10 VNFDs on-boarded N times through app.inject on
//    PGlite (median/p95, target < 50 ms), against readPackageFile alone as the baseline.
// 2. A ~100 MiB package (random artifacts) streamed through a real listener with undici
//    while sampling RSS (peak growth, target < 64 MiB).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { buildPackage, readPackageFile } from '../src/packages/index.js';
import { openTestApp } from '../test/support/app.js';

const N = process.argv[2] && process.argv[2] !== '--stream' ? Number(process.argv[2]) : 50;
const MiB = 1024 * 1024;

const vnfd = (i: number) => `---
descriptor_version: "0.9"
descriptor_type: "eu.5gtango.vnfd"
vendor: "eu.bench"
name: "vnf-${i}"
version: "1.0"
author: "bench"
virtual_deployment_units:
  - id: "vdu01"
    vm_image: "vnf/busybox:latest"
    vm_image_format: "docker"
    resource_requirements:
      cpu: { vcpus: 1 }
      memory: { size: 64, size_unit: "MB" }
    connection_points:
      - { id: "mgmt", interface: "ipv4", type: "internal" }
      - { id: "input", interface: "ipv4", type: "internal" }
      - { id: "output", interface: "ipv4", type: "internal" }
virtual_links:
  - { id: "mgmt", connectivity_type: "E-LAN", connection_points_reference: ["vdu01:mgmt", "mgmt"] }
  - { id: "input", connectivity_type: "E-Line", connection_points_reference: ["vdu01:input", "input"] }
  - { id: "output", connectivity_type: "E-Line", connection_points_reference: ["vdu01:output", "output"] }
connection_points:
  - { id: "mgmt", interface: "ipv4", type: "management" }
  - { id: "input", interface: "ipv4", type: "external" }
  - { id: "output", interface: "ipv4", type: "external" }
`;

const nsd = (n: number) => {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const hops = ['input', ...ids.flatMap((i) => [`v${i}:input`, `v${i}:output`]), 'output'];
  const links = [];
  for (let h = 0; h < hops.length; h += 2) links.push(`  - { id: "l${h / 2}", connectivity_type: "E-Line", connection_points_reference: ["${hops[h]}", "${hops[h + 1]}"] }`);
  return `---
descriptor_version: "0.9"
descriptor_type: "eu.5gtango.nsd"
vendor: "eu.bench"
name: "ns-bench"
version: "1.0"
author: "bench"
network_functions:
${ids.map((i) => `  - { vnf_id: "v${i}", vnf_vendor: "eu.bench", vnf_name: "vnf-${i}", vnf_version: "1.0" }`).join('\n')}
connection_points:
  - { id: "mgmt", interface: "ipv4", type: "management" }
  - { id: "input", interface: "ipv4", type: "external" }
  - { id: "output", interface: "ipv4", type: "external" }
virtual_links:
  - { id: "mgmt", connectivity_type: "E-LAN", connection_points_reference: [${[...ids.map((i) => `"v${i}:mgmt"`), '"mgmt"'].join(', ')}] }
${links.join('\n')}
`;
};

/** Writes a 5GTANGO package source with `n` VNFDs and extra artifacts, then builds it. */
async function syntheticPackage(dir: string, n: number, artifacts: { name: string; bytes: number }[] = []): Promise<string> {
  const src = join(dir, `src-${n}-${artifacts.length}`);
  await mkdir(join(src, 'TOSCA-Metadata'), { recursive: true });
  await mkdir(join(src, 'Definitions'), { recursive: true });
  const content = [{ source: 'Definitions/nsd.yaml', type: 'application/vnd.5gtango.nsd' }];
  await writeFile(join(src, 'Definitions/nsd.yaml'), nsd(n));
  for (let i = 1; i <= n; i++) {
    await writeFile(join(src, `Definitions/vnfd-${i}.yaml`), vnfd(i));
    content.push({ source: `Definitions/vnfd-${i}.yaml`, type: 'application/vnd.5gtango.vnfd' });
  }
  for (const a of artifacts) {
    await mkdir(join(src, a.name, '..'), { recursive: true });
    await writeFile(join(src, a.name), randomBytes(a.bytes));
    content.push({ source: a.name, type: 'application/octet-stream' });
  }
  await writeFile(join(src, 'TOSCA-Metadata/TOSCA.meta'), 'TOSCA-Meta-Version: 1.0\nCSAR-Version: 1.0\nCreated-By: bench\nEntry-Definitions: TOSCA-Metadata/NAPD.yaml\n');
  await writeFile(
    join(src, 'TOSCA-Metadata/NAPD.yaml'),
    `---\ndescriptor_version: "0.9"\ndescriptor_type: "eu.5gtango.napd"\nvendor: "eu.bench"\nname: "bench-${n}-${artifacts.length}"\nversion: "1.0"\npackage_type: "application/vnd.5gtango.package.nsp"\nmaintainer: "bench"\npackage_content:\n${content.map((c) => `  - source: "${c.source}"\n    content-type: "${c.type}"`).join('\n')}\n`,
  );
  const out = join(dir, `bench-${n}-${artifacts.length}.tgo`);
  await buildPackage(src, out);
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Streams `big` through a real listener with undici and reports peak RSS growth. */
async function streamRun(big: string): Promise<void> {
  const size = (await stat(big)).size;
  const s = await openTestApp('pglite', 'bench-stream');
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  const address = s.app.server.address() as { port: number };
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const s0 = performance.now();
  const res = await request(`http://127.0.0.1:${address.port}/packages`, {
    method: 'POST',
    body: createReadStream(big),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
  });
  const text = await res.body.text();
  const s1 = performance.now();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  await s.close();
  console.log(`\nStreaming a ${(size / MiB).toFixed(1)} MiB package over HTTP (undici → Fastify → disk → on-board): ${res.statusCode} in ${ms(s1 - s0)}`);
  if (res.statusCode !== 201) console.log(`  answer: ${text.slice(0, 300)}`);
  const growth = (peak - base) / MiB;
  console.log(`peak RSS growth: ${growth.toFixed(1)} MiB (base ${(base / MiB).toFixed(0)} MiB, client and server in one process) → target < 64 MiB ${growth < 64 ? 'MET' : 'NOT MET'}`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-'));
  try {
    // ── 1. on-board latency ──
    const file = await syntheticPackage(dir, 10);
    const bytes = await readFile(file);
    const t = await openTestApp('pglite', 'bench');
    const onboard: number[] = [];
    const readOnly: number[] = [];
    for (let i = 0; i < N + 3; i++) {
      const r0 = performance.now();
      const parsed = await readPackageFile(file);
      const r1 = performance.now();
      if (!parsed.ok) throw new Error(`synthetic package invalid: ${JSON.stringify(parsed.error.slice(0, 3))}`);
      const a0 = performance.now();
      const res = await t.app.inject({ method: 'POST', url: '/admin/v1/packages', payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
      const a1 = performance.now();
      if (res.statusCode !== 201) throw new Error(`on-board failed: ${res.statusCode} ${res.body}`);
      // Delete (not timed) so the same vendor/name/version can be on-boarded again.
      await t.app.inject({ method: 'DELETE', url: `/admin/v1/packages/${res.json().id}` });
      if (i >= 3) {
        readOnly.push(r1 - r0);
        onboard.push(a1 - a0);
      }
    }
    await t.close();
    const rows = [
      ['on-board via API (inject, PGlite)', onboard],
      ['readPackageFile only (baseline)', readOnly],
    ] as const;
    console.log(`\nOn-boarding a 10-VNFD 5GTANGO package (${bytes.length} bytes), ${N} runs after 3 warm-up runs`);
    console.log('case                                  median      p95         ratio to baseline (median)');
    for (const [name, xs] of rows) console.log(`${name.padEnd(38)}${ms(pct(xs, 50)).padEnd(12)}${ms(pct(xs, 95)).padEnd(12)}${(pct(xs, 50) / pct(readOnly, 50)).toFixed(2)}x`);
    console.log(`target: median on-board < 50 ms → ${pct(onboard, 50) < 50 ? 'MET' : 'NOT MET'}`);

    // ── 2. streaming memory, measured in a fresh process (building the package here
    //    buffered 100 MiB, which would hide the server's growth inside a big heap) ──
    const big = await syntheticPackage(dir, 1, [
      { name: 'Artifacts/blob-a.bin', bytes: 50 * MiB },
      { name: 'Artifacts/blob-b.bin', bytes: 50 * MiB },
    ]);
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--stream', big], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`streaming run failed (${child.status})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--stream') await streamRun(process.argv[3] as string);
else await main();
