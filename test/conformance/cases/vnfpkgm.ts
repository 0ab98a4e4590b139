import type { ConformanceCase } from '../types.js';
import { apiVersionCases, json, JSON_CT, mergePatch, problem, rowsOf, selectorCases } from './helpers.js';

/** VNF package management (SOL005 §9), NFV-TST010 clause 5.3.5. */

const BASE = '/vnfpkgm/v1';
const PKGS = `${BASE}/vnf_packages`;
const PKG = `${PKGS}/{vnfPkgId}`;
const SUBS = `${BASE}/subscriptions`;
const SUB = `${SUBS}/{subscriptionId}`;
const RANGE_SUPPORTED = 'Rondo supports byte ranges on package content and artifacts (SOL013 §4.3.3): the variant for an NFVO without range support does not apply';
const NO_DUPLICATES = 'Rondo does not create duplicate subscriptions (303 See Other, SOL005 §9.4.8.3.1): the variant that creates them does not apply';
const sameId = (key: string) => (r: { json(): unknown }, ctx: { vars: Readonly<Record<string, string>> }) => ((r.json() as { id?: string }).id === ctx.vars[key] ? undefined : `id is not the requested ${key}`);
const rangeOf = (first: number, last: number) => (r: { headers: Readonly<Record<string, unknown>>; raw: Buffer }) => {
  const cr = String(r.headers['content-range'] ?? '');
  if (!new RegExp(`^bytes ${first}-${last}/\\d+$`).test(cr)) return `Content-Range ${cr || '(none)'}`;
  return Number(r.headers['content-length']) === last - first + 1 && r.raw.length === last - first + 1 ? undefined : `length ${String(r.headers['content-length'])}`;
};

const lf = rowsOf('vnfpkgm', 'VNFPackages');
const list: ConformanceCase[] = [
  lf.row('5.3.5.1.1', 'GET the VNF package list: by default without softwareImages, additionalArtifacts, userDefinedData', 'onboardedPkg', 'GET', PKGS, {
    status: 200, schema: 'VnfPkgInfoListed[]', contentType: JSON_CT,
    check: (r) => ((r.json() as Record<string, unknown>[]).some((p) => 'softwareImages' in p || 'additionalArtifacts' in p) ? 'a default-excluded attribute is present' : undefined),
  }),
  lf.row('5.3.5.1.2', 'GET the VNF package list with an attribute filter, matching it', 'onboardedPkg', 'GET', `${PKGS}?filter=(eq,onboardingState,ONBOARDED)`, {
    status: 200, schema: 'VnfPkgInfoListed[]',
    check: (r) => ((r.json() as { onboardingState: string }[]).every((p) => p.onboardingState === 'ONBOARDED') ? undefined : 'an item does not match the filter'),
  }),
  lf.row('5.3.5.1.3', 'GET the VNF package list with a filter on an unknown attribute: 400', 'none', 'GET', `${PKGS}?filter=(eq,nfvId,x)`, problem(400)),
  lf.row('5.3.5.1.4', 'GET the VNF package list with a bearer token that is not valid: 401', 'none', 'GET', PKGS, problem(401, { headers: ['www-authenticate'] }), { auth: 'bad' }),
  lf.row('5.3.5.1.5', 'GET the VNF package list without a token: 401', 'none', 'GET', PKGS, problem(401, { headers: ['www-authenticate'] }), { auth: 'none' }),
  ...selectorCases('vnfpkgm', 'VNFPackages', '5.3.5.1', 6, 'the VNF package list', 'onboardedPkg', PKGS, 'VnfPkgInfoListed[]', 'softwareImages').map((c, i) => (i === 0 ? { ...c, expect: { ...c.expect, schema: 'VnfPkgInfo[]' } } : i === 3 ? { ...c, path: `${PKGS}?exclude_fields=userDefinedData`, title: 'GET the VNF package list with exclude_fields=userDefinedData drops it', expect: { ...c.expect, check: (r: { json(): unknown }) => ((r.json() as Record<string, unknown>[]).some((p) => 'userDefinedData' in p) ? 'userDefinedData present' : undefined) } } : c)),
  lf.row('5.3.5.1.10', 'GET a URI that is no resource of the API: 404', 'none', 'GET', `${BASE}/vnf_package`, problem(404)),
  lf.row('5.3.5.1.11', 'POST a CreateVnfPkgInfoRequest creates a VnfPkgInfo (201, Location)', 'none', 'POST', PKGS, { status: 201, schema: 'VnfPkgInfo', headers: ['location'] }, { body: json({ userDefinedData: { k: 'v' } }) }),
  lf.notAllowed('5.3.5.1.12', 'PUT', PKGS),
  lf.notAllowed('5.3.5.1.13', 'PATCH', PKGS),
  lf.notAllowed('5.3.5.1.14', 'DELETE', PKGS),
];

