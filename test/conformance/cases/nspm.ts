import type { ConformanceCase } from '../types.js';
import { apiVersionCases, JSON_CT, problem, rowsOf, selectorCases } from './helpers.js';

/** NS performance management (SOL005 §7), NFV-TST010 clause 5.3.4. */

const BASE = '/nspm/v1';
const JOBS = `${BASE}/pm_jobs`;
const JOB = `${JOBS}/{pmJobId}`;
const REPORT = `${JOB}/reports/{reportId}`;
const THS = `${BASE}/thresholds`;
const TH = `${THS}/{thresholdId}`;
const SUBS = `${BASE}/subscriptions`;
const SUB = `${SUBS}/{subscriptionId}`;
const NO_DUPLICATES = 'Rondo does not create duplicate subscriptions (303 See Other, SOL005 §7.4.7.3.1): the variant that creates them does not apply';
const PAGING = 'Rondo pages large lists (SOL013 §5.4.2): the 400 "response too big" answer is for an NFVO without paging';
const MODIFIABLE = (what: string) => `Rondo supports PATCH on an individual ${what} (the ${what}Modifications of later SOL005 versions), so the 405 this case expects does not apply`;
type Ctx = Parameters<NonNullable<ConformanceCase['expect']['check']>>[1];
const jobBody = { build: (v: Readonly<Record<string, string>>) => ({ objectType: 'NS', objectInstanceIds: [v.nsInstanceId], criteria: { performanceMetric: ['VMemoryUsageMeanVnf'], collectionPeriod: 10, reportingPeriod: 20 } }) };
const thBody = { build: (v: Readonly<Record<string, string>>) => ({ objectType: 'NS', objectInstanceId: v.nsInstanceId, criteria: { performanceMetric: 'VMemoryUsageMeanVnf', thresholdType: 'SIMPLE', simpleThresholdDetails: { thresholdValue: 95, hysteresis: 2 } } }) };
const linkNext = (r: { headers: Readonly<Record<string, unknown>> }) => (/rel="next"/.test(String(r.headers.link ?? '')) ? undefined : 'no Link rel="next" header');

const jf = rowsOf('nspm', 'PMJobs');
const jobs: ConformanceCase[] = [
  jf.row('5.3.4.1.1', 'GET the PM jobs: by default without reports', 'pmJob', 'GET', JOBS, {
    status: 200, schema: 'PmJob[]', contentType: JSON_CT, check: (r) => ((r.json() as Record<string, unknown>[]).some((j) => 'reports' in j) ? 'reports present' : undefined),
  }),
  jf.row('5.3.4.1.2', 'GET the PM jobs with an attribute filter, matching it', 'pmJob', 'GET', `${JOBS}?filter=(eq,id,{pmJobId})`, {
    status: 200, schema: 'PmJob[]', check: (r, ctx) => ((r.json() as { id: string }[]).every((j) => j.id === ctx.vars.pmJobId) ? undefined : 'an item does not match the filter'),
  }),
  ...selectorCases('nspm', 'PMJobs', '5.3.4.1', 3, 'the PM jobs', 'pmReport', JOBS, 'PmJob[]', 'reports'),
  jf.row('5.3.4.1.7', 'GET the PM jobs with a filter on an unknown attribute: 400', 'none', 'GET', `${JOBS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  jf.row('5.3.4.1.8', 'GET a PM jobs URI that is no resource: 404', 'none', 'GET', `${BASE}/pm_job`, { status: 404 }),
  jf.row('5.3.4.1.9', 'POST a CreatePmJobRequest: 201 with Location and the PmJob, which then exists', 'instantiatedNs', 'POST', JOBS, {
    status: 201, schema: 'PmJob', headers: ['location'],
    check: async (r, ctx) => ((await ctx.get(`${JOBS}/${(r.json() as { id: string }).id}`)).status === 200 ? undefined : 'not found after creation'),
  }, { body: jobBody }),
  jf.notAllowed('5.3.4.1.10', 'PUT', JOBS),
  jf.notAllowed('5.3.4.1.11', 'PATCH', JOBS),
  jf.notAllowed('5.3.4.1.12', 'DELETE', JOBS),
];

const ijf = rowsOf('nspm', 'IndividualPmJob');
const job: ConformanceCase[] = [
  ijf.row('5.3.4.2.1', 'GET a PM job', 'pmJob', 'GET', JOB, { status: 200, schema: 'PmJob', check: (r, ctx) => ((r.json() as { id: string }).id === ctx.vars.pmJobId ? undefined : 'another job') }),
  ijf.row('5.3.4.2.2', 'GET a PM job that does not exist: 404', 'none', 'GET', `${JOBS}/{missing}`, problem(404)),
  ijf.row('5.3.4.2.3', 'DELETE a PM job that does not exist: 404', 'none', 'DELETE', `${JOBS}/{missing}`, { status: 404 }),
  ijf.notAllowed('5.3.4.2.4', 'POST', JOB, 'pmJob', 'an individual PM job'),
  ijf.notAllowed('5.3.4.2.5', 'PUT', JOB, 'pmJob', 'an individual PM job'),
  ijf.row('5.3.4.2.6', 'PATCH on an individual PM job is not supported', 'pmJob', 'PATCH', JOB, { status: 405 }, { noVerdict: MODIFIABLE('PmJob') }),
  ijf.row('5.3.4.2.7', 'DELETE a PM job: 204, then it is gone', 'freshPmJob', 'DELETE', JOB, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${JOBS}/${ctx.vars.pmJobId}`)).status === 404 ? undefined : 'still there'),
  }),
];

