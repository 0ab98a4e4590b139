/**
 * SCALE on the memory VIM (issue #16, manual scale): SCALE_OUT adds firewall instances with
 * new addresses, its routes and start commands, then spreads the neighbours' routes over
 * every instance; SCALE_IN drains the neighbours first, runs the stop commands, removes the
 * instances and their addresses; past the aspect's limits it is a 422 with nothing stored
 * and no VIM call; a scale-out that fails half-way rolls back to the NS as it was; a worker
 * that dies mid-scale is replaced and the scale completes without making anything twice.
 * UPDATE REMOVE_VNF / INSTANTIATE_VNF / ADD_VNF (issue #16) take a member whose vnf profile
 * allows 0 instances out of the NS and bring it back, on the same harness.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../support/store.js';
import { chainNsd, chainVnfd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { VimError, systemClock } from '../../src/model/index.js';
import type { IdGenerator, LcmOpOcc, Nsd, VimAccount, Vnfd, VnfInstance } from '../../src/model/index.js';
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

/** The chain, its firewall scalable up to 3 instances (5GTANGO `scale_in_out.maximum: 3`: aspect `vdu01`, levels 0..2). */
const fw = chainVnfds['firewall'] as Vnfd;
const vnfds: Record<string, Vnfd> = {
  ...chainVnfds,
  firewall: {
    ...fw,
    vdus: fw.vdus.map((v) => ({ ...v, maxInstances: 3 })),
    deploymentFlavours: [{
      id: 'default', vduProfiles: [{ vdu: 'vdu01', minInstances: 1, maxInstances: 3 }], scalingAspects: ['vdu01'],
      instantiationLevels: [{ id: 'small', vduInstances: { vdu01: 1 } }, { id: 'large', vduInstances: { vdu01: 3 } }],
    }],
  },
};

/**
 * The chain plus a probe VNF on the management LAN and the firewall's egress LAN that no
 * forwarding path crosses; the probe's and the firewall's vnf profiles allow 0 instances.
 */
const probeVnfd = chainVnfd('probe', { startCommands: ['probe-daemon'], stopCommands: ['probe-flush'] });
const probeNsd: Nsd = {
  ...chainNsd,
  vnfs: [...chainNsd.vnfs.map((m) => (m.vnfId === 'firewall' ? { ...m, minInstances: 0 } : m)), { vnfId: 'probe', vnfd: probeVnfd.ref, minInstances: 0, maxInstances: 1 }],
  virtualLinks: chainNsd.virtualLinks.map((l) => (l.id === 'mgmt' || l.id === 'fw-2-server' ? { ...l, cpRefs: [...l.cpRefs, { kind: 'vnf' as const, vnfId: 'probe', cp: l.id === 'mgmt' ? 'mgmt' : 'input' }] } : l)),
};

/** The chain with an NS scaling aspect over the firewall (1 to 3 instances) and two NS instantiation levels. */
const nsd: Nsd = {
  ...chainNsd,
  scalingAspects: [{ id: 'capacity', levels: [{ id: 'base', vnfInstances: { firewall: 1 } }, { id: 'double', vnfInstances: { firewall: 2 } }, { id: 'triple', vnfInstances: { firewall: 3 } }] }],
  instantiationLevels: [{ id: 'small', vnfInstances: { firewall: 1 } }, { id: 'large', vnfInstances: { firewall: 3 } }],
};

