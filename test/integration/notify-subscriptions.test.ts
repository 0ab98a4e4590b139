import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionsRoutes } from '../../src/api/sol005/subscriptions-routes.js';
import { createEventBus } from '../../src/bus/index.js';
import type { LcmOpOcc } from '../../src/model/index.js';
import { AlarmService } from '../../src/monitoring/index.js';
import { createSecretBox } from '../../src/auth/index.js';
import type { MonitoringTopics } from '../../src/monitoring/index.js';
import { createSubscriptionService, NotificationService } from '../../src/notify/index.js';
import { alarmRepository, subscriptionRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { CallbackServer } from '../support/callback-server.js';
import { monitoringTestApp } from '../support/monitoring-app.js';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import type { Clock, IdGenerator } from '../../src/model/index.js';

const steppingClock = (t = Date.parse('2025-01-01T00:00:00Z')): Clock => ({ now: () => new Date(t++) });
const counterIds = (): IdGenerator => {
  let n = 0;
  return { next: () => `id-${String(++n).padStart(6, '0')}` };
};

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const op = (state: LcmOpOcc['operationState']): LcmOpOcc => ({
  id: 'op-1',
  nsInstanceId: 'ns-1',
  lcmOperationType: 'INSTANTIATE',
  operationState: state,
  statusEnteredTime: '2025-01-01T00:00:00.000Z',
  startTime: '2025-01-01T00:00:00.000Z',
  isAutomaticInvocation: false,
  operationParams: {},
  isCancelPending: false,
  cancelMode: null,
  error: null,
  tenant: 'default',
});

describe.each(STORE_KINDS)('SOL005 subscriptions and notifications (%s)', (kind) => {
  let store: Store;
  let cb: CallbackServer;
  let notifications: NotificationService;
  let app: Awaited<ReturnType<typeof monitoringTestApp>>;
  const sealer = createSecretBox('ef'.repeat(32));
  const clock = steppingClock();
  const ids = counterIds();
  const authentication = { authType: ['BASIC'], paramsBasic: { userName: 'oss', password: 'cb-secret' } };

  beforeAll(async () => {
    store = await openTestStore(kind, `notify-subscriptions-${kind}`);
    cb = new CallbackServer();
    await cb.start();
    const repo = subscriptionRepository(store.db);
    notifications = new NotificationService({ repo, sealer, clock, ids, backoff: { initialMs: 20, maxMs: 100 }, random: () => 1 });
    const subscriptions = createSubscriptionService({ repo, sealer, clock, ids });
    app = await monitoringTestApp(async (a) => {
      await a.register(subscriptionsRoutes, { subscriptions });
    });
  });

  afterAll(async () => {
    await app.close();
    await notifications.stop();
    await cb.stop();
    await store.close();
  });

  it('refuses a callback whose test GET does not answer 204 with 422, and a URL with credentials with 400', async () => {
    cb.getStatus = 404;
    const r = await app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: `${cb.url}/lcm` } });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ status: 422, code: 'CALLBACK_UNREACHABLE' });
    cb.getStatus = 204;
    const creds = await app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: cb.url.replace('http://', 'http://u:p@') } });
    expect(creds.statusCode).toBe(400);
    expect(creds.json().code).toBe('OUTBOUND_URL_INVALID');
    const ftp = await app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { callbackUri: 'ftp://127.0.0.1/x' } });
    expect(ftp.statusCode).toBe(400);
  });

  it('creates after a successful test GET (with the credentials), 303 for a duplicate, lists, shows', async () => {
    const payload = { callbackUri: `${cb.url}/lcm`, filter: { notificationTypes: ['NsLcmOperationOccurrenceNotification', 'NsIdentifierCreationNotification'] }, authentication };
    const r = await app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload });
    expect(r.statusCode).toBe(201);
    const sub = r.json();
    expect(r.headers.location).toBe(`/nslcm/v1/subscriptions/${sub.id}`);
    expect(sub).toEqual({ id: sub.id, callbackUri: `${cb.url}/lcm`, filter: payload.filter, _links: { self: { href: `/nslcm/v1/subscriptions/${sub.id}` } } });
    expect(r.body).not.toContain('cb-secret');
    const test = cb.requests.filter((x) => x.method === 'GET').at(-1);
    expect(test?.authorization).toBe(basic('oss', 'cb-secret'));

    const dup = await app.inject({ method: 'POST', url: '/nslcm/v1/subscriptions', payload: { ...payload, filter: { notificationTypes: [...payload.filter.notificationTypes].reverse() } } });
    expect(dup.statusCode).toBe(303);
    expect(dup.headers.location).toBe(`/nslcm/v1/subscriptions/${sub.id}`);

    const list = await app.inject({ method: 'GET', url: '/nslcm/v1/subscriptions' });
    expect(list.json().map((s: { id: string }) => s.id)).toEqual([sub.id]);
    expect((await app.inject({ method: 'GET', url: `/nslcm/v1/subscriptions/${sub.id}` })).json().id).toBe(sub.id);
    expect((await app.inject({ method: 'GET', url: `/nsfm/v1/subscriptions/${sub.id}` })).statusCode).toBe(404);
  });

  it('delivers LCM START and RESULT in order to the real callback, retrying after a 500', async () => {
    cb.failNext(1, 500);
    await notifications.publishLcm(op('PROCESSING'), 'START');
    await notifications.publishLcm(op('COMPLETED'), 'RESULT');
    await notifications.publishNsCreated('ns-2');
    await notifications.publishNsDeleted('ns-2'); // filtered out: type not subscribed
    await cb.waitFor(() => cb.notifications.length === 3);
    await notifications.idle();
    const [start, result, created] = cb.notifications;
    expect(start).toMatchObject({
      notificationType: 'NsLcmOperationOccurrenceNotification',
      notificationStatus: 'START',
      operationState: 'PROCESSING',
      nsInstanceId: 'ns-1',
      nsLcmOpOccId: 'op-1',
      operation: 'INSTANTIATE',
      isAutomaticInvocation: false,
      _links: { nsInstance: { href: '/nslcm/v1/ns_instances/ns-1' }, nsLcmOpOcc: { href: '/nslcm/v1/ns_lcm_op_occs/op-1' } },
    });
    expect(typeof start?.timestamp).toBe('string');
    expect(typeof start?.subscriptionId).toBe('string');
    expect(result).toMatchObject({ notificationStatus: 'RESULT', operationState: 'COMPLETED' });
    expect(created).toMatchObject({ notificationType: 'NsIdentifierCreationNotification', nsInstanceId: 'ns-2' });
    expect(cb.requests.filter((x) => x.method === 'REFUSED-POST')).toHaveLength(1);
    expect(cb.requests.filter((x) => x.method === 'POST').every((x) => x.authorization === basic('oss', 'cb-secret'))).toBe(true);
    expect(notifications.failedAttempts).toBe(1);
    expect(notifications.delivered).toBe(3);
  });

  it('sends AlarmNotification and AlarmClearedNotification to FM subscribers when a VNF fails and recovers', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/nsfm/v1/subscriptions',
      payload: { callbackUri: `${cb.url}/fm`, filter: { nsInstanceSubscriptionFilter: { nsInstanceIds: ['ns-9'] } } },
    });
    expect(r.statusCode).toBe(201);
    const bus = createEventBus<MonitoringTopics>();
    const alarms = new AlarmService({ repo: alarmRepository(store.db), bus, clock, ids, notifications });
    alarms.start();
    const at = new Date('2025-01-01T00:00:10Z');
    bus.publish('vnf.down', { type: 'vnf.down', nsId: 'ns-9', vnfId: 'vnf-a', popId: 'dc1', computeId: 'c-1', at, exitCode: 137 });
    bus.publish('vnf.down', { type: 'vnf.down', nsId: 'ns-other', vnfId: 'vnf-b', popId: 'dc1', computeId: 'c-2', at });
    await alarms.settled();
    bus.publish('vnf.up', { type: 'vnf.up', nsId: 'ns-9', vnfId: 'vnf-a', popId: 'dc1', computeId: 'c-3', at });
    await alarms.stop();
    const fm = () => cb.requests.filter((x) => x.method === 'POST' && x.path === '/fm').map((x) => x.body ?? {});
    await cb.waitFor(() => fm().length === 2);
    const [raised, cleared] = fm();
    expect(raised).toMatchObject({
      notificationType: 'AlarmNotification',
      alarm: { managedObjectId: 'ns-9', perceivedSeverity: 'CRITICAL', ackState: 'UNACKNOWLEDGED', probableCause: 'VNF_DOWN', eventTime: at.toISOString() },
    });
    expect(cleared).toMatchObject({ notificationType: 'AlarmClearedNotification', alarmId: (raised?.alarm as { id: string }).id });
    expect(typeof cleared?.alarmClearedTime).toBe('string');
  });

  it('deletes with 204, then 404', async () => {
    const [sub] = (await app.inject({ method: 'GET', url: '/nsfm/v1/subscriptions' })).json();
    expect((await app.inject({ method: 'DELETE', url: `/nsfm/v1/subscriptions/${sub.id}` })).statusCode).toBe(204);
    const again = await app.inject({ method: 'DELETE', url: `/nsfm/v1/subscriptions/${sub.id}` });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('NOT_FOUND');
  });
});
