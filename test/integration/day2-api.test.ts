/**
 * The SOL005 heal, update (OPERATE_VNF) and scale tasks of `/nslcm/v1/ns_instances/{id}` on the
 * memory VIM, through the real app: 202 + Location of a HEAL/UPDATE operation occurrence,
 * request bodies checked by their SOL005 field names (400), 409 and 422 answers, the
 * VnfInstance's `vnfState`, NsLcmOperationOccurrenceNotifications and `/api/events`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';
import { readSseFrames } from './auth-support.js';

interface VnfView { id: string; memberId: string; interfaces: { cp: string; address: string }[]; instantiatedVnfInfo: { vnfState: string; vnfcResourceInfo: { computeResource: { resourceId: string } }[] } }

describe('SOL005 heal and update (OPERATE_VNF) on the memory VIM', () => {
  let dir: string;
  let t: TestApp;
  let nsId: string;
  let url: string;
  const callback = new CallbackServer();

  const post = (path: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/${path}`, payload: payload as object });
  const vnfs = async (): Promise<VnfView[]> => (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json().vnfInstance;
  const vnf = async (member: string): Promise<VnfView> => (await vnfs()).find((v) => v.memberId === member) ?? expect.unreachable(member);
  /** Runs a task: 202 + Location, then the operation once it rests. */
  const task = async (path: string, payload: unknown) => {
    const r = await post(path, payload);
    expect(r.statusCode, r.body).toBe(202);
    expect(r.body).toBe('');
    const location = String(r.headers.location);
    expect(location).toMatch(/^http:\/\/[^/]+\/nslcm\/v1\/ns_lcm_op_occs\/[\w-]+$/);
    const opId = location.split('/').pop() as string;
    await t.deps.services.lifecycle.waitForOp(opId, { timeoutMs: 30_000 });
    return (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json();
  };
  /** A ProblemDetails answer of `status` with `code`. */
  const refused = async (path: string, payload: unknown, status: number, code: string) => {
    const r = await post(path, payload);
    expect([r.statusCode, r.json().code], r.body).toEqual([status, code]);
    return r.json() as { detail: string };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-day2-api-'));
    const { tango } = await buildExamplePackages(dir);
    await callback.start();
    t = await openTestApp('pglite', 'day2-api', { host: '127.0.0.1', port: 0, opDeadlineSeconds: 60 });
    url = await t.composition.listen();
    await t.composition.start({ monitoring: true, worker: true, reconciler: false });
    const pkg = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.statusCode, pkg.body).toBe(201);
    const pop = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'memory', endpoint: 'memory://day2' } });
    expect(pop.statusCode, pop.body).toBe(201);
    const sub = await t.app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: `${callback.url}/lcm`, filter: { notificationTypes: ['NsLcmOperationOccurrenceNotification'] } } });
    expect(sub.statusCode, sub.body).toBe(201);
    const created = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: pkg.json().service_uuid, nsName: 'day2' } });
    expect(created.statusCode, created.body).toBe(201);
    nsId = created.json().id;
  });

  afterAll(async () => {
    await t?.close();
    await callback.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 409 for an NS not instantiated, 404 for an unknown one', async () => {
    await refused('heal', { healNsData: { degreeHealing: 'HEAL_RESTORE' } }, 409, 'NS_STATE_CONFLICT');
    await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: 'x', changeStateTo: 'STOPPED' }] }, 409, 'NS_STATE_CONFLICT');
    const missing = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances/no-such-ns/heal', payload: { healNsData: { degreeHealing: 'HEAL_RESTORE' } } });
    expect(missing.statusCode).toBe(404);
    const inst = await task('instantiate', { nsFlavourId: 'default' });
    expect(inst.operationState).toBe('COMPLETED');
    const ns = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    expect(ns._links.heal.href).toMatch(new RegExp(`/nslcm/v1/ns_instances/${nsId}/heal$`));
    expect(ns._links.update.href).toMatch(new RegExp(`/nslcm/v1/ns_instances/${nsId}/update$`));
    expect(ns._links.instantiate).toBeUndefined();
    expect(ns.vnfInstance.map((v: VnfView) => v.instantiatedVnfInfo.vnfState)).toEqual(['STARTED', 'STARTED', 'STARTED']);
  });

  it('checks request bodies by their SOL005 field names (400), and answers 422 for what it does not carry out or know', async () => {
    const fw = await vnf('firewall');
    const sap = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json().sapInfo[0].id as string;
    // Misspelt or unknown members, wrong enums: 400 before anything is looked at.
    await refused('heal', { healVnfdata: [{ vnfInstanceId: fw.id }] }, 400, 'VALIDATION_FAILED');
    await refused('heal', { healVnfData: [{ vnfInstanceId: fw.id, reason: 'x' }] }, 400, 'VALIDATION_FAILED');
    await refused('heal', { healNsData: { degreeHealing: 'RESTORE' } }, 400, 'VALIDATION_FAILED');
    await refused('update', { updateType: 'OPERATE_VNFS' }, 400, 'VALIDATION_FAILED');
    await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'PAUSED' }] }, 400, 'VALIDATION_FAILED');
    // SOL005's rules between members: 400.
    await refused('heal', {}, 400, 'BAD_REQUEST');
    await refused('heal', { healVnfData: [] }, 400, 'BAD_REQUEST');
    await refused('heal', { healNsData: { degreeHealing: 'HEAL_RESTORE' }, healVnfData: [{ vnfInstanceId: fw.id }] }, 400, 'BAD_REQUEST');
    await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STOPPED', stopType: 'GRACEFUL' }] }, 400, 'BAD_REQUEST');
    await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STOPPED', gracefulStopTimeout: 3 }] }, 400, 'BAD_REQUEST');
    await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STARTED', stopType: 'FORCEFUL' }] }, 400, 'BAD_REQUEST');
    await refused('update', { updateType: 'OPERATE_VNF' }, 400, 'BAD_REQUEST');
    // Unknown VNF instances are named; a SAP is no VNF instance.
    const unknown = await refused('heal', { healVnfData: [{ vnfInstanceId: 'no-such-vnf', cause: 'x' }] }, 422, 'VNF_INSTANCE_UNKNOWN');
    expect(unknown.detail).toContain('no-such-vnf');
    expect((await refused('heal', { healVnfData: [{ vnfInstanceId: sap }] }, 422, 'VNF_INSTANCE_UNKNOWN')).detail).toContain('SAP');
    expect((await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: 'gone', changeStateTo: 'STOPPED' }] }, 422, 'VNF_INSTANCE_UNKNOWN')).detail).toContain('gone');
    // What Rondo does not carry out: 422 saying so.
    expect((await refused('update', { updateType: 'CHANGE_VNF_DF', changeVnfFlavourData: [{}] }, 422, 'NS_UPDATE_NOT_SUPPORTED')).detail).toMatch(/CHANGE_VNF_DF is not supported.*OPERATE_VNF/);
    // REMOVE_VNF / ADD_VNF / INSTANTIATE_VNF by their SOL005 names (`addVnfIstance` as the spec spells it).
    await refused('update', { updateType: 'ADD_VNF', addVnfInstance: [{ vnfInstanceId: 'x', vnfProfileId: 'client' }] }, 400, 'VALIDATION_FAILED');
    await refused('update', { updateType: 'INSTANTIATE_VNF', instantiateVnfData: [{ vnfdId: 'x' }] }, 400, 'VALIDATION_FAILED');
    await refused('update', { updateType: 'ADD_VNF' }, 400, 'BAD_REQUEST');
    await refused('update', { updateType: 'REMOVE_VNF', removeVnfInstanceId: [] }, 400, 'BAD_REQUEST');
    // 5GTANGO members have no vnf profile minimum: the NS always runs them.
    expect((await refused('update', { updateType: 'REMOVE_VNF', removeVnfInstanceId: [fw.id] }, 422, 'VNF_NOT_REMOVABLE')).detail).toMatch(/firewall \(vnf profile minimum 1\)/);
    await refused('update', { updateType: 'REMOVE_VNF', removeVnfInstanceId: [sap] }, 422, 'VNF_INSTANCE_UNKNOWN');
    expect((await refused('update', { updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: 'x', vnfProfileId: 'probe' }] }, 422, 'VNF_PROFILE_UNKNOWN')).detail).toContain('probe');
    await refused('update', { updateType: 'INSTANTIATE_VNF', instantiateVnfData: [{ vnfdId: 'no-such-vnfd', vnfFlavourId: 'default' }] }, 422, 'VNF_PROFILE_UNKNOWN');
    await refused('update', { updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: fw.id, vnfProfileId: 'firewall' }] }, 409, 'VNF_STATE_CONFLICT');
    await refused('heal', { healNsData: { degreeHealing: 'HEAL_QOS' } }, 422, 'HEAL_NOT_SUPPORTED');
    await refused('heal', { healNsData: { degreeHealing: 'HEAL_RESTORE', healScript: 'fix.sh' } }, 422, 'HEAL_NOT_SUPPORTED');
    // Already there.
    await refused('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STARTED' }] }, 409, 'VNF_STATE_CONFLICT');
    // Nothing was started by any of these.
    const ops = (await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_lcm_op_occs' })).json() as { lcmOperationType: string }[];
    expect(ops.map((o) => o.lcmOperationType)).toEqual(['INSTANTIATE']);
  });

  it('heals a killed VNF (202 + Location of a HEAL operation), then stops and starts it (UPDATE); notifications and events follow', async () => {
    const stream = new AbortController();
    const events = await fetch(`${url}/api/events?nsInstanceId=${nsId}`, { signal: stream.signal });
    expect(events.status).toBe(200);
    const frames = readSseFrames(events, 20_000);
    await frames.next((f) => f.event === 'rondo.hello');

    const before = await vnf('firewall');
    const oldCompute = before.instantiatedVnfInfo.vnfcResourceInfo[0]?.computeResource.resourceId as string;
    const engine = t.deps.services.vimRegistry?.get('dc1') as MemoryVimDriver;
    engine.kill(oldCompute);
    const body = { healVnfData: [{ vnfInstanceId: before.id, cause: 'container killed', additionalParams: { note: 'api test' } }] };
    const heal = await task('heal', body);
    expect(heal).toMatchObject({ lcmOperationType: 'HEAL', operationState: 'COMPLETED', isAutomaticInvocation: false, operationParams: body, nsInstanceId: nsId });
    expect(heal._links.rollback).toBeUndefined();
    expect(heal.steps.map((s: { kind: string }) => s.kind)).toEqual(['compute', 'route', 'start']);
    const healed = await vnf('firewall');
    const newCompute = healed.instantiatedVnfInfo.vnfcResourceInfo[0]?.computeResource.resourceId;
    expect(newCompute).not.toBe(oldCompute);
    expect((await engine.status(newCompute as string)).state).toBe('ACTIVE');
    expect(healed.interfaces).toEqual(before.interfaces);
    expect(healed.instantiatedVnfInfo.vnfState).toBe('STARTED');
    // The death raised an alarm; the re-created compute's start cleared it.
    const alarms = async () => (await t.app.inject({ method: 'GET', url: '/nsfm/v1/alarms' })).json() as { perceivedSeverity: string; alarmClearedTime?: string }[];
    const settled = (list: { alarmClearedTime?: string }[]) => list.length > 0 && list.every((a) => a.alarmClearedTime);
    for (const end = Date.now() + 5000; !settled(await alarms()) && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    expect((await alarms()).length).toBeGreaterThan(0);
    expect((await alarms()).filter((a) => !a.alarmClearedTime)).toEqual([]);

    const stop = await task('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: healed.id, changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 5 }] });
    expect(stop).toMatchObject({ lcmOperationType: 'UPDATE', operationState: 'COMPLETED', operationParams: { updateType: 'OPERATE_VNF' } });
    expect((await vnf('firewall')).instantiatedVnfInfo.vnfState).toBe('STOPPED');
    expect((await engine.status(newCompute as string)).state).toBe('STOPPED');
    expect(engine.execLog.at(-1)?.cmd).toEqual(['sh', '-c', 'rm -f /tmp/started']);
    await refused('heal', { healVnfData: [{ vnfInstanceId: healed.id }] }, 409, 'VNF_STATE_CONFLICT');
    const start = await task('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: healed.id, changeStateTo: 'STARTED' }] });
    expect(start.operationState).toBe('COMPLETED');
    expect((await vnf('firewall')).instantiatedVnfInfo.vnfState).toBe('STARTED');
    expect((await engine.status(newCompute as string)).state).toBe('ACTIVE');

    // SOL005 NsLcmOperationOccurrenceNotification: START and RESULT of each, with its type.
    const notes = () => callback.notifications.filter((n) => n.notificationType === 'NsLcmOperationOccurrenceNotification' && n.operation !== 'INSTANTIATE');
    await callback.waitFor(() => notes().length >= 6);
    expect(notes().map((n) => [n.operation, n.notificationStatus, n.operationState])).toEqual([
      ['HEAL', 'START', 'PROCESSING'], ['HEAL', 'RESULT', 'COMPLETED'],
      ['UPDATE', 'START', 'PROCESSING'], ['UPDATE', 'RESULT', 'COMPLETED'],
      ['UPDATE', 'START', 'PROCESSING'], ['UPDATE', 'RESULT', 'COMPLETED'],
    ]);
    expect(notes()[1]).toMatchObject({ nsLcmOpOccId: heal.id, nsInstanceId: nsId, _links: { nsLcmOpOcc: { href: `${url}/nslcm/v1/ns_lcm_op_occs/${heal.id}` } } });

    // Prometheus counts them by type, from their events (relayed through the outbox: waited for).
    const metrics = async (): Promise<string> => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    await expect.poll(metrics, { timeout: 10_000 }).toMatch(/rondo_lcm_operations_total\{operation="HEAL",state="COMPLETED"\} 1/);
    await expect.poll(metrics, { timeout: 10_000 }).toMatch(/rondo_lcm_operations_total\{operation="UPDATE",state="COMPLETED"\} 2/);

    // /api/events: the operations' state changes, with their type.
    const seen = await frames.next((f) => (f.data ?? '').includes(start.id) && (f.data ?? '').includes('COMPLETED'));
    const changes = seen.filter((f) => f.event === 'op.changed').map((f) => JSON.parse(f.data ?? '{}').payload as { lcmOperationType?: string; operationState: string });
    expect(changes.filter((c) => c.lcmOperationType === 'HEAL').map((c) => c.operationState)).toEqual(['PROCESSING', 'COMPLETED']);
    expect(changes.filter((c) => c.lcmOperationType === 'UPDATE').map((c) => c.operationState)).toEqual(['PROCESSING', 'COMPLETED', 'PROCESSING', 'COMPLETED']);
    // The VNF events of the killed compute, the re-created one and the stop and start are on the stream too.
    const vnfEvents = seen.filter((f) => f.event?.startsWith('vnf.')).map((f) => [f.event, JSON.parse(f.data ?? '{}').payload.vnfId]).filter(([, v]) => v === 'firewall');
    expect(vnfEvents.map(([e]) => e)).toEqual(['vnf.down', 'vnf.up', 'vnf.down', 'vnf.up']);
    stream.abort();
  });

  it('scales the firewall out and in (202 + Location of a SCALE operation); past the aspect limits 422 naming the aspect and its limit', async () => {
    const fw = await vnf('firewall');
    const scale = (scaleVnfType: string, numberOfSteps = 1, aspectId = 'vdu01') => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: fw.id, scaleVnfType, scaleByStepData: { aspectId, numberOfSteps } }] });
    const ns = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    expect(ns._links.scale.href).toMatch(new RegExp(`/nslcm/v1/ns_instances/${nsId}/scale$`));
    await refused('scale', { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: fw.id, scaleVnfType: 'SCALE_UP' }] }, 400, 'VALIDATION_FAILED');
    // SCALE_NS: this NSD declares no NS scaling aspect; adding or removing VNF instances is not done; malformed data is 400.
    const nsStep = (aspectId: string, scalingDirection = 'SCALE_OUT') => ({ scaleType: 'SCALE_NS', scaleNsData: { scaleNsByStepsData: { scalingDirection, aspectId, numberOfSteps: 1 } } });
    expect(await refused('scale', nsStep('capacity'), 422, 'SCALE_ASPECT_UNKNOWN')).toMatchObject({ detail: expect.stringContaining('no NS scaling aspect capacity; it declares none'), aspectId: 'capacity', aspects: [] });
    await refused('scale', { scaleType: 'SCALE_NS', scaleNsData: { vnfInstanceToBeRemoved: [fw.id] } }, 422, 'SCALE_NOT_SUPPORTED');
    await refused('scale', { scaleType: 'SCALE_NS', scaleNsData: {} }, 400, 'BAD_REQUEST');
    await refused('scale', nsStep('capacity', 'SCALE_UP'), 400, 'VALIDATION_FAILED');
    expect((await refused('scale', scale('SCALE_IN'), 422, 'SCALE_LIMIT_EXCEEDED')).detail).toMatch(/aspect vdu01 from level 0 to -1, past its minimum level 0/);
    expect((await refused('scale', scale('SCALE_OUT', 3), 422, 'SCALE_LIMIT_EXCEEDED')).detail).toMatch(/aspect vdu01 from level 0 to 3, past its maximum level 2/);
    expect((await refused('scale', scale('SCALE_OUT', 1, 'vdu02'), 422, 'SCALE_ASPECT_UNKNOWN')).detail).toContain('its aspects: vdu01');

    const body = scale('SCALE_OUT');
    const out = await task('scale', body);
    expect(out).toMatchObject({ lcmOperationType: 'SCALE', operationState: 'COMPLETED', operationParams: body });
    const info = (await vnf('firewall')).instantiatedVnfInfo as unknown as { scaleStatus: unknown; vnfcResourceInfo: { vduId: string; metadata: { aspectId?: string; scaleLevel?: number } }[] };
    expect(info.scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 1 }]);
    expect(info.vnfcResourceInfo.map((r) => [r.vduId, r.metadata.aspectId ?? null, r.metadata.scaleLevel ?? null])).toEqual([['vdu01', null, null], ['vdu01', 'vdu01', 1]]);
    const back = await task('scale', scale('SCALE_IN'));
    expect(back).toMatchObject({ lcmOperationType: 'SCALE', operationState: 'COMPLETED' });
    expect(((await vnf('firewall')).instantiatedVnfInfo as unknown as { scaleStatus: unknown }).scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 0 }]);
    expect((await vnf('firewall')).interfaces).toEqual(fw.interfaces);
    // Prometheus counts them with the other operations, from their events (relayed through the outbox: waited for).
    await expect.poll(async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body, { timeout: 10_000 }).toMatch(/rondo_lcm_operations_total\{operation="SCALE",state="COMPLETED"\} 2/);
  });
});

