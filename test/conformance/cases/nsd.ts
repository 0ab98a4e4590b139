import type { ConformanceCase } from '../types.js';
import { apiVersionCases, json, JSON_CT, mergePatch, problem, rowsOf, selectorCases } from './helpers.js';

/** NSD management (SOL005 §5), NFV-TST010 clause 5.3.1. */

const BASE = '/nsd/v1';
const NSDS = `${BASE}/ns_descriptors`;
const PNFDS = `${BASE}/pnf_descriptors`;
const SUBS = `${BASE}/subscriptions`;
const PAGED = 'a list longer than the page size answers its first page with a Link rel="next" header';
const RANGE_SUPPORTED = 'Rondo supports byte ranges on content (SOL013 §4.3.3): the variant for an NFVO without range support does not apply';
const ASYNC_UPLOAD = 'Rondo on-boards uploaded content asynchronously (202, SOL005 §5.4.4.3.3): the synchronous (204) variant does not apply';
const PAGING = 'Rondo pages large lists (SOL013 §5.4.2): the 400 "response too big" answer is for an NFVO without paging';
const NO_DUPLICATES = 'Rondo does not create duplicate subscriptions (303 See Other, SOL005 §5.4.8.3.1): the variant that creates them does not apply';
const linkNext = (r: { headers: Readonly<Record<string, unknown>> }) => (/rel="next"/.test(String(r.headers.link ?? '')) ? undefined : 'no Link rel="next" header');
const etagChanged = (r: { headers: Readonly<Record<string, unknown>> }) => (r.headers.etag && r.headers.etag !== '"stale"' ? undefined : 'no fresh ETag on the 412');
const sameId = (key: string, attr = 'id') => (r: { json(): unknown }, ctx: { vars: Readonly<Record<string, string>> }) =>
  (r.json() as Record<string, unknown>)[attr] === ctx.vars[key] ? undefined : `${attr} is not the requested ${key}`;

const nsdFile = rowsOf('nsd', 'NSDescriptors');
const nsdList: ConformanceCase[] = [
  nsdFile.row('5.3.1.1.1', 'GET the NSD list', 'onboardedNsd', 'GET', NSDS, { status: 200, schema: 'NsdInfo[]', contentType: JSON_CT }),
  nsdFile.row('5.3.1.1.2', 'GET the NSD list with an attribute filter, matching it', 'onboardedNsd', 'GET', `${NSDS}?filter=(eq,nsdOnboardingState,ONBOARDED)`, {
    status: 200, schema: 'NsdInfo[]', contentType: JSON_CT,
    check: (r) => ((r.json() as { nsdOnboardingState: string }[]).every((n) => n.nsdOnboardingState === 'ONBOARDED') ? undefined : 'an item does not match the filter'),
  }),
  nsdFile.row('5.3.1.1.3', 'GET the NSD list with a filter on an unknown attribute: 400', 'none', 'GET', `${NSDS}?filter=(eq,nsdNoSuchAttribute,x)`, problem(400)),
  ...selectorCases('nsd', 'NSDescriptors', '5.3.1.1', 4, 'the NSD list', 'onboardedNsd', NSDS, 'NsdInfo[]', 'userDefinedData'),
  nsdFile.row('5.3.1.1.8', 'POST a CreateNsdInfoRequest creates an NsdInfo (201, Location)', 'none', 'POST', NSDS, { status: 201, schema: 'NsdInfo', headers: ['location'] }, { body: json({ userDefinedData: { k: 'v' } }) }),
  nsdFile.notAllowed('5.3.1.1.9', 'PUT', NSDS),
  nsdFile.notAllowed('5.3.1.1.10', 'PATCH', NSDS),
  nsdFile.notAllowed('5.3.1.1.11', 'DELETE', NSDS),
  nsdFile.row('5.3.1.1.12', `GET the NSD list as a paged response: ${PAGED}`, 'nsdPage', 'GET', NSDS, { status: 200, check: linkNext }),
  nsdFile.row('5.3.1.1.13', 'GET the NSD list, response too big: 400', 'none', 'GET', NSDS, problem(400), { noVerdict: PAGING }),
  nsdFile.row('5.3.1.1.14', 'GET the NSD list with a bearer token that is not valid: 401', 'none', 'GET', NSDS, problem(401, { headers: ['www-authenticate'] }), { auth: 'bad' }),
  nsdFile.row('5.3.1.1.15', 'GET the NSD list without a token: 401', 'none', 'GET', NSDS, problem(401, { headers: ['www-authenticate'] }), { auth: 'none' }),
  nsdFile.row('5.3.1.1.16', 'GET a URI that is no resource of the API: 404', 'none', 'GET', `${BASE}/ns_descriptor`, problem(404)),
];

