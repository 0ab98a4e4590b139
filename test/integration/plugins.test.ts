/**
 * The plugin protocol on the in-process bus, through the real composition (PostgreSQL, the
 * memory VIM): the two example plugins (examples/plugins/) register with the SDK, show in
 * `/admin/v1/plugins`, the placement SSM answers a placement request, the FSM hears the
 * firewall start when an NS is instantiated, every service and function lifecycle event
 * of instantiate and terminate arrives, a plugin that deregisters leaves, one whose
 * heartbeats stop is marked DEAD when the clock passes its timeout (the clock is advanced,
 * nothing sleeps), and an admin's DELETE removes one and tells it.
 * test/integration/plugins-rabbitmq.test.ts runs the same protocol on RabbitMQ.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANO_TOPICS, PLACEMENT_TOPIC } from '../../src/sdk/index.js';
import type { PluginBus, PluginLifecycleMessage, RondoPlugin } from '../../src/sdk/index.js';
import type { PluginRecord } from '../../src/plugins/index.js';
import type { BusEvent } from '../../src/bus/index.js';
import { buildExamplePackages, counterIds, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startPlacementSsm } from '../../examples/plugins/placement-ssm.js';
import { startFirewallFsm } from '../../examples/plugins/firewall-fsm.js';
import type { FirewallConfigured } from '../../examples/plugins/firewall-fsm.js';
import type { SdkTopics } from '../../src/sdk/plugin-sdk.js';

/** Real time plus an offset the test moves: the plugin manager's "now". */
function movableClock(): { now(): Date; advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

describe('plugins on the in-process bus', () => {
  let dir: string;
  let t: TestApp;
  const clock = movableClock();
  const plugins: RondoPlugin[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-plugins-'));
    const files = await buildExamplePackages(dir);
    // Heartbeats every second (real time); dead after 30 s of the clock; the periodic sweep never comes in this test.
    t = await openTestApp('postgres', 'plugins', {}, { clock, ids: counterIds(), plugins: { heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 30_000, sweepIntervalMs: 3_600_000 } });
    await t.composition.start({ worker: true, reconciler: false, monitoring: false, plugins: true });
    for (const name of ['dc1', 'dc2']) {
      const r = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name, type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 8, memoryMiB: 8192 } } });
      expect(r.statusCode, r.body).toBe(201);
    }
    const pkg = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(files.tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.statusCode, pkg.body).toBe(201);
  });

  afterAll(async () => {
    for (const p of plugins) await p.close();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers the example plugins, answers placement, publishes the lifecycle events, marks a silent plugin DEAD and deregisters', async () => {
    const bus = t.composition.services.bus as unknown as PluginBus;
    const configured: FirewallConfigured[] = [];
    const told: PluginLifecycleMessage[] = [];
    const ssm = await startPlacementSsm({ bus });
    const fsm = await startFirewallFsm({ bus, onLifecycle: (m) => told.push(m) }, (c) => configured.push(c));
    plugins.push(ssm, fsm);
    // Another plugin that records every lifecycle event (its own registration names the topics).
    const seen: BusEvent<SdkTopics>[] = [];
    const watcher = await (await import('../../src/sdk/index.js')).connectPlugin({ name: 'watcher', version: '0.1', bus });
    plugins.push(watcher);
    for (const topic of Object.values(MANO_TOPICS)) await watcher.on(topic, (_p, e) => void seen.push(e as BusEvent<SdkTopics>));

    const list = (await t.app.inject({ method: 'GET', url: '/admin/v1/plugins' })).json() as PluginRecord[];
    expect(list.map((p) => [p.name, p.version, p.state])).toEqual([
      ['placement-ssm-firewall-dc2', '1.0.0', 'ACTIVE'],
      ['fsm-firewall', '1.0.0', 'ACTIVE'],
      ['watcher', '0.1', 'ACTIVE'],
    ]);
    expect(list[0]?.id).toBe(ssm.uuid);
    expect((await t.app.inject({ method: 'GET', url: `/admin/v1/plugins/${fsm.uuid}` })).json()).toMatchObject({ id: fsm.uuid, name: 'fsm-firewall', state: 'ACTIVE' });

    // The placement SSM answers over request/response.
    const placed = await t.composition.services.bus.request(PLACEMENT_TOPIC as never, { nsInstanceId: 'x', pops: ['dc1', 'dc2'], vnfs: [{ memberId: 'client', vnfdId: 'client-vnf' }, { memberId: 'firewall', vnfdId: 'firewall-vnf' }] } as never, { timeoutMs: 5000 });
    expect(placed).toEqual({ placement: { firewall: 'dc2' } });

    // An NS on the memory VIM: instantiate, then terminate.
    const nsdId = (await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json()[0].id as string;
    const ns = (await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'plugged', nsDescription: 'plugins' } })).json() as { id: string };
    const inst = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default' } });
    expect(inst.statusCode, inst.body).toBe(202);
    await expect.poll(() => configured.length, { timeout: 15_000 }).toBe(1);
    expect(configured[0]).toMatchObject({ nsInstanceId: ns.id });
    const term = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/terminate`, payload: {} });
    expect(term.statusCode, term.body).toBe(202);
    await expect.poll(() => seen.some((e) => e.topic === MANO_TOPICS.terminateEnd), { timeout: 15_000 }).toBe(true);
    const topics = seen.map((e) => e.topic);
    expect(topics.filter((x) => x.startsWith('mano.service.'))).toEqual([MANO_TOPICS.instantiateStart, MANO_TOPICS.instantiateEnd, MANO_TOPICS.terminateStart, MANO_TOPICS.terminateEnd]);
    const fnEvents = (topic: string) => seen.filter((e) => e.topic === topic).map((e) => (e.payload as { memberId: string }).memberId).sort();
    expect(fnEvents(MANO_TOPICS.functionStart)).toEqual(['client', 'firewall', 'server']);
    expect(fnEvents(MANO_TOPICS.functionStop)).toEqual(['client', 'firewall', 'server']);
    const end = seen.find((e) => e.topic === MANO_TOPICS.instantiateEnd);
    expect(end?.payload).toMatchObject({ nsInstanceId: ns.id, lcmOperationType: 'INSTANTIATE', operationState: 'COMPLETED' });
    expect(end?.key).toBe(ns.id);
    const stop = seen.find((e) => e.topic === MANO_TOPICS.functionStop);
    const terminateOpId = String(term.headers.location).split('/').at(-1);
    expect(stop?.payload).toMatchObject({ nsInstanceId: ns.id, nsLcmOpOccId: terminateOpId });

    // The SSM deregisters itself; the others stay.
    await ssm.close();
    await watcher.close();
    expect(((await t.app.inject({ method: 'GET', url: '/admin/v1/plugins' })).json() as PluginRecord[]).map((p) => p.name)).toEqual(['fsm-firewall']);

    // The FSM goes quiet; once the clock passes the timeout, a sweep marks it DEAD and tells it.
    fsm.stopHeartbeats();
    clock.advance(31_000);
    const dead = await t.composition.services.plugins.sweep();
    expect(dead.map((p) => p.id)).toEqual([fsm.uuid]);
    expect((await t.app.inject({ method: 'GET', url: `/admin/v1/plugins/${fsm.uuid}` })).json()).toMatchObject({ state: 'DEAD' });
    await expect.poll(() => told.map((m) => m.event)).toEqual(['DEAD']);
    // A heartbeat brings it back.
    await fsm.heartbeat();
    await expect.poll(async () => ((await t.app.inject({ method: 'GET', url: `/admin/v1/plugins/${fsm.uuid}` })).json() as PluginRecord).state).toBe('ACTIVE');

    // An admin deregisters it: it is told, and it is gone.
    expect((await t.app.inject({ method: 'DELETE', url: `/admin/v1/plugins/${fsm.uuid}` })).statusCode).toBe(204);
    await expect.poll(() => told.map((m) => m.event)).toEqual(['DEAD', 'DEREGISTERED']);
    const gone = await t.app.inject({ method: 'GET', url: `/admin/v1/plugins/${fsm.uuid}` });
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'PLUGIN_NOT_FOUND']);
    expect((await t.app.inject({ method: 'DELETE', url: `/admin/v1/plugins/${fsm.uuid}` })).statusCode).toBe(404);
  });

  it('refuses a registration that breaks the protocol, with PLUGIN_INVALID', async () => {
    const bus = t.composition.services.bus as unknown as PluginBus;
    const bad = await bus.request('platform.management.plugin.register', { name: 'no spaces allowed', version: '1', topics: [] }, { timeoutMs: 5000 }).then(() => null, (e: unknown) => e);
    expect((bad as { code?: string }).code).toBe('PLUGIN_INVALID');
    const badTopic = await bus.request('platform.management.plugin.register', { name: 'ok', version: '1', topics: ['a b'] }, { timeoutMs: 5000 }).then(() => null, (e: unknown) => e);
    expect((badTopic as { code?: string }).code).toBe('PLUGIN_INVALID');
  });
});