const rf = rowsOf('nspm', 'IndividualReport');
const report: ConformanceCase[] = [
  rf.row('5.3.4.3.1', 'GET a performance report', 'pmReport', 'GET', REPORT, { status: 200, schema: 'PerformanceReport', contentType: JSON_CT }),
  rf.row('5.3.4.3.2', 'GET a report that does not exist: 404', 'pmJob', 'GET', `${JOB}/reports/{missing}`, problem(404)),
  rf.notAllowed('5.3.4.3.3', 'POST', REPORT, 'pmReport', 'a report'),
  rf.notAllowed('5.3.4.3.4', 'PUT', REPORT, 'pmReport', 'a report'),
  rf.notAllowed('5.3.4.3.5', 'PATCH', REPORT, 'pmReport', 'a report'),
  rf.notAllowed('5.3.4.3.6', 'DELETE', REPORT, 'pmReport', 'a report'),
];

const tf = rowsOf('nspm', 'Thresholds');
const ths: ConformanceCase[] = [
  tf.row('5.3.4.4.1', 'GET the thresholds', 'threshold', 'GET', THS, { status: 200, schema: 'Threshold[]', contentType: JSON_CT }),
  tf.row('5.3.4.4.2', 'GET the thresholds with an attribute filter, matching it', 'threshold', 'GET', `${THS}?filter=(eq,id,{thresholdId})`, {
    status: 200, schema: 'Threshold[]', check: (r, ctx) => ((r.json() as { id: string }[]).every((t) => t.id === ctx.vars.thresholdId) ? undefined : 'an item does not match the filter'),
  }),
  // The suite swaps the statuses of 5.3.4.4.3 and 5.3.4.4.4; SOL005 §7.4.5.3.2 / SOL013 §6.4 say 400 for a bad filter, 404 for no resource.
  tf.row('5.3.4.4.3', 'GET the thresholds with a filter on an unknown attribute: 400 (the suite says 404)', 'none', 'GET', `${THS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  tf.row('5.3.4.4.4', 'GET a thresholds URI that is no resource: 404 (the suite says 400)', 'none', 'GET', `${BASE}/threshold`, { status: 404 }),
  tf.row('5.3.4.4.5', 'POST a CreateThresholdRequest: 201 with Location and the Threshold, which then exists', 'instantiatedNs', 'POST', THS, {
    status: 201, schema: 'Threshold', headers: ['location'],
    check: async (r, ctx) => ((await ctx.get(`${THS}/${(r.json() as { id: string }).id}`)).status === 200 ? undefined : 'not found after creation'),
  }, { body: thBody }),
  tf.notAllowed('5.3.4.4.6', 'PUT', THS),
  tf.notAllowed('5.3.4.4.7', 'PATCH', THS),
  tf.notAllowed('5.3.4.4.8', 'DELETE', THS),
  tf.row('5.3.4.4.9', 'GET the thresholds as a paged response: Link rel="next" when longer than a page', 'thresholdPage', 'GET', THS, { status: 200, check: linkNext }),
  tf.row('5.3.4.4.10', 'GET the thresholds, response too big: 400', 'none', 'GET', THS, problem(400), { noVerdict: PAGING }),
];

const itf = rowsOf('nspm', 'IndividualThreshold');
const th: ConformanceCase[] = [
  itf.row('5.3.4.5.1', 'GET a threshold', 'threshold', 'GET', TH, { status: 200, schema: 'Threshold', check: (r, ctx) => ((r.json() as { id: string }).id === ctx.vars.thresholdId ? undefined : 'another threshold') }),
  itf.row('5.3.4.5.2', 'GET a threshold that does not exist: 404', 'none', 'GET', `${THS}/{missing}`, problem(404)),
  itf.row('5.3.4.5.3', 'DELETE a threshold: 204, then it is gone', 'freshThreshold', 'DELETE', TH, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${THS}/${ctx.vars.thresholdId}`)).status === 404 ? undefined : 'still there'),
  }),
  itf.row('5.3.4.5.4', 'DELETE a threshold that does not exist: 404', 'none', 'DELETE', `${THS}/{missing}`, { status: 404 }),
  itf.notAllowed('5.3.4.5.5', 'POST', TH, 'threshold', 'an individual threshold'),
  itf.notAllowed('5.3.4.5.6', 'PUT', TH, 'threshold', 'an individual threshold'),
  itf.row('5.3.4.5.7', 'PATCH on an individual threshold is not supported', 'threshold', 'PATCH', TH, { status: 405 }, { noVerdict: MODIFIABLE('Threshold') }),
];

