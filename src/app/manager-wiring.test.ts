import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createInProcessBus } from '../bus/index.js';
import type { ManagerSpec } from '../lifecycle/index.js';
import type { VnfInstance } from '../model/index.js';
import { NS_MANAGER_TOPICS } from '../plugins/index.js';
import type { FsmAction, FunctionManagerRequest, ManagerWarning, PluginRecord, PluginRepository, ServiceAlarmEvent } from '../plugins/index.js';
import { ConflictError } from '../model/index.js';
import type { AlarmRecord } from '../store/index.js';
import type { ServiceActionLifecycle } from './ns-service-wiring.js';
import type { ManagerHost } from './manager-host.js';
import { wireSpecificManagers } from './manager-wiring.js';

const NS = 'ns-1';
const op = { id: 'op-1', nsInstanceId: NS };

const vnf = (memberId: string, computeIds: string[], kind: 'vnf' | 'sap' = 'vnf'): VnfInstance => ({
  id: `vnf-${memberId}`, nsInstanceId: NS, memberId, kind, vnfdId: `vnfd-${memberId}`, vnfdRef: null, popId: 'dc1', computeIds, interfaces: [], state: 'STARTED', createdAt: '2026-01-01T00:00:00Z',
});
const fsm = (id: string, members: string[], options: Record<string, string> = {}): ManagerSpec => ({ id, image: `img/${id}`, options, kind: 'fsm', members });

/** How an in-process FSM of the test behaves for one action. */
type Behaviour = 'ok' | 'throw' | 'silent';

/**
 * The managers of the test as the wiring sees them: registrations (the plugin registry's
 * `list`), the host's liveness, and each FSM answering its topics on the (real)
 * in-process bus, in this process instead of a container.
 */
