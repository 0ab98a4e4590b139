/**
 * The SOL004 example NS instantiated on the real CI OpenStack through the lifecycle: the
 * relay VNF as one Heat stack from its translated SOL001 VNFD, its NS links as Neutron
 * networks, the SAPs as servers; then terminated without leftovers. Error cases: wrong
 * password, unreachable Keystone, missing image, quota. Fails loudly when OpenStack is
 * not up (run scripts/ensure-openstack.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LcmOpOcc } from '../../src/model/index.js';
import type { ScaleRequest } from '../../src/lifecycle/index.js';
import { runStackScale } from '../../src/lifecycle/heat-scale.js';
import type { TypedOpStepWith } from '../../src/lifecycle/op-step-view.js';
import { toVnfInstanceView } from '../../src/api/sol005/nslcm/ns-instance-view.js';
import { nsShort, stackName } from '../../src/lifecycle/index.js';
import { glance, heat, neutron, nova } from '../../src/vim/openstack/index.js';
import type { KeystoneSession } from '../../src/vim/openstack/index.js';
import { adminCredentials, adminSession, createProject, runId, uploadTestImage } from './openstack-support.js';
import { openOsNsHarness, pinAll } from './openstack-ns-support.js';
import type { OsNsHarness } from './openstack-ns-support.js';

const run = runId();
const IMAGE = 'vnf/busybox:latest';
const MEMBERS = ['relay', 'sap_in', 'sap_out'];
const ns8 = nsShort;

describe('SOL004 NS on OpenStack (Heat)', () => {
  let api: KeystoneSession;
  let h: OsNsHarness;
  let hMissing: OsNsHarness;
  const created: { images: string[]; flavorsBefore: Set<string>; projects: string[] } = { images: [], flavorsBefore: new Set(), projects: [] };
  const nsIds: string[] = [];

  beforeAll(async () => {
    api = await adminSession('openstack-ns-it');
    created.flavorsBefore = new Set((await nova.listFlavors(api)).map((f) => f.name));
    // The VNFD boots `vnf/busybox:latest`; SAPs boot the same tiny image.
    if (!(await glance.findImage(api, { idOrName: IMAGE }))) created.images.push((await uploadTestImage(api, IMAGE, [`rondo-it-${run}`])).id);
    const prefix = `${run}aa`;
    h = await openOsNsHarness({ idPrefix: prefix, sapImage: IMAGE });
    hMissing = await openOsNsHarness({ idPrefix: `${run}bb`, sapImage: IMAGE, translate: { images: { front: `rondo-missing-${run}`, back: `rondo-missing-${run}` } } });
  });

  afterAll(async () => {
    // A test that failed half-way leaves its NS up: terminate it, so the checks below see what is really left.
    for (const [harness, id] of nsIds.map((id) => [id.startsWith('m:') ? hMissing : h, id.replace(/^m:/, '')] as const)) {
      const leftovers = await harness.service.listVnfs(id).catch(() => []);
      if (leftovers.length > 0) await harness.service.waitForOp((await harness.service.terminate(id)).id, { timeoutMs: 600_000 }).catch(() => undefined);
    }
    await h?.close();
    await hMissing?.close();
    for (const id of created.images) await glance.deleteImage(api, id);
    for (const p of created.projects) await api.call('identity', { method: 'DELETE', path: `/projects/${p}`, what: 'delete test project' });
    // Flavors the driver created for the SAPs are shared by design; remove the ones this file made.
    for (const f of await nova.listFlavors(api)) if (f.name.startsWith('rondo-c') && !created.flavorsBefore.has(f.name)) await nova.deleteFlavor(api, f.id);
    for (const id of nsIds) await expectNoLeftovers(api, id.replace(/^m:/, ''));
    expect(await glance.listImagesByTag(api, [`rondo-it-${run}`])).toEqual([]);
  });

  it('instantiates the relay NS as a Heat stack with ACTIVE servers and addresses in the VNFR, scales its AutoScalingGroup out and in, then terminates it without leftovers', async () => {
    const account = await h.addAccount(`os-${run}`, adminCredentials().authUrl, adminCredentials());
    const ns = await h.service.createNs({ nsdId: h.nsdInfoId, nsName: `relay-${run}` });
    nsIds.push(ns.id);
    const op = await h.service.instantiate(ns.id, { pins: pinAll(MEMBERS, account.id) });
    const done = await h.service.waitForOp(op.id, { timeoutMs: 600_000 });
    expect(done.error).toBeNull();
    expect(done.operationState).toBe('COMPLETED');

    const steps = await h.service.listSteps(op.id);
    expect(steps.map((s) => `${s.kind}:${s.target}`).sort()).toEqual([
      `compute:rondo-${ns8(ns.id)}-sap_in`, `compute:rondo-${ns8(ns.id)}-sap_out`,
      `network:rondo-${ns8(ns.id)}-vl_in`, `network:rondo-${ns8(ns.id)}-vl_out`, `stack:${stackName(ns.id, 'relay')}`,
    ]);
    const stack = await heat.findStack(api, stackName(ns.id, 'relay'));
    expect(stack?.stack_status).toBe('CREATE_COMPLETE');
    expect(stack?.tags).toEqual(expect.arrayContaining([`rondo.ns=${ns.id}`, 'rondo.vnf=relay', `rondo.pop=${account.id}`]));

    const vnfs = Object.fromEntries((await h.service.listVnfs(ns.id)).map((v) => [v.memberId, v]));
    const relay = vnfs['relay'];
    expect(relay).toMatchObject({ kind: 'vnf', popId: account.id, state: 'STARTED' });
    expect(relay?.computeIds).toHaveLength(2);
    for (const id of [...(relay?.computeIds ?? []), ...(vnfs['sap_in']?.computeIds ?? []), ...(vnfs['sap_out']?.computeIds ?? [])]) {
      expect((await nova.getServer(api, id))?.status).toBe('ACTIVE');
    }
    expect((await nova.getServer(api, relay?.computeIds[0] as string))?.name).toBe(`${stackName(ns.id, 'relay')}-front`);
    // The VNFR's addresses are the IPAM ones, and Neutron holds ports with them on the NS networks.
    expect(relay?.interfaces.map((i) => [i.cp, i.linkId, i.prefix])).toEqual([['ingress', 'vl_in', 29], ['egress', 'vl_out', 24]]);
    for (const itf of relay?.interfaces ?? []) {
      const [net] = await neutron.neutronList<neutron.NeutronNetwork>(api, 'networks', { name: `rondo-${ns8(ns.id)}-${itf.linkId}` });
      const ports = await neutron.neutronList<neutron.NeutronPort>(api, 'ports', { network_id: net?.id ?? 'none' });
      expect(ports.flatMap((p) => p.fixed_ips.map((f) => f.ip_address))).toContain(itf.address);
    }
    expect(vnfs['sap_in']?.interfaces[0]?.address).not.toBe(relay?.interfaces[0]?.address);

    const relayNow = async () => (await h.service.listVnfs(ns.id)).find((v) => v.memberId === 'relay') as NonNullable<Awaited<ReturnType<typeof h.service.listVnfs>>[number]>;
    const scale = (type: 'SCALE_OUT' | 'SCALE_IN', id: string): ScaleRequest => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: id, scaleVnfType: type, scaleByStepData: { aspectId: 'back_aspect' } }] });
    const name = stackName(ns.id, 'relay');
    const stackOf = async () => (await heat.findStack(api, name)) as (heat.HeatStack & { parameters?: Record<string, string> }) | undefined;

    // Scale: the relay's back aspect through its AutoScalingGroup (one more ACTIVE back server, then one fewer; limits refused before Heat).
    const before = await relayNow();
    expect(before.scaleStatus).toEqual([{ aspectId: 'back_aspect', scaleLevel: 0 }]);
    expect(before.vnfcs?.map((c) => c.vduId)).toEqual(['front', 'back']);
    // Limits are checked before anything is stored or sent to Heat.
    await expect(h.service.scale(ns.id, scale('SCALE_IN', before.id))).rejects.toMatchObject({ status: 422, code: 'SCALE_LIMIT_EXCEEDED', details: { minimumScaleLevel: 0 } });
    await expect(h.service.scale(ns.id, { ...scale('SCALE_OUT', before.id), scaleVnfData: [{ vnfInstanceId: before.id, scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'back_aspect', numberOfSteps: 3 } }] }))
      .rejects.toMatchObject({ status: 422, code: 'SCALE_LIMIT_EXCEEDED', details: { maximumScaleLevel: 2 } });

    const out = await h.service.waitForOp((await h.service.scale(ns.id, scale('SCALE_OUT', before.id))).id, { timeoutMs: 600_000 });
    expect(out.error).toBeNull();
    expect(out.operationState).toBe('COMPLETED');
    expect((await h.service.listSteps(out.id)).map((s) => `${s.kind}:${s.target}:${String(s.params['action'])}`)).toEqual([`stack:${name}:scale`]);
    const grown = await stackOf();
    expect(grown?.stack_status).toBe('UPDATE_COMPLETE');
    expect(grown?.parameters?.['back_aspect_desired_capacity']).toBe('2');
    expect(grown?.outputs?.find((o) => o.output_key === 'back_aspect_current_size')?.output_value).toBe(2);
    const after = await relayNow();
    const added = after.computeIds.filter((id) => !before.computeIds.includes(id));
    expect(added).toHaveLength(1);
    expect(after.computeIds).toEqual(expect.arrayContaining([...before.computeIds]));
    for (const id of after.computeIds) expect((await nova.getServer(api, id))?.status).toBe('ACTIVE');
    expect((await nova.getServer(api, added[0] as string))?.name).toBe(`${name}-back`);
    expect(after.scaleStatus).toEqual([{ aspectId: 'back_aspect', scaleLevel: 1 }]);
    expect(after.vnfcs?.find((c) => c.computeId === added[0])).toMatchObject({ vduId: 'back', aspectId: 'back_aspect', scaleLevel: 1 });
    // The existing back server keeps its IPAM address; Neutron gave the new one another on the same link.
    const egress = after.interfaces.filter((i) => i.cp === 'egress').map((i) => i.address);
    expect(egress).toHaveLength(2);
    expect(egress).toContain(before.interfaces.find((i) => i.cp === 'egress')?.address);
    // What a retry of the step runs: the same capacity again changes nothing, no server is made twice.
    const again = await runStackScale((await h.service.listSteps(out.id))[0] as TypedOpStepWith<'stack', 'scale'>, h.composition.services.vimRegistry.get(account.id), AbortSignal.timeout(300_000));
    expect(again.vnfcs.map((c) => c.computeId)).toEqual(after.computeIds);
    const flavour = (await h.service.getNs(ns.id)).vnfFlavours?.[after.memberId];
    expect(flavour).toBe('simple');
    const view = toVnfInstanceView(after, new Map([[account.id, account]]), flavour ?? '').instantiatedVnfInfo;
    expect(view.flavourId).toBe('simple');
    expect(view.vnfcResourceInfo.map((r) => [r.vduId, r.computeResource.resourceId])).toEqual(after.vnfcs?.map((c) => [c.vduId, c.computeId]));
    expect(view.scaleStatus).toEqual([{ aspectId: 'back_aspect', scaleLevel: 1 }]);

    const inOp = await h.service.waitForOp((await h.service.scale(ns.id, scale('SCALE_IN', before.id))).id, { timeoutMs: 600_000 });
    expect(inOp.error).toBeNull();
    expect(inOp.operationState).toBe('COMPLETED');
    const shrunk = await relayNow();
    expect(shrunk.computeIds).toHaveLength(2);
    expect(shrunk.scaleStatus).toEqual([{ aspectId: 'back_aspect', scaleLevel: 0 }]);
    const removed = after.computeIds.filter((id) => !shrunk.computeIds.includes(id));
    // Heat removes a group's oldest member first: the back server of the instantiation.
    expect(removed).toEqual(before.computeIds.filter((id) => before.vnfcs?.find((c) => c.computeId === id)?.vduId === 'back'));
    expect(await nova.getServer(api, removed[0] as string)).toBeUndefined();
    for (const id of shrunk.computeIds) expect((await nova.getServer(api, id))?.status).toBe('ACTIVE');
    expect((await stackOf())?.outputs?.find((o) => o.output_key === 'back_aspect_current_size')?.output_value).toBe(1);
    expect(shrunk.interfaces.filter((i) => i.cp === 'egress')).toHaveLength(1);

    const term = await h.service.terminate(ns.id);
    const ended = await h.service.waitForOp(term.id, { timeoutMs: 600_000 });
    expect(ended.error).toBeNull();
    expect(ended.operationState).toBe('COMPLETED');
    expect((await h.service.listSteps(term.id)).filter((s) => s.kind === 'stack').map((s) => s.result?.['deleted'])).toEqual([[stackName(ns.id, 'relay')]]);
    await expectNoLeftovers(api, ns.id, [...new Set([...(relay?.computeIds ?? []), ...after.computeIds])]);
    expect(await h.service.listVnfs(ns.id)).toEqual([]);
  });

  it('wrong password on the account: FAILED_TEMP naming the failing step, VIM_AUTH, nothing created', async () => {
    const account = await h.addAccount(`os-badpw-${run}`, adminCredentials().authUrl, { ...adminCredentials(), password: `wrong-${run}` });
    const op = await failingInstantiate(h, account.id, nsIds);
    expect(op.error).toMatchObject({ code: 'VIM_AUTH', step: { kind: 'network', popId: account.id } });
    expect(String(op.error?.detail)).toMatch(/^step \d+ \(network rondo-/);
  });

  it('unreachable Keystone: placement finds the PoP down, so a pin to it is 409 PLACEMENT_POP_DOWN with the connection error, and nothing is stored or created', async () => {
    const account = await h.addAccount(`os-down-${run}`, 'http://127.0.0.1:9/v3', adminCredentials());
    const ns = await h.service.createNs({ nsdId: h.nsdInfoId, nsName: `down-${run}` });
    nsIds.push(ns.id);
    const refused = await h.service.instantiate(ns.id, { pins: pinAll(MEMBERS, account.id), autoRollback: false }).then(() => undefined, (e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PLACEMENT_POP_DOWN', details: { popId: account.id } });
    expect(String((refused as Error).message)).toMatch(/CONNECTION/);
    expect((await h.service.getNs(ns.id)).state).toBe('NOT_INSTANTIATED');
    await expectNoLeftovers(api, ns.id);
  });

  it('missing image: the stack step fails with VIM_NOT_FOUND naming the image, and rollback leaves nothing', async () => {
    const account = await hMissing.addAccount(`os-noimg-${run}`, adminCredentials().authUrl, adminCredentials());
    const ns = await hMissing.service.createNs({ nsdId: hMissing.nsdInfoId, nsName: `noimg-${run}` });
    nsIds.push(`m:${ns.id}`);
    const op = await hMissing.service.instantiate(ns.id, { pins: pinAll(MEMBERS, account.id) });
    const done = await hMissing.service.waitForOp(op.id, { timeoutMs: 600_000 });
    expect(done.operationState).toBe('ROLLED_BACK');
    expect(done.error).toMatchObject({ code: 'VIM_NOT_FOUND', step: { kind: 'stack', target: stackName(ns.id, 'relay') } });
    expect(String(done.error?.detail)).toContain(`rondo-missing-${run}`);
    await expectNoLeftovers(api, ns.id);
  });

  it('quota exceeded inside the stack (Neutron networks): VIM_QUOTA on the stack step, and rollback leaves nothing', async () => {
    const project = await createProject(api, `rondo-it-osns-${run}`);
    created.projects.push(project);
    // Two networks fit (the NS links); the stack's internal link is the third.
    await neutron.setNetworkQuota(api, project, { network: 2 });
    const account = await h.addAccount(`os-quota-${run}`, adminCredentials().authUrl, { ...adminCredentials(), projectName: `rondo-it-osns-${run}` });
    const ns = await h.service.createNs({ nsdId: h.nsdInfoId, nsName: `quota-${run}` });
    nsIds.push(ns.id);
    const op = await h.service.instantiate(ns.id, { pins: pinAll(MEMBERS, account.id) });
    const done = await h.service.waitForOp(op.id, { timeoutMs: 600_000 });
    expect(done.operationState).toBe('ROLLED_BACK');
    expect(done.error).toMatchObject({ code: 'VIM_QUOTA', step: { kind: 'stack', target: stackName(ns.id, 'relay') } });
    await expectNoLeftovers(api, ns.id);
    expect(await neutron.neutronList(api, 'ports', { project_id: project })).toEqual([]);
  });
});

/** Instantiates with autoRollback off on a PoP the VIM refuses; returns the FAILED_TEMP op after checking nothing was made, then fails it. */
async function failingInstantiate(h: OsNsHarness, popId: string, nsIds: string[]): Promise<LcmOpOcc> {
  const ns = await h.service.createNs({ nsdId: h.nsdInfoId, nsName: `fail-${popId}` });
  nsIds.push(ns.id);
  const op = await h.service.instantiate(ns.id, { pins: pinAll(MEMBERS, popId), autoRollback: false });
  const done = await h.service.waitForOp(op.id, { timeoutMs: 120_000 });
  expect(done.operationState).toBe('FAILED_TEMP');
  expect((await h.service.fail(op.id)).operationState).toBe('FAILED');
  return done;
}

/** No stack, server or network of the NS is left (servers by id when known). */
async function expectNoLeftovers(api: KeystoneSession, nsId: string, serverIds: readonly string[] = []): Promise<void> {
  expect(await heat.listStacks(api, [`rondo.ns=${nsId}`])).toEqual([]);
  expect(await heat.findStack(api, stackName(nsId, 'relay'))).toBeUndefined();
  for (const id of serverIds) expect(await nova.getServer(api, id)).toBeUndefined();
  expect(await nova.listServers(api, { tags: [`rondo.ns=${nsId}`] })).toEqual([]);
  const prefix = `rondo-${nsId.replace(/-/g, '').slice(0, 8)}`;
  const nets = await neutron.neutronList<neutron.NeutronNetwork>(api, 'networks');
  expect(nets.filter((n) => n.name.startsWith(prefix))).toEqual([]);
  const ports = await neutron.neutronList<neutron.NeutronPort>(api, 'ports');
  expect(ports.filter((p) => p.name.startsWith(prefix))).toEqual([]);
}
