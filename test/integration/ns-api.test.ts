import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/store.js';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import { buildPackage, readPackageEntry, readPackageFile } from '../../src/packages/index.js';
import type { TestApp } from '../support/app.js';

/** The upstream corpus (../shared/corpus/README.md). */
const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');
/** A SOL001 NSD with flavour `small` whose one member is the VNF of Tacker's functional6 package (descriptor_id as upstream). */
const TACKER_NSD = `tosca_definitions_version: tosca_simple_yaml_1_2
imports:
  - etsi_nfv_sol001_common_types.yaml
  - etsi_nfv_sol001_nsd_types.yaml
  - helloworld3_types.yaml
topology_template:
  node_templates:
    ns:
      type: tosca.nodes.nfv.NS
      properties: { descriptor_id: 6f1c0e2a-0000-4000-8000-tackerns0001, designer: eu.rondo, version: '1.0', name: tacker-ns, invariant_id: tacker-ns, flavour_id: small }
    vnf:
      type: company.provider.VNF
      requirements:
        - virtual_link_external1_1: vl
    vl:
      type: tosca.nodes.nfv.NsVirtualLink
      properties:
        connectivity_type: { layer_protocols: [ ipv4 ], flow_pattern: mesh }
`;

let dir: string;
let files: { tango: string; csar: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rondo-ns-api-'));
  files = await buildExamplePackages(dir);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Polls the op resource until it leaves PROCESSING/ROLLING_BACK (what an API client does). */
async function settle(t: TestApp, location: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const path = new URL(location).pathname;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const op = (await t.app.inject({ method: 'GET', url: path })).json() as Record<string, unknown>;
    if (op.operationState !== 'PROCESSING' && op.operationState !== 'ROLLING_BACK') return op;
    if (Date.now() > until) throw new Error(`operation ${path} still ${String(op.operationState)} after ${timeoutMs} ms`);
    // Wait for the next state change the worker publishes (no fixed sleep).
    await t.deps.services.lifecycle.waitForOp(String(op.id), { timeoutMs: 2000, until: (o) => o.operationState !== op.operationState }).catch(() => undefined);
  }
}

