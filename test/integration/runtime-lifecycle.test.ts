import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import { chainNsd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { VimError, systemClock } from '../../src/model/index.js';
import { inSubnet, overlappedIndexes, parseIpv4 } from '../../src/ipam/index.js';
import type { NetworkInfo, NetworkSpec } from '../../src/vim/index.js';
import type { IdGenerator, Nsd, VimAccount, Vnfd } from '../../src/model/index.js';
import type { DescriptorSource, LifecycleWorker, NsLifecycleService } from '../../src/lifecycle/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';

const account = (id: string, capacity = { cpu: 16, memoryMiB: 65_536 }): VimAccount => ({
  id, name: id, type: 'memory', endpoint: 'memory://engine-a', capacity, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const counter = (prefix: string): IdGenerator => {
  let n = 0;
  return { next: () => `${prefix}${String(++n).padStart(6, '0')}` };
};

interface Harness {
  service: NsLifecycleService;
  driver: MemoryVimDriver;
  worker: LifecycleWorker;
  composition: Composition;
}

describe.each(STORE_KINDS)('NS lifecycle on the memory VIM, %s store', (kind) => {
  let store: Store;
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore(kind, `runtime-lifecycle.test.ts-${kind}`);
  });
  afterAll(async () => store?.close());
  afterEach(async () => h?.composition.close());

  /**
   * A fresh service + worker over the shared store, built by the composition root with a
   * memory engine for both PoPs (accounts given here, not stored) and fixed descriptors.
   */
  async function harness(opts: { accounts?: VimAccount[]; nsd?: Nsd; vnfds?: Record<string, Vnfd>; autoStart?: boolean; driver?: MemoryVimDriver } = {}): Promise<Harness> {
    const driver = opts.driver ?? new MemoryVimDriver({ name: 'engine-a' });
    const accounts = opts.accounts ?? [account('dc1'), account('dc2')];
    const descriptors: DescriptorSource = { getNsd: async () => opts.nsd ?? chainNsd, getVnfds: async () => opts.vnfds ?? chainVnfds };
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 5, opDeadlineSeconds: 600, workerLeaseSeconds: 30, workerConcurrency: 2 });
    const composition = await compose({
      config, role: 'worker', store, clock: systemClock, ids: counter(`${kind.slice(0, 2)}${++seq}x`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors, vimAccounts: { list: async () => accounts }, vimDrivers: { memory: () => driver }, workerOwner: `w-${seq}`, workerPollMs: 200,
    });
    await composition.services.vimRegistry.refresh();
    if (opts.autoStart !== false) composition.worker.start();
    h = { service: composition.services.lifecycle, driver, worker: composition.worker, composition };
    return h;
  }

  it('instantiates the example chain on two PoPs, then terminates it without leftovers', async () => {
    const { service, driver } = await harness();
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'chain' });
    const op = await service.instantiate(ns.id, { placement: 'round-robin-with-saps' });
    expect(op.operationState).toBe('PROCESSING');
    const done = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(done.operationState).toBe('COMPLETED');
    expect((await service.getNs(ns.id)).state).toBe('INSTANTIATED');

    const resources = await driver.listByLabel({ 'rondo.ns': ns.id });
    expect(resources.filter((r) => r.kind === 'network')).toHaveLength(5);
    expect(resources.filter((r) => r.kind === 'compute').map((r) => r.name.split('-').slice(2).join('-')).sort()).toEqual(['client', 'firewall', 'input', 'mgmt', 'output', 'server']);
    const fw = resources.find((r) => r.name.endsWith('-firewall'));
    expect(fw?.labels).toMatchObject({ 'rondo.ns': ns.id, 'rondo.vnf': 'firewall' });
    expect(fw?.labels['rondo.step']).toBeTruthy();

    const vnfs = await service.listVnfs(ns.id);
    const byMember = Object.fromEntries(vnfs.map((v) => [v.memberId, v]));
    expect(byMember['firewall']).toMatchObject({ popId: 'dc2', kind: 'vnf', state: 'STARTED' });
    expect(byMember['client']?.popId).toBe('dc1');
    expect(byMember['input']).toMatchObject({ kind: 'sap', popId: 'dc1' });
    expect(byMember['firewall']?.interfaces.map((i) => [i.cp, i.address, i.ifName])).toEqual([['mgmt', '10.20.0.4', 'eth0'], ['input', '10.30.0.3', 'eth1'], ['output', '10.20.1.2', 'eth2']]);

    const execs = driver.execLog.map((e) => `${e.computeName.split('-').slice(2).join('-')}: ${e.cmd.join(' ')}`);
    expect(execs).toEqual(expect.arrayContaining([
      'input: ip route replace 10.10.0.8/29 via 10.10.0.3 dev eth0',
      'client: ip route replace 10.10.0.8/29 via 10.30.0.3 dev eth2',
      'firewall: ip route replace 10.10.0.8/29 via 10.20.1.3 dev eth2',
      'firewall: ip route replace 10.10.0.0/29 via 10.30.0.2 dev eth1',
      'server: ip route replace 10.10.0.0/29 via 10.20.1.2 dev eth1',
      'output: ip route replace 10.10.0.0/29 via 10.10.0.10 dev eth0',
    ]));
    expect(execs.some((e) => e.startsWith('firewall: sh -c nohup') && e.includes('iptables -A FORWARD -j ACCEPT'))).toBe(true);
    expect(execs.some((e) => e.startsWith('server: sh -c nohup') && e.includes('httpd -p 80'))).toBe(true);

    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    expect(driver.execLog.some((e) => e.computeName.endsWith('-server') && e.cmd.join(' ') === 'sh -c killall httpd')).toBe(true);
    expect((await service.getNs(ns.id)).state).toBe('NOT_INSTANTIATED');
    expect(await service.listVnfs(ns.id)).toEqual([]);
    await service.deleteNs(ns.id);
    await expect(service.getNs(ns.id)).rejects.toMatchObject({ status: 404 });
  });

  /** The NS's subnets, and whether any overlaps `cidr`. */
  const overlapping = async (nsId: string, cidr: string): Promise<string[]> =>
    (await store.db.selectFrom('ip_allocations').select('subnet').where('ns_instance_id', '=', nsId).execute())
      .map((r) => r.subnet)
      .filter((s) => overlappedIndexes('elan', [s]).some((i) => overlappedIndexes('elan', [cidr]).includes(i)) || overlappedIndexes('sap', [s]).some((i) => overlappedIndexes('sap', [cidr]).includes(i)) || overlappedIndexes('eline', [s]).some((i) => overlappedIndexes('eline', [cidr]).includes(i)));

  it('skips the subnets that networks made by someone else already use on the engine', async () => {
    const driver = new MemoryVimDriver({ name: 'engine-a' });
    // Another installation's networks over the first subnets of every pool.
    const foreign = ['10.10.0.0/26', '10.20.0.0/23', '10.30.0.0/26'];
    for (const [i, subnet] of foreign.entries()) await driver.createNetwork({ name: `someone-else-${i}`, subnet, labels: { owner: 'someone-else' } });
    const { service } = await harness({ driver });
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'beside-foreign' });
    const dry = await service.dryRun({ nsInstanceId: ns.id });
    const op = await service.instantiate(ns.id);
    expect((await service.waitForOp(op.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    for (const f of foreign) expect(await overlapping(ns.id, f)).toEqual([]);
    // The dry run saw them too: it showed the subnets the instantiation then took.
    const taken = (await service.listSteps(op.id)).filter((s) => s.kind === 'network').map((s) => s.params['subnet']).sort();
    expect(dry.steps.filter((s) => s.kind === 'network').map((s) => (s.params as { subnet?: string }).subnet).sort()).toEqual(taken);
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect((await driver.listByLabel({ owner: 'someone-else' })).map((r) => r.name).sort()).toEqual(['someone-else-0', 'someone-else-1', 'someone-else-2']);
  });

  it('plans again when someone takes a planned subnet before its network is made', async () => {
    /** An engine where another installation creates a network on the subnet Rondo is about to use, just before it does. */
    class RacedEngine extends MemoryVimDriver {
      raced: string | null = null;
      override async createNetwork(spec: NetworkSpec, signal?: AbortSignal): Promise<NetworkInfo> {
        if (this.raced === null && spec.labels['rondo.ns'] !== undefined) {
          this.raced = spec.subnet;
          await super.createNetwork({ name: 'someone-faster', subnet: spec.subnet, labels: { owner: 'someone-else' } }, signal);
        }
        return super.createNetwork(spec, signal);
      }
    }
    const driver = new RacedEngine({ name: 'engine-a' });
    const { service } = await harness({ driver });
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'raced' });
    const op = await service.instantiate(ns.id);
    const end = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(end.error).toBeNull();
    expect(end.operationState).toBe('COMPLETED');
    expect(driver.raced).not.toBeNull();
    expect(await overlapping(ns.id, driver.raced as string)).toEqual([]);
    // One plan, fully done: the first one's steps (and its networks) are gone.
    const steps = await service.listSteps(op.id);
    expect(steps.every((s) => s.state === 'DONE')).toBe(true);
    const nets = (await driver.listByLabel({ 'rondo.ns': ns.id })).filter((r) => r.kind === 'network');
    expect(nets).toHaveLength(steps.filter((s) => s.kind === 'network').length);
    expect((await driver.listByLabel({ owner: 'someone-else' })).map((r) => r.name)).toEqual(['someone-faster']);
    // The stored plan was re-addressed, not planned again: every address lies in its link's new subnet.
    const held = new Map((await store.db.selectFrom('ip_allocations').select(['link_id', 'subnet']).where('ns_instance_id', '=', ns.id).execute()).map((r) => [r.link_id, r.subnet]));
    const addresses = (await service.listVnfs(ns.id)).flatMap((v) => v.interfaces.map((i) => [i.linkId, i.address] as const));
    expect(addresses.length).toBeGreaterThan(0);
    for (const [linkId, address] of addresses) expect(inSubnet(held.get(linkId) ?? '0.0.0.0/32', parseIpv4(address)), `${address} on ${linkId}`).toBe(true);
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
  });

  it('a missing image fails the compute step, then rolls back to nothing', async () => {
    const { service, driver } = await harness();
    driver.missingImages.add('vnf/firewall:latest');
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'bad-image' });
    const op = await service.instantiate(ns.id);
    const end = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(end.operationState).toBe('ROLLED_BACK');
    expect(end.error).toMatchObject({ code: 'VIM_NOT_FOUND', status: 502, vimKind: 'NOT_FOUND', step: expect.objectContaining({ kind: 'compute', popId: 'dc2' }) });
    // The detail names the step, its PoP and carries the VIM's message.
    expect(String(end.error?.detail)).toMatch(/compute rondo-\w+-firewall\) on PoP dc2 .*vnf\/firewall:latest/);
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    expect(await service.listVnfs(ns.id)).toEqual([]);
    expect((await service.getNs(ns.id)).state).toBe('NOT_INSTANTIATED');
    const steps = await service.listSteps(op.id);
    expect(steps.filter((s) => s.kind === 'network').every((s) => s.state === 'UNDONE')).toBe(true);
  });

  it('refuses an NS that does not fit with 409 before any VIM call', async () => {
    const { service, driver } = await harness({ accounts: [account('dc1', { cpu: 0.6, memoryMiB: 1024 }), account('dc2', { cpu: 0.4, memoryMiB: 1024 })] });
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'too-big' });
    await expect(service.instantiate(ns.id, { placement: 'capacity-aware' })).rejects.toMatchObject({ code: 'PLACEMENT_NO_CAPACITY', status: 409 });
    expect(await driver.listByLabel({})).toEqual([]);
    expect(await service.listOps({ nsInstanceId: ns.id })).toEqual([]);
  });

  it('answers 409 to a second operation while one runs, and retry completes after a transient failure', async () => {
    const { service, driver, worker } = await harness({ autoStart: false });
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'retry' });
    const op = await service.instantiate(ns.id, { autoRollback: false });
    await expect(service.instantiate(ns.id)).rejects.toMatchObject({ status: 409 });
    await expect(service.terminate(ns.id)).rejects.toMatchObject({ status: 409 });
    await expect(service.retry(op.id)).rejects.toMatchObject({ code: 'OP_ILLEGAL_STATE', status: 409 });
    driver.failNext('createCompute', new VimError('CONNECTION', 'engine-a', 'engine went away'));
    worker.start();
    const failed = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(failed.operationState).toBe('FAILED_TEMP');
    expect(failed.error).toMatchObject({ code: 'VIM_CONNECTION' });
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).not.toEqual([]);
    await expect(service.instantiate(ns.id)).rejects.toMatchObject({ code: 'NS_OPERATION_IN_PROGRESS', status: 409 });
    const retried = await service.retry(op.id);
    expect(retried.operationState).toBe('PROCESSING');
    const done = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(done.operationState).toBe('COMPLETED');
    expect(done.error).toBeNull();
    expect((await driver.listByLabel({ 'rondo.ns': ns.id })).filter((r) => r.kind === 'compute')).toHaveLength(6);
    const steps = await service.listSteps(op.id);
    expect(steps.every((s) => s.state === 'DONE')).toBe(true);
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
  });

  it('refuses a second INSTANTIATE whose state check saw the NS before the first completed (409, nothing stored)', async () => {
    const { service, driver, worker } = await harness({ autoStart: false });
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'race' });
    const first = await service.instantiate(ns.id);
    // The second request passes its state check (NOT_INSTANTIATED, the first still open), then
    // waits in its planning (asking the PoPs their subnets) while the first completes.
    const subnetsInUse = driver.subnetsInUse.bind(driver);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const planning = new Promise<void>((r) => (entered = r));
    driver.subnetsInUse = async (signal) => {
      entered();
      await gate;
      return subnetsInUse(signal);
    };
    const second = service.instantiate(ns.id);
    second.catch(() => undefined);
    await planning;
    worker.start();
    expect((await service.waitForOp(first.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    driver.subnetsInUse = subnetsInUse;
    release();
    await expect(second).rejects.toMatchObject({ code: 'NS_STATE_CONFLICT', status: 409 });
    expect((await service.listOps({ nsInstanceId: ns.id })).map((o) => o.id)).toEqual([first.id]);
    expect((await service.getNs(ns.id)).state).toBe('INSTANTIATED');
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
  });

  it('dry-runs a plan without touching the VIM or the IPAM', async () => {
    const { service, driver } = await harness();
    const plan = await service.dryRun({ nsdId: 'chain' }, { placement: 'first-pop' });
    expect(Object.values(plan.placement)).toEqual(Array(6).fill('dc1'));
    expect(plan.steps.length).toBeGreaterThan(10);
    expect(await driver.listByLabel({})).toEqual([]);
  });
});