async function setUp(fsms: { spec: ManagerSpec; actions: Partial<Record<FsmAction, Behaviour>>; registered?: boolean; alive?: boolean }[]) {
  const bus = createInProcessBus<Record<string, unknown>>();
  const asked: { manager: string; req: FunctionManagerRequest }[] = [];
  const records: PluginRecord[] = [];
  for (const f of fsms) {
    const topics = Object.keys(f.actions).map((a) => NS_MANAGER_TOPICS.fsm(NS, f.spec.id, a as FsmAction));
    if (f.registered !== false) records.push({ id: f.spec.id, name: `${NS}.${f.spec.id}`, version: '1', description: null, topics, state: 'ACTIVE', registeredAt: '', lastHeartbeatAt: '' });
    for (const [action, behaviour] of Object.entries(f.actions)) {
      await bus.respond(`fsm-${f.spec.id}`, [NS_MANAGER_TOPICS.fsm(NS, f.spec.id, action as FsmAction)], async (e) => {
        asked.push({ manager: f.spec.id, req: e.payload as unknown as FunctionManagerRequest });
        if (behaviour === 'throw') throw new Error(`${f.spec.id} refuses ${action}`);
        if (behaviour === 'silent') await new Promise<never>(() => undefined);
        return { status: 'OK' };
      });
    }
  }
  const host: ManagerHost = {
    start: async () => [],
    remove: async () => undefined,
    pluginName: (ns, id) => `${ns}.${id}`,
    alive: async (_ns, id) => fsms.find((f) => f.spec.id === id)?.alive !== false,
  };
  const plugins = { list: async () => records } as unknown as PluginRepository;
  const warnings: ManagerWarning[] = [];
  await bus.subscribe([NS_MANAGER_TOPICS.warning(NS)], (e) => void warnings.push(e.payload as unknown as ManagerWarning));
  const wiring = wireSpecificManagers({
    bus, host, plugins, logger: pino({ level: 'silent' }), listVnfs: async () => [], driver: () => { throw new Error('no exec in this test'); }, runningNs: async () => [], requestTimeoutMs: 10_000,
  });
  return { bus, wiring, asked, warnings };
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('wireSpecificManagers: FSM stop at termination', () => {
  it('asks each FSM stop per VNF it manages, with the start request shape; failing, dead and unregistered FSMs are recorded, never thrown', async () => {
    const { bus, wiring, asked, warnings } = await setUp([
      { spec: fsm('fw', ['firewall', 'firewall2']), actions: { start: 'ok', stop: 'ok' } },
      { spec: fsm('bad', ['server'], { mandatory: 'false' }), actions: { stop: 'throw' } },
      { spec: fsm('dead', ['client']), actions: { stop: 'silent' }, alive: false },
      { spec: fsm('gone', ['client']), actions: { stop: 'ok' }, registered: false },
    ]);
    const vnfs = [vnf('firewall', ['c1']), vnf('firewall2', ['c2', 'c3']), vnf('server', ['c4']), vnf('client', ['c5']), vnf('firewall', ['s1'], 'sap')];
    const specs = [fsm('fw', ['firewall', 'firewall2']), fsm('bad', ['server'], { mandatory: 'false' }), fsm('dead', ['client']), fsm('gone', ['client'])];

    await expect(wiring.terminating(op, specs, vnfs)).resolves.toBeUndefined();

    expect(asked.filter((a) => a.manager === 'fw').map((a) => a.req)).toEqual([
      { nsInstanceId: NS, nsLcmOpOccId: 'op-1', action: 'stop', vnfInstanceId: 'vnf-firewall', memberId: 'firewall', vnfdId: 'vnfd-firewall', popId: 'dc1', computeIds: ['c1'] },
      { nsInstanceId: NS, nsLcmOpOccId: 'op-1', action: 'stop', vnfInstanceId: 'vnf-firewall2', memberId: 'firewall2', vnfdId: 'vnfd-firewall2', popId: 'dc1', computeIds: ['c2', 'c3'] },
    ]);
    await until(() => warnings.length === 3, 'three warnings');
    expect(warnings.map((w) => [w.manager, w.action, w.vnfInstanceId ?? null])).toEqual([['bad', 'stop', 'vnf-server'], ['dead', 'stop', 'vnf-client'], ['gone', 'stop', null]]);
    expect(warnings[0]?.reason).toMatch(/bad refuses stop/);
    expect(warnings[1]?.reason).toMatch(/container of dead stopped/);
    expect(warnings[2]?.reason).toMatch(/not registered/);
    expect(warnings.every((w) => w.nsLcmOpOccId === 'op-1' && w.nsInstanceId === NS)).toBe(true);
    await bus.close();
  }, 20_000);
});

describe('wireSpecificManagers: FSM scale', () => {
  it('asks the scaled VNF\'s FSMs scale with its computes now, the aspect and the direction', async () => {
    const { bus, wiring, asked } = await setUp([
      { spec: fsm('fw', ['firewall']), actions: { scale: 'ok' } },
      { spec: fsm('other', ['server']), actions: { scale: 'ok' } },
      { spec: fsm('nostop', ['firewall']), actions: { start: 'ok' } },
    ]);
    const specs = [fsm('fw', ['firewall']), fsm('other', ['server']), fsm('nostop', ['firewall'])];
    await wiring.scaled(op, specs, [vnf('firewall', ['c1', 'c9']), vnf('server', ['c4'])], [{ memberId: 'firewall', aspectId: 'fw_aspect', direction: 'SCALE_OUT' }]);
    expect(asked).toEqual([{ manager: 'fw', req: {
      nsInstanceId: NS, nsLcmOpOccId: 'op-1', action: 'scale', vnfInstanceId: 'vnf-firewall', memberId: 'firewall', vnfdId: 'vnfd-firewall', popId: 'dc1', computeIds: ['c1', 'c9'], aspectId: 'fw_aspect', direction: 'SCALE_OUT',
    } }]);
    await bus.close();
  });

  it('a failing FSM fails the SCALE with MANAGER_FAILED naming it; an optional one does not', async () => {
    const { bus, wiring } = await setUp([
      { spec: fsm('fw', ['firewall']), actions: { scale: 'throw' } },
      { spec: fsm('opt', ['server'], { mandatory: 'false' }), actions: { scale: 'throw' } },
    ]);
    const vnfs = [vnf('firewall', ['c1']), vnf('server', ['c4'])];
    await expect(wiring.scaled(op, [fsm('opt', ['server'], { mandatory: 'false' })], vnfs, [{ memberId: 'server', aspectId: 'a', direction: 'SCALE_IN' }])).resolves.toBeUndefined();
    await expect(wiring.scaled(op, [fsm('fw', ['firewall'])], vnfs, [{ memberId: 'firewall', aspectId: 'a', direction: 'SCALE_IN' }]))
      .rejects.toMatchObject({ code: 'MANAGER_FAILED', message: expect.stringMatching(/FSM fw .*failed scale of VNF firewall/) });
    await bus.close();
  });
});

describe('wireSpecificManagers: a monitoring SSM', () => {
  /** The lifecycle side: what the NS holds, the operations asked (refused with 409 while `busy`). */
  const lifecycleOf = (busy: { value: boolean }) => {
    const started: { type: 'HEAL' | 'SCALE'; ns: string; req: unknown }[] = [];
    const conflict = () => new ConflictError(`NS instance ${NS} has operation op-0 in PROCESSING`, { code: 'NS_OPERATION_IN_PROGRESS' });
    const lifecycle = {
      listVnfs: async (ns: string) => (ns === NS ? [vnf('firewall', ['c1'])] : []),
      heal: async (ns: string, req: unknown) => {
        if (busy.value) throw conflict();
        started.push({ type: 'HEAL', ns, req });
        return { id: `op-heal-${started.length}` };
      },
      scale: async (ns: string, req: unknown) => {
        if (busy.value) throw conflict();
        started.push({ type: 'SCALE', ns, req });
        return { id: `op-scale-${started.length}` };
      },
    } as unknown as ServiceActionLifecycle;
    return { lifecycle, started };
  };

  it('HEAL and SCALE asked on the NS\'s action topic start automatic operations of that NS; another NS\'s VNF, a bad request and a running op are refused', async () => {
    const bus = createInProcessBus<Record<string, unknown>>();
    const busy = { value: false };
    const { lifecycle, started } = lifecycleOf(busy);
    const host: ManagerHost = { start: async () => [], remove: async () => undefined, pluginName: (ns, id) => `${ns}.${id}`, alive: async () => true };
    const wiring = wireSpecificManagers({
      bus, host, plugins: { list: async () => [] } as unknown as PluginRepository, logger: pino({ level: 'silent' }), listVnfs: async () => [],
      driver: () => { throw new Error('no exec in this test'); }, runningNs: async () => [], lifecycle: () => lifecycle,
    });
    await wiring.prepare(NS, []);
    const ask = (payload: object) => bus.request(NS_MANAGER_TOPICS.action(NS), payload, { timeoutMs: 5000 });

    expect(await ask({ action: 'HEAL', vnfInstanceId: 'vnf-firewall' })).toEqual({ status: 'OK', nsLcmOpOccId: 'op-heal-1' });
    expect(await ask({ action: 'SCALE', vnfInstanceId: 'vnf-firewall', aspectId: 'fw_aspect', direction: 'SCALE_OUT', steps: 2 })).toEqual({ status: 'OK', nsLcmOpOccId: 'op-scale-2' });
    expect(started[0]).toMatchObject({ type: 'HEAL', ns: NS, req: { vnfs: [{ vnfInstanceId: 'vnf-firewall' }], automatic: true } });
    expect(started[1]).toMatchObject({
      type: 'SCALE', ns: NS,
      req: { scaleType: 'SCALE_VNF', automatic: true, scaleVnfData: [{ vnfInstanceId: 'vnf-firewall', scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'fw_aspect', numberOfSteps: 2 } }] },
    });

    await expect(ask({ action: 'HEAL', vnfInstanceId: 'vnf-of-another-ns' })).rejects.toMatchObject({ code: 'MANAGER_FORBIDDEN' });
    await expect(ask({ action: 'REBOOT', vnfInstanceId: 'vnf-firewall' })).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    await expect(ask({ action: 'SCALE', vnfInstanceId: 'vnf-firewall', aspectId: 'a', direction: 'UP' })).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    busy.value = true;
    await expect(ask({ action: 'HEAL', vnfInstanceId: 'vnf-firewall' })).rejects.toMatchObject({ code: 'NS_OPERATION_IN_PROGRESS' });
    expect(started).toHaveLength(2);

    // Released with the NS: nobody answers its action topic any more.
    await wiring.release(NS);
    busy.value = false;
    const after = await bus.request(NS_MANAGER_TOPICS.action(NS), { action: 'HEAL', vnfInstanceId: 'vnf-firewall' }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((after as { code?: string }).code).toMatch(/^BUS_(NO_RESPONDER|REQUEST_TIMEOUT)$/);
    expect(started).toHaveLength(2);
    await bus.close();
  });

  it('publishes the NS\'s alarms on its alarm topic when a manager of the NS is registered, and not otherwise', async () => {
    const bus = createInProcessBus<Record<string, unknown>>();
    const { lifecycle } = lifecycleOf({ value: false });
    const records: PluginRecord[] = [];
    const host: ManagerHost = { start: async () => [], remove: async () => undefined, pluginName: (ns, id) => `${ns}.${id}`, alive: async () => true };
    const wiring = wireSpecificManagers({
      bus, host, plugins: { list: async () => records } as unknown as PluginRepository, logger: pino({ level: 'silent' }), listVnfs: async () => [],
      driver: () => { throw new Error('no exec in this test'); }, runningNs: async () => [], lifecycle: () => lifecycle,
    });
    const heard: ServiceAlarmEvent[] = [];
    await bus.subscribe([NS_MANAGER_TOPICS.alarm(NS)], (e) => void heard.push(e.payload as unknown as ServiceAlarmEvent));
    const at = new Date('2026-12-01T10:00:00Z');
    const alarm: AlarmRecord = {
      id: 'al-1', tenant: 't', managedObjectId: NS, sourceKey: 'firewall', rootCauseFaultyResource: {}, alarmRaisedTime: at, alarmChangedTime: null, alarmClearedTime: null,
      ackState: 'UNACKNOWLEDGED', perceivedSeverity: 'CRITICAL', eventTime: at, eventType: 'PROCESSING_ERROR_ALARM', faultType: 'VNF compute stopped', probableCause: 'VNF_DOWN',
      isRootCause: true, correlatedAlarmIds: [], faultDetails: ['vnfInstanceId=firewall', 'computeId=c1'],
    };
    await wiring.alarm('alarm.raised', alarm);
    records.push({ id: 'p1', name: `${NS}.ssm-mon`, version: '1', description: null, topics: [], state: 'ACTIVE', registeredAt: '', lastHeartbeatAt: '' });
    await wiring.alarm('alarm.raised', alarm);
    await wiring.alarm('alarm.cleared', { ...alarm, alarmClearedTime: new Date('2026-12-01T10:01:00Z') });
    await wiring.alarm('alarm.raised', { ...alarm, id: 'al-2', managedObjectId: 'another-ns' });
    await until(() => heard.length === 2, 'two alarm events');
    expect(heard[0]).toEqual({
      event: 'alarm.raised', nsInstanceId: NS,
      alarm: {
        id: 'al-1', vnfInstanceId: 'vnf-firewall', memberId: 'firewall', probableCause: 'VNF_DOWN', perceivedSeverity: 'CRITICAL', faultType: 'VNF compute stopped',
        eventType: 'PROCESSING_ERROR_ALARM', alarmRaisedTime: '2026-12-01T10:00:00.000Z', alarmClearedTime: null, faultDetails: ['vnfInstanceId=firewall', 'computeId=c1'],
      },
    });
    expect(heard[1]).toMatchObject({ event: 'alarm.cleared', alarm: { id: 'al-1', alarmClearedTime: '2026-12-01T10:01:00.000Z' } });
    await bus.close();
  });
});
