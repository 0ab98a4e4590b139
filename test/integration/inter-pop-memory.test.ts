/**
 * Inter-PoP links on the memory VIM (no Docker): a link whose members sit on PoPs of
 * different engines is planned as one segment per engine plus a `tunnel` step, made,
 * shown in the dry run, rolled back when a tunnel fails, removed at terminate, and
 * refused (409 PLAN_NO_UNDERLAY, nothing made) when a PoP has no underlay.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../support/store.js';
import { chainNsd, chainVnfds } from '../support/tango-chain.js';
import type { Store } from '../../src/store/index.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { VimError, systemClock } from '../../src/model/index.js';
import type { IdGenerator, Nsd, VimAccount } from '../../src/model/index.js';
import type { DescriptorSource, NsLifecycleService } from '../../src/lifecycle/index.js';
import type { TunnelStepParams } from '../../src/lifecycle/ns-plan-types.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';

const account = (id: string, engine: string, config: Record<string, unknown> = {}): VimAccount => ({
  id, name: id, type: 'memory', endpoint: `memory://${engine}`, capacity: { cpu: 16, memoryMiB: 65_536 }, config, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const counter = (prefix: string): IdGenerator => {
  let n = 0;
  return { next: () => `${prefix}${String(++n).padStart(6, '0')}` };
};
/** Client on dc1, firewall on dc2, server on dc3; each SAP next to its VNF (mgmt with the client). */
const PINS = { client: 'dc1', input: 'dc1', mgmt: 'dc1', firewall: 'dc2', server: 'dc3', output: 'dc3' };
/** The chain with a bandwidth on the client → firewall link (5GTANGO `qos.bandwidth`, as the reader gives it). */
const shapedNsd: Nsd = { ...chainNsd, virtualLinks: chainNsd.virtualLinks.map((l) => (l.id === 'client-2-fw' ? { ...l, bandwidthMbps: 12 } : l)) };

