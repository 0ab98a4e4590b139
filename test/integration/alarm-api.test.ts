import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmsRoutes } from '../../src/api/sol005/nsfm/alarms-routes.js';
import { createEventBus } from '../../src/bus/index.js';
import { AlarmService } from '../../src/monitoring/index.js';
import type { MonitoringTopics, VnfEvent } from '../../src/monitoring/index.js';
import { alarmRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { monitoringTestApp } from '../support/monitoring-app.js';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import type { Clock, IdGenerator } from '../../src/model/index.js';

const steppingClock = (t = Date.parse('2025-01-01T00:00:00Z')): Clock => ({ now: () => new Date(t++) });
const counterIds = (): IdGenerator => {
  let n = 0;
  return { next: () => `id-${String(++n).padStart(6, '0')}` };
};

describe.each(STORE_KINDS)('SOL005 alarms (%s)', (kind) => {
  let store: Store;
  let alarms: AlarmService;
  let app: Awaited<ReturnType<typeof monitoringTestApp>>;
  const bus = createEventBus<MonitoringTopics>();
  const at = new Date('2025-02-01T12:00:00Z');
  const ev = (type: VnfEvent['type'], vnfId = 'vnf-a'): VnfEvent => ({ type, nsId: 'ns-1', vnfId, popId: 'dc1', computeId: `c-${vnfId}`, at, exitCode: 137 });

  beforeAll(async () => {
    store = await openTestStore(kind, `alarm-api-${kind}`);
    alarms = new AlarmService({ repo: alarmRepository(store.db), bus, clock: steppingClock(), ids: counterIds() });
    alarms.start();
    app = await monitoringTestApp(async (a) => {
      await a.register(alarmsRoutes, { alarms });
    });
  });

  afterAll(async () => {
    await app.close();
    await alarms.stop();
    await store.close();
  });

  it('raises one alarm on the NS per VNF fault, however often it is reported', async () => {
    bus.publish('vnf.down', ev('vnf.down'));
    bus.publish('vnf.down', ev('vnf.down'));
    bus.publish('vnf.unhealthy', ev('vnf.unhealthy', 'vnf-b'));
    await alarms.settled();
    const r = await app.inject({ method: 'GET', url: '/nsfm/v1/alarms?filter=(eq,managedObjectId,ns-1)' });
    expect(r.statusCode).toBe(200);
    const list = r.json();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      managedObjectId: 'ns-1',
      ackState: 'UNACKNOWLEDGED',
      perceivedSeverity: 'CRITICAL',
      eventType: 'PROCESSING_ERROR_ALARM',
      probableCause: 'VNF_DOWN',
      isRootCause: true,
      eventTime: at.toISOString(),
      rootCauseFaultyResource: { faultyResource: { vimConnectionId: 'dc1', resourceId: 'c-vnf-a' }, faultyResourceType: 'COMPUTE' },
      faultDetails: ['vnfInstanceId=vnf-a', 'computeId=c-vnf-a', 'exitCode=137'],
      _links: { self: { href: `/nsfm/v1/alarms/${list[0].id}` }, objectInstance: { href: '/nslcm/v1/ns_instances/ns-1' } },
    });
    expect(list[0].alarmClearedTime).toBeUndefined();
    const majors = await app.inject({ method: 'GET', url: '/nsfm/v1/alarms?filter=(eq,perceivedSeverity,MAJOR)' });
    expect(majors.json().map((a: { probableCause: string }) => a.probableCause)).toEqual(['VNF_UNHEALTHY']);
    expect((await app.inject({ method: 'GET', url: '/nsfm/v1/alarms?filter=(eq,nope,1)' })).statusCode).toBe(400);
  });

  it('acknowledges once (200), then 409; unknown alarms are 404', async () => {
    const [first] = (await app.inject({ method: 'GET', url: '/nsfm/v1/alarms' })).json();
    const patch = (id: string) =>
      app.inject({ method: 'PATCH', url: `/nsfm/v1/alarms/${id}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ ackState: 'ACKNOWLEDGED' }) });
    const ok = await patch(first.id);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ackState: 'ACKNOWLEDGED' });
    const shown = (await app.inject({ method: 'GET', url: `/nsfm/v1/alarms/${first.id}` })).json();
    expect(shown.ackState).toBe('ACKNOWLEDGED');
    expect(typeof shown.alarmChangedTime).toBe('string');
    const again = await patch(first.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALARM_ALREADY_ACKNOWLEDGED');
    expect((await patch('missing')).statusCode).toBe(404);
    const bad = await app.inject({ method: 'PATCH', url: `/nsfm/v1/alarms/${first.id}`, payload: { ackState: 'UNACKNOWLEDGED' } });
    expect(bad.statusCode).toBe(400);
  });

  it('clears the VNF alarm when it recovers; a new fault raises a new alarm', async () => {
    bus.publish('vnf.up', ev('vnf.up'));
    await alarms.settled();
    const cleared = (await app.inject({ method: 'GET', url: '/nsfm/v1/alarms?filter=(eq,probableCause,VNF_DOWN)' })).json();
    expect(cleared).toHaveLength(1);
    expect(cleared[0].perceivedSeverity).toBe('CLEARED');
    expect(typeof cleared[0].alarmClearedTime).toBe('string');
    bus.publish('vnf.down', ev('vnf.down'));
    await alarms.settled();
    const all = (await app.inject({ method: 'GET', url: '/nsfm/v1/alarms?filter=(eq,probableCause,VNF_DOWN)' })).json();
    expect(all).toHaveLength(2);
    expect(all[1].alarmClearedTime).toBeUndefined();
  });
});
