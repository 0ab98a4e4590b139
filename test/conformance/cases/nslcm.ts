import type { ConformanceCase, Method, SetupName, Vars } from '../types.js';
import { apiVersionCases, json, JSON_CT, problem, rowsOf, selectorCases } from './helpers.js';

/** NS lifecycle management (SOL005 §6), NFV-TST010 clause 5.3.2. */

const BASE = '/nslcm/v1';
const NSS = `${BASE}/ns_instances`;
const NS = `${NSS}/{nsInstanceId}`;
const OPS = `${BASE}/ns_lcm_op_occs`;
const OP = `${OPS}/{nsLcmOpOccId}`;
const SUBS = `${BASE}/subscriptions`;
const SUB = `${SUBS}/{subscriptionId}`;
const NO_DUPLICATES = 'Rondo does not create duplicate subscriptions (303 See Other, SOL005 §6.4.16.3.1): the variant that creates them does not apply';
const TASK_SUPPORTED = (task: string) => `Rondo supports the ${task} task: the 404 answer is for an NFVO that does not`;

type Ctx = Parameters<NonNullable<ConformanceCase['expect']['check']>>[1];
const nsState = (want: string) => async (_r: unknown, ctx: Ctx) => {
  const s = ((await ctx.get(`${NSS}/${ctx.vars.nsInstanceId}`)).json() as { nsState?: string }).nsState;
  return s === want ? undefined : `NS is ${String(s)}, expected ${want}`;
};
/** The 202 of a task: Location names an NsLcmOpOcc that exists; `then` runs on the settled op. */
const accepted = (then?: (op: Record<string, unknown>, ctx: Ctx) => Promise<string | undefined>) => async (r: { headers: Readonly<Record<string, unknown>> }, ctx: Ctx) => {
  const loc = String(r.headers.location ?? '');
  const m = /\/nslcm\/v1\/ns_lcm_op_occs\/([^/]+)$/.exec(loc);
  if (!m) return `Location ${loc || '(none)'} is no NsLcmOpOcc`;
  let op: Record<string, unknown> = {};
  for (let i = 0; i < 400; i++) {
    op = (await ctx.get(`${OPS}/${m[1]}`)).json() as Record<string, unknown>;
    if (['COMPLETED', 'FAILED', 'FAILED_TEMP', 'ROLLED_BACK'].includes(String(op.operationState))) break;
    await new Promise((res) => setTimeout(res, 25));
  }
  return then ? then(op, ctx) : undefined;
};
const completed = (op: Record<string, unknown>) => Promise.resolve(op.operationState === 'COMPLETED' ? undefined : `operation ended ${String(op.operationState)}: ${JSON.stringify(op.error ?? {}).slice(0, 200)}`);

const instantiateBody = { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } };
const scaleBody = (v: Vars) => ({ scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: v.scalableVnfId, scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'vdu01', numberOfSteps: 1 } }] });
const updateBody = (v: Vars) => ({ updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: v.vnfInstanceId, changeStateTo: 'STOPPED' }] });
const healBody = (v: Vars) => ({ healVnfData: [{ vnfInstanceId: v.vnfInstanceId, cause: 'conformance' }] });

const lf = rowsOf('nslcm', 'NSInstances');
const list: ConformanceCase[] = [
  lf.row('5.3.2.1.1', 'POST a CreateNsRequest creates a NOT_INSTANTIATED NsInstance (201, Location)', 'onboardedNsd', 'POST', NSS, { status: 201, schema: 'NsInstance', headers: ['location'] }, {
    body: { build: (v) => ({ nsdId: v.nsdId, nsName: 'tst010', nsDescription: 'created by 5.3.2.1.1' }) },
  }),
  lf.row('5.3.2.1.2', 'GET the NS instance list', 'notInstantiatedNs', 'GET', NSS, { status: 200, schema: 'NsInstance[]', contentType: JSON_CT }),
  lf.row('5.3.2.1.3', 'GET the NS instances with a filter on an unknown attribute: 400', 'none', 'GET', `${NSS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  lf.row('5.3.2.1.4', 'GET the NS instances with a selector naming an unknown attribute: 400', 'none', 'GET', `${NSS}?fields=noSuchAttribute`, problem(400)),
  ...selectorCases('nslcm', 'NSInstances', '5.3.2.1', 5, 'the NS instance list', 'instantiatedNs', NSS, 'NsInstance[]', 'vnfInstance'),
  lf.notAllowed('5.3.2.1.9', 'PUT', NSS),
  lf.notAllowed('5.3.2.1.10', 'PATCH', NSS),
  lf.notAllowed('5.3.2.1.11', 'DELETE', NSS),
];

const of = rowsOf('nslcm', 'IndividualNSInstance');
const one: ConformanceCase[] = [
  of.notAllowed('5.3.2.2.1', 'POST', NS, 'notInstantiatedNs', 'an individual NS instance'),
  of.row('5.3.2.2.2', 'GET an NsInstance', 'instantiatedNs', 'GET', NS, { status: 200, schema: 'NsInstance', contentType: JSON_CT }),
  of.notAllowed('5.3.2.2.3', 'PUT', NS, 'notInstantiatedNs', 'an individual NS instance'),
  of.notAllowed('5.3.2.2.4', 'PATCH', NS, 'notInstantiatedNs', 'an individual NS instance'),
  of.row('5.3.2.2.5', 'DELETE a NOT_INSTANTIATED NS instance: 204, then it is gone', 'freshNotInstantiatedNs', 'DELETE', NS, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${NSS}/${ctx.vars.nsInstanceId}`)).status === 404 ? undefined : 'still there'),
  }),
  of.row('5.3.2.2.6', 'DELETE an INSTANTIATED NS instance: 409', 'instantiatedNs', 'DELETE', NS, problem(409)),
];

