import { describe, expect, it } from 'vitest';
import type { Clock, VimAccount, VnfInstance } from '../model/index.js';
import { MemoryVimDriver } from '../vim/memory/memory-vim-driver.js';
import type { VimDriver } from '../vim/index.js';
import type { NsLiveness, ReconcileReport, ReconcileRepository } from './reconcile-types.js';
import { Reconciler } from './reconciler.js';

const at = (iso: string): Clock => ({ now: () => new Date(iso) });
const account = (id: string): VimAccount => ({ id, name: id, type: 'memory', endpoint: 'memory://x', capacity: null, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z' });

/** An in-memory ReconcileRepository: `live` is what the pass reads first, `later` what the re-check before deletion sees. */
function repo(live: Record<string, NsLiveness>, vnfs: VnfInstance[] = [], later: Record<string, NsLiveness> = live): ReconcileRepository & { failed: string[] } {
  const failed: string[] = [];
  return {
    failed,
    nsLiveness: async () => new Map(Object.entries(live)),
    nsLivenessOf: async (id) => later[id],
    settledVnfs: async () => vnfs.filter((v) => live[v.nsInstanceId]?.state === 'INSTANTIATED' && !live[v.nsInstanceId]?.openOp),
    markVnfFailed: async (id) => {
      if (failed.includes(id)) return undefined;
      failed.push(id);
      const v = vnfs.find((x) => x.id === id);
      return v && { ...v, state: 'FAILED' };
    },
  };
}

async function pop(id: string, items: { ns: string; name: string }[]): Promise<MemoryVimDriver> {
  const d = new MemoryVimDriver({ name: id, popId: id });
  for (const [i, it] of items.entries()) {
    const net = await d.createNetwork({ name: `${it.name}-net`, subnet: `10.9.${i}.0/29`, labels: { 'rondo.ns': it.ns, 'rondo.step': 's' } });
    await d.createCompute({ name: it.name, image: 'x', vcpus: 1, memoryMiB: 8, interfaces: [{ network: net.name, address: `10.9.${i}.2` }], env: {}, labels: { 'rondo.ns': it.ns, 'rondo.step': 's' } });
  }
  return d;
}

const registry = (drivers: Record<string, VimDriver>) => ({
  get: (id: string) => drivers[id] as VimDriver,
  accounts: () => Object.keys(drivers).map(account),
});

describe('Reconciler', () => {
  it('reports orphans of unknown and idle NOT_INSTANTIATED NSs, never those with an open operation or INSTANTIATED', async () => {
    const d = await pop('p1', [{ ns: 'gone', name: 'a' }, { ns: 'idle', name: 'b' }, { ns: 'busy', name: 'c' }, { ns: 'up', name: 'd' }]);
    const r = new Reconciler({
      repo: repo({ idle: { state: 'NOT_INSTANTIATED', openOp: false }, busy: { state: 'NOT_INSTANTIATED', openOp: true }, up: { state: 'INSTANTIATED', openOp: false } }),
      drivers: registry({ p1: d }), clock: at('2025-01-02T00:00:00Z'),
    });
    const dry = await r.runOnce({ dryRun: true });
    expect(dry.orphans.map((o) => `${o.ns}:${o.kind}:${o.reason}`)).toEqual(['gone:compute:NS_UNKNOWN', 'gone:network:NS_UNKNOWN', 'idle:compute:NS_NOT_INSTANTIATED', 'idle:network:NS_NOT_INSTANTIATED']);
    expect(dry.removed).toBe(0);
    expect(await d.listByLabel({})).toHaveLength(8);
    const real = await r.runOnce();
    expect(real.removed).toBe(4);
    expect((await d.listByLabel({})).map((x) => x.labels['rondo.ns']).sort()).toEqual(['busy', 'busy', 'up', 'up']);
  });

  it('re-reads an NS before deleting: one that got an operation since the pass began is left alone', async () => {
    const d = await pop('p1', [{ ns: 'racing', name: 'a' }]);
    const r = new Reconciler({ repo: repo({}, [], { racing: { state: 'NOT_INSTANTIATED', openOp: true } }), drivers: registry({ p1: d }), clock: at('2025-01-02T00:00:00Z') });
    const report = await r.runOnce();
    expect(report.orphans).toHaveLength(2);
    expect(report.removed).toBe(0);
    expect(await d.listByLabel({})).toHaveLength(2);
  });

  it('marks vanished VNFs once, calls onVanished, skips VNFs recorded after the listing and PoPs that cannot be listed', async () => {
    const d = await pop('p1', [{ ns: 'up', name: 'kept' }]);
    const kept = (await d.listByLabel({})).find((x) => x.kind === 'compute')?.id as string;
    const vnf = (id: string, popId: string, computeIds: string[], createdAt = '2025-01-01T00:00:00.000Z'): VnfInstance => ({
      id, nsInstanceId: 'up', memberId: id, kind: 'vnf', vnfdId: null, vnfdRef: null, popId, computeIds, interfaces: [], state: 'STARTED', createdAt,
    });
    const broken: VimDriver = Object.assign(Object.create(d) as VimDriver, { listByLabel: async () => Promise.reject(new Error('engine down')) });
    const events: VnfInstance[] = [];
    const store = repo({ up: { state: 'INSTANTIATED', openOp: false } }, [
      vnf('ok', 'p1', [kept]), vnf('lost', 'p1', ['cmp-404']), vnf('fresh', 'p1', ['cmp-405'], '2025-01-03T00:00:00.000Z'), vnf('elsewhere', 'p2', ['cmp-406']),
    ]);
    const r = new Reconciler({ repo: store, drivers: registry({ p1: d, p2: broken }), clock: at('2025-01-02T00:00:00Z'), onVanished: (v) => void events.push(v) });
    const dry = await r.runOnce({ dryRun: true });
    expect(dry.vanished.map((v) => v.vnfInstanceId)).toEqual(['lost']);
    expect(events).toEqual([]);
    const report = await r.runOnce();
    expect(report.vanished).toEqual([{ nsInstanceId: 'up', vnfInstanceId: 'lost', memberId: 'lost', popId: 'p1', missingComputeIds: ['cmp-404'] }]);
    expect(report.errors).toEqual([{ pop: 'p2', code: 'UNEXPECTED', message: 'engine down' }]);
    expect(events.map((e) => [e.id, e.state])).toEqual([['lost', 'FAILED']]);
    expect((await r.runOnce()).vanished).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('periodic passes with periodicKeepOrphans report orphans without deleting them', async () => {
    const d = await pop('p1', [{ ns: 'gone', name: 'a' }]);
    const reports: ReconcileReport[] = [];
    const r = new Reconciler({ repo: repo({}), drivers: registry({ p1: d }), clock: at('2025-01-02T00:00:00Z'), intervalMs: 10, periodicKeepOrphans: true, onReport: (x) => void reports.push(x) });
    r.start();
    await expect.poll(() => reports.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await r.stop();
    expect(reports[0]).toMatchObject({ removed: 0, dryRun: false });
    expect(reports[0]?.orphans).toHaveLength(2);
    expect(await d.listByLabel({})).toHaveLength(2);
  });
});