const sf = rowsOf('nspm', 'Subscriptions');
const subBody = { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/nspm-5.3.4.6.5`, filter: { notificationTypes: ['ThresholdCrossedNotification'] }  }) };
const subs: ConformanceCase[] = [
  sf.row('5.3.4.6.1', 'GET the PM subscriptions', 'pmSubscription', 'GET', SUBS, { status: 200, schema: 'PmSubscription[]', contentType: JSON_CT }),
  sf.row('5.3.4.6.2', 'GET the subscriptions with an attribute filter, matching it', 'pmSubscription', 'GET', `${SUBS}?filter=(eq,id,{subscriptionId})`, {
    status: 200, schema: 'PmSubscription[]', check: (r, ctx) => ((r.json() as { id: string }[]).every((s) => s.id === ctx.vars.subscriptionId) ? undefined : 'an item does not match the filter'),
  }),
  sf.row('5.3.4.6.3', 'GET the subscriptions with a filter on an unknown attribute: 400', 'none', 'GET', `${SUBS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  sf.row('5.3.4.6.4', 'GET a subscriptions URI that is no resource: 404', 'none', 'GET', `${BASE}/subscription`, { status: 404 }),
  sf.row('5.3.4.6.5', 'POST a PmSubscriptionRequest: 201 with Location and the subscription', 'none', 'POST', SUBS, { status: 201, schema: 'PmSubscription', headers: ['location'] }, { body: subBody }),
  sf.row('5.3.4.6.6', 'POST the same subscription again: 303 See Other to the existing one', 'none', 'POST', SUBS, { status: 303, headers: ['location'], emptyBody: true }, { body: subBody }),
  sf.row('5.3.4.6.7', 'POST the same subscription again, NFVO creating duplicates: 201', 'none', 'POST', SUBS, { status: 201 }, { noVerdict: NO_DUPLICATES }),
  sf.notAllowed('5.3.4.6.8', 'PUT', SUBS),
  sf.notAllowed('5.3.4.6.9', 'PATCH', SUBS),
  sf.notAllowed('5.3.4.6.10', 'DELETE', SUBS),
];

const isf = rowsOf('nspm', 'IndividualSubscription');
const sub: ConformanceCase[] = [
  isf.row('5.3.4.7.1', 'GET a PM subscription', 'pmSubscription', 'GET', SUB, { status: 200, schema: 'PmSubscription' }),
  isf.row('5.3.4.7.2', 'GET a subscription that does not exist: 404', 'none', 'GET', `${SUBS}/{missing}`, { status: 404 }),
  isf.row('5.3.4.7.3', 'DELETE a subscription that does not exist: 404', 'none', 'DELETE', `${SUBS}/{missing}`, { status: 404 }),
  isf.notAllowed('5.3.4.7.4', 'POST', SUB, 'pmSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.4.7.5', 'PUT', SUB, 'pmSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.4.7.6', 'PATCH', SUB, 'pmSubscription', 'an individual subscription'),
  isf.row('5.3.4.7.7', 'DELETE a subscription: 204, then it is gone', 'freshPmSubscription', 'DELETE', SUB, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${SUBS}/${ctx.vars.subscriptionId}`)).status === 404 ? undefined : 'still there'),
  }),
];

const nf = rowsOf('nspm', 'Notifications');
const notified = (type: string, match: (n: Record<string, unknown>, v: Readonly<Record<string, string>>) => boolean) => async (_r: unknown, ctx: Ctx) => {
  const n = await ctx.notification(type, (b) => match(b, ctx.vars));
  if (!n) return `no ${type}`;
  const v = ctx.violations(type, n);
  return v.length > 0 ? `${type}: ${v.slice(0, 3).join('; ')}` : undefined;
};
const notifications: ConformanceCase[] = [
  nf.row('5.3.4.8.1', 'A PM job that reports sends PerformanceInformationAvailableNotification', 'pmReport', 'GET', REPORT, { status: 200, check: notified('PerformanceInformationAvailableNotification', (n, v) => n.pmJobId === v.pmJobId) }),
  nf.row('5.3.4.8.2', 'A threshold crossed sends ThresholdCrossedNotification', 'crossedThreshold', 'GET', TH, { status: 200, check: notified('ThresholdCrossedNotification', (n, v) => n.thresholdId === v.thresholdId) }),
];

export const NSPM_CASES: readonly ConformanceCase[] = [...jobs, ...job, ...report, ...ths, ...th, ...subs, ...sub, ...notifications, ...apiVersionCases('nspm', '5.3.4.9')];
