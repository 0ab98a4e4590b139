/**
 * Placement across engines on the memory VIM, through the composition root and a real
 * store: each engine's reported capacity, minus what Rondo placed on every PoP of it,
 * bounds its PoPs (two PoPs on one engine share it); a PoP whose engine does not answer
 * is skipped, the operation and its `op.changed` event say so, and a pin to it is 409.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../support/store.js';
import { chainNsd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { VimError, systemClock } from '../../src/model/index.js';
import type { Capacity, IdGenerator, VimAccount } from '../../src/model/index.js';
import type { DescriptorSource, NsLifecycleService } from '../../src/lifecycle/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';

const account = (id: string, endpoint: string): VimAccount => ({
  id, name: id, type: 'memory', endpoint, capacity: null, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const counter = (prefix: string): IdGenerator => {
  let n = 0;
  return { next: () => `${prefix}${String(++n).padStart(6, '0')}` };
};
const MEMBERS = ['client', 'firewall', 'server', 'mgmt', 'input', 'output'];

describe('placement across engines (memory VIM, pglite store)', () => {
  let store: Store;
  let composition: Composition | undefined;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore('pglite', 'placement-pops.test.ts');
  });
  afterAll(async () => store?.close());
  afterEach(async () => composition?.close());

  /** Engines by endpoint (each its own memory driver and capacity), PoPs on them. */
  async function harness(engines: Record<string, Capacity | null>, accounts: VimAccount[]): Promise<{ service: NsLifecycleService; drivers: Record<string, MemoryVimDriver>; c: Composition }> {
    const drivers = Object.fromEntries(Object.entries(engines).map(([endpoint, capacity]) => [endpoint, new MemoryVimDriver({ name: endpoint, capacity })]));
    const descriptors: DescriptorSource = { getNsd: async () => chainNsd, getVnfds: async () => chainVnfds };
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 5, opDeadlineSeconds: 600, workerLeaseSeconds: 30, workerConcurrency: 2 });
    const c = await compose({
      config, role: 'worker', store, clock: systemClock, ids: counter(`pp${++seq}x`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors, vimAccounts: { list: async () => accounts }, vimDrivers: { memory: (a) => drivers[a.endpoint] as MemoryVimDriver }, workerOwner: `pp-${seq}`, workerPollMs: 200,
    });
    await c.services.vimRegistry.refresh();
    c.worker.start();
    composition = c;
    return { service: c.services.lifecycle, drivers, c };
  }
  const popsOf = async (service: NsLifecycleService, nsId: string): Promise<Record<string, string>> =>
    Object.fromEntries((await service.listVnfs(nsId)).map((v) => [v.memberId, v.popId]));
  const terminate = async (service: NsLifecycleService, nsId: string): Promise<void> => {
    const t = await service.terminate(nsId);
    expect((await service.waitForOp(t.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
  };

  it('two PoPs on one engine share its capacity, minus what Rondo placed there; the next NS goes to the other engine', async () => {
    // Engine A: 1.9 CPUs for dc1 and dc2 together; engine B (dc3): 4. Each chain needs 1.5 CPUs (3 VNFs × cpuBw 0.5).
    const { service, drivers } = await harness(
      { 'memory://a': { cpu: 1.9, memoryMiB: 8192 }, 'memory://b': { cpu: 4, memoryMiB: 8192 } },
      [account('dc1', 'memory://a'), account('dc2', 'memory://a'), account('dc3', 'memory://b')],
    );
    const first = await service.createNs({ nsdId: 'chain', nsName: 'first' });
    const op1 = await service.instantiate(first.id, { placement: 'capacity-aware' });
    expect((await service.waitForOp(op1.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(Object.values(await popsOf(service, first.id))).toEqual(MEMBERS.map(() => 'dc1'));

    // 0.4 CPU left on engine A: dc2 has no room of its own (it is the same engine), so everything goes to dc3.
    const second = await service.createNs({ nsdId: 'chain', nsName: 'second' });
    const plan = await service.dryRun({ nsInstanceId: second.id }, { placement: 'capacity-aware' });
    expect(plan.placement).toEqual(Object.fromEntries(MEMBERS.map((m) => [m, 'dc3'])));
    const op2 = await service.instantiate(second.id, { placement: 'capacity-aware' });
    expect((await service.waitForOp(op2.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(Object.values(await popsOf(service, second.id))).toEqual(MEMBERS.map(() => 'dc3'));
    expect((await drivers['memory://b']?.listByLabel({ 'rondo.ns': second.id }))?.length).toBeGreaterThan(0);

    // Pinned to dc2 (engine A, 0.4 CPU free): refused before anything is made, naming the room left.
    const third = await service.createNs({ nsdId: 'chain', nsName: 'third' });
    await expect(service.instantiate(third.id, { placement: 'capacity-aware', pins: { client: 'dc2' } })).rejects.toMatchObject({
      code: 'PLACEMENT_NO_CAPACITY', status: 409, details: expect.objectContaining({ vnfId: 'client' }),
    });
    expect(await service.listOps({ nsInstanceId: third.id })).toEqual([]);

    // Once the first NS is gone, engine A has room again.
    await terminate(service, first.id);
    expect((await service.dryRun({ nsInstanceId: third.id }, { placement: 'capacity-aware' })).placement).toEqual(Object.fromEntries(MEMBERS.map((m) => [m, 'dc1'])));
    await terminate(service, second.id);
  });

  it('skips a PoP whose engine does not answer, says so on the operation and its event, and refuses a pin to it', async () => {
    const { service, drivers, c } = await harness({ 'memory://a': null, 'memory://b': null }, [account('dc1', 'memory://a'), account('dc2', 'memory://b')]);
    const events: { opId: string; placementSkipped?: unknown }[] = [];
    await c.services.bus.subscribe(['op.changed'], (e) => void events.push(e.payload as { opId: string; placementSkipped?: unknown }));
    const engineB = drivers['memory://b'] as MemoryVimDriver;
    const down = (): void => engineB.failNext('capacity', new VimError('CONNECTION', 'memory://b', 'connect ECONNREFUSED /run/engine-b.sock'));

    const pinned = await service.createNs({ nsdId: 'chain', nsName: 'pinned' });
    down();
    await expect(service.instantiate(pinned.id, { placement: 'round-robin', pins: { firewall: 'dc2' } })).rejects.toMatchObject({
      code: 'PLACEMENT_POP_DOWN', status: 409, details: expect.objectContaining({ member: 'firewall', popId: 'dc2' }),
    });
    expect(await service.listOps({ nsInstanceId: pinned.id })).toEqual([]);

    const ns = await service.createNs({ nsdId: 'chain', nsName: 'skips' });
    down();
    // round-robin would put the firewall on dc2; dc2 is down, so everything lands on dc1.
    const op = await service.instantiate(ns.id, { placement: 'round-robin' });
    const skipped = [{ popId: 'dc2', reason: expect.stringContaining('ECONNREFUSED') }];
    expect(op.placementSkipped).toEqual(skipped);
    expect((await service.waitForOp(op.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    expect(Object.values(await popsOf(service, ns.id))).toEqual(MEMBERS.map(() => 'dc1'));
    expect(await engineB.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
    expect((await service.getOp(op.id)).placementSkipped).toEqual(skipped);
    // The event of its creation says so; later changes of the operation do not repeat it.
    for (let i = 0; i < 100 && !events.some((e) => e.opId === op.id && e.placementSkipped); i++) await new Promise((r) => setTimeout(r, 50));
    const mine = events.filter((e) => e.opId === op.id);
    expect(mine[0]).toMatchObject({ opId: op.id, operationState: 'PROCESSING', previousState: null, placementSkipped: skipped });
    expect(mine.slice(1).every((e) => e.placementSkipped === undefined)).toBe(true);

    // Back up: a pin to it is taken again, and nothing is said to be skipped.
    const next = await service.createNs({ nsdId: 'chain', nsName: 'back' });
    const plan = await service.dryRun({ nsInstanceId: next.id }, { placement: 'round-robin', pins: Object.fromEntries(MEMBERS.map((m) => [m, 'dc2'])) });
    expect(plan.skippedPops).toBeUndefined();
    expect(plan.placement).toEqual(Object.fromEntries(MEMBERS.map((m) => [m, 'dc2'])));
    await terminate(service, ns.id);
  });
});
