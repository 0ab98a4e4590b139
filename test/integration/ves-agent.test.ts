import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../src/bus/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { createMonitoringMetrics, VesAgent, VimWatcher, vimMonitoringPort } from '../../src/monitoring/index.js';
import { createSecretBox } from '../../src/auth/index.js';
import type { MonitoringTopics, VesAgentOptions, VimMonitoringPort } from '../../src/monitoring/index.js';
import { vesAgentRoutes } from '../../src/api/admin/vesagent-routes.js';
import { vesConfigRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { createMemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import type { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { monitoringTestApp } from '../support/monitoring-app.js';
import { STORE_KINDS, openTestStore } from '../support/store.js';
import { VesCollector } from '../support/ves-collector.js';
import { vesSchemaValidator } from '../support/ves-schema.js';

const validate = vesSchemaValidator();
const auth = { username: 'collector', password: 'very-secret-pw' };
const KEY = 'ab'.repeat(32);

describe.each(STORE_KINDS)('VES agent end to end (%s)', (kind) => {
  let store: Store;
  let collector: VesCollector;
  let driver: MemoryVimDriver;
  let watcher: VimWatcher;
  let agent: VesAgent;
  let app: Awaited<ReturnType<typeof monitoringTestApp>>;
  let options: VesAgentOptions;
  const bus = createEventBus<MonitoringTopics>();
  const names: Record<string, string> = { 'vnf-fw': 'firewall' };
  // Fault polls of dc1 begun: the fault backlog is the only one asking the port for its computes.
  let faultPollsStarted = 0;
  const counted = (port: VimMonitoringPort): VimMonitoringPort => ({ ...port, listComputes: (signal) => (faultPollsStarted++, port.listComputes(signal)) });
  /**
   * Resolves once a whole fault poll of dc1 has run after this call, and what it sent was
   * delivered: polls of one backlog never overlap, so the second one begun after now
   * means the first one begun after now has ended.
   */
  const afterAFullFaultPoll = async (): Promise<void> => {
    const from = faultPollsStarted;
    await vi.waitFor(() => expect(faultPollsStarted).toBeGreaterThanOrEqual(from + 2), { timeout: 10_000, interval: 10 });
    await agent.runner('dc1')?.delivery.drained();
  };

  const createFirewall = () =>
    driver.createCompute({
      name: 'rondo-ns1-fw',
      image: 'vnf/busybox',
      vcpus: 1,
      memoryMiB: 64,
      interfaces: [],
      env: {},
      labels: { 'rondo.ns': 'ns-1', 'rondo.vnf': 'vnf-fw', 'rondo.step': 'st-1' },
    });

  beforeAll(async () => {
    store = await openTestStore(kind, `ves-agent-${kind}`);
    collector = new VesCollector(auth);
    await collector.start();
    driver = createMemoryVimDriver({ popId: 'dc1' });
    watcher = new VimWatcher({ popId: 'dc1', driver, bus });
    watcher.start();
    options = {
      repo: vesConfigRepository(store.db),
      secrets: createSecretBox(Buffer.from(KEY, 'hex')),
      bus,
      vims: (id) => (id === 'dc1' ? counted(vimMonitoringPort('dc1', driver)) : undefined),
      clock: systemClock,
      ids: uuidGenerator,
      reportingEntityName: 'rondo-it',
      metrics: createMonitoringMetrics(),
      names: async ({ vnfId }) => (names[vnfId] ? { id: vnfId, name: names[vnfId] } : undefined),
      delivery: { maxLingerMs: 5, backoff: { initialMs: 20, maxMs: 200 } },
    };
    agent = new VesAgent(options);
    await agent.start();
    app = await monitoringTestApp(async (a) => {
      await a.register(vesAgentRoutes, { vesAgent: { configure: (...x) => agent.configure(...x), get: (id) => agent.get(id), remove: (id) => agent.remove(id) } });
    });
    await createFirewall();
  });

  afterAll(async () => {
    await app.close();
    await agent.stop();
    await watcher.stop();
    await collector.stop();
    await store.close();
  });

  it('refuses a POST without vesagent_config with 400, like seed 001', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/multicloud/v0/dc1/vesagent', payload: {} });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('VESAGENT_CONFIG_MISSING');
    const none = await app.inject({ method: 'GET', url: '/api/multicloud/v0/dc1/vesagent' });
    expect(none.json()).toEqual({ vesagent_config: null, vesagent_backlogs: null });
  });

  it('stores the config (password sealed, never shown) and answers 201', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/multicloud/v0/dc1/vesagent',
      payload: {
        vesagent_config: {
          ves_subscription: { endpoint: collector.url, ...auth },
          poll_interval_default: 1,
          backlogs: [
            { domain: 'fault', type: 'vm', tenant: 'default', source: 'firewall' },
            { domain: 'heartbeat', type: 'vim', tenant: 'default', source: 'dc1', poll_interval: '1' },
          ],
        },
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.body).not.toContain(auth.password);
    const body = r.json();
    expect(body.vesagent_config.ves_subscription).toEqual({ endpoint: collector.url, username: auth.username });
    expect(body.vesagent_backlogs.backlogs).toHaveLength(2);
    const row = await store.db.selectFrom('ves_agent_configs').selectAll().where('vim_id', '=', 'dc1').executeTakeFirstOrThrow();
    expect(row.password_sealed).not.toContain(auth.password);
    expect(createSecretBox(Buffer.from(KEY, 'hex')).open(row.password_sealed!)).toBe(auth.password);
  });

  it('sends a schema-valid fault with the VNF as source after a kill, then the clear after a restart', async () => {
    await collector.waitFor(() => collector.find({ domain: 'heartbeat' }).length > 0);
    await vi.waitFor(() => expect(driver.watchers).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    const before = collector.events.length;
    const t0 = performance.now();
    driver.kill('rondo-ns1-fw', { exitCode: 137 });
    await collector.waitFor(() => collector.find({ eventName: 'Fault_Rondo_VnfDown' }).length === 1);
    const raise = collector.find({ eventName: 'Fault_Rondo_VnfDown' })[0]!;
    console.log(`[${kind}] latency compute.died → collector receipt: ${(raise.receivedAt - t0).toFixed(2)} ms`);
    expect(validate({ event: raise.event }), JSON.stringify(validate.errors)).toBe(true);
    expect(raise.event.commonEventHeader).toMatchObject({ sourceName: 'firewall', sourceId: 'vnf-fw', reportingEntityName: 'rondo-it', vesEventListenerVersion: '7.2.1' });
    expect(raise.event.faultFields).toMatchObject({ eventSeverity: 'CRITICAL', alarmCondition: 'vnfDown', vfStatus: 'Idle' });
    expect(collector.events.length).toBeGreaterThan(before);

    await driver.deleteCompute('rondo-ns1-fw');
    await createFirewall();
    await collector.waitFor(() => collector.find({ eventName: 'Fault_Rondo_VnfDown' }).length === 2);
    const clear = collector.find({ eventName: 'Fault_Rondo_VnfDown' })[1]!;
    expect(validate({ event: clear.event }), JSON.stringify(validate.errors)).toBe(true);
    expect(clear.event.faultFields).toMatchObject({ eventSeverity: 'NORMAL', vfStatus: 'Active' });
    expect(clear.event.commonEventHeader.eventId).toBe(raise.event.commonEventHeader.eventId);
    expect(clear.event.commonEventHeader.sequence).toBeGreaterThan(raise.event.commonEventHeader.sequence as number);
  });

  it('shows each backlog with its last poll time and last event', async () => {
    await collector.waitFor(() => collector.find({ domain: 'heartbeat' }).length >= 2);
    const r = await app.inject({ method: 'GET', url: '/admin/v1/vims/dc1/vesagent' });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain(auth.password);
    const [fault, heartbeat] = r.json().vesagent_backlogs.backlogs;
    expect(fault.last_event.faultFields.eventSeverity).toBe('NORMAL');
    expect(typeof fault.last_poll_time).toBe('string');
    expect(heartbeat.last_event.commonEventHeader.domain).toBe('heartbeat');
    expect(heartbeat.timestamp).toBeGreaterThan(0);
  });

  it('resumes from the stored config after a restart of the agent', async () => {
    await agent.stop();
    agent = new VesAgent(options);
    await agent.start();
    const beats = collector.find({ domain: 'heartbeat' }).length;
    await collector.waitFor(() => collector.find({ domain: 'heartbeat' }).length > beats);
    driver.kill('rondo-ns1-fw', { exitCode: 1 });
    await collector.waitFor(() => collector.find({ eventName: 'Fault_Rondo_VnfDown' }).length === 3);
    expect(collector.find({ eventName: 'Fault_Rondo_VnfDown' })[2]?.event.faultFields).toMatchObject({ eventSeverity: 'CRITICAL' });
  });

  it('keeps the faults of two NSs of one NSD apart on one PoP (same member id, different NS)', async () => {
    const faults = () => collector.find({ eventName: 'Fault_Rondo_VnfDown' });
    const nsOf = (e: { event: Record<string, unknown> }) => (e.event.faultFields as { alarmAdditionalInformation?: Record<string, string> } | undefined)?.alarmAdditionalInformation?.nsInstanceId;
    const ofNs = (ns: string) => faults().filter((e) => nsOf(e) === ns);
    const labels = { 'rondo.ns': 'ns-2', 'rondo.vnf': 'vnf-fw', 'rondo.step': 'st-2' };
    const second = () => driver.createCompute({ name: 'rondo-ns2-fw', image: 'vnf/busybox', vcpus: 1, memoryMiB: 64, interfaces: [], env: {}, labels });
    await second();
    const ns1Before = ofNs('ns-1').length;
    // ns-1's firewall is still down (previous test): ns-2's death is a fault of its own.
    driver.kill('rondo-ns2-fw', { exitCode: 137 });
    await collector.waitFor(() => ofNs('ns-2').length === 1);
    expect(ofNs('ns-2')[0]!.event.faultFields).toMatchObject({ eventSeverity: 'CRITICAL', alarmAdditionalInformation: { vnfId: 'vnf-fw' } });
    // ns-2 recovers: only its fault clears; ns-1's stays raised.
    await driver.deleteCompute('rondo-ns2-fw');
    await second();
    await collector.waitFor(() => ofNs('ns-2').length === 2);
    expect(ofNs('ns-2')[1]!.event.faultFields).toMatchObject({ eventSeverity: 'NORMAL' });
    // Neither the event path nor a fault poll after ns-2's recovery touches ns-1's fault.
    await afterAFullFaultPoll();
    expect(ofNs('ns-1')).toHaveLength(ns1Before);
    expect(ofNs('ns-1').at(-1)!.event.faultFields).toMatchObject({ eventSeverity: 'CRITICAL' });
  });

  it('stops polling on DELETE', async () => {
    const r = await app.inject({ method: 'DELETE', url: '/api/multicloud/v0/dc1/vesagent' });
    expect(r.statusCode).toBe(200);
    // DELETE answers once dc1's runner is stopped (a poll in progress awaited): nothing of dc1
    // is made after it. One made before may still be in flight, so events are told apart by
    // their own time, not by arrival. The witness that polling went on elsewhere is a second
    // VIM's agent with the same 1 s heartbeat: by its second heartbeat made after the
    // DELETE, dc1 would have sent a heartbeat and begun a fault poll.
    const deletedAtMicros = Date.now() * 1000;
    const pollsAtDelete = faultPollsStarted;
    expect(agent.runner('dc1')).toBeUndefined();
    const witness = await app.inject({
      method: 'POST',
      url: '/api/multicloud/v0/dc2/vesagent',
      payload: { vesagent_config: { ves_subscription: { endpoint: collector.url, ...auth }, poll_interval_default: 1, backlogs: [{ domain: 'heartbeat', type: 'vim', tenant: 'default', source: 'dc2' }] } },
    });
    expect(witness.statusCode).toBe(201);
    const madeAfterDelete = (source: string) => collector.find({ sourceName: source }).filter((e) => Number(e.event.commonEventHeader.lastEpochMicrosec) > deletedAtMicros);
    await collector.waitFor(() => madeAfterDelete('dc2').length >= 2);
    expect(collector.events.filter((e) => e.event.commonEventHeader.sourceName !== 'dc2' && Number(e.event.commonEventHeader.lastEpochMicrosec) > deletedAtMicros)).toEqual([]);
    expect(faultPollsStarted).toBe(pollsAtDelete);
    expect((await app.inject({ method: 'GET', url: '/admin/v1/vims/dc1/vesagent' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/multicloud/v0/dc2/vesagent' })).statusCode).toBe(200);
  });
});
