/**
 * Auto-heal policies on the memory VIM (issue #16 item 5, heal): a VNF compute that dies on
 * an NS whose policy for it is enabled gets a real HEAL operation with
 * `isAutomaticInvocation: true` by itself, once; a second death within the backoff waits
 * for it (the clock is moved, never waited for); once `maxAttempts` heals were made a
 * CRITICAL alarm is raised and healing stops; a death while another operation runs waits
 * for it and heals after; policies are listed and overridden through
 * `/admin/v1/ns_instances/{id}/policies`, and a disabled one skips with an event that says so.
 * Only one of several processes claims a firing (the store's guarded update).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { chainNsd, chainVnfd, chainVnfds } from '../support/tango-chain.js';
import { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import type { Clock, LcmOpOcc, VimAccount, VnfInstance } from '../../src/model/index.js';
import type { DescriptorSource, NsLifecycleService } from '../../src/lifecycle/index.js';
import type { MonitoringTopics, PolicyEvent } from '../../src/monitoring/index.js';
import { nsPolicyRepository } from '../../src/store/index.js';

/** The client declares a Tacker-style ping probe with `failure: respawn` on its VDU (5GTANGO VNFD). */
const vnfds = {
  ...chainVnfds,
  client: chainVnfd('client', {
    source: { virtual_deployment_units: [{ id: 'vdu01', monitoring_policy: { name: 'ping', parameters: { monitoring_delay: 0, count: 2, interval: 1, timeout: 1 }, actions: { failure: 'respawn' } } }] },
  }),
};
/** Probes answer from every address but these. */
const failing = new Set<string>();
const probeRunner = { ping: async (address: string) => !failing.has(address), http: async () => true };

const account = (id: string): VimAccount => ({
  id, name: id, type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 16, memoryMiB: 65_536 }, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});

/** The wall clock moved on by hand: backoffs (300 s here) pass only when the test says so. */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

