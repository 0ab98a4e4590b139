import type { ConformanceCase } from '../types.js';
import { apiVersionCases, json, JSON_CT, mergePatch, problem, rowsOf, selectorCases } from './helpers.js';

/** NS fault management (SOL005 §8), NFV-TST010 clause 5.3.3. */

const BASE = '/nsfm/v1';
const ALARMS = `${BASE}/alarms`;
const ALARM = `${ALARMS}/{alarmId}`;
const SUBS = `${BASE}/subscriptions`;
const SUB = `${SUBS}/{subscriptionId}`;
const NO_DUPLICATES = 'Rondo does not create duplicate subscriptions (303 See Other, SOL005 §8.4.4.3.1): the variant that creates them does not apply';
type Ctx = Parameters<NonNullable<ConformanceCase['expect']['check']>>[1];

const af = rowsOf('nsfm', 'Alarms');
const alarms: ConformanceCase[] = [
  af.notAllowed('5.3.3.1.1', 'POST', ALARMS),
  af.row('5.3.3.1.2', 'GET the alarm list', 'alarm', 'GET', ALARMS, { status: 200, schema: 'Alarm[]', contentType: JSON_CT }),
  af.row('5.3.3.1.3', 'GET the alarms with an attribute filter, matching it', 'alarm', 'GET', `${ALARMS}?filter=(eq,managedObjectId,{nsInstanceId})`, {
    status: 200, schema: 'Alarm[]',
    check: (r, ctx) => {
      const l = r.json() as { managedObjectId: string }[];
      return l.length > 0 && l.every((a) => a.managedObjectId === ctx.vars.nsInstanceId) ? undefined : `got ${l.length} item(s) or a mismatch`;
    },
  }),
  af.row('5.3.3.1.4', 'GET the alarms with a filter on an unknown attribute: 400', 'none', 'GET', `${ALARMS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  ...selectorCases('nsfm', 'Alarms', '5.3.3.1', 5, 'the alarm list', 'alarm', ALARMS, 'Alarm[]', 'faultDetails'),
  af.notAllowed('5.3.3.1.9', 'PUT', ALARMS),
  af.notAllowed('5.3.3.1.10', 'PATCH', ALARMS),
  af.notAllowed('5.3.3.1.11', 'DELETE', ALARMS),
];

const of = rowsOf('nsfm', 'IndividualAlarm');
const one: ConformanceCase[] = [
  of.notAllowed('5.3.3.2.1', 'POST', ALARM, 'alarm', 'an individual alarm'),
  of.row('5.3.3.2.2', 'GET an alarm', 'alarm', 'GET', ALARM, { status: 200, schema: 'Alarm', contentType: JSON_CT }),
  of.row('5.3.3.2.3', 'GET an alarm that does not exist: 404', 'none', 'GET', `${ALARMS}/{missing}`, { status: 404 }),
  of.notAllowed('5.3.3.2.4', 'PUT', ALARM, 'alarm', 'an individual alarm'),
  of.row('5.3.3.2.5', 'PATCH acknowledges an alarm: 200 with the AlarmModifications', 'freshAlarm', 'PATCH', ALARM, { status: 200, schema: 'AlarmModifications', contentType: JSON_CT }, { headers: mergePatch, body: json({ ackState: 'ACKNOWLEDGED' }) }),
  of.row('5.3.3.2.6', 'PATCH acknowledging an alarm already ACKNOWLEDGED: 409', 'acknowledgedAlarm', 'PATCH', ALARM, problem(409), { headers: mergePatch, body: json({ ackState: 'ACKNOWLEDGED' }) }),
  of.row('5.3.3.2.7', 'PATCH with an If-Match that is not the current ETag: 412', 'alarm', 'PATCH', ALARM, problem(412), { headers: { ...mergePatch, 'if-match': '"stale"' }, body: json({ ackState: 'ACKNOWLEDGED' }) }),
  of.notAllowed('5.3.3.2.8', 'DELETE', ALARM, 'alarm', 'an individual alarm'),
];

const sf = rowsOf('nsfm', 'Subscriptions');
const subBody = { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/nsfm-5.3.3.3.1`, filter: { notificationTypes: ['AlarmNotification'] }  }) };
const subs: ConformanceCase[] = [
  sf.row('5.3.3.3.1', 'POST an FmSubscriptionRequest: 201 with Location and the subscription', 'none', 'POST', SUBS, { status: 201, schema: 'FmSubscription', headers: ['location'] }, { body: subBody }),
  sf.row('5.3.3.3.2', 'POST the same subscription again, NFVO creating duplicates: 201', 'none', 'POST', SUBS, { status: 201 }, { noVerdict: NO_DUPLICATES }),
  sf.row('5.3.3.3.3', 'POST the same subscription again: 303 See Other with Location', 'none', 'POST', SUBS, { status: 303, headers: ['location'] }, { body: subBody }),
  sf.row('5.3.3.3.4', 'GET the fault management subscriptions', 'fmSubscription', 'GET', SUBS, { status: 200, schema: 'FmSubscription[]', contentType: JSON_CT }),
  sf.row('5.3.3.3.5', 'GET the subscriptions with an attribute filter', 'fmSubscription', 'GET', `${SUBS}?filter=(eq,id,{subscriptionId})`, {
    status: 200, schema: 'FmSubscription[]', check: (r, ctx) => ((r.json() as { id: string }[]).every((s) => s.id === ctx.vars.subscriptionId) ? undefined : 'an item does not match the filter'),
  }),
  sf.row('5.3.3.3.6', 'GET the subscriptions with a filter on an unknown attribute: 400', 'none', 'GET', `${SUBS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  ...selectorCases('nsfm', 'Subscriptions', '5.3.3.3', 7, 'the subscriptions', 'fmSubscription', SUBS, 'FmSubscription[]', 'filter'),
  sf.notAllowed('5.3.3.3.11', 'PUT', SUBS),
  sf.notAllowed('5.3.3.3.12', 'PATCH', SUBS),
  sf.notAllowed('5.3.3.3.13', 'DELETE', SUBS),
];

const isf = rowsOf('nsfm', 'IndividualSubscription');
const sub: ConformanceCase[] = [
  isf.notAllowed('5.3.3.4.1', 'POST', SUB, 'fmSubscription', 'an individual subscription'),
  isf.row('5.3.3.4.2', 'GET a fault management subscription', 'fmSubscription', 'GET', SUB, { status: 200, schema: 'FmSubscription' }),
  isf.notAllowed('5.3.3.4.3', 'PUT', SUB, 'fmSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.3.4.4', 'PATCH', SUB, 'fmSubscription', 'an individual subscription'),
  isf.row('5.3.3.4.5', 'DELETE a subscription: 204', 'freshFmSubscription', 'DELETE', SUB, { status: 204 }),
];

const nf = rowsOf('nsfm', 'NotificationEndpoint');
const notified = (type: string) => async (_r: unknown, ctx: Ctx) => {
  const n = await ctx.notification(type, (b) => (b.alarm as { id?: string } | undefined)?.id === ctx.vars.alarmId || b.alarmId === ctx.vars.alarmId);
  if (!n) return `no ${type} about the alarm`;
  const v = ctx.violations(type, n);
  return v.length > 0 ? `${type}: ${v.slice(0, 3).join('; ')}` : undefined;
};
const notifications: ConformanceCase[] = [
  nf.row('5.3.3.5.1', 'A VNF whose compute dies raises an alarm, and the subscriber receives AlarmNotification', 'freshAlarm', 'GET', ALARM, { status: 200, check: notified('AlarmNotification') }),
  nf.row('5.3.3.5.2', 'Healing the VNF clears the alarm, and the subscriber receives AlarmClearedNotification', 'freshAlarm', 'POST', '/nslcm/v1/ns_instances/{nsInstanceId}/heal', { status: 202, check: notified('AlarmClearedNotification') }, {
    body: { build: (v) => ({ healVnfData: [{ vnfInstanceId: v.vnfInstanceId, cause: 'conformance' }] }) },
  }),
  nf.row('5.3.3.5.3', 'A subscription to AlarmListRebuiltNotification is accepted (201)', 'none', 'POST', SUBS, { status: 201, schema: 'FmSubscription' }, {
    body: { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/nsfm-rebuilt`, filter: { notificationTypes: ['AlarmListRebuiltNotification'] }  }) },
  }),
];

export const NSFM_CASES: readonly ConformanceCase[] = [...alarms, ...one, ...subs, ...sub, ...notifications, ...apiVersionCases('nsfm', '5.3.3.6')];