describe.each(STORE_KINDS)('SOL005 NS lifecycle API on the memory VIM, %s store', (kind) => {
  let t: TestApp;
  let nsdId: string;
  beforeAll(async () => {
    t = await openTestApp(kind, `ns-api-${kind}`, { opDeadlineSeconds: 60 });
    t.deps.services.lifecycleWorker?.start();
    const r = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(files.tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(r.statusCode).toBe(201);
    nsdId = r.json().service_uuid;
  });
  afterAll(async () => {
    await t?.deps.services.lifecycleWorker?.stop();
    await t?.close();
  });

  it('adds PoPs, never returns credentials, refuses bad ones and unreachable VIMs', async () => {
    for (const name of ['dc1', 'dc2']) {
      const r = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name, type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 8, memoryMiB: 8192 } } });
      expect(r.statusCode).toBe(201);
      expect(r.headers.location).toMatch(new RegExp(`/admin/v1/vims/${name}$`));
      expect(r.json()).toMatchObject({ id: name, type: 'memory', capacity: { cpu: 8, memoryMiB: 8192 }, usage: { cpu: 0, memoryMiB: 0 }, hasCredentials: false });
    }
    const dup = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'memory', endpoint: 'memory://x' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('VIM_ACCOUNT_EXISTS');

    // An unreachable Docker engine: 503 with the VimError code; ?check=false stores it anyway.
    const down = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'down', type: 'docker', endpoint: 'tcp://127.0.0.1:1' } });
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(down.json().code).toBe('VIM_CONNECTION');
    // OpenStack credentials are stored but never shown; an unreachable Keystone is 503 on check.
    const os = await t.app.inject({
      method: 'POST', url: '/admin/v1/vims?check=false',
      payload: { name: 'os1', type: 'openstack', endpoint: 'http://127.0.0.1:1/v3', credentials: { username: 'u', password: 'hunter2', projectName: 'p', userDomainName: 'Default', projectDomainName: 'Default', region: 'RegionOne' } },
    });
    expect(os.statusCode).toBe(201);
    expect(os.json().hasCredentials).toBe(true);
    expect(os.body).not.toContain('hunter2');
    const list = await t.app.inject({ method: 'GET', url: '/admin/v1/vims' });
    expect(list.json().map((v: { id: string }) => v.id)).toEqual(['dc1', 'dc2', 'os1']);
    expect(list.body).not.toContain('hunter2');
    const check = await t.app.inject({ method: 'POST', url: '/admin/v1/vims/os1/check' });
    expect(check.statusCode).toBe(check.json().code === 'VIM_TIMEOUT' ? 504 : 503);
    expect(check.json().code).toMatch(/^VIM_(CONNECTION|TIMEOUT)$/);
    expect((await t.app.inject({ method: 'POST', url: '/admin/v1/vims/dc1/check' })).json()).toMatchObject({ id: 'dc1', reachable: true });
    expect((await t.app.inject({ method: 'DELETE', url: '/admin/v1/vims/os1' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/vims/os1' })).statusCode).toBe(404);
    const noCreds = await t.app.inject({ method: 'POST', url: '/admin/v1/vims?check=false', payload: { name: 'os2', type: 'openstack', endpoint: 'http://127.0.0.1:1/v3' } });
    expect(noCreds.statusCode).toBe(400);
  });

  it('creates, instantiates, shows, terminates and deletes an NS with SOL005 shapes and 409 rules', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'chain', nsDescription: 'api test' } });
    expect(created.statusCode).toBe(201);
    const ns = created.json();
    expect(created.headers.location).toBe(`http://localhost:80/nslcm/v1/ns_instances/${ns.id}`);
    expect(ns).toMatchObject({ nsInstanceName: 'chain', nsInstanceDescription: 'api test', nsdInfoId: nsdId, nsState: 'NOT_INSTANTIATED', vnfInstance: [] });
    expect(Object.keys(ns._links)).toEqual(['self', 'instantiate']);
    const nsd = (await t.app.inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${nsdId}` })).json();
    expect(nsd.nsdUsageState).toBe('IN_USE');
    expect((await t.app.inject({ method: 'DELETE', url: `/nsd/v1/ns_descriptors/${nsdId}` })).statusCode).toBe(409);

    // Dry run: the plan, no VIM call, no op.
    const plan = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate?dry_run=true`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'round-robin-with-saps' } } });
    expect(plan.statusCode).toBe(200);
    expect(plan.json().placement).toEqual({ client: 'dc1', firewall: 'dc2', server: 'dc1', input: 'dc1', output: 'dc1', mgmt: 'dc1' });
    expect(plan.json().steps.length).toBeGreaterThan(10);
    expect((await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_lcm_op_occs' })).json()).toEqual([]);

    const inst = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'round-robin-with-saps' } } });
    expect(inst.statusCode).toBe(202);
    expect(inst.body).toBe('');
    expect(inst.headers.location).toMatch(/\/nslcm\/v1\/ns_lcm_op_occs\/[\w-]+$/);
    // A second instantiate while the first runs or after it: 409.
    expect((await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: {} })).statusCode).toBe(409);
    const op = await settle(t, String(inst.headers.location));
    expect(op).toMatchObject({ operationState: 'COMPLETED', lcmOperationType: 'INSTANTIATE', nsInstanceId: ns.id, isAutomaticInvocation: false, isCancelPending: false });
    expect(Object.keys(op)).toEqual(expect.arrayContaining(['id', 'operationState', 'statusEnteredTime', 'nsInstanceId', 'lcmOperationType', 'startTime', 'isAutomaticInvocation', 'operationParams', 'isCancelPending', '_links', 'steps']));
    expect(Object.keys(op._links as object)).toEqual(['self', 'nsInstance']);
    const steps = op.steps as { kind: string; state: string; popId: string; target: string }[];
    expect(steps.every((s) => s.state === 'DONE')).toBe(true);
    expect(new Set(steps.map((s) => s.kind))).toEqual(new Set(['network', 'compute', 'route', 'start']));
    const opId = String(op.id);
    for (const action of ['retry', 'rollback', 'fail', 'cancel']) {
      const r = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${opId}/${action}`, payload: {} });
      expect(r.statusCode, action).toBe(409);
      expect(r.json().code).toBe('OP_ILLEGAL_STATE');
    }

    const shown = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json();
    expect(shown.nsState).toBe('INSTANTIATED');
    // 5GTANGO descriptors have one flavour, their top-level sections: `default`; the chain's VDUs are really named vdu01.
    expect(shown.flavourId).toBe('default');
    expect(Object.keys(shown._links)).toEqual(['self', 'terminate', 'heal', 'update', 'scale']);
    expect(shown.vnfInstance.map((v: { vnfInstanceName: string }) => v.vnfInstanceName)).toEqual(['client', 'firewall', 'server']);
    const fw = shown.vnfInstance.find((v: { vnfInstanceName: string }) => v.vnfInstanceName === 'firewall');
    expect(fw).toMatchObject({
      vnfdId: expect.any(String), vnfProvider: 'eu.rondo', vnfProductName: 'vnf-firewall', vnfSoftwareVersion: '0.1', vnfdVersion: '0.1', instantiationState: 'INSTANTIATED',
      vimConnectionInfo: { dc2: { vimId: 'dc2', vimType: 'ETSINFV.MEMORY.V_1' } },
      instantiatedVnfInfo: { flavourId: 'default', vnfState: 'STARTED', vnfcResourceInfo: [{ vduId: 'vdu01', computeResource: { vimConnectionId: 'dc2', resourceId: expect.any(String) } }] },
      popId: 'dc2',
    });
    const cp = fw.instantiatedVnfInfo.extCpInfo.find((c: { cpdId: string }) => c.cpdId === 'input');
    expect(cp.cpProtocolInfo[0].ipOverEthernet.ipAddresses[0]).toMatchObject({ type: 'IPV4', isDynamic: false, addresses: [expect.stringMatching(/^10\.30\./)] });
    expect(shown.sapInfo.map((s: { sapdId: string }) => s.sapdId).sort()).toEqual(['input', 'mgmt', 'output']);

    // SOL013 filters and default exclusion on the list.
    const filtered = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=(eq,nsState,INSTANTIATED)` })).json();
    expect(filtered.map((n: { id: string }) => n.id)).toEqual([ns.id]);
    expect(filtered[0].vnfInstance).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=(eq,nsState,NOT_INSTANTIATED)` })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=(eq,bogus,1)` })).statusCode).toBe(400);
    const ops = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs?filter=(eq,nsInstanceId,${ns.id})` })).json();
    expect(ops.map((o: { id: string }) => o.id)).toEqual([opId]);
    expect(ops[0].steps).toBeUndefined();

    // The PoP is in use; the NS cannot be deleted while instantiated.
    const inUse = await t.app.inject({ method: 'DELETE', url: '/admin/v1/vims/dc2' });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('VIM_ACCOUNT_IN_USE');
    const busy = await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${ns.id}` });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('NS_STATE_CONFLICT');

    const term = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/terminate`, payload: { terminationTime: new Date().toISOString() } });
    expect(term.statusCode).toBe(202);
    expect((await settle(t, String(term.headers.location))).operationState).toBe('COMPLETED');
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json()).toMatchObject({ nsState: 'NOT_INSTANTIATED', vnfInstance: [], sapInfo: [] });
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${ns.id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${nsdId}` })).json().nsdUsageState).toBe('NOT_IN_USE');
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/vims/dc2' })).json().usage).toEqual({ cpu: 0, memoryMiB: 0 });
  });

  it('refuses an unknown NSD (404) and a placement that does not fit (409 before any VIM call)', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: 'nope', nsName: 'x' } });
    expect(unknown.statusCode).toBe(404);
    const ns = (await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'pinned' } })).json();
    const badPin = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { additionalParamsForNs: { pins: { firewall: 'nowhere' } } } });
    expect(badPin.statusCode).toBeGreaterThanOrEqual(400);
    expect(badPin.statusCode).toBeLessThan(500);
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs?filter=(eq,nsInstanceId,${ns.id})` })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${ns.id}` })).statusCode).toBe(204);
  });

  it('speaks the 5GTANGO /instantiations API byte-for-byte', async () => {
    // One instance at a time: test ids share their first 8 characters, which name VIM resources.
    const post = await t.app.inject({ method: 'POST', url: '/instantiations', payload: JSON.stringify({ service_uuid: nsdId }) });
    expect(post.statusCode).toBe(201);
    expect(post.body).toMatch(/^\{"service_instance_uuid":"[\w-]+"\}$/);
    const a = post.json().service_instance_uuid;
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${a}` })).json().nsState).toBe('INSTANTIATED');
    for (const url of ['/instantiations', '/api/v2/instantiations']) {
      const list = await t.app.inject({ method: 'GET', url });
      expect(list.statusCode).toBe(200);
      expect(list.body).toBe(JSON.stringify({ service_instantiations_list: [[a]] }));
    }
    const missing = await t.app.inject({ method: 'POST', url: '/instantiations', payload: { service_uuid: 'no-such-service' } });
    expect(missing.statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: '/instantiations', payload: { service_uuid: nsdId, service_instance_uuid: a } });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toBe(`service instance with uuid '${a}' stopped.`);

    // "latest" (and a missing uuid) picks the first on-boarded service, as the seed does.
    const second = await t.app.inject({ method: 'POST', url: '/api/v2/requests', payload: { service_uuid: 'latest' } });
    expect(second.statusCode).toBe(201);
    const b = second.json().service_instance_uuid;
    expect((await t.app.inject({ method: 'GET', url: '/instantiations' })).json()).toEqual({ service_instantiations_list: [[b]] });
    // Fuzzy: no ids → the first running instance of the first service.
    const fuzzy = await t.app.inject({ method: 'DELETE', url: '/api/v2/instantiations', payload: {} });
    expect(fuzzy.statusCode).toBe(200);
    expect(fuzzy.json()).toBe(`service instance with uuid '${b}' stopped.`);
    expect((await t.app.inject({ method: 'GET', url: '/instantiations' })).json()).toEqual({ service_instantiations_list: [[]] });
    expect((await t.app.inject({ method: 'DELETE', url: '/instantiations', payload: {} })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_instances' })).json()).toEqual([]);
  });

  it('a SOL001 NS shows the flavours and VDUs its descriptors name; an nsFlavourId the NSD lacks is a 422 naming the field and its flavours', async () => {
    const onboarded = await t.deps.services.catalog.onboard({ source: createReadStream(files.csar), fileName: 'relay.csar' });
    const relayNsd = onboarded.nsds[0]?.id as string;
    const ns = (await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: relayNsd, nsName: 'relay' } })).json();
    const url = `/nslcm/v1/ns_instances/${ns.id}/instantiate`;
    for (const bad of ['default', 'gold']) {
      const refused = await t.app.inject({ method: 'POST', url, payload: { nsFlavourId: bad, additionalParamsForNs: { placement: 'first-pop' } } });
      expect(refused.statusCode, bad).toBe(422);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.json()).toMatchObject({ code: 'NS_FLAVOUR_UNKNOWN', field: 'nsFlavourId', nsFlavourId: bad, flavours: ['simple'] });
    }
    // Nothing was started for the refused requests; without nsFlavourId the NSD's own flavour is taken.
    expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs?filter=(eq,nsInstanceId,${ns.id})` })).json()).toEqual([]);
    const inst = await t.app.inject({ method: 'POST', url, payload: { additionalParamsForNs: { placement: 'first-pop' } } });
    expect(inst.statusCode, inst.body).toBe(202);
    const op = await settle(t, String(inst.headers.location));
    expect(op.operationState).toBe('COMPLETED');
    const shown = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json();
    // The NS node's flavour_id, the VNF's flavour_id (its type's default) and the Vdu.Compute node names.
    expect(shown.flavourId).toBe('simple');
    const relay = shown.vnfInstance[0];
    expect(relay.instantiatedVnfInfo.flavourId).toBe('simple');
    expect(relay.instantiatedVnfInfo.vnfcResourceInfo.map((c: { vduId: string }) => c.vduId).sort()).toEqual(['back', 'front']);
    const ids = async (filter: string) => (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=${filter}` })).json().map((n: { id: string }) => n.id);
    expect(await ids('(eq,flavourId,simple)')).toEqual([ns.id]);
    expect(await ids('(neq,flavourId,simple)')).not.toContain(ns.id);
    const term = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/terminate`, payload: {} });
    expect((await settle(t, String(term.headers.location))).operationState).toBe('COMPLETED');
    const after = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json();
    expect(after.flavourId).toBeUndefined();
    // Absent while NOT_INSTANTIATED: a negative filter keeps it, a positive one does not.
    expect(await ids('(eq,flavourId,simple)')).not.toContain(ns.id);
    expect(await ids('(neq,flavourId,simple)')).toContain(ns.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${ns.id}` })).statusCode).toBe(204);
  });
  it('an NS of a Tacker corpus VNF package (functional6, flavour file split) shows flavour simple and the VDUs VDU1, VDU2', async () => {
    // The corpus ships VNF packages only: an NSD using the package's VNF is added beside it, as an operator would.
    const pkgDir = join(dir, `functional6-${kind}`);
    const zip = join(CORPUS, 'etsi/functional6.zip');
    const read = await readPackageFile(zip);
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    for (const f of read.value.files) {
      await mkdir(dirname(join(pkgDir, f.path)), { recursive: true });
      await writeFile(join(pkgDir, f.path), await readPackageEntry(zip, f.path));
    }
    await writeFile(join(pkgDir, 'Definitions/sample_ns.nsd.yaml'), TACKER_NSD);
    const meta = join(pkgDir, 'TOSCA-Metadata/TOSCA.meta');
    await writeFile(meta, `${(await readFile(meta, 'utf8')).trimEnd()}\nOther-Definitions: Definitions/sample_ns.nsd.yaml\n`);
    const csar = join(dir, `functional6-${kind}.csar`);
    await buildPackage(pkgDir, csar);
    const onboarded = await t.deps.services.catalog.onboard({ source: createReadStream(csar), fileName: 'functional6.csar' });
    const ns = (await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: onboarded.nsds[0]?.id, nsName: 'tacker' } })).json();
    const inst = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'small', additionalParamsForNs: { placement: 'first-pop' } } });
    expect(inst.statusCode, inst.body).toBe(202);
    expect((await settle(t, String(inst.headers.location))).operationState).toBe('COMPLETED');
    const shown = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${ns.id}` })).json();
    expect(shown.flavourId).toBe('small');
    const info = shown.vnfInstance[0].instantiatedVnfInfo;
    // flavour_id: { get_input } on the node, the literal in the flavour file's substitution_mappings.
    expect(info.flavourId).toBe('simple');
    expect(info.vnfcResourceInfo.map((c: { vduId: string }) => c.vduId).sort()).toEqual(['VDU1', 'VDU2']);
    const term = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/terminate`, payload: {} });
    expect((await settle(t, String(term.headers.location))).operationState).toBe('COMPLETED');
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${ns.id}` })).statusCode).toBe(204);
  });
});
