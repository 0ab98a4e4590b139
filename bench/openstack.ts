// OpenStack instantiation benchmark: `npx tsx bench/openstack.ts [rounds]` (default 2).
// A 3-VNF SOL004 NS (the relay example three times in a row: sap_in → relay1 → relay2 →
// relay3 → sap_out) instantiated by Rondo on the local OpenStack through the lifecycle
// service on PGlite (NS networks, SAP servers, one Heat stack per VNF; timed from the
// instantiate call to COMPLETED), against the same three stacks (same templates and
// parameters, taken from Rondo's plan) created directly through the driver's Heat client,
// concurrently, then awaited. Rounds alternate; the table shows medians and the ratio
// (target ≤ 1.10). Needs the CI OpenStack (scripts/ensure-openstack.sh); cleans up after itself.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StackStepParams } from '../src/lifecycle/index.js';
import type { NetworkStepParams } from '../src/lifecycle/index.js';
import { createOpenStackVimDriver, glance, nova } from '../src/vim/openstack/index.js';
import { adminCredentials, adminSession, runId, uploadTestImage } from '../test/integration/openstack-support.js';
import { openOsNsHarness, pinAll } from '../test/integration/openstack-ns-support.js';

const ROUNDS = Number(process.argv[2] ?? 2);
const IMAGE = 'vnf/busybox:latest';
const run = runId();

/** The example package with an NSD of three relays in a row. */
async function threeVnfPackage(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rondo-bench-os-'));
  await cp('examples/sol004-csar', dir, { recursive: true });
  const nsdPath = join(dir, 'Definitions/relay_ns.nsd.yaml');
  const nsd = await readFile(nsdPath, 'utf8');
  const head = nsd.slice(0, nsd.indexOf('    relay:'));
  const relay = (i: number, ingress: string, egress: string): string => `    relay${i}:
      type: eu.rondo.relay.VNF
      properties:
        descriptor_id: 6a1c3e2b-7d2f-4f6e-9a0b-relay0000001
      requirements:
        - ingress: ${ingress}
        - egress: ${egress}
`;
  const sap = (id: string, link: string): string => `    ${id}:
      type: tosca.nodes.nfv.Sap
      properties:
        layer_protocols: [ ipv4 ]
      requirements:
        - internal_virtual_link: ${link}
`;
  const link = (id: string): string => `    ${id}:
      type: tosca.nodes.nfv.NsVirtualLink
      properties:
        connectivity_type:
          layer_protocols: [ ipv4 ]
          flow_pattern: Line
`;
  const body = [relay(1, 'vl_in', 'vl_12'), relay(2, 'vl_12', 'vl_23'), relay(3, 'vl_23', 'vl_out'), sap('sap_in', 'vl_in'), sap('sap_out', 'vl_out'), ...['vl_in', 'vl_12', 'vl_23', 'vl_out'].map(link)].join('\n');
  await writeFile(nsdPath, `${head.replace('NS with one relay VNF between two SAPs', 'NS with three relay VNFs in a row')}${body}`);
  return dir;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const api = await adminSession('bench-openstack');
  const flavorsBefore = new Set((await nova.listFlavors(api)).map((f) => f.name));
  const image = (await glance.findImage(api, { idOrName: IMAGE })) ? undefined : await uploadTestImage(api, IMAGE, [`rondo-bench-${run}`]);
  const pkgDir = await threeVnfPackage();
  const h = await openOsNsHarness({ packageDir: pkgDir, idPrefix: `bench${run}`, sapImage: IMAGE });
  const creds = adminCredentials();
  // A loaded CI box can take longer than the default 30 s per call (Nova's POST /servers).
  const account = await h.addAccount(`os-bench-${run}`, creds.authUrl, creds, { callTimeoutMs: 120_000 });
  const driver = createOpenStackVimDriver({ name: 'bench-direct', credentials: creds, popId: account.id, timeoutMs: 120_000 });
  const pins = pinAll(['relay1', 'relay2', 'relay3', 'sap_in', 'sap_out'], account.id);
  const rondo: number[] = [];
  const direct: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Rondo: the whole NS through the lifecycle.
      const ns = await h.service.createNs({ nsdId: h.nsdInfoId, nsName: `bench-${run}-${r}` });
      const t0 = performance.now();
      const op = await h.service.instantiate(ns.id, { pins });
      const done = await h.service.waitForOp(op.id, { timeoutMs: 900_000 });
      rondo.push(performance.now() - t0);
      if (done.operationState !== 'COMPLETED') throw new Error(`instantiate ended ${done.operationState}: ${JSON.stringify(done.error)}`);
      const steps = await h.service.listSteps(op.id);
      const stacks = steps.filter((s) => s.kind === 'stack').map((s) => s.params as unknown as StackStepParams);
      const nets = steps.filter((s) => s.kind === 'network').map((s) => s.params as unknown as NetworkStepParams);
      const term = await h.service.waitForOp((await h.service.terminate(ns.id)).id, { timeoutMs: 900_000 });
      if (term.operationState !== 'COMPLETED') throw new Error(`terminate ended ${term.operationState}: ${JSON.stringify(term.error)}`);

      // Direct: the same stacks on the same networks (made first, untimed), created concurrently then awaited.
      const labels = { 'rondo.ns': `bench-direct-${run}`, 'rondo.step': `round-${r}` };
      for (const n of nets) await driver.createNetwork({ name: n.name, subnet: n.subnet, gateway: n.gateway, labels }, undefined);
      const ids = new Map(await Promise.all(stacks.flatMap((s) => s.images).map(async (i) => [i, (await driver.imageId(i)) as string] as const)));
      const withIds = (doc: StackStepParams['template']): StackStepParams['template'] => ({
        ...doc,
        resources: Object.fromEntries(Object.entries(doc.resources).map(([k, v]) => [k, typeof v.properties?.['image'] === 'string' ? { ...v, properties: { ...v.properties, image: ids.get(v.properties['image']) } } : v])),
      });
      const t1 = performance.now();
      await Promise.all(stacks.map((s) => driver.createStack(`${s.name}-direct`, withIds(s.template), Object.fromEntries(Object.entries(s.files).map(([f, d]) => [f, withIds(d)])), s.parameters, labels)));
      await Promise.all(stacks.map((s) => driver.waitStack(`${s.name}-direct`)));
      direct.push(performance.now() - t1);
      await Promise.all(stacks.map((s) => driver.deleteStack(`${s.name}-direct`)));
      for (const n of nets) await driver.deleteNetwork(n.name);
      process.stderr.write(`round ${r + 1}/${ROUNDS}: rondo ${(rondo[r] as number / 1000).toFixed(1)} s, direct ${(direct[r] as number / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await h.close();
    await rm(pkgDir, { recursive: true, force: true });
    if (image) await glance.deleteImage(api, image.id);
    for (const f of await nova.listFlavors(api)) if (f.name.startsWith('rondo-c') && !flavorsBefore.has(f.name)) await nova.deleteFlavor(api, f.id);
  }
  const r = median(rondo);
  const d = median(direct);
  const rows = [
    ['Rondo: instantiate 3-VNF SOL004 NS (4 networks, 2 SAP servers, 3 stacks)', r],
    ['Heat API directly: the same 3 stacks, concurrent, awaited', d],
  ] as const;
  console.log(`\n| what (median of ${ROUNDS}) | seconds |\n| --- | ---: |`);
  for (const [what, ms] of rows) console.log(`| ${what} | ${(ms / 1000).toFixed(2)} |`);
  console.log(`| ratio Rondo / direct (target ≤ 1.10) | ${(r / d).toFixed(2)} |`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
