import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import { chainNsd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { NotFoundError, systemClock } from '../../src/model/index.js';
import type { IdGenerator, Nsd, OpStep, VimAccount, Vnfd } from '../../src/model/index.js';
import type { DescriptorSource } from '../../src/lifecycle/index.js';
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
/** What a step is, without how it went. */
const planOf = (steps: readonly OpStep[]) => steps.map((s) => ({ id: s.id, seq: s.seq, phase: s.phase, kind: s.kind, target: s.target, popId: s.popId, params: s.params }));

/** A catalog whose answers a test changes while an operation is pending: VNFDs replaced, the NSD and packages deleted. */
class ChangingCatalog implements DescriptorSource {
  nsd: Nsd | undefined = chainNsd;
  vnfds: Readonly<Record<string, Vnfd>> | undefined = chainVnfds;
  pkgIds: Readonly<Record<string, string>> | undefined = { client: 'pkg-client-1', firewall: 'pkg-firewall-1', server: 'pkg-server-1' };
  getNsd = async (id: string): Promise<Nsd> => this.nsd ?? Promise.reject(new NotFoundError('NSD', id));
  getVnfds = async (id: string): Promise<Readonly<Record<string, Vnfd>>> => this.vnfds ?? Promise.reject(new NotFoundError('NSD', id));
  getVnfPkgIds = async (id: string): Promise<Readonly<Record<string, string>>> => this.pkgIds ?? Promise.reject(new NotFoundError('NSD', id));
}

describe.each(STORE_KINDS)('INSTANTIATE is planned once, by the request, %s store', (kind) => {
  let store: Store;
  let composition: Composition | undefined;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore(kind, `plan-once.test.ts-${kind}`);
  });
  afterAll(async () => store?.close());
  afterEach(async () => composition?.close());

  async function harness(catalog: DescriptorSource, driver: MemoryVimDriver): Promise<Composition> {
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 5, opDeadlineSeconds: 600, workerLeaseSeconds: 30, workerConcurrency: 2 });
    composition = await compose({
      config, role: 'worker', store, clock: systemClock, ids: counter(`${kind.slice(0, 2)}${++seq}p`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors: catalog, vimAccounts: { list: async () => [account('dc1'), account('dc2')] }, vimDrivers: { memory: () => driver }, workerOwner: `plan-once-${seq}`, workerPollMs: 200,
    });
    await composition.services.vimRegistry.refresh();
    return composition;
  }

  it('stores the plan with the operation, shows it in the dry run, and runs exactly it after the descriptors changed', async () => {
    const catalog = new ChangingCatalog();
    const driver = new MemoryVimDriver({ name: 'engine-a' });
    const c = await harness(catalog, driver);
    const service = c.services.lifecycle;
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'plan-once' });

    // The worker is not started yet: what the request stored is all there is.
    const dry = await service.dryRun({ nsInstanceId: ns.id });
    const op = await service.instantiate(ns.id);
    expect(op.operationState).toBe('PROCESSING');
    const stored = await service.listSteps(op.id);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((s) => s.state === 'PENDING')).toBe(true);
    expect(stored.map((s) => [s.seq, s.phase, s.kind, s.target, s.popId, s.params])).toEqual(dry.steps.map((s) => [s.seq, s.phase, s.kind, s.target, s.popId, s.params]));
    // The subnets the plan uses are held by the NS already (one per link).
    const held = await store.db.selectFrom('ip_allocations').select(['link_id', 'subnet']).where('ns_instance_id', '=', ns.id).execute();
    const networks = stored.filter((s) => s.kind === 'network');
    expect(held.map((h) => [h.link_id, h.subnet]).sort()).toEqual(networks.map((s) => [s.params['linkId'], s.params['subnet']]).sort());

    // The catalog changes under the pending operation: the NSD and the packages are gone, the VNFDs replaced.
    catalog.nsd = undefined;
    catalog.pkgIds = undefined;
    catalog.vnfds = Object.fromEntries(Object.entries(chainVnfds).map(([id, v]) => [id, { ...v, vdus: v.vdus.map((d) => ({ ...d, id: `${d.id}-new`, image: 'replaced/image:2' })), startCommands: ['echo replaced'] }]));

    c.worker.start();
    const done = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(done.error).toBeNull();
    expect(done.operationState).toBe('COMPLETED');
    const ran = await service.listSteps(op.id);
    expect(planOf(ran)).toEqual(planOf(stored));
    expect(ran.every((s) => s.state === 'DONE')).toBe(true);

    // What exists is what was stored: the original images, commands and addresses, nothing of the replacement.
    const computes = (await driver.listByLabel({ 'rondo.ns': ns.id })).filter((r) => r.kind === 'compute');
    expect(computes.map((r) => r.name).sort()).toEqual(stored.filter((s) => s.kind === 'compute').map((s) => s.target).sort());
    expect(driver.execLog.some((e) => e.cmd.join(' ').includes('echo replaced'))).toBe(false);
    expect(driver.execLog.some((e) => e.computeName.endsWith('-firewall') && e.cmd.join(' ').includes('iptables -A FORWARD -j ACCEPT'))).toBe(true);
    const vnfs = await service.listVnfs(ns.id);
    const firewall = vnfs.find((v) => v.memberId === 'firewall');
    const planned = stored.find((s) => s.kind === 'compute' && s.params['memberId'] === 'firewall');
    expect(firewall).toMatchObject({ vnfPkgId: 'pkg-firewall-1', state: 'STARTED' });
    // The VNFC keeps the VDU id of the VNFD the request read.
    expect(firewall?.vnfcs?.map((v) => v.vduId)).toEqual([chainVnfds['firewall']?.vdus[0]?.id]);
    expect(firewall?.interfaces.map((i) => i.address)).toEqual((planned?.params['interfaces'] as { address: string }[]).map((i) => i.address));

    catalog.nsd = chainNsd;
    catalog.vnfds = chainVnfds;
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
  });

  it('refuses a second instantiation without keeping its subnets or steps', async () => {
    const driver = new MemoryVimDriver({ name: 'engine-a' });
    const c = await harness(new ChangingCatalog(), driver);
    const service = c.services.lifecycle;
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'plan-once-409' });
    const op = await service.instantiate(ns.id);
    const before = await store.db.selectFrom('ip_allocations').select(['link_id', 'subnet']).where('ns_instance_id', '=', ns.id).orderBy('link_id').execute();
    // The NS is still NOT_INSTANTIATED, so only the open operation refuses it: in the transaction, after IPAM ran.
    await expect(service.instantiate(ns.id)).rejects.toMatchObject({ code: 'NS_OPERATION_IN_PROGRESS' });
    const after = await store.db.selectFrom('ip_allocations').select(['link_id', 'subnet']).where('ns_instance_id', '=', ns.id).orderBy('link_id').execute();
    expect(after).toEqual(before);
    const ops = await service.listOps({ nsInstanceId: ns.id });
    expect(ops.map((o) => o.id)).toEqual([op.id]);
    const steps = await store.db.selectFrom('op_steps').select('op_id').distinct().innerJoin('lcm_op_occs', 'lcm_op_occs.id', 'op_steps.op_id').where('lcm_op_occs.ns_instance_id', '=', ns.id).execute();
    expect(steps.map((s) => s.op_id)).toEqual([op.id]);
    c.worker.start();
    expect((await service.waitForOp(op.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
  });
});
