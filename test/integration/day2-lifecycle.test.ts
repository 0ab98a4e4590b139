/**
 * Day-2 operations on the memory VIM (issue #16, heal and operate): HEAL re-creates dead or
 * sick computes with the same addresses, MACs and interface names and runs their routes and
 * start commands again; OPERATE_VNF stops (stop commands, then the compute, kept) and
 * starts (compute, routes, start commands) VNFs; the request checks answer 409/422; a
 * failed step goes to FAILED_TEMP and retry finishes it; a worker that dies mid-heal is
 * replaced and the heal completes without re-running what was done.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import { chainNsd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { VimError, systemClock } from '../../src/model/index.js';
import type { IdGenerator, LcmOpOcc, VimAccount, VnfInstance } from '../../src/model/index.js';
import type { CrashPoints, DescriptorSource, NsLifecycleService } from '../../src/lifecycle/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';

const account = (id: string): VimAccount => ({
  id, name: id, type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 16, memoryMiB: 65_536 }, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const counter = (prefix: string): IdGenerator => {
  let n = 0;
  return { next: () => `${prefix}${String(++n).padStart(6, '0')}` };
};
const short = (name: string): string => name.split('-').slice(2).join('-');

interface Harness {
  readonly service: NsLifecycleService;
  readonly composition: Composition;
}

describe.each(STORE_KINDS)('day-2 operations on the memory VIM, %s store', (kind) => {
  let store: Store;
  let driver: MemoryVimDriver;
  let seq = 0;
  const open: Composition[] = [];
  beforeAll(async () => {
    store = await openTestStore(kind, `day2-lifecycle.test.ts-${kind}`);
  });
  afterAll(async () => store?.close());
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  /** A worker (and the service) over the shared store and one memory engine for dc1/dc2. */
  async function harness(opts: { crashPoints?: CrashPoints; leaseSeconds?: number; fresh?: boolean } = {}): Promise<Harness> {
    if (opts.fresh !== false) driver = new MemoryVimDriver({ name: 'engine-a' });
    const engine = driver;
    const descriptors: DescriptorSource = { getNsd: async () => chainNsd, getVnfds: async () => chainVnfds };
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 5, opDeadlineSeconds: 600, workerLeaseSeconds: opts.leaseSeconds ?? 30, workerConcurrency: 2 });
    const composition = await compose({
      config, role: 'worker', store, clock: systemClock, ids: counter(`${kind.slice(0, 2)}d${++seq}x`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors, vimAccounts: { list: async () => [account('dc1'), account('dc2')] }, vimDrivers: { memory: () => engine }, workerOwner: `w-${seq}`, workerPollMs: 100,
      ...(opts.crashPoints ? { crashPoints: opts.crashPoints } : {}),
    });
    open.push(composition);
    await composition.services.vimRegistry.refresh();
    composition.worker.start();
    return { service: composition.services.lifecycle, composition };
  }

  const settle = async (service: NsLifecycleService, op: LcmOpOcc): Promise<LcmOpOcc> => service.waitForOp(op.id, { timeoutMs: 30_000 });

  /** The example chain, instantiated on dc1/dc2. */
  async function chain(service: NsLifecycleService, name: string): Promise<{ nsId: string; vnf: (member: string) => Promise<VnfInstance> }> {
    const ns = await service.createNs({ nsdId: 'chain', nsName: name });
    const op = await service.instantiate(ns.id, { placement: 'round-robin-with-saps' });
    expect((await settle(service, op)).operationState).toBe('COMPLETED');
    const vnf = async (member: string) => (await service.listVnfs(ns.id)).find((v) => v.memberId === member) ?? expect.unreachable(member);
    return { nsId: ns.id, vnf };
  }

  const execsSince = (mark: number): string[] => driver.execLog.slice(mark).map((e) => `${short(e.computeName)}: ${e.cmd.join(' ')}`);

  it('HEAL re-creates a killed VNF with the same addresses, MACs and interface names; routes and start commands run again', async () => {
    const { service } = await harness();
    const { nsId, vnf } = await chain(service, 'heal-killed');
    const before = await vnf('firewall');
    const others = await service.listVnfs(nsId);
    const [oldId] = before.computeIds;
    driver.kill(oldId as string);
    expect((await driver.status(oldId as string)).state).toBe('ERROR');
    const mark = driver.execLog.length;

    const op = await service.heal(nsId, { vnfs: [{ vnfInstanceId: before.id, cause: 'killed' }] });
    expect(op).toMatchObject({ lcmOperationType: 'HEAL', operationState: 'PROCESSING', operationParams: { vnfs: [{ vnfInstanceId: before.id, cause: 'killed' }] } });
    const done = await settle(service, op);
    expect(done.operationState, JSON.stringify(done.error)).toBe('COMPLETED');

    const steps = await service.listSteps(op.id);
    expect(steps.map((s) => [s.phase, s.kind, short(s.target)])).toEqual([[1, 'compute', 'firewall'], [2, 'route', 'firewall'], [3, 'start', 'firewall']]);
    const after = await vnf('firewall');
    expect(after.computeIds).toHaveLength(1);
    expect(after.computeIds[0]).not.toBe(oldId);
    expect(after.interfaces).toEqual(before.interfaces);
    expect(after.state).toBe('STARTED');
    const now = await driver.status(after.computeIds[0] as string);
    expect(now).toMatchObject({ state: 'ACTIVE', name: steps[0]?.target });
    expect(now.interfaces?.map((i) => [i.address, i.ifName, i.macAddress])).toEqual(before.interfaces.map((i) => [i.address, i.ifName, i.macAddress]));
    expect((await driver.status(oldId as string)).state).toBe('DELETED');
    expect(steps[0]?.result).toMatchObject({ computeId: after.computeIds[0], replaced: oldId });
    // Only the firewall was touched: the other members keep their computes.
    for (const o of (await service.listVnfs(nsId)).filter((v) => v.memberId !== 'firewall')) expect(o.computeIds).toEqual(others.find((x) => x.memberId === o.memberId)?.computeIds);
    // Its routes and start command ran again, inside it only; no stop command (it was dead).
    const execs = execsSince(mark);
    expect(execs.filter((e) => e.startsWith('firewall: ip route replace'))).toHaveLength(2);
    expect(execs.some((e) => e.startsWith('firewall: sh -c nohup') && e.includes('iptables -A FORWARD -j ACCEPT'))).toBe(true);
    expect(execs.every((e) => e.startsWith('firewall: '))).toBe(true);
    expect(execs.some((e) => e.includes('iptables -F'))).toBe(false);

    // Nothing sick: a heal completes with nothing to do; `all` re-creates a running VNF, stop commands first.
    const idle = await settle(service, await service.heal(nsId, { vnfs: [{ vnfInstanceId: before.id }] }));
    expect(idle.operationState).toBe('COMPLETED');
    expect(await service.listSteps(idle.id)).toEqual([]);
    const mark2 = driver.execLog.length;
    const reset = await settle(service, await service.heal(nsId, { vnfs: [{ vnfInstanceId: before.id, all: true }] }));
    expect(reset.operationState).toBe('COMPLETED');
    expect((await service.listSteps(reset.id)).map((s) => s.kind)).toEqual(['stop', 'compute', 'route', 'start']);
    expect(execsSince(mark2)[0]).toBe('firewall: sh -c iptables -F');
    expect((await vnf('firewall')).computeIds[0]).not.toBe(after.computeIds[0]);
    expect((await vnf('firewall')).interfaces).toEqual(before.interfaces);
  });

  it('HEAL of the whole NS: RESTORE re-creates the dead and the unhealthy members (SAPs too), RESET every one', async () => {
    const { service } = await harness();
    const { nsId, vnf } = await chain(service, 'heal-ns');
    const before = await service.listVnfs(nsId);
    const id = (m: string) => before.find((v) => v.memberId === m)?.computeIds[0] as string;
    driver.kill(id('client'));
    driver.kill(id('input'), { exitCode: 0 });
    driver.setHealth(id('server'), 'unhealthy');
    driver.setHealth(id('firewall'), 'healthy');
    const mark = driver.execLog.length;
    const op = await settle(service, await service.heal(nsId, { degree: 'HEAL_RESTORE' }));
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');
    const steps = await service.listSteps(op.id);
    expect(steps.filter((s) => s.kind === 'compute').map((s) => short(s.target)).sort()).toEqual(['client', 'input', 'server']);
    // The unhealthy server still ran: its stop command first.
    expect(steps.filter((s) => s.kind === 'stop').map((s) => short(s.target))).toEqual(['server']);
    expect(execsSince(mark)[0]).toBe('server: sh -c killall httpd');
    expect(execsSince(mark).filter((e) => e.startsWith('input: ip route replace'))).toHaveLength(1);
    const after = await service.listVnfs(nsId);
    for (const m of ['client', 'input', 'server']) expect(after.find((v) => v.memberId === m)?.computeIds[0]).not.toBe(id(m));
    for (const m of ['firewall', 'mgmt', 'output']) expect(after.find((v) => v.memberId === m)?.computeIds[0]).toBe(id(m));
    for (const v of after) expect(v.interfaces).toEqual(before.find((b) => b.memberId === v.memberId)?.interfaces);
    expect((await driver.listByLabel({ 'rondo.ns': nsId })).filter((r) => r.kind === 'compute')).toHaveLength(6);

    const reset = await settle(service, await service.heal(nsId, { degree: 'HEAL_RESET' }));
    expect(reset.operationState).toBe('COMPLETED');
    expect((await service.listSteps(reset.id)).filter((s) => s.kind === 'compute')).toHaveLength(6);
    const ids = new Set((await service.listVnfs(nsId)).flatMap((v) => v.computeIds));
    expect([...ids].filter((x) => after.some((v) => v.computeIds.includes(x)))).toEqual([]);
    expect((await vnf('server')).state).toBe('STARTED');
  });

  it('OPERATE_VNF: a graceful stop runs the stop commands then stops the compute (kept); start brings it back with its routes and start commands', async () => {
    const { service } = await harness();
    const { nsId, vnf } = await chain(service, 'operate');
    const server = await vnf('server');
    const [cid] = server.computeIds as [string];
    const mark = driver.execLog.length;
    const stop = await service.update(nsId, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: server.id, changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 5 }] });
    expect(stop).toMatchObject({ lcmOperationType: 'UPDATE', operationParams: { updateType: 'OPERATE_VNF' } });
    expect((await settle(service, stop)).operationState).toBe('COMPLETED');
    expect((await service.listSteps(stop.id)).map((s) => [s.kind, s.params['action'] ?? null])).toEqual([['stop', null], ['compute', 'stop']]);
    expect(execsSince(mark)).toEqual(['server: sh -c killall httpd']);
    expect((await driver.status(cid)).state).toBe('STOPPED');
    expect(await vnf('server')).toMatchObject({ state: 'STOPPED', computeIds: [cid] });

    // Already stopped: 409; healing a stopped VNF: 409 (start it instead).
    await expect(service.update(nsId, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: server.id, changeStateTo: 'STOPPED' }] })).rejects.toMatchObject({ status: 409, code: 'VNF_STATE_CONFLICT' });
    await expect(service.heal(nsId, { vnfs: [{ vnfInstanceId: server.id }] })).rejects.toMatchObject({ status: 409, code: 'VNF_STATE_CONFLICT' });
    // A whole-NS heal leaves the stopped VNF alone.
    const restore = await settle(service, await service.heal(nsId, { degree: 'HEAL_RESTORE' }));
    expect(await service.listSteps(restore.id)).toEqual([]);

    const mark2 = driver.execLog.length;
    const start = await settle(service, await service.update(nsId, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: server.id, changeStateTo: 'STARTED' }] }));
    expect(start.operationState).toBe('COMPLETED');
    expect((await service.listSteps(start.id)).map((s) => s.kind)).toEqual(['compute', 'route', 'start']);
    expect((await driver.status(cid)).state).toBe('ACTIVE');
    expect(await vnf('server')).toMatchObject({ state: 'STARTED', computeIds: [cid] });
    const execs = execsSince(mark2);
    // The route toward the ingress went with the stopped compute's network namespace: it is back.
    expect(execs.filter((e) => /^server: ip route replace \S+ via \S+ dev eth1$/.test(e))).toHaveLength(1);
    expect(execs.some((e) => e.startsWith('server: sh -c nohup') && e.includes('httpd -p 80'))).toBe(true);

    // FORCEFUL (the default): no stop command, straight to the compute.
    const mark3 = driver.execLog.length;
    const forceful = await settle(service, await service.update(nsId, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: server.id, changeStateTo: 'STOPPED' }] }));
    expect(forceful.operationState).toBe('COMPLETED');
    expect(execsSince(mark3)).toEqual([]);
    expect((await service.listSteps(forceful.id))[0]?.params).toMatchObject({ action: 'stop', graceSeconds: 0 });
  });

  it('answers 409 for an NS not instantiated or busy, 422 for unknown VNFs, unsupported degrees and update types, 400 for a request that is neither', async () => {
    const { service } = await harness();
    const idle = await service.createNs({ nsdId: 'chain', nsName: 'idle' });
    await expect(service.heal(idle.id, { degree: 'HEAL_RESTORE' })).rejects.toMatchObject({ status: 409, code: 'NS_STATE_CONFLICT' });
    await expect(service.update(idle.id, { updateType: 'OPERATE_VNF', operateVnfData: [] })).rejects.toMatchObject({ status: 409, code: 'NS_STATE_CONFLICT' });
    const { nsId, vnf } = await chain(service, 'checks');
    const fw = await vnf('firewall');
    const sap = await vnf('input');
    await expect(service.heal(nsId, { vnfs: [{ vnfInstanceId: 'nope' }, { vnfInstanceId: fw.id }] })).rejects.toMatchObject({ status: 422, code: 'VNF_INSTANCE_UNKNOWN', details: { vnfInstanceIds: ['nope'] } });
    await expect(service.heal(nsId, { vnfs: [{ vnfInstanceId: sap.id }] })).rejects.toThrow(/is a SAP/);
    await expect(service.heal(nsId, {})).rejects.toMatchObject({ status: 400 });
    await expect(service.heal(nsId, { degree: 'HEAL_RESTORE', vnfs: [{ vnfInstanceId: fw.id }] })).rejects.toMatchObject({ status: 400 });
    await expect(service.heal(nsId, { degree: 'HEAL_QOS' })).rejects.toMatchObject({ status: 422, code: 'HEAL_NOT_SUPPORTED' });
    await expect(service.update(nsId, { updateType: 'CHANGE_VNF_DF' })).rejects.toMatchObject({ status: 422, code: 'NS_UPDATE_NOT_SUPPORTED' });
    await expect(service.update(nsId, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: 'gone', changeStateTo: 'STOPPED' }] })).rejects.toMatchObject({ status: 422, code: 'VNF_INSTANCE_UNKNOWN' });
    await expect(service.update(nsId, { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STARTED' }] })).rejects.toMatchObject({ status: 409, code: 'VNF_STATE_CONFLICT' });
    // One open operation per NS.
    driver.failNext('status', new VimError('CONNECTION', 'engine-a', 'engine went away'));
    const op = await service.heal(nsId, { vnfs: [{ vnfInstanceId: fw.id }] });
    await expect(service.heal(nsId, { degree: 'HEAL_RESTORE' })).rejects.toMatchObject({ status: 409, code: 'NS_OPERATION_IN_PROGRESS' });
    // The planning met an unreachable PoP: FAILED_TEMP, and retry plans again.
    const failed = await settle(service, op);
    expect(failed).toMatchObject({ operationState: 'FAILED_TEMP', error: { code: 'VIM_CONNECTION' } });
    await expect(service.rollback(op.id)).rejects.toMatchObject({ status: 409, code: 'OP_ROLLBACK_NOT_SUPPORTED' });
    await service.retry(op.id);
    expect((await settle(service, op)).operationState).toBe('COMPLETED');
  });

  it('a failed re-creation is FAILED_TEMP with the VNF record untouched; retry completes it', async () => {
    const { service } = await harness();
    const { nsId, vnf } = await chain(service, 'heal-retry');
    const fw = await vnf('firewall');
    driver.kill(fw.computeIds[0] as string);
    driver.failNext('createCompute', new VimError('QUOTA', 'engine-a', 'no room'));
    const op = await service.heal(nsId, { vnfs: [{ vnfInstanceId: fw.id }] });
    const failed = await settle(service, op);
    expect(failed).toMatchObject({ operationState: 'FAILED_TEMP', error: { code: 'VIM_QUOTA', step: { kind: 'compute' } } });
    expect((await vnf('firewall')).computeIds).toEqual(fw.computeIds);
    await service.retry(op.id);
    const done = await settle(service, op);
    expect(done.operationState).toBe('COMPLETED');
    const after = await vnf('firewall');
    expect(after.computeIds[0]).not.toBe(fw.computeIds[0]);
    expect((await driver.status(after.computeIds[0] as string)).state).toBe('ACTIVE');
    expect((await driver.listByLabel({ 'rondo.ns': nsId, 'rondo.vnf': 'firewall' })).map((r) => r.id)).toEqual(after.computeIds);
  });

  it('a worker that dies right after re-creating is replaced: the heal completes, nothing is re-created twice', async () => {
    const first = await harness({ leaseSeconds: 1 });
    const { nsId, vnf } = await chain(first.service, 'heal-crash');
    const fw = await vnf('firewall');
    await first.composition.close();
    open.splice(open.indexOf(first.composition), 1);

    // This worker "dies" (throws out of the executor, lease kept) once its first step is recorded DONE.
    let crashed = 0;
    const dying = await harness({ fresh: false, leaseSeconds: 1, crashPoints: { hit: (point) => { if (point === 'after-step-done' && crashed++ === 0) throw new Error('worker killed'); } } });
    driver.kill(fw.computeIds[0] as string);
    const mark = driver.execLog.length;
    const op = await dying.service.heal(nsId, { vnfs: [{ vnfInstanceId: fw.id }] });
    const [recreated] = await (async () => {
      for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
        const steps = await dying.service.listSteps(op.id);
        if (crashed > 0 && steps.some((s) => s.state === 'DONE')) return steps.filter((s) => s.state === 'DONE');
      }
      throw new Error('the worker never recorded a DONE step');
    })();
    await dying.composition.close();
    expect((await dying.service.getOp(op.id)).operationState).toBe('PROCESSING');
    expect(recreated?.kind).toBe('compute');
    // Nothing ran inside the new compute yet: the worker died before the routes.
    expect(execsSince(mark)).toEqual([]);

    const second = await harness({ fresh: false, leaseSeconds: 1 });
    const done = await settle(second.service, op);
    expect(done.operationState, JSON.stringify(done.error)).toBe('COMPLETED');
    const steps = await second.service.listSteps(op.id);
    expect(steps.every((s) => s.state === 'DONE')).toBe(true);
    const again = steps.find((s) => s.id === recreated?.id);
    expect(again?.startedAt).toBe(recreated?.startedAt);
    expect(again?.result?.['computeId']).toBe(recreated?.result?.['computeId']);
    expect((await vnf('firewall')).computeIds).toEqual([recreated?.result?.['computeId']]);
    expect((await driver.listByLabel({ 'rondo.ns': nsId, 'rondo.vnf': 'firewall' })).map((r) => r.id)).toEqual([recreated?.result?.['computeId']]);
    expect(execsSince(mark).filter((e) => e.includes('ip route replace'))).toHaveLength(2);
  });
});