// PostgreSQL only: the memory VIM makes the operations fast, and one store keeps the file lean (heal runs both).
describe.each(['postgres'] as const)('SCALE on the memory VIM, %s store', (kind) => {
  let store: Store;
  let driver: MemoryVimDriver;
  let seq = 0;
  const open: Composition[] = [];
  beforeAll(async () => {
    store = await openTestStore(kind, `scale-lifecycle.test.ts-${kind}`);
  });
  afterAll(async () => store?.close());
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  async function harness(opts: { crashPoints?: CrashPoints; fresh?: boolean; close?: (c: Composition) => void; nsd?: Nsd; vnfds?: Record<string, Vnfd> } = {}): Promise<NsLifecycleService> {
    if (opts.fresh !== false) driver = new MemoryVimDriver({ name: 'engine-a' });
    const engine = driver;
    const descriptors: DescriptorSource = { getNsd: async () => opts.nsd ?? nsd, getVnfds: async () => opts.vnfds ?? vnfds };
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 5, opDeadlineSeconds: 600, workerConcurrency: 2, workerLeaseSeconds: 1 });
    const composition = await compose({
      config, role: 'worker', store, clock: systemClock, ids: counter(`${kind.slice(0, 2)}s${++seq}x`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors, vimAccounts: { list: async () => [account('dc1'), account('dc2')] }, vimDrivers: { memory: () => engine }, workerOwner: `w-${seq}`, workerPollMs: 100,
      ...(opts.crashPoints ? { crashPoints: opts.crashPoints } : {}),
    });
    open.push(composition);
    opts.close?.(composition);
    await composition.services.vimRegistry.refresh();
    composition.worker.start();
    return composition.services.lifecycle;
  }

  const settle = async (service: NsLifecycleService, op: LcmOpOcc): Promise<LcmOpOcc> => service.waitForOp(op.id, { timeoutMs: 30_000 });

  async function chain(service: NsLifecycleService, name: string): Promise<{ nsId: string; vnf: (member: string) => Promise<VnfInstance> }> {
    const ns = await service.createNs({ nsdId: 'chain', nsName: name });
    expect((await settle(service, await service.instantiate(ns.id, { placement: 'first-pop' }))).operationState).toBe('COMPLETED');
    const vnf = async (member: string) => (await service.listVnfs(ns.id)).find((v) => v.memberId === member) ?? expect.unreachable(member);
    return { nsId: ns.id, vnf };
  }
  const execsSince = (mark: number): string[] => driver.execLog.slice(mark).map((e) => `${short(e.computeName)}: ${e.cmd.join(' ')}`);
  const firewalls = async (nsId: string) => (await driver.listByLabel({ 'rondo.ns': nsId, 'rondo.vnf': 'firewall' })).map((r) => short(r.name)).sort();
  const out = (vnfInstanceId: string, steps = 1) => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId, scaleVnfType: 'SCALE_OUT' as const, scaleByStepData: { aspectId: 'vdu01', numberOfSteps: steps } }] });
  const scaleIn = (vnfInstanceId: string, steps = 1) => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId, scaleVnfType: 'SCALE_IN' as const, scaleByStepData: { aspectId: 'vdu01', numberOfSteps: steps } }] });

  it('SCALE_OUT adds instances with new addresses, routes and start commands, then spreads the neighbours; SCALE_IN drains, stops and removes them', async () => {
    const service = await harness();
    const { nsId, vnf } = await chain(service, 'scale');
    const before = await vnf('firewall');
    const held = new Set((await service.listVnfs(nsId)).flatMap((v) => v.interfaces.map((i) => i.address)));
    const mark = driver.execLog.length;

    const op = await service.scale(nsId, out(before.id));
    expect(op).toMatchObject({ lcmOperationType: 'SCALE', operationState: 'PROCESSING', operationParams: { scaleType: 'SCALE_VNF' } });
    const done = await settle(service, op);
    expect(done.operationState, JSON.stringify(done.error)).toBe('COMPLETED');
    const steps = await service.listSteps(op.id);
    expect(steps.map((s) => [s.phase, s.kind, short(s.target)])).toEqual([
      [2, 'compute', 'firewall-vdu01-1'], [3, 'route', 'firewall-vdu01-1'], [4, 'start', 'firewall-vdu01-1'], [5, 'route', 'client'], [5, 'route', 'server'],
    ]);
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1']);
    const after = await vnf('firewall');
    expect(after.computeIds).toHaveLength(2);
    expect(after.computeIds[0]).toBe(before.computeIds[0]);
    // The VNF's recorded demand (what capacity-aware placement sums) counts both instances.
    const demand = async () => store.db.selectFrom('vnf_instances').select(['cpu', 'memory_mib']).where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(await demand()).toEqual({ cpu: 1, memory_mib: 512 });
    // SOL005 scaleStatus and one VNFC record per instance.
    expect(before.scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 0 }]);
    expect((await vnf('client')).scaleStatus).toEqual([]);
    expect(after.scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 1 }]);
    expect(after.vnfcs?.map((c) => [c.computeId, short(c.name), c.vduId, c.aspectId, c.scaleLevel])).toEqual([
      [before.computeIds[0], 'firewall', 'vdu01', undefined, undefined], [after.computeIds[1], 'firewall-vdu01-1', 'vdu01', 'vdu01', 1],
    ]);
    // One new address on each of the firewall's links, none held before.
    const added = after.interfaces.slice(before.interfaces.length);
    expect(added.map((i) => i.linkId)).toEqual(before.interfaces.map((i) => i.linkId));
    for (const i of added) expect(held.has(i.address)).toBe(false);
    const [newId] = after.computeIds.slice(1) as [string];
    expect((await driver.status(newId)).interfaces?.map((i) => i.address)).toEqual(added.map((i) => i.address));
    // Its routes and start command, as the first instance got them; then both neighbours spread over both instances.
    const execs = execsSince(mark);
    expect(execs.filter((e) => e.startsWith('firewall-vdu01-1: ip route replace'))).toHaveLength(2);
    expect(execs.some((e) => e.startsWith('firewall-vdu01-1: sh -c nohup') && e.includes('iptables -A FORWARD -j ACCEPT'))).toBe(true);
    const fwIn = (v: VnfInstance) => v.interfaces.filter((i) => i.cp === 'input').map((i) => i.address);
    const fwOut = (v: VnfInstance) => v.interfaces.filter((i) => i.cp === 'output').map((i) => i.address);
    const client = execs.filter((e) => e.startsWith('client: ')).join('\n');
    for (const a of fwIn(after)) expect(client).toContain(`via ${a}`);
    const server = execs.filter((e) => e.startsWith('server: ')).join('\n');
    for (const a of fwOut(after)) expect(server).toContain(`via ${a}`);
    expect(steps.at(-1)?.params['routes']).toEqual([expect.objectContaining({ nexthops: fwOut(after) })]);

    // Level 2 is the most (3 instances): one more step, then past it a 422 naming the aspect and its limit, nothing stored, no VIM call.
    expect((await settle(service, await service.scale(nsId, out(before.id)))).operationState).toBe('COMPLETED');
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1', 'firewall-vdu01-2']);
    const ops = (await service.listOps({ nsInstanceId: nsId })).length;
    const calls = driver.execLog.length;
    await expect(service.scale(nsId, out(before.id))).rejects.toMatchObject({ status: 422, code: 'SCALE_LIMIT_EXCEEDED', details: { aspectId: 'vdu01', limit: 2, maximumScaleLevel: 2 } });
    await expect(service.scale(nsId, out(before.id))).rejects.toThrow(/aspect vdu01 .* maximum level 2/);
    await expect(service.scale(nsId, scaleIn(before.id, 3))).rejects.toMatchObject({ status: 422, code: 'SCALE_LIMIT_EXCEEDED', details: { limit: 0, minimumScaleLevel: 0 } });
    await expect(service.scale(nsId, { ...out(before.id), scaleVnfData: [{ vnfInstanceId: before.id, scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'nope' } }] })).rejects.toMatchObject({ status: 422, code: 'SCALE_ASPECT_UNKNOWN', details: { aspects: ['vdu01'] } });
    await expect(service.scale(nsId, { ...out((await vnf('client')).id) })).rejects.toMatchObject({ status: 422, code: 'SCALE_ASPECT_UNKNOWN' });
    await expect(service.scale(nsId, { scaleType: 'SCALE_NS', scaleNsData: { vnfInstanceToBeRemoved: [before.id] } })).rejects.toMatchObject({ status: 422, code: 'SCALE_NOT_SUPPORTED' });
    expect((await service.listOps({ nsInstanceId: nsId })).length).toBe(ops);
    expect(driver.execLog.length).toBe(calls);

    // SCALE_IN by 2: the neighbours stop sending to the two newest first, then their stop commands run, then they go.
    const full = await vnf('firewall');
    const mark2 = driver.execLog.length;
    const back = await settle(service, await service.scale(nsId, scaleIn(before.id, 2)));
    expect(back.operationState, JSON.stringify(back.error)).toBe('COMPLETED');
    const inSteps = await service.listSteps(back.id);
    expect(inSteps.map((s) => [s.phase, s.kind, short(s.target)])).toEqual([
      [0, 'route', 'client'], [0, 'route', 'server'], [1, 'stop', 'firewall-vdu01-2'], [1, 'stop', 'firewall-vdu01-1'], [2, 'compute', 'firewall-vdu01-2'], [2, 'compute', 'firewall-vdu01-1'],
    ]);
    const execs2 = execsSince(mark2);
    expect(execs2.findIndex((e) => e.startsWith('client: '))).toBeLessThan(execs2.findIndex((e) => e.includes('iptables -F')));
    // With one next hop left, the neighbours' spread blocks are deleted: no route via a removed address.
    expect(execs2.some((e) => e.startsWith('client: sh -c ip route del'))).toBe(true);
    const gone = full.interfaces.slice(before.interfaces.length).map((i) => i.address);
    for (const e of execs2.filter((x) => x.startsWith('client: ip route replace') || x.startsWith('server: ip route replace'))) for (const a of gone) expect(e).not.toContain(`via ${a} `);
    expect(await firewalls(nsId)).toEqual(['firewall']);
    expect(await vnf('firewall')).toMatchObject({ computeIds: before.computeIds, interfaces: before.interfaces, vnfcs: before.vnfcs, scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 0 }] });
    expect(await demand()).toEqual({ cpu: 0.5, memory_mib: 256 });
    for (const id of full.computeIds.slice(1)) expect((await driver.status(id)).state).toBe('DELETED');
  });

  it('a scale-out that fails half-way is FAILED_TEMP; rollback removes what it made and the VNF is as before', async () => {
    const service = await harness();
    const { nsId, vnf } = await chain(service, 'scale-rollback');
    const before = await vnf('firewall');
    const computes = (await driver.listByLabel({ 'rondo.ns': nsId })).length;
    driver.failNext('createCompute', new VimError('QUOTA', 'engine-a', 'no room'));
    const op = await service.scale(nsId, out(before.id, 2));
    const failed = await settle(service, op);
    expect(failed).toMatchObject({ operationState: 'FAILED_TEMP', error: { code: 'VIM_QUOTA' } });
    // The instance that was made is recorded (so a retry or a rollback knows it).
    expect((await vnf('firewall')).computeIds).toHaveLength(2);
    expect(await firewalls(nsId)).toHaveLength(2);
    await service.rollback(op.id);
    const rolled = await settle(service, op);
    expect(rolled.operationState, JSON.stringify(rolled.error)).toBe('ROLLED_BACK');
    expect(await firewalls(nsId)).toEqual(['firewall']);
    expect((await driver.listByLabel({ 'rondo.ns': nsId })).length).toBe(computes);
    expect(await vnf('firewall')).toMatchObject({ computeIds: before.computeIds, interfaces: before.interfaces, vnfcs: before.vnfcs, scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 0 }] });
    // The NS scales again from level 0, and a scale-in cannot be rolled back (retry or fail it).
    expect((await settle(service, await service.scale(nsId, out(before.id)))).operationState).toBe('COMPLETED');
    driver.failNext('deleteCompute', new VimError('CONNECTION', 'engine-a', 'engine went away'));
    const inOp = await settle(service, await service.scale(nsId, scaleIn(before.id)));
    expect(inOp.operationState).toBe('FAILED_TEMP');
    await expect(service.rollback(inOp.id)).rejects.toMatchObject({ status: 409, code: 'OP_ROLLBACK_NOT_SUPPORTED' });
    await service.retry(inOp.id);
    expect((await settle(service, inOp)).operationState).toBe('COMPLETED');
    expect(await firewalls(nsId)).toEqual(['firewall']);
  });

  it('UPDATE REMOVE_VNF takes a removable member out (computes, record, addresses); INSTANTIATE_VNF and ADD_VNF bring it back; an ADD_VNF that fails rolls back', async () => {
    const service = await harness({ nsd: probeNsd, vnfds: { ...vnfds, probe: probeVnfd } });
    const { nsId, vnf } = await chain(service, 'membership');
    const probe = await vnf('probe');
    expect(probe.interfaces.map((i) => i.linkId).sort()).toEqual(['fw-2-server', 'mgmt']);
    const probes = async () => (await driver.listByLabel({ 'rondo.ns': nsId, 'rondo.vnf': 'probe' })).map((r) => short(r.name));
    const held = async () => new Set((await service.listVnfs(nsId)).flatMap((v) => v.interfaces.map((i) => `${i.linkId}|${i.address}`)));
    const ops = (await service.listOps({ nsInstanceId: nsId })).length;

    // Refused before anything is stored: a member the NSD requires, one a forwarding path crosses, unknown ids and profiles, one that runs.
    await expect(service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: [(await vnf('client')).id] })).rejects.toMatchObject({ status: 422, code: 'VNF_NOT_REMOVABLE', details: { minInstances: { client: 1 } } });
    await expect(service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: [(await vnf('firewall')).id] })).rejects.toMatchObject({ status: 422, code: 'VNF_NOT_REMOVABLE', details: { forwardingPaths: [{ member: 'firewall', path: 'fg01/fp01' }] } });
    await expect(service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: ['nope'] })).rejects.toMatchObject({ status: 422, code: 'VNF_INSTANCE_UNKNOWN' });
    await expect(service.update(nsId, { updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: 'x', vnfProfileId: 'nope' }] })).rejects.toMatchObject({ status: 422, code: 'VNF_PROFILE_UNKNOWN' });
    await expect(service.update(nsId, { updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: 'x', vnfProfileId: 'probe' }] })).rejects.toMatchObject({ status: 409, code: 'VNF_STATE_CONFLICT' });
    expect((await service.listOps({ nsInstanceId: nsId })).length).toBe(ops);

    const mark = driver.execLog.length;
    const removed = await settle(service, await service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: [probe.id] }));
    expect(removed.operationState, JSON.stringify(removed.error)).toBe('COMPLETED');
    expect((await service.listSteps(removed.id)).map((s) => [s.phase, s.kind, short(s.target), s.params['action']])).toEqual([[0, 'stop', 'probe', undefined], [1, 'compute', 'probe', 'remove']]);
    expect(execsSince(mark)).toEqual(['probe: sh -c probe-flush']);
    expect(await probes()).toEqual([]);
    expect((await driver.status(probe.computeIds[0] as string)).state).toBe('DELETED');
    expect((await service.listVnfs(nsId)).map((v) => v.memberId)).not.toContain('probe');
    const free = await held();
    for (const i of probe.interfaces) expect(free.has(`${i.linkId}|${i.address}`)).toBe(false);

    // INSTANTIATE_VNF by VNFD: back with the addresses the instantiation gave it, its start command run.
    const mark2 = driver.execLog.length;
    const back = await settle(service, await service.update(nsId, { updateType: 'INSTANTIATE_VNF', instantiateVnfData: [{ vnfdId: probeVnfd.descriptorId, vnfFlavourId: 'default' }] }));
    expect(back.operationState, JSON.stringify(back.error)).toBe('COMPLETED');
    const again = await vnf('probe');
    expect(again.id).not.toBe(probe.id);
    expect(again.state).toBe('STARTED');
    expect(again.interfaces.map((i) => [i.linkId, i.address])).toEqual(probe.interfaces.map((i) => [i.linkId, i.address]));
    const info = await driver.status(again.computeIds[0] as string);
    expect(info.state).toBe('ACTIVE');
    expect(info.interfaces?.map((i) => i.address)).toEqual(probe.interfaces.map((i) => i.address));
    expect(execsSince(mark2).some((e) => e.startsWith('probe: sh -c nohup') && e.includes('probe-daemon'))).toBe(true);
    expect(await probes()).toEqual(['probe']);

    // ADD_VNF by vnf profile, after a second removal; its VIM fails once: FAILED_TEMP, rollback leaves nothing, then it is added.
    expect((await settle(service, await service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: [again.id] }))).operationState).toBe('COMPLETED');
    driver.failNext('createCompute', new VimError('QUOTA', 'engine-a', 'no room'));
    const add = { updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: again.id, vnfProfileId: 'probe' }] };
    const failed = await settle(service, await service.update(nsId, add));
    expect(failed).toMatchObject({ operationState: 'FAILED_TEMP', error: { code: 'VIM_QUOTA' } });
    await service.rollback(failed.id);
    expect((await settle(service, failed)).operationState).toBe('ROLLED_BACK');
    expect(await probes()).toEqual([]);
    expect((await service.listVnfs(nsId)).map((v) => v.memberId)).not.toContain('probe');
    const added = await settle(service, await service.update(nsId, add));
    expect(added.operationState, JSON.stringify(added.error)).toBe('COMPLETED');
    expect(await probes()).toEqual(['probe']);
    expect((await vnf('probe')).interfaces.map((i) => i.address)).toEqual(probe.interfaces.map((i) => i.address));
    // A removal cannot be rolled back (retry or fail it).
    driver.failNext('deleteCompute', new VimError('CONNECTION', 'engine-a', 'engine went away'));
    const stuck = await settle(service, await service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: [(await vnf('probe')).id] }));
    expect(stuck.operationState).toBe('FAILED_TEMP');
    await expect(service.rollback(stuck.id)).rejects.toMatchObject({ status: 409, code: 'OP_ROLLBACK_NOT_SUPPORTED' });
    await service.retry(stuck.id);
    expect((await settle(service, stuck)).operationState).toBe('COMPLETED');
    expect(await probes()).toEqual([]);
  });

  it('a worker that dies right after an ADD_VNF made the member\'s compute is replaced: the member is recorded once, nothing is made twice', async () => {
    const descriptors = { nsd: probeNsd, vnfds: { ...vnfds, probe: probeVnfd } };
    let first: Composition | undefined;
    const service = await harness({ ...descriptors, close: (c) => void (first = c) });
    const { nsId, vnf } = await chain(service, 'membership-crash');
    const probe = await vnf('probe');
    expect((await settle(service, await service.update(nsId, { updateType: 'REMOVE_VNF', removeVnfInstanceId: [probe.id] }))).operationState).toBe('COMPLETED');
    await first?.close();
    open.splice(open.indexOf(first as Composition), 1);
    let crashed = 0;
    let dying: Composition | undefined;
    const dyingService = await harness({ ...descriptors, fresh: false, close: (c) => void (dying = c), crashPoints: { hit: (point) => { if (point === 'after-step-done' && crashed++ === 0) throw new Error('worker killed'); } } });
    const op = await dyingService.update(nsId, { updateType: 'ADD_VNF', addVnfIstance: [{ vnfInstanceId: probe.id, vnfProfileId: 'probe' }] });
    for (const end = Date.now() + 10_000; !(crashed > 0 && (await dyingService.listSteps(op.id)).some((s) => s.state === 'DONE')); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > end) throw new Error('the worker never recorded a DONE step');
    }
    await dying?.close();
    expect((await dyingService.getOp(op.id)).operationState).toBe('PROCESSING');
    const made = (await dyingService.listSteps(op.id)).find((s) => s.state === 'DONE');
    expect(made?.kind).toBe('compute');

    const second = await harness({ ...descriptors, fresh: false });
    const done = await settle(second, op);
    expect(done.operationState, JSON.stringify(done.error)).toBe('COMPLETED');
    expect((await second.listSteps(op.id)).find((s) => s.id === made?.id)?.result?.['computeId']).toBe(made?.result?.['computeId']);
    expect((await driver.listByLabel({ 'rondo.ns': nsId, 'rondo.vnf': 'probe' })).map((r) => r.id)).toEqual([made?.result?.['computeId']]);
    expect((await second.listVnfs(nsId)).filter((v) => v.memberId === 'probe').map((v) => v.computeIds)).toEqual([[made?.result?.['computeId']]]);
  });

  it('a worker that dies right after making the new instance is replaced: the scale-out completes, nothing is made twice', async () => {
    let first: Composition | undefined;
    const service = await harness({ close: (c) => void (first = c) });
    const { nsId, vnf } = await chain(service, 'scale-crash');
    const fwId = (await vnf('firewall')).id;
    await first?.close();
    open.splice(open.indexOf(first as Composition), 1);
    // This worker "dies" (throws out of the executor, lease kept) once its first step is recorded DONE.
    let crashed = 0;
    let dying: Composition | undefined;
    const dyingService = await harness({ fresh: false, close: (c) => void (dying = c), crashPoints: { hit: (point) => { if (point === 'after-step-done' && crashed++ === 0) throw new Error('worker killed'); } } });
    const op = await dyingService.scale(nsId, out(fwId));
    for (const end = Date.now() + 10_000; !(crashed > 0 && (await dyingService.listSteps(op.id)).some((s) => s.state === 'DONE')); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > end) throw new Error('the worker never recorded a DONE step');
    }
    await dying?.close();
    expect((await dyingService.getOp(op.id)).operationState).toBe('PROCESSING');
    const made = (await dyingService.listSteps(op.id)).find((s) => s.state === 'DONE');
    expect(made?.kind).toBe('compute');

    const second = await harness({ fresh: false });
    const done = await settle(second, op);
    expect(done.operationState, JSON.stringify(done.error)).toBe('COMPLETED');
    const again = (await second.listSteps(op.id)).find((s) => s.id === made?.id);
    expect(again?.result?.['computeId']).toBe(made?.result?.['computeId']);
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1']);
    expect((await vnf('firewall')).computeIds).toHaveLength(2);
    expect((await vnf('firewall')).scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 1 }]);
  });

  it('SCALE_TO_INSTANTIATION_LEVEL and SCALE_TO_SCALE_LEVEL(S) go to a level by the steps it takes', async () => {
    const service = await harness();
    const { nsId, vnf } = await chain(service, 'scale-to-level');
    const id = (await vnf('firewall')).id;
    const to = (data: object, scaleVnfType = 'SCALE_TO_INSTANTIATION_LEVEL') => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: id, scaleVnfType: scaleVnfType as 'SCALE_OUT', scaleToLevelData: data }] });
    expect((await settle(service, await service.scale(nsId, to({ vnfInstantiationLevelId: 'large' })))).operationState).toBe('COMPLETED');
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1', 'firewall-vdu01-2']);
    expect((await vnf('firewall')).scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 2 }]);
    expect((await settle(service, await service.scale(nsId, to({ vnfScaleInfo: [{ aspectId: 'vdu01', scaleLevel: 1 }] }, 'SCALE_TO_SCALE_LEVEL(S)')))).operationState).toBe('COMPLETED');
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1']);
    await expect(service.scale(nsId, to({ vnfInstantiationLevelId: 'huge' }))).rejects.toMatchObject({ status: 422, code: 'SCALE_NOT_SUPPORTED', message: expect.stringContaining('its levels: small, large') });
    await expect(service.scale(nsId, to({ vnfScaleInfo: [{ aspectId: 'vdu01', scaleLevel: 5 }] }, 'SCALE_TO_SCALE_LEVEL(S)'))).rejects.toMatchObject({ status: 422, code: 'SCALE_LIMIT_EXCEEDED' });
    expect((await settle(service, await service.scale(nsId, to({ vnfInstantiationLevelId: 'small' })))).operationState).toBe('COMPLETED');
    expect(await firewalls(nsId)).toEqual(['firewall']);
  });
  it('SCALE_NS moves the NS aspect by steps and to a level: the firewall\'s aspect follows, the other VNFs stay', async () => {
    const service = await harness();
    const { nsId, vnf } = await chain(service, 'scale-ns');
    const byStep = (scalingDirection: 'SCALE_OUT' | 'SCALE_IN', numberOfSteps = 1) => ({ scaleType: 'SCALE_NS', scaleNsData: { scaleNsByStepsData: { scalingDirection, aspectId: 'capacity', numberOfSteps } } });
    const status = async () => Object.fromEntries(await Promise.all(['client', 'firewall', 'server'].map(async (m) => [m, (await vnf(m)).scaleStatus] as const)));

    const op = await service.scale(nsId, byStep('SCALE_OUT'));
    expect(op.operationParams).toEqual(byStep('SCALE_OUT'));
    expect((await settle(service, op)).operationState).toBe('COMPLETED');
    expect(await status()).toEqual({ client: [], firewall: [{ aspectId: 'vdu01', scaleLevel: 1 }], server: [] });
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1']);
    // At NS level "double", two more steps pass "triple": 422 naming the NS aspect and its limit, nothing stored.
    const ops = (await service.listOps({ nsInstanceId: nsId })).length;
    await expect(service.scale(nsId, byStep('SCALE_OUT', 2))).rejects.toMatchObject({ status: 422, code: 'SCALE_LIMIT_EXCEEDED', details: { nsScalingAspectId: 'capacity', nsScaleLevelId: 'double', limit: 'triple' } });
    await expect(service.scale(nsId, { scaleType: 'SCALE_NS', scaleNsData: { scaleNsByStepsData: { scalingDirection: 'SCALE_OUT', aspectId: 'vdu01' } } })).rejects.toMatchObject({ status: 422, code: 'SCALE_ASPECT_UNKNOWN', details: { aspects: ['capacity'] } });
    expect((await service.listOps({ nsInstanceId: nsId })).length).toBe(ops);

    expect((await settle(service, await service.scale(nsId, { scaleType: 'SCALE_NS', scaleNsData: { scaleNsToLevelData: { nsInstantiationLevel: 'large' } } }))).operationState).toBe('COMPLETED');
    expect((await vnf('firewall')).scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 2 }]);
    expect(await firewalls(nsId)).toEqual(['firewall', 'firewall-vdu01-1', 'firewall-vdu01-2']);
    expect((await settle(service, await service.scale(nsId, byStep('SCALE_IN', 2)))).operationState).toBe('COMPLETED');
    expect(await status()).toEqual({ client: [], firewall: [{ aspectId: 'vdu01', scaleLevel: 0 }], server: [] });
    expect(await firewalls(nsId)).toEqual(['firewall']);
  });
  it('nsInstantiationLevelId is honoured at instantiation: the firewall starts at the level it maps to, and SCALE_NS goes on from there', async () => {
    const service = await harness();
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'scale-ns-level' });
    await expect(service.instantiate(ns.id, { placement: 'first-pop', nsInstantiationLevelId: 'huge' })).rejects.toMatchObject({ status: 400, details: { levels: ['small', 'large'] } });
    expect(await service.listOps({ nsInstanceId: ns.id })).toEqual([]);
    const op = await settle(service, await service.instantiate(ns.id, { placement: 'first-pop', nsInstantiationLevelId: 'large' }));
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');
    expect(op.operationParams).toMatchObject({ nsInstantiationLevelId: 'large' });
    expect(await firewalls(ns.id)).toEqual(['firewall', 'firewall-vdu01-1', 'firewall-vdu01-2']);
    const fwVnf = (await service.listVnfs(ns.id)).find((v) => v.memberId === 'firewall');
    expect(fwVnf).toMatchObject({ scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 2 }] });
    expect(fwVnf?.computeIds).toHaveLength(3);
    expect(fwVnf?.vnfcs?.map((c) => [c.aspectId ?? null, c.scaleLevel ?? null])).toEqual([[null, null], ['vdu01', 1], ['vdu01', 2]]);
    // The neighbours already spread over the three instances.
    const outs = fwVnf?.interfaces.filter((i) => i.cp === 'input').map((i) => i.address) ?? [];
    const client = driver.execLog.filter((e) => short(e.computeName) === 'client').map((e) => e.cmd.join(' ')).join('\n');
    for (const a of outs) expect(client).toContain(`via ${a}`);
    expect((await settle(service, await service.scale(ns.id, { scaleType: 'SCALE_NS', scaleNsData: { scaleNsByStepsData: { scalingDirection: 'SCALE_IN', aspectId: 'capacity' } } }))).operationState).toBe('COMPLETED');
    expect(await firewalls(ns.id)).toEqual(['firewall', 'firewall-vdu01-1']);
  });
  it("a VNF whose VNFD starts a VDU with 2 instances (its own instantiation level) is instantiated with 2, at aspect level 1", async () => {
    const firewall = vnfds['firewall'] as Vnfd;
    const service = await harness({ nsd: chainNsd, vnfds: { ...vnfds, firewall: { ...firewall, vdus: firewall.vdus.map((v) => ({ ...v, initialInstances: 2 })) } } });
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'vnf-level' });
    const op = await settle(service, await service.instantiate(ns.id, { placement: 'first-pop' }));
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');
    expect(await firewalls(ns.id)).toEqual(['firewall', 'firewall-vdu01-1']);
    expect((await service.listVnfs(ns.id)).find((v) => v.memberId === 'firewall')).toMatchObject({ scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 1 }] });
  });
});
