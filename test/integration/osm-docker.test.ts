import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { compose } from '../../src/app/index.js';
import { subnetAt } from '../../src/ipam/index.js';
import { packFolderTarGz } from '../../src/packages/index.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore } from '../support/store.js';

// An OSM NS with two VNFs and a management network, run on the local Docker engine through
// the PoP's image map: the corpus's hackfest_multivdu VNF package (2 VDUs on ubuntu20.04, a VM
// image), and an NS of two of it on mgmtnet (management) and datanet. The second vnf-profile
// allows 0 instances: UPDATE REMOVE_VNF takes it out and ADD_VNF brings it back (issue #16).
const run = promisify(execFile);
const docker = new Docker();
const OSM = resolve(import.meta.dirname, '../../../shared/corpus/osm');

const NSD = `nsd:
  nsd:
  - id: osm-two-vnf-ns
    name: osm-two-vnf-ns
    version: '1.0'
    vnfd-id:
    - hackfest_multivdu-vnf
    virtual-link-desc:
    - id: mgmtnet
      mgmt-network: true
    - id: datanet
    df:
    - id: default-df
      vnf-profile:
${['1', '2'].map((m) => `      - id: '${m}'
        vnfd-id: hackfest_multivdu-vnf${m === '2' ? `
        min-number-of-instances: 0
        max-number-of-instances: 1` : ''}
        virtual-link-connectivity:
        - virtual-link-profile-id: mgmtnet
          constituent-cpd-id:
          - {constituent-base-element-id: '${m}', constituent-cpd-id: vnf-mgmt-ext}
        - virtual-link-profile-id: datanet
          constituent-cpd-id:
          - {constituent-base-element-id: '${m}', constituent-cpd-id: vnf-data-ext}`).join('\n')}
`;

interface DockerApp {
  readonly app: RondoApp;
  readonly store: Store;
  readonly deps: AppDeps;
  close(): Promise<void>;
}