describe('inter-PoP links on the memory VIM', () => {
  let store: Store;
  let composition: Composition | undefined;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore('pglite', 'inter-pop-memory.test.ts');
  });
  afterAll(async () => store?.close());
  afterEach(async () => composition?.close());

  /** Three engines (one memory driver each), PoPs dc1..dc3 one per engine. */
  async function harness(accounts: VimAccount[] = [account('dc1', 'a'), account('dc2', 'b'), account('dc3', 'c')], nsd: Nsd = shapedNsd) {
    const drivers = new Map<string, MemoryVimDriver>();
    const driverOf = (a: VimAccount): MemoryVimDriver => {
      let d = drivers.get(a.endpoint);
      if (!d) drivers.set(a.endpoint, (d = new MemoryVimDriver({ name: a.endpoint })));
      return d;
    };
    const descriptors: DescriptorSource = { getNsd: async () => nsd, getVnfds: async () => chainVnfds };
    const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 5, opDeadlineSeconds: 600, workerLeaseSeconds: 30, workerConcurrency: 2 });
    composition = await compose({
      config, role: 'worker', store, clock: systemClock, ids: counter(`ip${++seq}x`), env: { RONDO_SECRET_KEY: 'ab'.repeat(32) }, http: false,
      descriptors, vimAccounts: { list: async () => accounts }, vimDrivers: { memory: driverOf }, workerOwner: `w-ip-${seq}`, workerPollMs: 100,
    });
    await composition.services.vimRegistry.refresh();
    composition.worker.start();
    const engines = (['a', 'b', 'c'] as const).map((e) => driverOf(account('x', e)));
    return { service: composition.services.lifecycle as NsLifecycleService, engines };
  }

  it('plans a segment per engine and a tunnel per inter-PoP link, shown in the dry run; makes and removes them', async () => {
    const { service, engines } = await harness();
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'three-engines' });
    const dry = await service.dryRun({ nsInstanceId: ns.id }, { pins: PINS });
    const tunnels = dry.steps.filter((s) => s.kind === 'tunnel');
    // mgmt (E-LAN over all three), client-2-fw (dc1-dc2), fw-2-server (dc2-dc3); the SAP links stay on one PoP.
    expect(tunnels.map((s) => (s.params as TunnelStepParams).linkId).sort()).toEqual(['client-2-fw', 'fw-2-server', 'mgmt']);
    const mgmt = tunnels.find((s) => (s.params as TunnelStepParams).linkId === 'mgmt')?.params as TunnelStepParams;
    expect(mgmt.endpoints.map((e) => e.popId)).toEqual(['dc1', 'dc2', 'dc3']);
    const shaped = tunnels.find((s) => (s.params as TunnelStepParams).linkId === 'client-2-fw')?.params as TunnelStepParams;
    expect(shaped.bandwidthMbps).toBe(12);
    // One subnet per link on every segment; only the first segment holds the gateway.
    const segments = dry.steps.filter((s) => s.kind === 'network' && (s.params as { linkId: string }).linkId === 'mgmt');
    expect(segments.map((s) => [s.popId, (s.params as { subnet: string }).subnet, (s.params as { noGateway?: boolean }).noGateway ?? false])).toEqual([
      ['dc1', mgmt.subnet, false], ['dc2', mgmt.subnet, true], ['dc3', mgmt.subnet, true],
    ]);

    const op = await service.instantiate(ns.id, { pins: PINS, additionalParams: { linkBandwidths: { 'fw-2-server': 8 } } });
    expect((await service.waitForOp(op.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    const steps = await service.listSteps(op.id);
    const vnis = steps.filter((s) => s.kind === 'tunnel').map((s) => (s.params as unknown as TunnelStepParams).vni);
    expect(new Set(vnis).size).toBe(3);
    // Every endpoint points at the others of its link, with the link's rate.
    const [a, b, c] = engines as [MemoryVimDriver, MemoryVimDriver, MemoryVimDriver];
    const tun = (d: MemoryVimDriver, link: string) => [...d.tunnels.entries()].find(([name]) => name.endsWith(`-${link}-tun`))?.[1];
    expect(tun(a, 'mgmt')?.peers.slice().sort()).toEqual([tun(b, 'mgmt')?.underlayAddress, tun(c, 'mgmt')?.underlayAddress].sort());
    expect(tun(a, 'client-2-fw')).toMatchObject({ peers: [tun(b, 'client-2-fw')?.underlayAddress], bandwidthMbps: 12 });
    expect(tun(c, 'fw-2-server')).toMatchObject({ peers: [tun(b, 'fw-2-server')?.underlayAddress], bandwidthMbps: 8 });
    expect(tun(a, 'fw-2-server')).toBeUndefined();

    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    for (const d of engines) {
      expect(await d.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
      expect(d.tunnels.size).toBe(0);
    }
  });

  it('rolls back a tunnel that fails: no endpoint, network or compute left on any engine', async () => {
    const { service, engines } = await harness();
    (engines[1] as MemoryVimDriver).failNext('connectTunnel', new VimError('UNEXPECTED_RESPONSE', 'b', 'injected: vxlan refused'));
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'tunnel-fails' });
    const op = await service.instantiate(ns.id, { pins: PINS });
    const done = await service.waitForOp(op.id, { timeoutMs: 30_000 });
    expect(done.operationState).toBe('ROLLED_BACK');
    expect(JSON.stringify(done.error)).toContain('vxlan refused');
    const steps = await service.listSteps(op.id);
    expect(steps.filter((s) => s.kind === 'tunnel').some((s) => s.state === 'UNDONE')).toBe(true);
    for (const d of engines) {
      expect(await d.listByLabel({ 'rondo.ns': ns.id })).toEqual([]);
      expect(d.tunnels.size).toBe(0);
    }
  });

  it('refuses a link to a PoP without underlay with 409 PLAN_NO_UNDERLAY before anything is made', async () => {
    const { service, engines } = await harness([account('dc1', 'a'), account('dc2', 'b', { underlay: 'none' }), account('dc3', 'c')]);
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'no-underlay' });
    await expect(service.instantiate(ns.id, { pins: PINS })).rejects.toMatchObject({
      status: 409, code: 'PLAN_NO_UNDERLAY', details: { withoutUnderlay: ['dc2'] }, message: expect.stringContaining('has no underlay'),
    });
    for (const d of engines) expect(await d.listByLabel({})).toEqual([]);
    expect((await service.getNs(ns.id)).state).toBe('NOT_INSTANTIATED');
  });

  it('reconciles: a tunnel endpoint no NS record owns is an orphan and is removed', async () => {
    const { engines } = await harness();
    const b = engines[1] as MemoryVimDriver;
    const labels = { 'rondo.ns': 'gone-ns', 'rondo.step': 's1', 'rondo.pop': 'dc2' };
    await b.createNetwork({ name: 'rondo-gone-l', subnet: '10.30.9.0/29', gateway: '10.30.9.1', labels });
    await b.createTunnelEndpoint({ name: 'rondo-gone-l-tun', network: 'rondo-gone-l', address: '10.30.9.3', vni: 0x1e0900, labels });
    const report = await (composition as Composition).services.reconciler.runOnce();
    expect(report.orphans.map((o) => [o.kind, o.name, o.reason])).toEqual(expect.arrayContaining([['compute', 'rondo-gone-l-tun', 'NS_UNKNOWN'], ['network', 'rondo-gone-l', 'NS_UNKNOWN']]));
    expect(await b.listByLabel({ 'rondo.ns': 'gone-ns' })).toEqual([]);
    expect(b.tunnels.size).toBe(0);
  });

  it('keeps PoPs of one engine on one network with no tunnel (label mode)', async () => {
    const { service } = await harness([account('dc1', 'a'), account('dc2', 'a'), account('dc3', 'a')]);
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'one-engine' });
    const dry = await service.dryRun({ nsInstanceId: ns.id }, { pins: PINS });
    expect(dry.steps.filter((s) => s.kind === 'tunnel')).toEqual([]);
    expect(dry.steps.filter((s) => s.kind === 'network')).toHaveLength(5);
  });
});