const one = rowsOf('nsd', 'IndividualNSDescriptor');
const NSD = `${NSDS}/{nsdInfoId}`;
const nsdOne: ConformanceCase[] = [
  one.row('5.3.1.2.1', 'GET an NsdInfo: its schema, an ETag, the requested id', 'onboardedNsd', 'GET', NSD, { status: 200, schema: 'NsdInfo', headers: ['etag'], check: sameId('nsdInfoId') }),
  one.row('5.3.1.2.2', 'GET an NsdInfo that does not exist: 404', 'none', 'GET', `${NSDS}/{missing}`, problem(404)),
  one.row('5.3.1.2.3', 'PATCH disables an ENABLED NSD; it reads back DISABLED, usage state unchanged', 'freshOnboardedNsd', 'PATCH', NSD, {
    status: 200, schema: 'NsdInfoModification',
    check: async (_r, ctx) => {
      const n = (await ctx.get(`${NSDS}/${ctx.vars.nsdInfoId}`)).json() as Record<string, string>;
      return n.nsdOperationalState === 'DISABLED' && n.nsdUsageState === 'NOT_IN_USE' ? undefined : `read back ${n.nsdOperationalState}/${n.nsdUsageState}`;
    },
  }, { headers: mergePatch, body: json({ nsdOperationalState: 'DISABLED' }) }),
  one.row('5.3.1.2.4', 'PATCH enables a DISABLED NSD; it reads back ENABLED', 'freshDisabledNsd', 'PATCH', NSD, {
    status: 200, schema: 'NsdInfoModification',
    check: async (_r, ctx) => ((await ctx.get(`${NSDS}/${ctx.vars.nsdInfoId}`)).json() as Record<string, string>).nsdOperationalState === 'ENABLED' ? undefined : 'not ENABLED after the PATCH',
  }, { headers: mergePatch, body: json({ nsdOperationalState: 'ENABLED' }) }),
  one.row('5.3.1.2.5', 'PATCH enabling an NSD already ENABLED: 409', 'onboardedNsd', 'PATCH', NSD, problem(409), { headers: mergePatch, body: json({ nsdOperationalState: 'ENABLED' }) }),
  one.row('5.3.1.2.6', 'PATCH enabling an NSD not ONBOARDED: 409', 'createdNsd', 'PATCH', NSD, problem(409), { headers: mergePatch, body: json({ nsdOperationalState: 'ENABLED' }) }),
  one.row('5.3.1.2.7', 'PATCH with an If-Match that is not the current ETag: 412', 'onboardedNsd', 'PATCH', NSD, problem(412, { check: etagChanged }), { headers: { ...mergePatch, 'if-match': '"stale"' }, body: json({ userDefinedData: { k: 'v2' } }) }),
  one.row('5.3.1.2.9', 'DELETE a DISABLED, NOT_IN_USE NSD: 204, then it is gone', 'freshDisabledNsd', 'DELETE', NSD, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${NSDS}/${ctx.vars.nsdInfoId}`)).status === 404 ? undefined : 'still there'),
  }),
  one.row('5.3.1.2.10', 'DELETE an ENABLED NSD: 409, and it stays', 'onboardedNsd', 'DELETE', NSD, problem(409, {
    check: async (_r, ctx) => ((await ctx.get(`${NSDS}/${ctx.vars.nsdInfoId}`)).status === 200 ? undefined : 'gone after the refused DELETE'),
  })),
  one.notAllowed('5.3.1.2.11', 'POST', NSD, 'onboardedNsd', 'an individual NSD'),
  one.notAllowed('5.3.1.2.12', 'PUT', NSD, 'onboardedNsd', 'an individual NSD'),
];

const content = rowsOf('nsd', 'NSDContent');
const NSD_CONTENT = `${NSD}/nsd_content`;
const rangeOf = (first: number, last: number) => (r: { status: number; headers: Readonly<Record<string, unknown>>; raw: Buffer }) => {
  const cr = String(r.headers['content-range'] ?? '');
  if (!new RegExp(`^bytes ${first}-${last}/\\d+$`).test(cr)) return `Content-Range ${cr || '(none)'}`;
  if (Number(r.headers['content-length']) !== last - first + 1 || r.raw.length !== last - first + 1) return `length ${String(r.headers['content-length'])}`;
  return undefined;
};
const nsdContent: ConformanceCase[] = [
  content.row('5.3.1.3.1', 'GET a single-file NSD as text/plain', 'onboardedNsd', 'GET', NSD_CONTENT, { status: 200, contentType: ['text/plain'] }, { headers: { accept: 'text/plain' } }),
  content.row('5.3.1.3.2', 'GET an NSD as a zip', 'onboardedNsd', 'GET', NSD_CONTENT, { status: 200, contentType: ['application/zip'] }, { headers: { accept: 'application/zip' } }),
  content.row('5.3.1.3.3', 'GET a single-file NSD accepting text/plain or zip: either', 'onboardedNsd', 'GET', NSD_CONTENT, { status: 200, contentType: ['text/plain', 'application/zip'] }, { headers: { accept: 'text/plain,application/zip' } }),
  content.row('5.3.1.3.4', 'GET a multi-file NSD accepting text/plain or zip: the zip', 'multiFileNsd', 'GET', NSD_CONTENT, { status: 200, contentType: ['application/zip'] }, { headers: { accept: 'text/plain,application/zip' } }),
  content.row('5.3.1.3.5', 'GET a multi-file NSD as text/plain only: 406', 'multiFileNsd', 'GET', NSD_CONTENT, problem(406), { headers: { accept: 'text/plain' } }),
  content.row('5.3.1.3.6', 'GET the content of an NSD that does not exist: 404', 'none', 'GET', `${NSDS}/{missing}/nsd_content`, { status: 404 }, { headers: { accept: 'application/zip' } }),
  content.row('5.3.1.3.7', 'GET the content of an NSD not ONBOARDED: 409', 'createdNsd', 'GET', NSD_CONTENT, problem(409), { headers: { accept: 'application/zip' } }),
  content.row('5.3.1.3.8', 'GET a byte range of the NSD zip: 206 with Content-Range and Content-Length', 'onboardedNsd', 'GET', NSD_CONTENT, { status: 206, contentType: ['application/zip'], check: rangeOf(0, 9) }, { headers: { accept: 'application/zip', range: 'bytes=0-9' } }),
  content.row('5.3.1.3.9', 'GET a byte range from an NFVO without range support: the whole zip', 'onboardedNsd', 'GET', NSD_CONTENT, { status: 200 }, { noVerdict: RANGE_SUPPORTED }),
  content.row('5.3.1.3.10', 'GET a byte range outside the file: 416', 'onboardedNsd', 'GET', NSD_CONTENT, { status: 416 }, { headers: { accept: 'application/zip', range: 'bytes=99999999-100000000' } }),
  content.row('5.3.1.3.11', 'PUT the NSD as a zip (asynchronous on-boarding): 202, then ONBOARDED', 'freshCreatedNsd', 'PUT', NSD_CONTENT, {
    status: 202,
    check: async (_r, ctx) => {
      for (let i = 0; i < 200; i++) {
        if (((await ctx.get(`${NSDS}/${ctx.vars.nsdInfoId}`)).json() as Record<string, string>).nsdOnboardingState === 'ONBOARDED') return undefined;
        await new Promise((r) => setTimeout(r, 25));
      }
      return 'never ONBOARDED';
    },
  }, { body: { file: 'freshCsar', contentType: 'application/zip' } }),
  content.row('5.3.1.3.12', 'PUT the NSD as one YAML file (asynchronous on-boarding): 202', 'freshCreatedNsd', 'PUT', NSD_CONTENT, { status: 202 }, { body: { file: 'nsdYaml', contentType: 'text/plain' } }),
  content.row('5.3.1.3.13', 'PUT the NSD as a zip, synchronous on-boarding: 204', 'freshCreatedNsd', 'PUT', NSD_CONTENT, { status: 204 }, { noVerdict: ASYNC_UPLOAD }),
  content.row('5.3.1.3.14', 'PUT the NSD as one YAML file, synchronous on-boarding: 204', 'freshCreatedNsd', 'PUT', NSD_CONTENT, { status: 204 }, { noVerdict: ASYNC_UPLOAD }),
  content.row('5.3.1.3.15', 'PUT content to an NSD that is not CREATED: 409', 'onboardedNsd', 'PUT', NSD_CONTENT, problem(409), { body: { file: 'tango', contentType: 'application/zip' } }),
  content.notAllowed('5.3.1.3.16', 'POST', NSD_CONTENT, 'onboardedNsd', 'NSD content'),
  { ...content.notAllowed('5.3.1.3.16', 'PATCH', NSD_CONTENT, 'onboardedNsd', 'NSD content') },
  content.row('5.3.1.3.17', 'DELETE on NSD content is not supported, and the content stays', 'onboardedNsd', 'DELETE', NSD_CONTENT, {
    status: 405, check: async (_r, ctx) => ((await ctx.get(`${NSDS}/${ctx.vars.nsdInfoId}/nsd_content`, { accept: 'application/zip' })).status === 200 ? undefined : 'content gone'),
  }),
];

const pnfdFile = rowsOf('nsd', 'PNFDescriptors');
const pnfdList: ConformanceCase[] = [
  pnfdFile.row('5.3.1.4.1', 'GET the PNFD list', 'onboardedPnfd', 'GET', PNFDS, { status: 200, schema: 'PnfdInfo[]', contentType: JSON_CT }),
  pnfdFile.row('5.3.1.4.2', 'GET the PNFD list with an attribute filter, matching it', 'onboardedPnfd', 'GET', `${PNFDS}?filter=(eq,pnfdOnboardingState,ONBOARDED)`, {
    status: 200, schema: 'PnfdInfo[]',
    check: (r) => ((r.json() as { pnfdOnboardingState: string }[]).every((n) => n.pnfdOnboardingState === 'ONBOARDED') ? undefined : 'an item does not match the filter'),
  }),
  pnfdFile.row('5.3.1.4.3', 'GET the PNFD list with a filter on an unknown attribute: 400', 'none', 'GET', `${PNFDS}?filter=(eq,pnfdNoSuchAttribute,x)`, problem(400)),
  ...selectorCases('nsd', 'PNFDescriptors', '5.3.1.4', 4, 'the PNFD list', 'onboardedPnfd', PNFDS, 'PnfdInfo[]', 'userDefinedData'),
  pnfdFile.row('5.3.1.4.8', 'POST a CreatePnfdInfoRequest creates a PnfdInfo (201, Location), which then exists', 'none', 'POST', PNFDS, {
    status: 201, schema: 'PnfdInfo', headers: ['location'],
    check: async (r, ctx) => ((await ctx.get(`${PNFDS}/${(r.json() as { id: string }).id}`)).status === 200 ? undefined : 'not found after creation'),
  }, { body: json({ userDefinedData: { k: 'v' } }) }),
  pnfdFile.notAllowed('5.3.1.4.9', 'PUT', PNFDS),
  pnfdFile.notAllowed('5.3.1.4.10', 'PATCH', PNFDS),
  pnfdFile.notAllowed('5.3.1.4.11', 'DELETE', PNFDS),
  pnfdFile.row('5.3.1.4.12', `GET the PNFD list as a paged response: ${PAGED}`, 'pnfdPage', 'GET', PNFDS, { status: 200, check: linkNext }),
  pnfdFile.row('5.3.1.4.13', 'GET the PNFD list, response too big: 400', 'none', 'GET', PNFDS, problem(400), { noVerdict: PAGING }),
];

const pnfdOneFile = rowsOf('nsd', 'IndividualPnfDescriptor');
const PNFD = `${PNFDS}/{pnfdInfoId}`;
const pnfdOne: ConformanceCase[] = [
  pnfdOneFile.row('5.3.1.5.1', 'GET a PnfdInfo', 'onboardedPnfd', 'GET', PNFD, { status: 200, schema: 'PnfdInfo', contentType: JSON_CT, check: sameId('pnfdInfoId') }),
  pnfdOneFile.row('5.3.1.5.2', 'GET a PnfdInfo that does not exist: 404', 'none', 'GET', `${PNFDS}/{missing}`, problem(404)),
  pnfdOneFile.row('5.3.1.5.3', "PATCH a PNFD's userDefinedData: 200 with the modifications", 'onboardedPnfd', 'PATCH', PNFD, { status: 200, schema: 'PnfdInfoModification' }, { headers: mergePatch, body: json({ userDefinedData: { rack: 'r1' } }) }),
  pnfdOneFile.row('5.3.1.5.4', 'DELETE a PNFD: 204', 'freshOnboardedPnfd', 'DELETE', PNFD, { status: 204 }),
  pnfdOneFile.notAllowed('5.3.1.5.5', 'POST', PNFD, 'onboardedPnfd', 'an individual PNFD'),
  pnfdOneFile.notAllowed('5.3.1.5.6', 'PUT', PNFD, 'onboardedPnfd', 'an individual PNFD'),
];

const pc = rowsOf('nsd', 'PNFDContent');
const PNFD_CONTENT = `${PNFD}/pnfd_content`;
const pnfdContent: ConformanceCase[] = [
  pc.row('5.3.1.6.1', 'GET the PNFD as text/plain', 'onboardedPnfd', 'GET', PNFD_CONTENT, { status: 200, contentType: ['text/plain'] }, { headers: { accept: 'text/plain' } }),
  pc.row('5.3.1.6.2', 'GET the content of a PNFD that does not exist: 404', 'none', 'GET', `${PNFDS}/{missing}/pnfd_content`, { status: 404 }, { headers: { accept: 'text/plain' } }),
  pc.row('5.3.1.6.3', 'GET the content of a PNFD not ONBOARDED: 409', 'createdPnfd', 'GET', PNFD_CONTENT, problem(409), { headers: { accept: 'text/plain' } }),
  pc.row('5.3.1.6.4', 'PUT the PNFD as text/plain: 204, then its content is there', 'freshCreatedPnfd', 'PUT', PNFD_CONTENT, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${PNFDS}/${ctx.vars.pnfdInfoId}/pnfd_content`, { accept: 'text/plain' })).status === 200 ? undefined : 'no content after the upload'),
  }, { body: { file: 'pnfdYaml', contentType: 'text/plain' } }),
  pc.row('5.3.1.6.5', 'PUT content to a PNFD that is not CREATED: 409', 'onboardedPnfd', 'PUT', PNFD_CONTENT, problem(409), { body: { file: 'pnfdYaml', contentType: 'text/plain' } }),
  pc.notAllowed('5.3.1.6.6', 'POST', PNFD_CONTENT, 'onboardedPnfd', 'PNFD content'),
  pc.notAllowed('5.3.1.6.7', 'PATCH', PNFD_CONTENT, 'onboardedPnfd', 'PNFD content'),
  pc.notAllowed('5.3.1.6.8', 'DELETE', PNFD_CONTENT, 'onboardedPnfd', 'PNFD content'),
];