const of = rowsOf('vnfpkgm', 'IndividualVNFPackage');
const one: ConformanceCase[] = [
  of.row('5.3.5.2.1', 'GET a VnfPkgInfo, with an ETag', 'onboardedPkg', 'GET', PKG, { status: 200, schema: 'VnfPkgInfo', contentType: JSON_CT, headers: ['etag'], check: sameId('vnfPkgId') }),
  of.row('5.3.5.2.2', 'GET a VnfPkgInfo that does not exist: 404', 'none', 'GET', `${PKGS}/{missing}`, problem(404)),
  of.row('5.3.5.2.3', 'PATCH disables an ENABLED package: 200 with the modifications', 'onboardedPkg', 'PATCH', PKG, { status: 200, schema: 'VnfPkgInfoModification' }, { headers: mergePatch, body: json({ userDefinedData: { owner: 'ops' } }) }),
  of.row('5.3.5.2.4', 'PATCH disabling a package already DISABLED: 409', 'freshDisabledPkg', 'PATCH', PKG, problem(409), { headers: mergePatch, body: json({ operationalState: 'DISABLED' }) }),
  of.row('5.3.5.2.5', 'DELETE a DISABLED, NOT_IN_USE package: 204', 'freshDisabledPkg', 'DELETE', PKG, { status: 204 }),
  of.row('5.3.5.2.6', 'DELETE an ENABLED package: 409', 'onboardedPkg', 'DELETE', PKG, problem(409)),
  of.notAllowed('5.3.5.2.7', 'POST', PKG, 'onboardedPkg', 'an individual VNF package'),
  of.notAllowed('5.3.5.2.8', 'PUT', PKG, 'onboardedPkg', 'an individual VNF package'),
  of.row('5.3.5.2.9', 'PATCH with an If-Match that is not the current ETag: 412', 'onboardedPkg', 'PATCH', PKG, problem(412), { headers: { ...mergePatch, 'if-match': '"stale"' }, body: json({ userDefinedData: { owner: 'x' } }) }),
];

const vf = rowsOf('vnfpkgm', 'VNFDInIndividualVNFPackage');
const VNFD = `${PKG}/vnfd`;
const vnfd: ConformanceCase[] = [
  vf.row('5.3.5.3.1', 'GET a single-file VNFD as text/plain', 'singleFileVnfdPkg', 'GET', VNFD, { status: 200, contentType: ['text/plain'] }, { headers: { accept: 'text/plain' } }),
  vf.row('5.3.5.3.2', 'GET a VNFD as a zip', 'onboardedPkg', 'GET', VNFD, { status: 200, contentType: ['application/zip'] }, { headers: { accept: 'application/zip' } }),
  vf.row('5.3.5.3.3', 'GET a single-file VNFD accepting text/plain or zip: either', 'singleFileVnfdPkg', 'GET', VNFD, { status: 200, contentType: ['text/plain', 'application/zip'] }, { headers: { accept: 'text/plain,application/zip' } }),
  vf.row('5.3.5.3.4', 'GET a multi-file VNFD accepting text/plain or zip: the zip', 'onboardedPkg', 'GET', VNFD, { status: 200, contentType: ['application/zip'] }, { headers: { accept: 'text/plain,application/zip' } }),
  vf.row('5.3.5.3.5', 'GET a multi-file VNFD as text/plain only: 406', 'onboardedPkg', 'GET', VNFD, problem(406), { headers: { accept: 'text/plain' } }),
  vf.row('5.3.5.3.6', 'GET the VNFD of a package that does not exist: 404', 'none', 'GET', `${PKGS}/{missing}/vnfd`, { status: 404 }, { headers: { accept: 'application/zip' } }),
  vf.row('5.3.5.3.7', 'GET the VNFD of a package not ONBOARDED: 409', 'createdPkg', 'GET', VNFD, problem(409), { headers: { accept: 'application/zip' } }),
  vf.notAllowed('5.3.5.3.8', 'POST', VNFD, 'onboardedPkg', 'a VNFD'),
  vf.notAllowed('5.3.5.3.9', 'PUT', VNFD, 'onboardedPkg', 'a VNFD'),
  vf.notAllowed('5.3.5.3.10', 'PATCH', VNFD, 'onboardedPkg', 'a VNFD'),
  vf.notAllowed('5.3.5.3.11', 'DELETE', VNFD, 'onboardedPkg', 'a VNFD'),
];

