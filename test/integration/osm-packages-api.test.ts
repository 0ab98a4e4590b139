import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFolderTarGz } from '../../src/packages/index.js';
import { openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { STORE_KINDS } from '../support/store.js';

// The OSM packages of the upstream corpus (../shared/corpus/osm), on-boarded through the
// SOL005 APIs as OSM users upload them: VNF packages first (`osm vnfd-create`), then the NS
// packages that name their VNFDs (`osm nsd-create`), each as `<folder>.tar.gz`.
const OSM = resolve(import.meta.dirname, '../../../shared/corpus/osm');
if (!existsSync(OSM)) throw new Error(`the upstream corpus is missing: ${OSM}`);
const VNF_PACKAGES = ['hackfest_multivdu_vnf', 'hackfest_basic_metrics_vnf', 'autoheal_vnf', 'openldap_scale_knf'];
const NS_PACKAGES = ['hackfest_multivdu_ns', 'hackfest_basic_metrics_ns', 'autoheal_ns', 'openldap_scale_ns'];

let dir: string;
const tgz: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rondo-osm-api-'));
  for (const name of [...VNF_PACKAGES, ...NS_PACKAGES]) {
    tgz[name] = join(dir, `${name}.tar.gz`);
    await packFolderTarGz(join(OSM, name), tgz[name] as string);
  }
  // An NS package whose vnf-profile names a VNFD that is neither on-boarded nor in it.
  const broken = join(dir, 'broken', 'hackfest_multivdu_ns');
  cpSync(join(OSM, 'hackfest_multivdu_ns'), broken, { recursive: true });
  const nsd = join(broken, 'hackfest_multivdu_nsd.yaml');
  writeFileSync(nsd, readFileSync(nsd, 'utf8').replace('vnfd-id: hackfest_multivdu-vnf\n    id:', 'vnfd-id: hackfest_multivdu-vnf-v2\n    id:').replaceAll('- hackfest_multivdu-vnf\n', '- hackfest_multivdu-vnf-v2\n'));
  await rm(join(broken, 'checksums.txt'));
  tgz['broken'] = join(dir, 'broken.tar.gz');
  await packFolderTarGz(broken, tgz['broken']);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe.each(STORE_KINDS)('OSM SOL006 packages through the SOL005 APIs on %s', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await openTestApp(kind, `osm-packages-${kind}`);
  });
  afterAll(async () => t?.close());
  const inject = (opts: InjectOptions) => t.app.inject(opts);
  const gzipPut = async (url: string, file: string) => inject({ method: 'PUT', url, payload: await readFile(file), headers: { 'content-type': 'application/gzip' } });

  it('on-boards the VNF packages (.tar.gz) as VnfPkgInfos, the KNF included', async () => {
    for (const name of VNF_PACKAGES) {
      const c = await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: {} });
      const id = c.json().id as string;
      const put = await gzipPut(`/vnfpkgm/v1/vnf_packages/${id}/package_content`, tgz[name] as string);
      expect(put.statusCode, `${name}: ${put.body}`).toBe(202);
      ids[name] = id;
    }
    const multi = (await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${ids['hackfest_multivdu_vnf']}` })).json();
    expect(multi).toMatchObject({ vnfdId: 'hackfest_multivdu-vnf', vnfProductName: 'hackfest_multivdu-vnf', onboardingState: 'ONBOARDED' });
    // The descriptor as uploaded (one file), the package as uploaded (gzip), and a cloud-init artifact.
    const vnfd = await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${ids['hackfest_multivdu_vnf']}/vnfd`, headers: { accept: 'text/plain' } });
    expect(vnfd.body).toBe(readFileSync(join(OSM, 'hackfest_multivdu_vnf/hackfest_multivdu_vnfd.yaml'), 'utf8'));
    const content = await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${ids['hackfest_multivdu_vnf']}/package_content` });
    expect([content.headers['content-type'], gunzipSync(content.rawPayload).length > 0]).toEqual(['application/gzip', true]);
    const init = await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${ids['hackfest_basic_metrics_vnf']}/artifacts/hackfest_basic_metrics_vnf/cloud_init/cloud-config` });
    expect(init.body).toContain('#cloud-config');
    const knf = (await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${ids['openldap_scale_knf']}` })).json();
    expect(knf).toMatchObject({ vnfdId: 'openldap_scale_knf', onboardingState: 'ONBOARDED' });
  });

  it('on-boards the NS packages against the on-boarded VNFDs; the model carries what SOL006 describes', async () => {
    for (const name of NS_PACKAGES) {
      const c = await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} });
      const id = c.json().id as string;
      const put = await gzipPut(`/nsd/v1/ns_descriptors/${id}/nsd_content`, tgz[name] as string);
      expect(put.statusCode, `${name}: ${put.body}`).toBe(202);
      ids[name] = id;
    }
    const ns = (await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${ids['hackfest_multivdu_ns']}` })).json();
    expect(ns).toMatchObject({ nsdId: 'hackfest_multivdu-ns', nsdName: 'hackfest_multivdu-ns', nsdOnboardingState: 'ONBOARDED', vnfPkgIds: [ids['hackfest_multivdu_vnf']] });
    const text = await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${ids['hackfest_multivdu_ns']}/nsd_content`, headers: { accept: 'text/plain' } });
    expect(text.body).toContain('hackfest_multivdu-ns');
    const zip = await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${ids['hackfest_multivdu_ns']}/nsd_content`, headers: { accept: 'application/zip' } });
    expect([zip.statusCode, zip.headers['content-type'], zip.rawPayload.subarray(0, 2).toString()]).toEqual([200, 'application/zip', 'PK']);

    const model = (await inject({ method: 'GET', url: `/admin/v1/ns_descriptors/${ids['hackfest_basic_metrics_ns']}/model` })).json();
    expect(model.nsd).toMatchObject({ format: 'sol006', vnfs: [{ vnfId: 'vnf', vnfd: { descriptorId: 'hackfest_basic_metrics-vnf' } }], virtualLinks: [{ id: 'mgmtnet', management: true }] });
    const vnfd = model.vnfds[0].vnfd;
    expect(vnfd.vdus[0]).toMatchObject({ vcpus: 1, memoryMiB: 1024, storageGiB: 10, userData: { file: 'hackfest_basic_metrics_vnf/cloud_init/cloud-config' } });
    expect(vnfd.scalingAspects[0]).toMatchObject({ id: 'vdu_autoscale', deltas: { 'hackfest_basic_metrics-VM': 1 }, triggers: [{ parameter: 'vnf_cpu_util', automatic: true }] });
    expect(vnfd.deploymentFlavours[0]).toMatchObject({ id: 'default-df', instantiationLevels: [{ id: 'default-instantiation-level', vduInstances: { 'hackfest_basic_metrics-VM': 1 } }] });
    const knf = (await inject({ method: 'GET', url: `/admin/v1/ns_descriptors/${ids['openldap_scale_ns']}/model` })).json();
    expect(knf.vnfds[0].vnfd.vdus).toMatchObject([{ id: 'ldap', imageFormat: 'helm-chart', image: 'stable/openldap' }]);
  });

  it('refuses an NS package naming a VNFD neither on-boarded nor in it, naming the file and the path', async () => {
    const c = await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} });
    const put = await gzipPut(`/nsd/v1/ns_descriptors/${c.json().id}/nsd_content`, tgz['broken'] as string);
    expect(put.statusCode).toBe(422);
    expect(put.json().issues).toContainEqual({
      file: 'hackfest_multivdu_ns/hackfest_multivdu_nsd.yaml',
      path: '/nsd/nsd/0/df/0/vnf-profile/0/vnfd-id',
      message: expect.stringContaining('VNFD descriptor_id hackfest_multivdu-vnf-v2 of member "1" is neither in the package nor on-boarded'),
    });
    const after = (await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${c.json().id}` })).json();
    expect(after.nsdOnboardingState).toBe('ERROR');
  });

  it('takes a lone SOL006 VNFD in JSON through the admin API', async () => {
    const doc = { vnfd: { id: 'json-vnf', 'product-name': 'json-vnf', version: '1.0', vdu: [{ id: 'vm', 'sw-image-desc': 'img', 'virtual-compute-desc': 'c', 'int-cpd': [{ id: 'eth0' }] }], 'sw-image-desc': [{ id: 'img', image: 'busybox' }], 'virtual-compute-desc': [{ id: 'c' }], 'ext-cpd': [{ id: 'eth0-ext', 'int-cpd': { 'vdu-id': 'vm', cpd: 'eth0' } }] } };
    const r = await inject({ method: 'POST', url: '/admin/v1/packages', payload: JSON.stringify(doc), headers: { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="json_vnfd.json"' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ format: 'sol006', vnfds: [{ name: 'json-vnf' }] });
    // Served back as uploaded: the VNF package's one file is the descriptor.
    const vnfPkgId = r.json().vnfds[0].id as string;
    const vnfd = await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}/vnfd`, headers: { accept: 'text/plain' } });
    expect(JSON.parse(vnfd.body)).toEqual(doc);
  });

  it('Docker image map: an unmapped VM image is a 422 naming image and PoP before anything is created; a KNF needs Kubernetes', async () => {
    expect((await inject({ method: 'POST', url: '/admin/v1/vims?check=false', payload: { name: 'osm-docker', type: 'docker', endpoint: 'unix:///var/run/docker.sock' } })).statusCode).toBe(201);
    const ns = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: ids['hackfest_multivdu_ns'], nsName: 'osm-on-docker' } })).json();
    const instantiate = (dryRun = false) => inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate${dryRun ? '?dry_run=true' : ''}`, payload: { nsFlavourId: 'default-df', additionalParamsForNs: { pins: { '1': 'osm-docker' } } } });
    const refused = await instantiate();
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'PLAN_IMAGE_UNMAPPED', image: 'ubuntu20.04', popId: 'osm-docker', vnfId: '1' });
    expect(refused.json().detail).toContain('Docker PoP osm-docker');
    // Nothing was created: no operation, the NS still NOT_INSTANTIATED.
    expect((await inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs?nsInstanceId=${ns.id}` })).json()).toEqual([]);
    expect((await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json().nsState).toBe('NOT_INSTANTIATED');

    const patched = await inject({ method: 'PATCH', url: '/admin/v1/vims/osm-docker', payload: { imageMap: { 'ubuntu20.04': 'vnf/busybox:latest', unused: 'x' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    expect([patched.statusCode, patched.json().config.imageMap]).toEqual([200, { 'ubuntu20.04': 'vnf/busybox:latest', unused: 'x' }]);
    const removed = await inject({ method: 'PATCH', url: '/admin/v1/vims/osm-docker', payload: { imageMap: { unused: null } }, headers: { 'content-type': 'application/merge-patch+json' } });
    expect(removed.json().config.imageMap).toEqual({ 'ubuntu20.04': 'vnf/busybox:latest' });
    const bad = await inject({ method: 'PATCH', url: '/admin/v1/vims/osm-docker', payload: { imageMap: { 'a b': 'x' } } });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'VIM_ACCOUNT_INVALID']);
    const plan = (await instantiate(true)).json() as { computes: { memberId: string; image: string; vcpus: number; memoryMiB: number }[] };
    expect(plan.computes.filter((c) => c.memberId === '1').map((c) => [c.image, c.vcpus, c.memoryMiB])).toEqual([['vnf/busybox:latest', 1, 1024], ['vnf/busybox:latest', 1, 1024]]);

    const knfNs = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: ids['openldap_scale_ns'], nsName: 'ldap' } })).json();
    const knf = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${knfNs.id}/instantiate`, payload: { nsFlavourId: 'default-df', additionalParamsForNs: { pins: { openldap: 'osm-docker' } } } });
    expect([knf.statusCode, knf.json().code]).toEqual([409, 'PLAN_NEEDS_KUBERNETES']);
    expect(knf.json().detail).toContain('needs a Kubernetes PoP');
  });
  it('the metrics NS scales its vdu_autoscale aspect out and in on a memory PoP (scaleStatus, VNFC instances, the SOL006 limit); the autoheal NS gets its healing policy', async () => {
    expect((await inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'osm-mem', type: 'memory', endpoint: 'memory://osm' } })).statusCode).toBe(201);
    t.deps.services.lifecycleWorker?.start();
    const waitOp = async (location: unknown) => {
      const op = await t.deps.services.lifecycle.waitForOp(String(location).split('/').pop() as string, { timeoutMs: 60_000 });
      expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');
    };
    const ns = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: ids['hackfest_basic_metrics_ns'], nsName: 'osm-metrics' } })).json();
    // OSM names its NS flavour `default-df`: the made-up `default` is not one of them.
    const wrong = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { pins: { vnf: 'osm-mem' } } } });
    expect([wrong.statusCode, wrong.json().code, wrong.json().field, wrong.json().flavours]).toEqual([422, 'NS_FLAVOUR_UNKNOWN', 'nsFlavourId', ['default-df']]);
    const started = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default-df', additionalParamsForNs: { pins: { vnf: 'osm-mem' } } } });
    expect(started.statusCode, started.body).toBe(202);
    await waitOp(started.headers.location);
    // The SOL006 df ids of the NSD and the VNFD, and the VDU id of the VNFD.
    const shown = (await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json();
    expect(shown.flavourId).toBe('default-df');
    expect(shown.vnfInstance[0].instantiatedVnfInfo.flavourId).toBe('default-df');
    expect(shown.vnfInstance[0].instantiatedVnfInfo.vnfcResourceInfo.map((c: { vduId: string }) => c.vduId)).toEqual(['hackfest_basic_metrics-VM']);
    expect((await inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=(eq,flavourId,default-df);(eq,id,${ns.id})` })).json().map((n: { id: string }) => n.id)).toEqual([ns.id]);
    expect((await inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=(eq,flavourId,default);(eq,id,${ns.id})` })).json()).toEqual([]);
    const vnf = async () => (await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json().vnfInstance[0];
    const levels = async () => {
      const v = await vnf();
      return [v.instantiatedVnfInfo.scaleStatus, v.instantiatedVnfInfo.vnfcResourceInfo.length];
    };
    expect(await levels()).toEqual([[{ aspectId: 'vdu_autoscale', scaleLevel: 0 }], 1]);
    const vnfInstanceId = (await vnf()).id;
    const scale = (scaleVnfType: 'SCALE_OUT' | 'SCALE_IN') =>
      inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/scale`, payload: { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId, scaleVnfType, scaleByStepData: { aspectId: 'vdu_autoscale', numberOfSteps: 1 } }] } });
    const out = await scale('SCALE_OUT');
    expect(out.statusCode, out.body).toBe(202);
    await waitOp(out.headers.location);
    expect(await levels()).toEqual([[{ aspectId: 'vdu_autoscale', scaleLevel: 1 }], 2]);
    // SOL006 max-scale-level: 1.
    const past = await scale('SCALE_OUT');
    expect([past.statusCode, past.json().code]).toEqual([422, 'SCALE_LIMIT_EXCEEDED']);
    expect(past.json().detail).toContain('vdu_autoscale');
    const back = await scale('SCALE_IN');
    expect(back.statusCode, back.body).toBe(202);
    await waitOp(back.headers.location);
    expect(await levels()).toEqual([[{ aspectId: 'vdu_autoscale', scaleLevel: 0 }], 1]);

    // Its scaling-policy (cpu_utilization > 60 out, < 10 in, threshold-time 1, cooldown 5) is the NS's auto-scale policy.
    const policyUrl = `/admin/v1/ns_instances/${ns.id}/policies`;
    const scalePolicy = ((await inject({ method: 'GET', url: policyUrl })).json() as { id: string; type: string }[]).find((p) => p.type === 'AUTO_SCALE');
    expect(scalePolicy).toMatchObject({
      id: 'auto-scale-vnf-cpu_util_above_threshold', vnfId: 'vnf', aspectId: 'vdu_autoscale', metric: 'cpu_utilization', enabled: true, source: 'DESCRIPTOR',
      scaleOutThreshold: 60, scaleInThreshold: 10, windowSeconds: 1, cooldownSeconds: 5, origin: 'sol006 scaling-policy',
    });
    // The memory PoP has no stats: samples are published as the sampler would, on the monitoring bus, through the real engine, store and lifecycle.
    // A zero window and cooldown make one sample enough (set through the API, as an operator would).
    const set = await inject({ method: 'PUT', url: `${policyUrl}/${scalePolicy?.id}`, payload: { windowSeconds: 0, cooldownSeconds: 0 } });
    expect([set.statusCode, set.json().source, set.json().windowSeconds, set.json().scaleOutThreshold]).toEqual([200, 'OVERRIDE', 0, 60]);
    expect((await inject({ method: 'PUT', url: `${policyUrl}/${scalePolicy?.id}`, payload: { maxAttempts: 2 } })).statusCode).toBe(400);
    const monitoring = t.deps.services.monitoring;
    if (!monitoring) throw new Error('monitoring is not wired');
    monitoring.policies.scaleEngine.start(); // alone: no PoP watchers or sampler
    const events: { type: string; reason?: string; opId?: string }[] = [];
    const unsub = [monitoring.bus.subscribe('policy.fired', (e) => void events.push(e)), monitoring.bus.subscribe('policy.skipped', (e) => void events.push(e))];
    const sample = async (cpuPercent: number) => {
      for (const computeId of (await vnf()).instantiatedVnfInfo.vnfcResourceInfo.map((c: { computeResource: { resourceId: string } }) => c.computeResource.resourceId)) {
        monitoring.bus.publish('vnf.stats', { nsId: ns.id, vnfId: 'vnf', popId: 'osm-mem', computeId, stats: { computeId, at: new Date(), cpuPercent, onlineCpus: 1, memoryBytes: 1, memoryLimitBytes: 100, interfaces: [] } });
      }
      await monitoring.policies.scaleEngine.settled();
    };
    const automaticOp = async (reason: string) => {
      const fired = events.find((e) => e.type === 'policy.fired' && e.reason === reason);
      expect(fired, JSON.stringify(events)).toBeDefined();
      const op = await t.deps.services.lifecycle.waitForOp(fired?.opId as string, { timeoutMs: 60_000 });
      expect([op.lcmOperationType, op.operationState, op.isAutomaticInvocation]).toEqual(['SCALE', 'COMPLETED', true]);
    };
    await sample(95);
    await automaticOp('SCALE_OUT');
    expect(await levels()).toEqual([[{ aspectId: 'vdu_autoscale', scaleLevel: 1 }], 2]);
    await sample(99); // at max-scale-level 1: skipped, says why
    expect(events.filter((e) => e.type === 'policy.skipped').map((e) => e.reason)).toEqual(['AT_MAX_LEVEL']);
    await sample(2);
    await automaticOp('SCALE_IN');
    expect(await levels()).toEqual([[{ aspectId: 'vdu_autoscale', scaleLevel: 0 }], 1]);
    for (const u of unsub) u();
    await monitoring.policies.scaleEngine.stop();

    // autoheal_vnf's df/healing-aspect (recovery-type automatic) is the NS's auto-heal policy, on.
    const healed = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: ids['autoheal_ns'], nsName: 'osm-autoheal' } })).json();
    const policies = (await inject({ method: 'GET', url: `/admin/v1/ns_instances/${healed.id}/policies` })).json() as { type?: string; enabled: boolean; source: string }[];
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.every((p) => p.enabled && p.source === 'DESCRIPTOR')).toBe(true);
  });
});