const sf = rowsOf('nsd', 'Subscriptions');
const subs: ConformanceCase[] = [
  sf.row('5.3.1.7.1', 'GET the NSD management subscriptions', 'nsdSubscription', 'GET', SUBS, { status: 200, schema: 'NsdmSubscription[]', contentType: JSON_CT }),
  sf.row('5.3.1.7.2', 'GET the subscriptions with an attribute filter, matching it', 'nsdSubscription', 'GET', `${SUBS}?filter=(eq,id,{subscriptionId})`, {
    status: 200, schema: 'NsdmSubscription[]',
    check: (r, ctx) => {
      const l = r.json() as { id: string }[];
      return l.length === 1 && l[0]!.id === ctx.vars.subscriptionId ? undefined : `got ${l.length} item(s)`;
    },
  }),
  sf.row('5.3.1.7.3', 'GET the subscriptions with a filter on an unknown attribute: 400', 'none', 'GET', `${SUBS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  sf.row('5.3.1.7.4', 'GET a subscriptions URI that is no resource: 404', 'none', 'GET', `${BASE}/subscription`, { status: 404 }),
  sf.row('5.3.1.7.5', 'POST an NsdmSubscriptionRequest: 201 with the subscription, which then exists', 'none', 'POST', SUBS, {
    status: 201, schema: 'NsdmSubscription', headers: ['location'],
    check: async (r, ctx) => ((await ctx.get(`${SUBS}/${(r.json() as { id: string }).id}`)).status === 200 ? undefined : 'not found after creation'),
  }, { body: { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/nsd-5.3.1.7.5`, filter: { notificationTypes: ['NsdOnBoardingNotification'] }  }) } }),
  sf.row('5.3.1.7.6', 'POST the same subscription again: 303 See Other to the existing one, no body', 'none', 'POST', SUBS, { status: 303, headers: ['location'], emptyBody: true }, {
    body: { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/nsd-5.3.1.7.5`, filter: { notificationTypes: ['NsdOnBoardingNotification'] }  }) },
  }),
  sf.row('5.3.1.7.7', 'POST the same subscription again, NFVO creating duplicates: 201', 'none', 'POST', SUBS, { status: 201 }, { noVerdict: NO_DUPLICATES }),
  sf.notAllowed('5.3.1.7.8', 'PUT', SUBS),
  sf.notAllowed('5.3.1.7.9', 'PATCH', SUBS),
  sf.notAllowed('5.3.1.7.10', 'DELETE', SUBS),
];

const isf = rowsOf('nsd', 'IndividualSubscription');
const SUB = `${SUBS}/{subscriptionId}`;
const sub: ConformanceCase[] = [
  isf.row('5.3.1.8.1', 'GET an NSD management subscription', 'nsdSubscription', 'GET', SUB, { status: 200, schema: 'NsdmSubscription', check: sameId('subscriptionId') }),
  isf.row('5.3.1.8.2', 'GET a subscription that does not exist: 404', 'none', 'GET', `${SUBS}/{missing}`, { status: 404 }),
  isf.row('5.3.1.8.3', 'DELETE a subscription that does not exist: 404', 'none', 'DELETE', `${SUBS}/{missing}`, { status: 404 }),
  isf.notAllowed('5.3.1.8.4', 'POST', SUB, 'nsdSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.1.8.5', 'PUT', SUB, 'nsdSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.1.8.6', 'PATCH', SUB, 'nsdSubscription', 'an individual subscription'),
  isf.row('5.3.1.8.7', 'DELETE a subscription: 204, then it is gone', 'freshNsdSubscription', 'DELETE', SUB, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${SUBS}/${ctx.vars.subscriptionId}`)).status === 404 ? undefined : 'still there'),
  }),
];