const cf = rowsOf('vnfpkgm', 'VNFPackageContent');
const CONTENT = `${PKG}/package_content`;
const content: ConformanceCase[] = [
  cf.row('5.3.5.4.1', 'GET the package content as a zip', 'onboardedPkg', 'GET', CONTENT, { status: 200, contentType: ['application/zip'] }, { headers: { accept: 'application/zip' } }),
  cf.row('5.3.5.4.2', 'GET a byte range of the package: 206 with Content-Range and Content-Length', 'onboardedPkg', 'GET', CONTENT, { status: 206, contentType: ['application/zip'], check: rangeOf(0, 99) }, { headers: { accept: 'application/zip', range: 'bytes=0-99' } }),
  cf.row('5.3.5.4.3', 'GET a byte range from an NFVO without range support: the whole package', 'onboardedPkg', 'GET', CONTENT, { status: 200 }, { noVerdict: RANGE_SUPPORTED }),
  cf.row('5.3.5.4.4', 'GET a byte range outside the package: 416', 'onboardedPkg', 'GET', CONTENT, { status: 416 }, { headers: { accept: 'application/zip', range: 'bytes=99999999-100000000' } }),
  cf.row('5.3.5.4.5', 'GET the content of a package that does not exist: 404', 'none', 'GET', `${PKGS}/{missing}/package_content`, { status: 404 }, { headers: { accept: 'application/zip' } }),
  cf.row('5.3.5.4.6', 'GET the content of a package not ONBOARDED: 409', 'createdPkg', 'GET', CONTENT, problem(409), { headers: { accept: 'application/zip' } }),
  cf.notAllowed('5.3.5.4.7', 'POST', CONTENT, 'onboardedPkg', 'package content'),
  cf.row('5.3.5.4.8', 'PUT the package content: 202 (SOL005 v2.6.1 §9.4.5.3.3 answers 202 Accepted; the suite says 204), then ONBOARDED', 'freshCreatedPkg', 'PUT', CONTENT, {
    status: 202,
    check: async (_r, ctx) => {
      for (let i = 0; i < 200; i++) {
        if (((await ctx.get(`${PKGS}/${ctx.vars.vnfPkgId}`)).json() as Record<string, string>).onboardingState === 'ONBOARDED') return undefined;
        await new Promise((r) => setTimeout(r, 25));
      }
      return 'never ONBOARDED';
    },
  }, { body: { file: 'freshVnfCsar', contentType: 'application/zip' } }),
  cf.row('5.3.5.4.9', 'PUT content to a package that is not CREATED: 409', 'onboardedPkg', 'PUT', CONTENT, problem(409), { body: { file: 'freshVnfCsar', contentType: 'application/zip' } }),
  cf.notAllowed('5.3.5.4.10', 'PATCH', CONTENT, 'onboardedPkg', 'package content'),
  cf.row('5.3.5.4.11', 'DELETE on package content is not supported, and the content stays', 'onboardedPkg', 'DELETE', CONTENT, {
    status: 405, check: async (_r, ctx) => ((await ctx.get(`${PKGS}/${ctx.vars.vnfPkgId}/package_content`, { accept: 'application/zip' })).status === 200 ? undefined : 'content gone'),
  }),
];

const uf = rowsOf('vnfpkgm', 'VNFPackageContentViaURI');
const URI = `${CONTENT}/upload_from_uri`;
const viaUri: ConformanceCase[] = [
  uf.row('5.3.5.5.1', 'POST upload_from_uri: 202 (SOL005 v2.6.1 §9.4.6.3.1; the suite says 204), then the package is ONBOARDED', 'freshCreatedPkg', 'POST', URI, {
    status: 202,
    check: async (_r, ctx) => {
      for (let i = 0; i < 200; i++) {
        if (((await ctx.get(`${PKGS}/${ctx.vars.vnfPkgId}`)).json() as Record<string, string>).onboardingState === 'ONBOARDED') return undefined;
        await new Promise((r) => setTimeout(r, 25));
      }
      return 'never ONBOARDED';
    },
  }, { body: { build: (v) => ({ addressInformation: v.pkgUri }) } }),
  uf.row('5.3.5.5.2', 'POST upload_from_uri to a package that is not CREATED: 409', 'onboardedPkg', 'POST', URI, problem(409), { body: { build: (v) => ({ addressInformation: v.pkgUri }) } }),
  uf.notAllowed('5.3.5.5.3', 'GET', URI, 'onboardedPkg', 'upload_from_uri'),
  uf.notAllowed('5.3.5.5.4', 'PUT', URI, 'onboardedPkg', 'upload_from_uri'),
  uf.notAllowed('5.3.5.5.5', 'PATCH', URI, 'onboardedPkg', 'upload_from_uri'),
  uf.notAllowed('5.3.5.5.6', 'DELETE', URI, 'onboardedPkg', 'upload_from_uri'),
];