/** The six cases of a task resource on an NS instance. */
function nsTask(file: string, prefix: string, task: string, ok: { setup: SetupName; body: ConformanceCase['body']; title: string; then?: (op: Record<string, unknown>, ctx: Ctx) => Promise<string | undefined> }, conflict: { setup: SetupName; title: string; body: ConformanceCase['body'] }): ConformanceCase[] {
  const f = rowsOf('nslcm', file);
  const path = `${NS}/${task}`;
  const out: ConformanceCase[] = [
    f.row(`${prefix}.1`, ok.title, ok.setup, 'POST', path, { status: 202, headers: ['location'], check: accepted(ok.then) }, { body: ok.body }),
    f.row(`${prefix}.2`, conflict.title, conflict.setup, 'POST', path, problem(409), { body: conflict.body }),
  ];
  (['GET', 'PUT', 'PATCH', 'DELETE'] as Method[]).forEach((m, i) => out.push(f.notAllowed(`${prefix}.${i + 3}`, m, path, 'notInstantiatedNs', `the ${task} task`)));
  return out;
}

const tasks: ConformanceCase[] = [
  ...nsTask('InstantiateNSTask', '5.3.2.3', 'instantiate',
    { setup: 'freshNotInstantiatedNs', body: json(instantiateBody), title: 'POST instantiate: 202 with Location of the operation; the NS ends INSTANTIATED', then: async (op, ctx) => (await completed(op)) ?? nsState('INSTANTIATED')(undefined, ctx) },
    { setup: 'instantiatedNs', body: json(instantiateBody), title: 'POST instantiate on an INSTANTIATED NS: 409' }),
  ...nsTask('ScaleNSTask', '5.3.2.4', 'scale',
    { setup: 'freshInstantiatedNs', body: { build: scaleBody }, title: 'POST scale on an INSTANTIATED NS: 202 with Location; the scaling completes', then: (op) => completed(op) },
    { setup: 'notInstantiatedNs', body: { build: () => ({ scaleType: 'SCALE_NS', scaleNsData: { scaleNsByStepsData: { scalingDirection: 'SCALE_OUT', aspectId: 'a', numberOfSteps: 1 } } }) }, title: 'POST scale on a NOT_INSTANTIATED NS: 409' }),
  ...nsTask('UpdateNSTask', '5.3.2.5', 'update',
    { setup: 'freshInstantiatedNs', body: { build: updateBody }, title: 'POST update (OPERATE_VNF) on an INSTANTIATED NS: 202 with Location; the update completes', then: (op) => completed(op) },
    { setup: 'notInstantiatedNs', body: { build: () => ({ updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: 'x', changeStateTo: 'STOPPED' }] }) }, title: 'POST update on a NOT_INSTANTIATED NS: 409' }),
  ...nsTask('HealNSTask', '5.3.2.6', 'heal',
    { setup: 'freshInstantiatedNs', body: { build: healBody }, title: 'POST heal on an INSTANTIATED NS: 202 with Location; the healing completes', then: (op) => completed(op) },
    { setup: 'notInstantiatedNs', body: { build: () => ({ healVnfData: [{ vnfInstanceId: 'x', cause: 'c' }] }) }, title: 'POST heal on a NOT_INSTANTIATED NS: 409' }),
  ...nsTask('TerminateNSTask', '5.3.2.7', 'terminate',
    { setup: 'freshInstantiatedNs', body: json({}), title: 'POST terminate: 202 with Location; the NS ends NOT_INSTANTIATED', then: async (op, ctx) => (await completed(op)) ?? nsState('NOT_INSTANTIATED')(undefined, ctx) },
    { setup: 'notInstantiatedNs', body: json({}), title: 'POST terminate on a NOT_INSTANTIATED NS: 409, and it stays NOT_INSTANTIATED' }),
];