describe('auto-heal policies on the memory VIM', () => {
  let t: TestApp;
  let service: NsLifecycleService;
  const driver = new MemoryVimDriver({ name: 'engine-a' });
  beforeAll(async () => {
    const descriptors: DescriptorSource = { getNsd: async () => chainNsd, getVnfds: async () => vnfds };
    t = await openTestApp('postgres', 'auto-heal-policy.test.ts', { workerLeaseSeconds: 30, workerConcurrency: 2, stepDeadlineSeconds: 5 }, {
      role: 'all', clock, descriptors, vimAccounts: { list: async () => [account('dc1'), account('dc2')] }, vimDrivers: { memory: () => driver }, workerPollMs: 100, probeRunner,
    });
    service = t.composition.services.lifecycle;
    await t.composition.start({ reconciler: false });
    for (let i = 0; i < 100 && driver.watchers === 0; i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => t?.close());

  const monitoring = () => t.composition.services.monitoring;
  const engine = () => monitoring().policies.engine;
  /** The next policy event of `topic` on NS `nsId` (listen before acting). */
  const next = (topic: keyof MonitoringTopics & `policy.${string}`, nsId: string, pred: (e: PolicyEvent) => boolean = () => true): Promise<PolicyEvent> =>
    new Promise((resolve) => {
      const off = monitoring().bus.subscribe(topic, (e) => {
        if (e.nsInstanceId === nsId && pred(e)) {
          off();
          resolve(e);
        }
      });
    });
  /** Fails naming what did not come within 15 s (instead of the test's whole timeout). */
  const within = <T>(p: Promise<T>, what: string): Promise<T> =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not come within 15 s`)), 15_000).unref())]);
  const api = (method: 'GET' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, ...(payload ? { payload } : {}) });

  async function chain(name: string): Promise<{ nsId: string; vnf: (member: string) => Promise<VnfInstance>; ops: () => Promise<LcmOpOcc[]> }> {
    const ns = await service.createNs({ nsdId: 'chain', nsName: name });
    const op = await service.waitForOp((await service.instantiate(ns.id, { placement: 'round-robin-with-saps' })).id, { timeoutMs: 30_000 });
    expect(op.operationState).toBe('COMPLETED');
    return {
      nsId: ns.id,
      vnf: async (member) => (await service.listVnfs(ns.id)).find((v) => v.memberId === member) ?? expect.unreachable(member),
      ops: async () => (await service.listOps({ nsInstanceId: ns.id })).filter((o) => o.lcmOperationType === 'HEAL'),
    };
  }
  const kill = async (vnf: VnfInstance) => driver.kill(vnf.computeIds[0] as string, { exitCode: 137 });

  it('lists each VNF its auto-heal policy (off by default), overrides it per NS, and a disabled one skips saying so', async () => {
    const { nsId, vnf, ops } = await chain('policy-api');
    const listed = await api('GET', `/admin/v1/ns_instances/${nsId}/policies`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([
      expect.objectContaining({ id: 'auto-heal-client', vnfId: 'client', enabled: true, source: 'DESCRIPTOR', origin: 'vdu monitoring_policy', probe: { kind: 'ping', intervalSeconds: 1, timeoutSeconds: 1, retries: 2, delaySeconds: 0 } }),
      ...['firewall', 'server'].map((v) => expect.objectContaining({ id: `auto-heal-${v}`, type: 'AUTO_HEAL', vnfId: v, enabled: false, source: 'DEFAULT', maxAttempts: 3, backoffSeconds: 5 })),
    ]);

    const set = await api('PUT', `/admin/v1/ns_instances/${nsId}/policies/firewall`, { enabled: true, maxAttempts: 4, backoffSeconds: 60 });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ id: 'auto-heal-firewall', enabled: true, maxAttempts: 4, backoffSeconds: 60, source: 'OVERRIDE', state: { attempts: 0, lastFiredAt: null, exhaustedAt: null } });
    const off = await api('PUT', `/admin/v1/ns_instances/${nsId}/policies/auto-heal-firewall`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, maxAttempts: 4, source: 'OVERRIDE' });
    const unknown = await api('PUT', `/admin/v1/ns_instances/${nsId}/policies/auto-heal-nobody`, { enabled: true });
    expect([unknown.statusCode, unknown.json().code]).toEqual([422, 'POLICY_UNKNOWN']);
    expect((await api('GET', `/admin/v1/ns_instances/no-such-ns/policies`)).statusCode).toBe(404);

    const skipped = next('policy.skipped', nsId, (e) => e.vnfId === 'firewall');
    await kill(await vnf('firewall'));
    expect(await within(skipped, 'policy.skipped')).toMatchObject({ policyId: 'auto-heal-firewall', reason: 'DISABLED', trigger: 'vnf.down' });
    await engine().settled();
    expect(await ops()).toEqual([]);
  });

  it('a killed VNF gets one automatic HEAL; a second death waits out the backoff; past the cap a CRITICAL alarm stops healing', async () => {
    const { nsId, vnf, ops } = await chain('policy-heal');
    await api('PUT', `/admin/v1/ns_instances/${nsId}/policies/firewall`, { enabled: true, maxAttempts: 2, backoffSeconds: 300 });
    const before = await vnf('firewall');

    // 1. Death → one HEAL, started by the policy, completed by the worker.
    const fired = next('policy.fired', nsId);
    await kill(before);
    const first = await within(fired, 'policy.fired 1');
    expect(first).toMatchObject({ policyId: 'auto-heal-firewall', attempt: 1, trigger: 'vnf.down' });
    const op = await service.waitForOp(first.opId as string, { timeoutMs: 30_000 });
    expect(op).toMatchObject({ lcmOperationType: 'HEAL', operationState: 'COMPLETED', isAutomaticInvocation: true });
    expect(op.operationParams).toMatchObject({ healVnfData: [{ vnfInstanceId: before.id, additionalParams: { policyId: 'auto-heal-firewall', attempt: 1 } }] });
    const healed = await vnf('firewall');
    expect(healed.computeIds[0]).not.toBe(before.computeIds[0]);
    expect(healed.interfaces.map((i) => i.address)).toEqual(before.interfaces.map((i) => i.address));
    expect((await driver.status(healed.computeIds[0] as string)).state).toBe('ACTIVE');
    // Both PoP watchers saw the death (dc1 and dc2 share the engine): still one HEAL.
    await engine().settled();
    expect(await ops()).toHaveLength(1);
    // The VNF_DOWN alarm cleared once the new compute started.
    await expect.poll(async () => (await monitoring().alarms.list()).filter((a) => a.managedObjectId === nsId && a.perceivedSeverity !== 'CLEARED').map((a) => a.probableCause)).toEqual([]);

    // 2. Death within the backoff: it waits (until last heal + 300 s), nothing starts.
    const waiting = next('policy.waiting', nsId, (e) => e.reason === 'BACKOFF');
    await kill(healed);
    const w = await within(waiting, 'policy.waiting BACKOFF');
    expect(Date.parse(w.until as string) - Date.parse(op.startTime)).toBeGreaterThanOrEqual(299_000);
    await engine().settled();
    expect(await ops()).toHaveLength(1);
    // The backoff passes (the clock moves): heal number 2.
    const fired2 = next('policy.fired', nsId);
    offsetMs += 301_000;
    engine().tick();
    const second = await within(fired2, 'policy.fired 2');
    expect(second.attempt).toBe(2);
    expect((await service.waitForOp(second.opId as string, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');

    // 3. A third death within the run (10 min since the last heal): the cap (2) is reached — CRITICAL alarm, no heal.
    const exhausted = next('policy.exhausted', nsId);
    await kill(await vnf('firewall'));
    expect(await within(exhausted, 'policy.exhausted')).toMatchObject({ policyId: 'auto-heal-firewall', reason: 'MAX_ATTEMPTS' });
    const alarms = (await monitoring().alarms.list()).filter((a) => a.managedObjectId === nsId && a.probableCause === 'AUTO_HEAL_EXHAUSTED');
    expect(alarms.map((a) => a.perceivedSeverity)).toEqual(['CRITICAL']);
    await engine().settled();
    expect(await ops()).toHaveLength(2);
    const state = (await api('GET', `/admin/v1/ns_instances/${nsId}/policies`)).json().find((p: { id: string }) => p.id === 'auto-heal-firewall');
    expect(state.state).toMatchObject({ attempts: 2, exhaustedAt: expect.any(String) });
    expect(await monitoring().metrics.render()).toMatch(new RegExp(`rondo_policy_firings_total\\{type="AUTO_HEAL",ns="${nsId}",vnf="firewall"\\} 2`));
  });

  it('a death while another operation runs waits for it, then heals', async () => {
    const { nsId, vnf, ops } = await chain('policy-busy');
    await api('PUT', `/admin/v1/ns_instances/${nsId}/policies/server`, { enabled: true });
    // A manual operation nobody runs yet (the worker is stopped): it holds the NS.
    await t.composition.worker.stop();
    const manual = await service.heal(nsId, { vnfs: [{ vnfInstanceId: (await vnf('client')).id, all: true }] });
    const waiting = next('policy.waiting', nsId, (e) => e.reason === 'OPERATION_IN_PROGRESS');
    await kill(await vnf('server'));
    expect(await within(waiting, 'policy.waiting OPERATION_IN_PROGRESS')).toMatchObject({ policyId: 'auto-heal-server' });
    expect((await ops()).map((o) => o.id)).toEqual([manual.id]);
    // The manual operation ends: the waiting death is healed.
    const fired = next('policy.fired', nsId);
    t.composition.worker.start();
    expect((await service.waitForOp(manual.id, { timeoutMs: 30_000 })).operationState).toBe('COMPLETED');
    const auto = await service.waitForOp((await fired).opId as string, { timeoutMs: 30_000 });
    expect(auto).toMatchObject({ operationState: 'COMPLETED', isAutomaticInvocation: true });
    expect((await driver.status((await vnf('server')).computeIds[0] as string)).state).toBe('ACTIVE');
  });

  it("a VDU's ping probe failing `count` times makes the VNF unhealthy: an alarm, then the descriptor's respawn heals it", async () => {
    const { nsId, vnf } = await chain('policy-probe');
    const prober = monitoring().policies.prober;
    const before = await vnf('client');
    const address = before.interfaces.find((i) => i.cp === 'mgmt')?.address as string;
    await prober.refresh();
    expect(prober.targets().filter((x) => x.nsInstanceId === nsId)).toEqual([expect.objectContaining({ vnfId: 'client', computeId: before.computeIds[0], address, kind: 'ping' })]);
    const unhealthy = new Promise<void>((resolve) => {
      const off = monitoring().bus.subscribe('vnf.unhealthy', (e) => e.nsId === nsId && (off(), resolve()));
    });
    const fired = next('policy.fired', nsId);
    failing.add(address);
    // Two failed tries (count: 2), one interval apart: the clock moves, the prober is told to look.
    for (let i = 0; i < 2; i++) {
      offsetMs += 1000;
      prober.tick();
      await prober.settled();
    }
    await within(unhealthy, 'vnf.unhealthy');
    await monitoring().alarms.settled();
    expect((await monitoring().alarms.list()).filter((a) => a.managedObjectId === nsId && a.perceivedSeverity !== 'CLEARED').map((a) => a.probableCause)).toContain('VNF_UNHEALTHY');
    const e = await within(fired, 'policy.fired (probe)');
    expect(e).toMatchObject({ policyId: 'auto-heal-client', trigger: 'vnf.unhealthy' });
    failing.delete(address); // the restart fixed it
    const op = await service.waitForOp(e.opId as string, { timeoutMs: 30_000 });
    expect(op).toMatchObject({ operationState: 'COMPLETED', isAutomaticInvocation: true });
    expect((await service.listSteps(op.id)).map((s) => s.kind)).toContain('compute');
    expect((await vnf('client')).computeIds[0]).not.toBe(before.computeIds[0]);
    await expect.poll(async () => (await monitoring().alarms.list()).filter((a) => a.managedObjectId === nsId && a.perceivedSeverity !== 'CLEARED')).toEqual([]);
  });

  it('of several processes that saw one death, one claims the firing', async () => {
    const { nsId } = await chain('policy-claim');
    const repo = nsPolicyRepository(t.store.db);
    const now = new Date();
    const claims = await Promise.all([1, 2, 3].map(() => repo.claim(nsId, 'auto-heal-client', 'client', { attempts: 0, lastFiredAt: null }, { attempts: 1, lastFiredAt: now }, now)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await repo.exhaust(nsId, 'auto-heal-client', 'client', now)).toBe(true);
    expect(await repo.exhaust(nsId, 'auto-heal-client', 'client', now)).toBe(false);
  });
});