const af = rowsOf('vnfpkgm', 'VNFPackageArtifacts');
const ARTIFACT = `${PKG}/artifacts/{artifactPath}`;
const artifacts: ConformanceCase[] = [
  af.row('5.3.5.6.1', 'GET an artifact of the package', 'onboardedPkg', 'GET', ARTIFACT, { status: 200 }, { headers: { accept: '*/*' } }),
  af.row('5.3.5.6.2', 'GET an artifact whose type is not known: application/octet-stream', 'onboardedPkg', 'GET', `${PKG}/artifacts/relay.mf`, { status: 200, contentType: ['application/octet-stream'] }, { headers: { accept: '*/*' } }),
  af.row('5.3.5.6.3', 'GET a byte range of an artifact: 206 with Content-Range and Content-Length', 'onboardedPkg', 'GET', ARTIFACT, { status: 206, check: rangeOf(0, 4) }, { headers: { accept: '*/*', range: 'bytes=0-4' } }),
  af.row('5.3.5.6.4', 'GET a byte range of an artifact from an NFVO without range support: the whole artifact', 'onboardedPkg', 'GET', ARTIFACT, { status: 200 }, { noVerdict: RANGE_SUPPORTED }),
  af.row('5.3.5.6.5', 'GET a byte range outside the artifact: 416', 'onboardedPkg', 'GET', ARTIFACT, { status: 416 }, { headers: { accept: '*/*', range: 'bytes=99999999-100000000' } }),
  af.row('5.3.5.6.6', 'GET an artifact of a package that does not exist: 404', 'onboardedPkg', 'GET', `${PKGS}/{missing}/artifacts/{artifactPath}`, { status: 404 }, { headers: { accept: '*/*' } }),
  af.row('5.3.5.6.7', 'GET an artifact of a package not ONBOARDED: 409', 'createdPkg', 'GET', `${PKG}/artifacts/ChangeLog.txt`, problem(409), { headers: { accept: '*/*' } }),
  af.notAllowed('5.3.5.6.8', 'POST', ARTIFACT, 'onboardedPkg', 'an artifact'),
  af.notAllowed('5.3.5.6.9', 'PUT', ARTIFACT, 'onboardedPkg', 'an artifact'),
  af.notAllowed('5.3.5.6.10', 'PATCH', ARTIFACT, 'onboardedPkg', 'an artifact'),
  af.row('5.3.5.6.11', 'DELETE on an artifact is not supported, and it stays', 'onboardedPkg', 'DELETE', ARTIFACT, {
    status: 405, check: async (_r, ctx) => ((await ctx.get(`${PKGS}/${ctx.vars.vnfPkgId}/artifacts/${ctx.vars.artifactPath}`, { accept: '*/*' })).status === 200 ? undefined : 'artifact gone'),
  }),
];

