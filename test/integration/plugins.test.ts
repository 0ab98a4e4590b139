/**
 * The plugin protocol on the in-process bus, through the real composition (PostgreSQL, the
 * memory VIM): the two example plugins (examples/plugins/) register with the SDK, show in
 * `/admin/v1/plugins`, the placement SSM answers a placement request, the FSM hears the
 * firewall start when an NS is instantiated, every service and function lifecycle event
 * of instantiate and terminate arrives, a plugin that deregisters leaves, one whose
 * heartbeats stop is marked DEAD when the clock passes its timeout (the clock is advanced,
 * nothing sleeps), and an admin's DELETE removes one and tells it. INSTANTIATE asks a live
 * placement SSM (`mano.service.place`) and pins by its answer; an erroring or silent one
 * leaves Rondo placing (said in the operation), a wrong answer is refused before anything
 * is stored, the user's pins win, and nothing is asked while no live plugin serves the topic.
 * test/integration/plugins-rabbitmq.test.ts runs the same protocol on RabbitMQ.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANO_TOPICS, PLACEMENT_TOPIC } from '../../src/sdk/index.js';
import { connectPlugin } from '../../src/sdk/index.js';
import type { PlacementRequest, PluginBus, PluginLifecycleMessage, RondoPlugin } from '../../src/sdk/index.js';
import type { LcmOpOcc, VnfInstance } from '../../src/model/index.js';
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
    t = await openTestApp('postgres', 'plugins', {}, { clock, ids: counterIds(), plugins: { heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 30_000, sweepIntervalMs: 3_600_000, placementTimeoutMs: 1000 } });
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
    // Placement first-pop: Rondo alone would put every member on dc1.
    const inst = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } } });
    expect(inst.statusCode, inst.body).toBe(202);
    await expect.poll(() => configured.length, { timeout: 15_000 }).toBe(1);
    // The lifecycle asked the SSM: the firewall runs on dc2, as it answered; the others stay on dc1.
    expect(configured[0]).toMatchObject({ nsInstanceId: ns.id, popId: 'dc2' });
    const placed1 = (await t.composition.services.lifecycle.listVnfs(ns.id)).filter((v) => v.kind === 'vnf').map((v) => [v.memberId, v.popId]);
    expect(Object.fromEntries(placed1)).toEqual({ client: 'dc1', firewall: 'dc2', server: 'dc1' });
    const instOp = (await t.app.inject({ method: 'GET', url: String(inst.headers.location).replace(/^https?:\/\/[^/]+/, '') })).json() as LcmOpOcc;
    expect(instOp.placementAdvice).toEqual({ outcome: 'ADVISED', plugins: [`placement-ssm-firewall-dc2@${ssm.uuid}`], placement: { firewall: 'dc2' } });
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

  it('INSTANTIATE asks a live placement SSM: none live asks nothing, an erroring or silent one leaves Rondo placing, a wrong answer is refused, user pins win', async () => {
    const bus = t.composition.services.bus as unknown as PluginBus;
    const nsdId = (await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json()[0].id as string;
    // Fan-out subscribers see requests as plain events: every request sent is counted here.
    const asked: PlacementRequest[] = [];
    const watch = await bus.subscribe([PLACEMENT_TOPIC], (e) => void asked.push(e.payload as PlacementRequest));
    let n = 0;
    /** Instantiates a new NS; when accepted, waits for the op, reads it and the VNFs, then terminates the NS. */
    const instantiate = async (payload: Record<string, unknown> = {}) => {
      const ns = (await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: `advised-${++n}`, nsDescription: 'placement SSM' } })).json() as { id: string };
      const res = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default', ...payload } });
      if (res.statusCode !== 202) return { nsId: ns.id, status: res.statusCode, code: res.json().code as string, op: undefined, pops: {} };
      const opId = String(res.headers.location).split('/').at(-1) as string;
      await t.composition.services.lifecycle.waitForOp(opId, { timeoutMs: 15_000 });
      const op = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json() as LcmOpOcc;
      const vnfs: VnfInstance[] = await t.composition.services.lifecycle.listVnfs(ns.id);
      const term = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/terminate`, payload: {} });
      expect(term.statusCode, term.body).toBe(202);
      await t.composition.services.lifecycle.waitForOp(String(term.headers.location).split('/').at(-1) as string, { timeoutMs: 15_000 });
      return { nsId: ns.id, status: res.statusCode, code: null, op, pops: Object.fromEntries(vnfs.filter((v) => v.kind === 'vnf').map((v) => [v.memberId, v.popId])) };
    };
    const ssm = async (name: string, answer: (req: PlacementRequest) => Promise<unknown>): Promise<RondoPlugin> => {
      const p = await connectPlugin({ name, version: '1', topics: [PLACEMENT_TOPIC], bus });
      plugins.push(p);
      await p.serve(PLACEMENT_TOPIC, (req) => answer(req as PlacementRequest));
      return p;
    };

    // No plugin serves the topic (the example SSM left): Rondo places alone and asks nothing.
    const alone = await instantiate();
    expect(alone.op).toMatchObject({ operationState: 'COMPLETED' });
    expect(alone.op?.placementAdvice).toBeUndefined();
    expect(Object.keys(alone.pops).sort()).toEqual(['client', 'firewall', 'server']);
    // A DEAD plugin naming the topic is not asked either.
    const dead = await ssm('ssm-dead', async () => ({ placement: { firewall: 'dc2' } }));
    dead.stopHeartbeats();
    clock.advance(31_000);
    expect((await t.composition.services.plugins.sweep()).map((p) => p.id)).toEqual([dead.uuid]);
    expect((await instantiate()).op?.placementAdvice).toBeUndefined();
    await dead.close();
    expect(asked).toEqual([]);

    // An SSM that throws: Rondo's placement, the operation COMPLETED, the reason in it.
    const broken = await ssm('ssm-broken', async () => {
      throw new Error('placement model not loaded');
    });
    const afterError = await instantiate();
    expect(afterError.op).toMatchObject({ operationState: 'COMPLETED', placementAdvice: { outcome: 'FAILED', plugins: [`ssm-broken@${broken.uuid}`] } });
    expect(afterError.op?.placementAdvice?.reason).toMatch(/^BUS_REQUEST_FAILED: /);
    expect(afterError.pops).toEqual(alone.pops);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toEqual({ nsInstanceId: afterError.nsId, vnfs: [{ memberId: 'client', vnfdId: expect.any(String) }, { memberId: 'firewall', vnfdId: expect.any(String) }, { memberId: 'server', vnfdId: expect.any(String) }], pops: ['dc1', 'dc2'] });
    await broken.close();

    // An SSM that never answers: the same after the placement timeout.
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    const silent = await ssm('ssm-silent', async () => held.then(() => ({ placement: {} })));
    const afterSilence = await instantiate();
    expect(afterSilence.op).toMatchObject({ operationState: 'COMPLETED', placementAdvice: { outcome: 'FAILED' } });
    expect(afterSilence.op?.placementAdvice?.reason).toMatch(/^BUS_REQUEST_TIMEOUT: /);
    expect(afterSilence.pops).toEqual(alone.pops);
    release();
    await silent.close();

    // An answer naming a PoP it was not offered, or a member that is no VNF of the NS: refused, nothing stored or created.
    let answer: unknown = { firewall: 'dc9' };
    const wrong = await ssm('ssm-wrong', async () => ({ placement: answer }));
    const badPop = await instantiate();
    expect([badPop.status, badPop.code]).toEqual([400, 'PLACEMENT_UNKNOWN_POP']);
    answer = { firewall: 'dc2', input: 'dc1' }; // a SAP: SSMs place VNFs only
    const badMember = await instantiate();
    expect([badMember.status, badMember.code]).toEqual([400, 'PLACEMENT_UNKNOWN_MEMBER']);
    for (const id of [badPop.nsId, badMember.nsId]) {
      expect((await t.composition.services.lifecycle.listOps({ nsInstanceId: id }))).toEqual([]);
      expect(await t.composition.services.lifecycle.listVnfs(id)).toEqual([]);
    }

    // An answer that is no placement counts as no answer.
    answer = ['dc2'];
    const malformed = await instantiate();
    expect(malformed.op).toMatchObject({ operationState: 'COMPLETED', placementAdvice: { outcome: 'FAILED' } });
    expect(malformed.op?.placementAdvice?.reason).toMatch(/^BUS_REQUEST_FAILED: /);

    // Members the SSM leaves out keep Rondo's placement; the user's pins win over its answer.
    answer = { client: 'dc2', firewall: 'dc2' };
    const pinned = await instantiate({ additionalParamsForNs: { placement: 'first-pop', pins: { firewall: 'dc1' } } });
    expect(pinned.op).toMatchObject({ operationState: 'COMPLETED', placementAdvice: { outcome: 'ADVISED', placement: { client: 'dc2', firewall: 'dc2' } } });
    expect(pinned.pops).toEqual({ client: 'dc2', firewall: 'dc1', server: 'dc1' });
    await wrong.close();
    await watch.close();
  });
});