const occ = rowsOf('nslcm', 'NSLCMOccurences');
const occs: ConformanceCase[] = [
  occ.notAllowed('5.3.2.8.1', 'POST', OPS),
  occ.row('5.3.2.8.2', 'GET the NS LCM operation occurrences', 'completedOp', 'GET', OPS, { status: 200, schema: 'NsLcmOpOcc[]', contentType: JSON_CT }),
  occ.row('5.3.2.8.3', 'GET the occurrences with a filter on an unknown attribute: 400', 'none', 'GET', `${OPS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  occ.row('5.3.2.8.4', 'GET the occurrences with a selector naming an unknown attribute: 400', 'none', 'GET', `${OPS}?exclude_fields=noSuchAttribute`, problem(400)),
  ...selectorCases('nslcm', 'NSLCMOccurences', '5.3.2.8', 5, 'the operation occurrences', 'completedOp', OPS, 'NsLcmOpOcc[]', 'operationParams'),
  occ.notAllowed('5.3.2.8.9', 'PUT', OPS),
  occ.notAllowed('5.3.2.8.10', 'PATCH', OPS),
  occ.notAllowed('5.3.2.8.11', 'DELETE', OPS),
];

const ioc = rowsOf('nslcm', 'IndividualNSLCMOccurences');
const oneOcc: ConformanceCase[] = [
  ioc.notAllowed('5.3.2.9.1', 'POST', OP, 'completedOp', 'an operation occurrence'),
  ioc.row('5.3.2.9.2', 'GET an NS LCM operation occurrence', 'completedOp', 'GET', OP, { status: 200, schema: 'NsLcmOpOcc', contentType: JSON_CT }),
  ioc.notAllowed('5.3.2.9.3', 'PUT', OP, 'completedOp', 'an operation occurrence'),
  ioc.notAllowed('5.3.2.9.4', 'PATCH', OP, 'completedOp', 'an operation occurrence'),
  ioc.notAllowed('5.3.2.9.5', 'DELETE', OP, 'completedOp', 'an operation occurrence'),
];

/** The seven cases of a task on an operation occurrence. */
function opTask(file: string, prefix: string, task: string, ok: { setup: SetupName; status: number; schema?: string; title: string; then?: (op: Record<string, unknown>, ctx: Ctx) => Promise<string | undefined> }, conflictSetup: SetupName, conflictTitle: string): ConformanceCase[] {
  const f = rowsOf('nslcm', file);
  const path = `${OP}/${task}`;
  const okCheck = ok.status === 202 ? { headers: ['location'], check: async (r: { headers: Readonly<Record<string, unknown>> }, ctx: Ctx) => {
    const loc = String(r.headers.location ?? '');
    if (!loc.endsWith(`/nslcm/v1/ns_lcm_op_occs/${ctx.vars.nsLcmOpOccId}`)) return `Location ${loc || '(none)'} is not the operation`;
    if (!ok.then) return undefined;
    let op: Record<string, unknown> = {};
    for (let i = 0; i < 400; i++) {
      op = (await ctx.get(`${OPS}/${ctx.vars.nsLcmOpOccId}`)).json() as Record<string, unknown>;
      if (!['PROCESSING', 'ROLLING_BACK', 'STARTING'].includes(String(op.operationState))) break;
      await new Promise((res) => setTimeout(res, 25));
    }
    return ok.then(op, ctx);
  } } : {};
  return [
    f.row(`${prefix}.1`, ok.title, ok.setup, 'POST', path, { status: ok.status, ...(ok.schema ? { schema: ok.schema } : {}), ...okCheck }),
    f.row(`${prefix}.2`, `POST ${task} where the task is not supported: 404`, 'none', 'POST', path, problem(404), { noVerdict: TASK_SUPPORTED(task) }),
    f.row(`${prefix}.3`, conflictTitle, conflictSetup, 'POST', path, problem(409)),
    ...(['GET', 'PUT', 'PATCH', 'DELETE'] as Method[]).map((m, i) => f.notAllowed(`${prefix}.${i + 4}`, m, path, 'completedOp', `the ${task} task`)),
  ];
}
const state = (want: string) => (op: Record<string, unknown>) => Promise.resolve(op.operationState === want ? undefined : `operation ended ${String(op.operationState)}, expected ${want}`);
const opTasks: ConformanceCase[] = [
  ...opTask('RetryOperationTask', '5.3.2.10', 'retry', { setup: 'freshFailedTempOp', status: 202, title: 'POST retry on a FAILED_TEMP operation: 202 with Location; it completes', then: state('COMPLETED') }, 'completedOp', 'POST retry on a COMPLETED operation: 409'),
  ...opTask('RollbackOperationTask', '5.3.2.11', 'rollback', { setup: 'freshFailedTempOp', status: 202, title: 'POST rollback on a FAILED_TEMP operation: 202 with Location; it ends ROLLED_BACK', then: state('ROLLED_BACK') }, 'completedOp', 'POST rollback on a COMPLETED operation: 409'),
  ...opTask('ContinueOperationTask', '5.3.2.12', 'continue', { setup: 'freshFailedTempOp', status: 202, title: 'POST continue on a FAILED_TEMP operation: 202 with Location' }, 'completedOp', 'POST continue on a COMPLETED operation: 409'),
  ...opTask('FailOperationTask', '5.3.2.13', 'fail', { setup: 'freshFailedTempOp', status: 200, schema: 'NsLcmOpOcc', title: 'POST fail on a FAILED_TEMP operation: 200 with the NsLcmOpOcc, now FAILED' }, 'completedOp', 'POST fail on a COMPLETED operation: 409'),
  ...opTask('CancelOperationTask', '5.3.2.14', 'cancel', { setup: 'processingOp', status: 202, title: 'POST cancel on a PROCESSING operation: 202 with Location (SOL005 §6.4.15.3.1: STARTING, PROCESSING or ROLLING_BACK)' }, 'completedOp', 'POST cancel on a COMPLETED operation: 409'),
];

const sf = rowsOf('nslcm', 'Subscriptions');
const subBody = { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/nslcm-5.3.2.15.1`, filter: { notificationTypes: ['NsLcmOperationOccurrenceNotification'] }  }) };
const subs: ConformanceCase[] = [
  sf.row('5.3.2.15.1', 'POST an LccnSubscriptionRequest: 201 with Location and the subscription', 'none', 'POST', SUBS, { status: 201, schema: 'LccnSubscription', headers: ['location'] }, { body: subBody }),
  sf.row('5.3.2.15.2', 'POST the same subscription again, NFVO creating duplicates: 201', 'none', 'POST', SUBS, { status: 201 }, { noVerdict: NO_DUPLICATES }),
  sf.row('5.3.2.15.3', 'POST the same subscription again: 303 See Other with Location', 'none', 'POST', SUBS, { status: 303, headers: ['location'] }, { body: subBody }),
  sf.row('5.3.2.15.4', 'GET the NS LCM subscriptions', 'lcmSubscription', 'GET', SUBS, { status: 200, schema: 'LccnSubscription[]', contentType: JSON_CT }),
  sf.row('5.3.2.15.5', 'GET the subscriptions with an attribute filter', 'lcmSubscription', 'GET', `${SUBS}?filter=(eq,id,{subscriptionId})`, {
    status: 200, schema: 'LccnSubscription[]', check: (r, ctx) => ((r.json() as { id: string }[]).every((s) => s.id === ctx.vars.subscriptionId) ? undefined : 'an item does not match the filter'),
  }),
  sf.row('5.3.2.15.6', 'GET the subscriptions with a filter on an unknown attribute: 400', 'none', 'GET', `${SUBS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  ...selectorCases('nslcm', 'Subscriptions', '5.3.2.15', 7, 'the subscriptions', 'lcmSubscription', SUBS, 'LccnSubscription[]', 'filter'),
  sf.notAllowed('5.3.2.15.11', 'PUT', SUBS),
  sf.notAllowed('5.3.2.15.12', 'PATCH', SUBS),
  sf.notAllowed('5.3.2.15.13', 'DELETE', SUBS),
];

const isf = rowsOf('nslcm', 'IndividualSubscription');
const sub: ConformanceCase[] = [
  isf.notAllowed('5.3.2.16.1', 'POST', SUB, 'lcmSubscription', 'an individual subscription'),
  isf.row('5.3.2.16.2', 'GET an NS LCM subscription', 'lcmSubscription', 'GET', SUB, { status: 200, schema: 'LccnSubscription' }),
  isf.notAllowed('5.3.2.16.3', 'PUT', SUB, 'lcmSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.2.16.4', 'PATCH', SUB, 'lcmSubscription', 'an individual subscription'),
  isf.row('5.3.2.16.5', 'DELETE a subscription: 204', 'freshLcmSubscription', 'DELETE', SUB, { status: 204 }),
];

/**
 * The notification workflows (CreateNSInstanceWorkflow, InstantiateNSTaskWorkflow, …, NotificationEndpoint):
 * the request triggers the event; the subscriber's callback must receive the notifications, valid against their schemas.
 */
const notified = (type: string, match: (n: Record<string, unknown>, v: Vars, r: { headers: Readonly<Record<string, unknown>>; json(): unknown }) => boolean) =>
  async (r: { headers: Readonly<Record<string, unknown>>; json(): unknown }, ctx: Ctx) => {
    await ctx.get('/healthz');
    const n = await ctx.notification(type, (b) => match(b, ctx.vars, r));
    if (!n) return `no ${type}`;
    const v = ctx.violations(type, n);
    return v.length > 0 ? `${type}: ${v.slice(0, 3).join('; ')}` : undefined;
  };
const opOf = (r: { headers: Readonly<Record<string, unknown>> }) => String(r.headers.location ?? '').split('/').pop();
const opNote = (status: string) => notified('NsLcmOperationOccurrenceNotification', (b, _v, r) => b.nsLcmOpOccId === opOf(r) && b.notificationStatus === status);
const both = (...checks: ((r: { headers: Readonly<Record<string, unknown>>; json(): unknown }, ctx: Ctx) => Promise<string | undefined>)[]) => async (r: { headers: Readonly<Record<string, unknown>>; json(): unknown }, ctx: Ctx) => {
  for (const c of checks) {
    const why = await c(r, ctx);
    if (why) return why;
  }
  return undefined;
};
const workflows: ConformanceCase[] = [
  rowsOf('nslcm', 'CreateNSInstanceWorkflow').row('5.3.2.17.1', 'Creating an NS instance sends NsIdentifierCreationNotification', 'onboardedNsd', 'POST', NSS, {
    status: 201, check: notified('NsIdentifierCreationNotification', (b, _v, r) => b.nsInstanceId === (r.json() as { id: string }).id),
  }, { body: { build: (v) => ({ nsdId: v.nsdId, nsName: 'wf' }) } }),
  rowsOf('nslcm', 'DeleteNSInstanceWorkflow').row('5.3.2.17.2', 'Deleting an NS instance sends NsIdentifierDeletionNotification', 'freshNotInstantiatedNs', 'DELETE', NS, {
    status: 204, check: notified('NsIdentifierDeletionNotification', (b, v) => b.nsInstanceId === v.nsInstanceId),
  }),
  rowsOf('nslcm', 'InstanciateNSTaskWorkflow').row('5.3.2.17.3', 'Instantiate sends the START and the RESULT NsLcmOperationOccurrenceNotification', 'freshNotInstantiatedNs', 'POST', `${NS}/instantiate`, {
    status: 202, check: both(opNote('START'), opNote('RESULT')),
  }, { body: json(instantiateBody) }),
  rowsOf('nslcm', 'TerminateNSTaskWorkflow').row('5.3.2.17.4', 'Terminate sends the START and the RESULT notifications', 'freshInstantiatedNs', 'POST', `${NS}/terminate`, {
    status: 202, check: both(opNote('START'), opNote('RESULT')),
  }, { body: json({}) }),
  rowsOf('nslcm', 'ScaleNSTaskWorkflow').row('5.3.2.17.5', 'Scale sends the START and the RESULT notifications', 'freshInstantiatedNs', 'POST', `${NS}/scale`, {
    status: 202, check: both(opNote('START'), opNote('RESULT')),
  }, { body: { build: scaleBody } }),
  rowsOf('nslcm', 'UpdateNSTaskWorkflow').row('5.3.2.17.6', 'Update sends the START and the RESULT notifications', 'freshInstantiatedNs', 'POST', `${NS}/update`, {
    status: 202, check: both(opNote('START'), opNote('RESULT')),
  }, { body: { build: updateBody } }),
  rowsOf('nslcm', 'HealNSTaskWorkflow').row('5.3.2.17.7', 'Heal sends the START and the RESULT notifications', 'freshInstantiatedNs', 'POST', `${NS}/heal`, {
    status: 202, check: both(opNote('START'), opNote('RESULT')),
  }, { body: { build: healBody } }),
];

export const NSLCM_CASES: readonly ConformanceCase[] = [
  ...list, ...one, ...tasks, ...occs, ...oneOcc, ...opTasks, ...subs, ...sub, ...workflows,
  ...apiVersionCases('nslcm', '5.3.2.18'),
];