/** The real app with random ids and the worker running; IPAM from a random offset (other files share the engine). */
async function openDockerApp(): Promise<DockerApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-osm-docker-'));
  // Resource samples every 2 s (default 15) for the auto-scale policy; only the PoPs the tests add.
  const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir, logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 300, statsIntervalSeconds: 2, autoRegisterPops: false });
  const store = await openTestStore('pglite', 'osm-docker.test.ts');
  const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250 });
  const id = `reserved-${uuidGenerator.next()}`;
  const now = new Date();
  await store.db.insertInto('ns_instances').values({ id, name: 'reserved', description: '', nsd_id: '-', nsd_info_id: '-', state: 'NOT_INSTANTIATED', tenant: 'test', created_at: now, updated_at: now }).execute();
  const offset = 40 + Math.floor(Math.random() * 180);
  await store.db.insertInto('ip_allocations').values(Array.from({ length: offset }, (_, i) => ({ pool: 'elan', subnet: subnetAt('elan', i), subnet_index: i, ns_instance_id: id, link_id: `elan-${i}`, allocated_at: now }))).execute();
  // The worker and monitoring (PoP watchers, the stats sampler, the policy engines).
  await c.start({ worker: true, reconciler: false, monitoring: true, plugins: false });
  return {
    app: c.app as RondoApp, store, deps: c.deps,
    close: async () => {
      await c.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const leftovers = async (nsId: string) => {
  const filters = { label: [`rondo.ns=${nsId}`] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return { containers: containers.length, networks: networks.length };
};
const sweep = async (nsId: string) => {
  const filters = { label: [`rondo.ns=${nsId}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
};

let dir: string;
/** Creates a SOL005 package resource at `create` and uploads the .tar.gz `file` (of `dir`) as its `content`; its id. */
async function uploadPackage(t: DockerApp, create: string, content: string, file: string): Promise<string> {
  const id = (await t.app.inject({ method: 'POST', url: create, payload: {} })).json().id as string;
  const r = await t.app.inject({ method: 'PUT', url: `${create}/${id}/${content}`, payload: await readFile(join(dir, file)), headers: { 'content-type': 'application/gzip' } });
  expect(r.statusCode, r.body).toBe(202);
  return id;
}
beforeAll(async () => {
  await docker.ping();
  await run('bash', ['scripts/build-vnf-images.sh']);
  dir = await mkdtemp(join(tmpdir(), 'rondo-osm-docker-pkg-'));
  await packFolderTarGz(join(OSM, 'hackfest_multivdu_vnf'), join(dir, 'vnf.tar.gz'));
  await mkdir(join(dir, 'osm_two_vnf_ns'));
  await writeFile(join(dir, 'osm_two_vnf_ns', 'osm_two_vnf_nsd.yaml'), NSD);
  await packFolderTarGz(join(dir, 'osm_two_vnf_ns'), join(dir, 'ns.tar.gz'));
  await packFolderTarGz(join(OSM, 'hackfest_basic_metrics_vnf'), join(dir, 'metrics-vnf.tar.gz'));
  await packFolderTarGz(join(OSM, 'hackfest_basic_metrics_ns'), join(dir, 'metrics-ns.tar.gz'));
}, 120_000);
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

describe('an OSM NS of two VNFs on Docker through the image map', () => {
  let t: DockerApp;
  let nsId: string | undefined;
  const pop = `osm-${uuidGenerator.next().slice(0, 8)}`;
  beforeAll(async () => {
    t = await openDockerApp();
  }, 60_000);
  afterAll(async () => {
    if (nsId) await sweep(nsId);
    await t?.close();
  });

  it('instantiates with containers running and addressed, the VNFs reach each other on datanet; REMOVE_VNF and ADD_VNF take the second out and back; termination leaves nothing', async () => {
    const inject = t.app.inject.bind(t.app);
    const upload = (create: string, content: string, file: string) => uploadPackage(t, create, content, file);
    await upload('/vnfpkgm/v1/vnf_packages', 'package_content', 'vnf.tar.gz');
    const nsdInfoId = await upload('/nsd/v1/ns_descriptors', 'nsd_content', 'ns.tar.gz');
    expect((await inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: pop, type: 'docker', endpoint: 'unix:///var/run/docker.sock' } })).statusCode).toBe(201);
    nsId = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsdInfoId, nsName: 'osm-two' } })).json().id as string;
    const body = { nsFlavourId: 'default-df', additionalParamsForNs: { pins: { '1': pop, '2': pop } } };

    // Without an image map entry for ubuntu20.04: 422 before anything exists.
    const refused = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: body });
    expect([refused.statusCode, refused.json().code, refused.json().image, refused.json().popId]).toEqual([422, 'PLAN_IMAGE_UNMAPPED', 'ubuntu20.04', pop]);
    expect(await leftovers(nsId)).toEqual({ containers: 0, networks: 0 });

    const patched = await inject({ method: 'PATCH', url: `/admin/v1/vims/${pop}`, payload: { imageMap: { 'ubuntu20.04': 'vnf/busybox:latest' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const started = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: body });
    expect(started.statusCode, started.body).toBe(202);
    const op = await t.deps.services.lifecycle.waitForOp(String(started.headers.location).split('/').pop() as string, { timeoutMs: 180_000 });
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');

    // Two VNFs × two VDUs, each a running busybox container with the addresses Rondo recorded.
    const rows = await t.store.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', '=', nsId).execute();
    expect(rows.map((r) => r.member_id).sort()).toEqual(['1', '2']);
    const dataAddress: Record<string, { container: string; address: string }> = {};
    for (const r of rows) {
      expect(r.compute_ids).toHaveLength(2);
      for (const id of r.compute_ids) {
        const info = await docker.getContainer(id).inspect();
        expect(info.State.Running).toBe(true);
        expect(info.Config.Image).toBe('vnf/busybox:latest');
        expect(info.HostConfig.Memory).toBe(1024 * 2 ** 20);
      }
      const itfs = r.interfaces as { cp: string; linkId: string; address: string; computeId?: string }[];
      expect(itfs.map((i) => [i.cp, i.linkId])).toEqual(expect.arrayContaining([['vnf-mgmt-ext', 'mgmtnet'], ['vnf-data-ext', 'datanet']]));
      const data = itfs.find((i) => i.linkId === 'datanet');
      const onEngine = await Promise.all(r.compute_ids.map(async (id) => ({ id, addrs: Object.values((await docker.getContainer(id).inspect()).NetworkSettings.Networks).map((n) => n.IPAMConfig?.IPv4Address ?? n.IPAddress) })));
      const holder = onEngine.find((c) => c.addrs.includes(data?.address ?? '-'));
      expect(holder, JSON.stringify(onEngine)).toBeDefined();
      dataAddress[r.member_id] = { container: holder?.id as string, address: data?.address as string };
    }
    const ns = (await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    expect(ns.nsState).toBe('INSTANTIATED');

    // VNF 1's data VDU reaches VNF 2's on their shared link.
    const driver = t.deps.services.vimRegistry?.get(pop);
    const ping = await driver?.exec(dataAddress['1']?.container as string, ['ping', '-c', '2', '-W', '2', dataAddress['2']?.address as string]);
    expect(ping?.exitCode, ping?.stdout).toBe(0);

    // UPDATE REMOVE_VNF: VNF 1's profile has no minimum (1: refused), VNF 2's allows 0: its containers and record go.
    const update = async (payload: object) => {
      const r = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/update`, payload });
      expect(r.statusCode, r.body).toBe(202);
      return t.deps.services.lifecycle.waitForOp(String(r.headers.location).split('/').pop() as string, { timeoutMs: 120_000 });
    };
    const vnfIds = Object.fromEntries(rows.map((r) => [r.member_id, r.id]));
    const two = rows.find((r) => r.member_id === '2');
    const kept = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/update`, payload: { updateType: 'REMOVE_VNF', removeVnfInstanceId: [vnfIds['1']] } });
    expect([kept.statusCode, kept.json().code]).toEqual([422, 'VNF_NOT_REMOVABLE']);
    const removed = await update({ updateType: 'REMOVE_VNF', removeVnfInstanceId: [vnfIds['2']] });
    expect(removed.operationState, JSON.stringify(removed.error)).toBe('COMPLETED');
    for (const id of two?.compute_ids ?? []) await expect(docker.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const members = async () => (await t.store.db.selectFrom('vnf_instances').select('member_id').where('ns_instance_id', '=', nsId as string).execute()).map((r) => r.member_id).sort();
    expect(await members()).toEqual(['1']);
    expect(await leftovers(nsId)).toEqual({ containers: 2, networks: 2 });
    // ADD_VNF by vnf profile: two running containers again, with the data address it had; VNF 1 reaches it.
    const added = await update({ updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: vnfIds['2'], vnfProfileId: '2' }] });
    expect(added.operationState, JSON.stringify(added.error)).toBe('COMPLETED');
    expect(await members()).toEqual(['1', '2']);
    const back = await t.store.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', '=', nsId).where('member_id', '=', '2').executeTakeFirstOrThrow();
    expect(back.compute_ids).toHaveLength(2);
    for (const id of back.compute_ids) expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
    expect((back.interfaces as { linkId: string; address: string }[]).find((i) => i.linkId === 'datanet')?.address).toBe(dataAddress['2']?.address);
    const again = await driver?.exec(dataAddress['1']?.container as string, ['ping', '-c', '2', '-W', '2', dataAddress['2']?.address as string]);
    expect(again?.exitCode, again?.stdout).toBe(0);

    const term = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, payload: {} });
    const termOp = await t.deps.services.lifecycle.waitForOp(String(term.headers.location).split('/').pop() as string, { timeoutMs: 120_000 });
    expect(termOp.operationState).toBe('COMPLETED');
    expect(await leftovers(nsId)).toEqual({ containers: 0, networks: 0 });
  });

  it("the metrics NS's autoscale policy: CPU burners in its VNF bring a SCALE_OUT by themselves, idle brings it back in after the cooldown", async () => {
    const inject = t.app.inject.bind(t.app);
    const upload = (create: string, content: string, file: string) => uploadPackage(t, create, content, file);
    await upload('/vnfpkgm/v1/vnf_packages', 'package_content', 'metrics-vnf.tar.gz');
    const nsdInfoId = await upload('/nsd/v1/ns_descriptors', 'nsd_content', 'metrics-ns.tar.gz');
    const id = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsdInfoId, nsName: 'osm-metrics' } })).json().id as string;
    nsId = id;
    const started = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${id}/instantiate`, payload: { nsFlavourId: 'default-df', additionalParamsForNs: { pins: { vnf: pop } } } });
    expect(started.statusCode, started.body).toBe(202);
    const lifecycle = t.deps.services.lifecycle;
    expect((await lifecycle.waitForOp(String(started.headers.location).split('/').pop() as string, { timeoutMs: 180_000 })).operationState).toBe('COMPLETED');
    const containers = async () => (await docker.listContainers({ filters: { label: [`rondo.ns=${id}`] } })).map((c) => c.Id);
    expect(await containers()).toHaveLength(1);

    // The descriptor's policy scales out above 60 % of one CPU; on a loaded 2-core machine two
    // busy loops may get less than that, so this instance's threshold is set lower (as an operator would).
    const policy = `auto-scale-vnf-cpu_util_above_threshold`;
    const set = await inject({ method: 'PUT', url: `/admin/v1/ns_instances/${id}/policies/${policy}`, payload: { scaleOutThreshold: 20 } });
    expect([set.statusCode, set.json().scaleInThreshold, set.json().cooldownSeconds]).toEqual([200, 10, 5]);
    const [vm] = await containers();
    await run('docker', ['exec', '-d', vm as string, 'sh', '-c', 'while :; do :; done & echo $! >> /tmp/burn; while :; do :; done & echo $! >> /tmp/burn; wait']);

    // Bounded polls of the real outcome: an automatic SCALE completed and Docker runs the added instance.
    const automatic = async (n: number) => {
      for (let i = 0; i < 600; i++) {
        const ops = (await lifecycle.listOps({ nsInstanceId: id })).filter((o) => o.lcmOperationType === 'SCALE' && o.isAutomaticInvocation);
        const failed = ops.find((o) => o.operationState !== 'COMPLETED' && o.operationState !== 'PROCESSING');
        if (failed) throw new Error(`automatic SCALE ${failed.id} is ${failed.operationState}: ${JSON.stringify(failed.error)}`);
        if (ops.length >= n && ops.every((o) => o.operationState === 'COMPLETED')) return ops;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`no ${n} automatic SCALE operations completed within 150 s`);
    };
    const [out] = await automatic(1);
    expect(out?.operationParams).toMatchObject({ scaleVnfData: [{ scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'vdu_autoscale', additionalParams: { policyId: policy, metric: 'cpu_utilization' } } }] });
    expect(await containers()).toHaveLength(2);
    const ns = async () => (await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${id}` })).json().vnfInstance[0].instantiatedVnfInfo;
    expect((await ns()).scaleStatus).toEqual([{ aspectId: 'vdu_autoscale', scaleLevel: 1 }]);

    // The burners stop: the mean falls under 10 % and, after the 5 s cooldown, the policy scales back in.
    await run('docker', ['exec', vm as string, 'sh', '-c', 'kill $(cat /tmp/burn)']);
    const ops = await automatic(2);
    expect(ops.map((o) => (o.operationParams as { scaleVnfData: { scaleVnfType: string }[] }).scaleVnfData[0]?.scaleVnfType).sort()).toEqual(['SCALE_IN', 'SCALE_OUT']);
    expect(await containers()).toEqual([vm]);
    expect((await ns()).scaleStatus).toEqual([{ aspectId: 'vdu_autoscale', scaleLevel: 0 }]);
    const [scaleIn] = ops.filter((o) => o.id !== out?.id);
    // The cooldown runs from the moment the policy fired the scale out.
    const firedAt = (op: typeof out) => Date.parse((op?.operationParams as { scaleVnfData: { scaleByStepData: { additionalParams: { firedAt: string } } }[] }).scaleVnfData[0]?.scaleByStepData.additionalParams.firedAt as string);
    expect(firedAt(scaleIn) - firedAt(out)).toBeGreaterThanOrEqual(5000);

    const term = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${id}/terminate`, payload: {} });
    expect((await lifecycle.waitForOp(String(term.headers.location).split('/').pop() as string, { timeoutMs: 120_000 })).operationState).toBe('COMPLETED');
    expect(await leftovers(id)).toEqual({ containers: 0, networks: 0 });
  });
});