const sf = rowsOf('vnfpkgm', 'Subscriptions');
const subs: ConformanceCase[] = [
  sf.row('5.3.5.7.1', 'GET the package management subscriptions', 'pkgSubscription', 'GET', SUBS, { status: 200, schema: 'PkgmSubscription[]', contentType: JSON_CT }),
  sf.row('5.3.5.7.2', 'GET the subscriptions with an attribute filter, matching it', 'pkgSubscription', 'GET', `${SUBS}?filter=(eq,id,{subscriptionId})`, {
    status: 200, schema: 'PkgmSubscription[]', check: (r, ctx) => ((r.json() as { id: string }[]).every((s) => s.id === ctx.vars.subscriptionId) ? undefined : 'an item does not match the filter'),
  }),
  sf.row('5.3.5.7.3', 'GET the subscriptions with a filter on an unknown attribute: 400', 'none', 'GET', `${SUBS}?filter=(eq,noSuchAttribute,x)`, problem(400)),
  sf.row('5.3.5.7.4', 'GET a subscriptions URI that is no resource: 404', 'none', 'GET', `${BASE}/subscription`, { status: 404 }),
  sf.row('5.3.5.7.5', 'POST a PkgmSubscriptionRequest: 201 with Location and the subscription', 'none', 'POST', SUBS, { status: 201, schema: 'PkgmSubscription', headers: ['location'] }, {
    body: { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/pkgm-5.3.5.7.5`, filter: { notificationTypes: ['VnfPackageOnboardingNotification'] }  }) },
  }),
  sf.row('5.3.5.7.6', 'POST the same subscription again: 303 See Other to the existing one', 'none', 'POST', SUBS, { status: 303, headers: ['location'], emptyBody: true }, {
    body: { build: (v: Readonly<Record<string, string>>) => ({ callbackUri: `${v.callback}/pkgm-5.3.5.7.5`, filter: { notificationTypes: ['VnfPackageOnboardingNotification'] }  }) },
  }),
  sf.row('5.3.5.7.7', 'POST the same subscription again, NFVO creating duplicates: 201', 'none', 'POST', SUBS, { status: 201 }, { noVerdict: NO_DUPLICATES }),
  sf.notAllowed('5.3.5.7.8', 'PUT', SUBS),
  sf.notAllowed('5.3.5.7.9', 'PATCH', SUBS),
  sf.notAllowed('5.3.5.7.10', 'DELETE', SUBS),
];

const isf = rowsOf('vnfpkgm', 'IndividualSubscription');
const sub: ConformanceCase[] = [
  isf.row('5.3.5.8.1', 'GET a package management subscription', 'pkgSubscription', 'GET', SUB, { status: 200, schema: 'PkgmSubscription', check: sameId('subscriptionId') }),
  isf.row('5.3.5.8.2', 'GET a subscription that does not exist: 404', 'none', 'GET', `${SUBS}/{missing}`, { status: 404 }),
  isf.row('5.3.5.8.3', 'DELETE a subscription that does not exist: 404', 'none', 'DELETE', `${SUBS}/{missing}`, { status: 404 }),
  isf.notAllowed('5.3.5.8.4', 'POST', SUB, 'pkgSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.5.8.5', 'PUT', SUB, 'pkgSubscription', 'an individual subscription'),
  isf.notAllowed('5.3.5.8.6', 'PATCH', SUB, 'pkgSubscription', 'an individual subscription'),
  isf.row('5.3.5.8.7', 'DELETE a subscription: 204, then it is gone', 'freshPkgSubscription', 'DELETE', SUB, {
    status: 204, check: async (_r, ctx) => ((await ctx.get(`${SUBS}/${ctx.vars.subscriptionId}`)).status === 404 ? undefined : 'still there'),
  }),
];

const nf = rowsOf('vnfpkgm', 'Notifications');
const notified = (type: string, extra: (n: Record<string, unknown>) => boolean = () => true) => async (_r: unknown, ctx: Parameters<NonNullable<ConformanceCase['expect']['check']>>[1]) => {
  const n = await ctx.notification(type, (b) => b.vnfPkgId === ctx.vars.vnfPkgId && extra(b));
  if (!n) return `no ${type} about the package`;
  const v = ctx.violations(type, n);
  return v.length > 0 ? `${type}: ${v.slice(0, 3).join('; ')}` : undefined;
};
const notifications: ConformanceCase[] = [
  nf.row('5.3.5.9.1', 'On-boarding a package sends VnfPackageOnboardingNotification to the subscriber', 'freshCreatedPkg', 'PUT', CONTENT, { status: 202, check: notified('VnfPackageOnboardingNotification') }, { body: { file: 'freshVnfCsar', contentType: 'application/zip' } }),
  nf.row('5.3.5.9.2', 'Disabling a package sends VnfPackageChangeNotification (OP_STATE_CHANGE)', 'freshDisabledPkg', 'PATCH', PKG, { status: 200, check: notified('VnfPackageChangeNotification', (b) => b.changeType === 'OP_STATE_CHANGE' && b.operationalState === 'ENABLED') }, {
    headers: mergePatch, body: json({ operationalState: 'ENABLED' }),
  }),
  nf.row('5.3.5.9.3', 'Deleting a package sends VnfPackageChangeNotification (PKG_DELETE)', 'freshDisabledPkg', 'DELETE', PKG, { status: 204, check: notified('VnfPackageChangeNotification', (b) => b.changeType === 'PKG_DELETE') }),
];

export const VNFPKGM_CASES: readonly ConformanceCase[] = [
  ...list, ...one, ...vnfd, ...content, ...viaUri, ...artifacts, ...subs, ...sub, ...notifications,
  ...apiVersionCases('vnfpkgm', '5.3.5.10'),
];
