import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import { chainNsd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import type { ComputeInfo, ComputeSpec } from '../../src/vim/index.js';
import { systemClock } from '../../src/model/index.js';
import type { IdGenerator, VimAccount } from '../../src/model/index.js';
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

/** An engine whose compute creations hang until aborted; `entered` resolves when the first one hangs. */
class HangingEngine extends MemoryVimDriver {
  #entered!: () => void;
  readonly entered = new Promise<void>((resolve) => (this.#entered = resolve));
  override async createCompute(spec: ComputeSpec, signal?: AbortSignal): Promise<ComputeInfo> {
    if (spec.labels['rondo.ns'] === undefined) return super.createCompute(spec, signal);
    this.#entered();
    return new Promise<ComputeInfo>((_, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  }
}

/**
 * The wake-ups that replaced polls: polls are set to ten minutes here, so only a
 * notification can move the operation on. On PostgreSQL the API and the worker are two
 * compositions sharing nothing but the database (each its own notifier and in-process
 * bus): LISTEN/NOTIFY carries the new operation and the cancel between them.
 */
describe.each(STORE_KINDS)('operation wake-ups without polling, %s store', (kind) => {
  let store: Store;
  const open: Composition[] = [];
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore(kind, `op-wakeups.test.ts-${kind}`);
  });
  afterAll(async () => store?.close());
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) await c.close();
  });

  async function composition(role: 'api' | 'worker', driver: MemoryVimDriver): Promise<Composition> {
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 600, opDeadlineSeconds: 1200, workerLeaseSeconds: 60, workerConcurrency: 2 });
    const c = await compose({
      config, role, store, clock: systemClock, ids: counter(`${kind.slice(0, 2)}${++seq}w`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors: { getNsd: async () => chainNsd, getVnfds: async () => chainVnfds }, vimAccounts: { list: async () => [account('dc1'), account('dc2')] }, vimDrivers: { memory: () => driver },
      workerOwner: `wake-${seq}`, workerPollMs: 600_000, cancelPollMs: 600_000, relayPollMs: 600_000,
    });
    open.push(c);
    await c.services.vimRegistry.refresh();
    return c;
  }

  it('a new operation wakes the worker and a FORCEFUL cancel aborts its hung step, each through a notification', async () => {
    const driver = new HangingEngine({ name: 'engine-a' });
    const worker = await composition('worker', driver);
    // PGlite is one process's: the API is the worker's own composition there.
    const api = kind === 'postgres' ? await composition('api', driver) : worker;
    worker.worker.start();
    const service = api.services.lifecycle;
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'wake' });
    const op = await service.instantiate(ns.id);
    // Claimed and running although the worker polls every ten minutes: the creation woke it.
    await driver.entered;
    const asked = await service.cancel(op.id, 'FORCEFUL');
    expect(asked.isCancelPending).toBe(true);
    // The hung step is aborted (its deadline is ten minutes away): the cancel woke the executor.
    const end = await service.waitForOp(op.id, { timeoutMs: 60_000, until: (o) => o.operationState === 'FAILED_TEMP' });
    expect(end.error).toMatchObject({ code: 'OP_CANCELLED' });
    const steps = await service.listSteps(op.id);
    expect(steps.filter((s) => s.kind === 'compute' && s.state === 'DONE')).toEqual([]);
    expect(steps.some((s) => s.kind === 'compute' && s.state === 'FAILED')).toBe(true);
    // Rolled back through the same wake-ups: nothing left on the engine.
    await service.rollback(op.id);
    expect((await service.waitForOp(op.id, { timeoutMs: 60_000 })).operationState).toBe('ROLLED_BACK');
    expect(await driver.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
  });
});