/** A notification case: the request triggers the event; the subscription's callback must receive `type` about the resource, valid against its schema. */
const nf = rowsOf('nsd', 'NSDManagementNotification');
const notified = (type: string, key: 'nsdInfoId' | 'pnfdInfoId', schema: string) => async (_r: unknown, ctx: Parameters<NonNullable<ConformanceCase['expect']['check']>>[1]) => {
  const n = await ctx.notification(type, (b) => b[key] === ctx.vars[key]);
  if (!n) return `no ${type} about the ${key}`;
  const v = ctx.violations(schema, n);
  return v.length > 0 ? `${type}: ${v.slice(0, 3).join('; ')}` : undefined;
};
const notifications: ConformanceCase[] = [
  nf.row('5.3.1.9.1', 'On-boarding an NSD sends NsdOnBoardingNotification to the subscriber', 'freshCreatedNsd', 'PUT', NSD_CONTENT, { status: 202, check: notified('NsdOnBoardingNotification', 'nsdInfoId', 'NsdOnBoardingNotification') }, { body: { file: 'freshCsar', contentType: 'application/zip' } }),
  nf.row('5.3.1.9.2', 'A failed NSD on-boarding sends NsdOnboardingFailureNotification', 'freshCreatedNsd', 'PUT', NSD_CONTENT, { status: [400, 422], check: notified('NsdOnboardingFailureNotification', 'nsdInfoId', 'NsdOnboardingFailureNotification') }, { body: { file: 'junk', contentType: 'application/zip' } }),
  nf.row('5.3.1.9.3', 'Disabling an NSD sends NsdChangeNotification', 'freshOnboardedNsd', 'PATCH', NSD, { status: 200, check: notified('NsdChangeNotification', 'nsdInfoId', 'NsdChangeNotification') }, { headers: mergePatch, body: json({ nsdOperationalState: 'DISABLED' }) }),
  nf.row('5.3.1.9.4', 'Deleting an NSD sends NsdDeletionNotification', 'freshDisabledNsd', 'DELETE', NSD, { status: 204, check: notified('NsdDeletionNotification', 'nsdInfoId', 'NsdDeletionNotification') }),
  nf.row('5.3.1.9.5', 'On-boarding a PNFD sends PnfdOnBoardingNotification', 'freshCreatedPnfd', 'PUT', PNFD_CONTENT, { status: 204, check: notified('PnfdOnBoardingNotification', 'pnfdInfoId', 'PnfdOnBoardingNotification') }, { body: { file: 'pnfdYaml', contentType: 'text/plain' } }),
  nf.row('5.3.1.9.6', 'A failed PNFD on-boarding sends PnfdOnBoardingFailureNotification', 'freshCreatedPnfd', 'PUT', PNFD_CONTENT, { status: [400, 422], check: notified('PnfdOnBoardingFailureNotification', 'pnfdInfoId', 'PnfdOnBoardingFailureNotification') }, { body: { file: 'badYaml', contentType: 'text/plain' } }),
  nf.row('5.3.1.9.7', 'Deleting a PNFD sends PnfdDeletionNotification', 'freshOnboardedPnfd', 'DELETE', PNFD, { status: 204, check: notified('PnfdDeletionNotification', 'pnfdInfoId', 'PnfdDeletionNotification') }),
];

export const NSD_CASES: readonly ConformanceCase[] = [
  ...nsdList, ...nsdOne, ...nsdContent, ...pnfdList, ...pnfdOne, ...pnfdContent, ...subs, ...sub, ...notifications,
  ...apiVersionCases('nsd', '5.3.1.10'),
];
