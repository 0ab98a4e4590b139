import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';
import { seedNsRecords } from '../support/ns-records-seed.js';
import type { InjectOptions } from 'fastify';

/**
 * SOL005 v2.6.1 NSD management (§5.4.8–5.4.9) and VNF package management (§9.4.7–9.4.8)
 * subscriptions on PostgreSQL, and the notifications a real callback receives for real
 * catalog changes, checked against schemas transcribed from the spec
 * (test/fixtures/sol005-schemas/NsdmNotifications.schema.json, PkgmNotifications.schema.json).
 */

const SCHEMA_DIR = join(process.cwd(), 'test/fixtures/sol005-schemas');
const PUBLIC = 'https://mano.example.net/rondo';
const BASIC = { authType: ['BASIC'], paramsBasic: { userName: 'nfvo', password: 's3cret' } };
const BASIC_HEADER = `Basic ${Buffer.from('nfvo:s3cret').toString('base64')}`;
const mergePatch = { 'content-type': 'application/merge-patch+json' };
type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('SOL005 NSD and VNF package management subscriptions and notifications', () => {
  let dir: string;
  let files: { tango: string; csar: string };
  let t: TestApp;
  let ajv: Ajv;
  const callback = new CallbackServer();
  const subs: Record<'nsd' | 'vnfpkgm', string> = { nsd: '', vnfpkgm: '' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-nsdm-pkgm-'));
    files = await buildExamplePackages(dir);
    ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
    (((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv)(ajv);
    for (const f of (await readdir(SCHEMA_DIR)).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(await readFile(join(SCHEMA_DIR, f), 'utf8')) as object);
    await callback.start();
    t = await openTestApp('postgres', 'sol005-subs-pkgm-nsdm', { publicUrl: PUBLIC });
    await t.composition.start({ monitoring: true, worker: false, reconciler: false });
  });
  afterAll(async () => {
    await t?.close();
    await callback.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const inject = (opts: InjectOptions) => t.app.inject(opts);
  const expectValid = (ref: string, record: unknown): void => {
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`no schema ${ref}`);
    const ok = v(record);
    expect(ok ? [] : v.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${ref}: ${JSON.stringify(record).slice(0, 400)}`).toEqual([]);
  };
  /** The POSTs to `path` that match `pred`, once at least `count` have arrived (bounded wait). */
  const received = async (path: string, pred: (n: Json) => boolean, count = 1): Promise<{ body: Json; authorization: string | undefined }[]> => {
    const mine = () => callback.requests.filter((r) => r.method === 'POST' && r.path === path && r.body !== null && pred(r.body as Json));
    await callback.waitFor(() => mine().length >= count);
    return mine().map((r) => ({ body: r.body as Json, authorization: r.authorization }));
  };

  it.each([
    ['nsd', 'Nsdm', ['NsdOnBoardingNotification', 'NsdOnboardingFailureNotification', 'NsdChangeNotification', 'NsdDeletionNotification'], 'VnfPackageOnboardingNotification', 'nsdInfoId'],
    ['vnfpkgm', 'Pkgm', ['VnfPackageOnboardingNotification', 'VnfPackageChangeNotification'], 'NsdChangeNotification', 'vnfPkgId'],
  ] as const)('/%s/v1/subscriptions: 201 after a test GET with the credentials, 303 on a duplicate, SOL013 filter, show, delete, 400/404', async (api, kind, types, foreign, idFilter) => {
    const base = `/${api}/v1/subscriptions`;
    const body = { callbackUri: `${callback.url}/${api}`, filter: { notificationTypes: [...types] }, authentication: BASIC };
    const c = await inject({ method: 'POST', url: base, payload: body });
    expect(c.statusCode, c.body).toBe(201);
    const sub = c.json() as Json;
    subs[api] = sub.id as string;
    expect(c.headers.location).toBe(`${PUBLIC}${base}/${sub.id}`);
    expect(sub).toEqual({ id: sub.id, callbackUri: body.callbackUri, filter: body.filter, _links: { self: { href: `${PUBLIC}${base}/${sub.id}` } } });
    expectValid(`${kind}Notifications.schema.json#/definitions/${kind}Subscription`, sub);
    // SOL005 §5.4.8.3.1 / §9.4.7.3.1: the NFVO tests the callback with a GET, with the credentials.
    expect(callback.requests.filter((r) => r.method === 'GET' && r.path === `/${api}`).map((r) => r.authorization)).toEqual([BASIC_HEADER]);

    const dup = await inject({ method: 'POST', url: base, payload: body });
    expect([dup.statusCode, dup.headers.location]).toEqual([303, c.headers.location]);
    const wrongType = await inject({ method: 'POST', url: base, payload: { callbackUri: `${callback.url}/${api}`, filter: { notificationTypes: [foreign] } } });
    expect([wrongType.statusCode, wrongType.json().code]).toEqual([400, 'SUBSCRIPTION_FILTER_INVALID']);
    // A subscription for another resource only: it must hear nothing below.
    const quiet = await inject({ method: 'POST', url: base, payload: { callbackUri: `${callback.url}/${api}-quiet`, filter: { [idFilter]: ['00000000-0000-4000-8000-999999999999'] } } });
    expect(quiet.statusCode, quiet.body).toBe(201);

    const all = await inject({ method: 'GET', url: base });
    expect(all.json().map((s: Json) => s.id).sort()).toEqual([sub.id, quiet.json().id].sort());
    const one = await inject({ method: 'GET', url: `${base}?filter=(eq,callbackUri,${encodeURIComponent(body.callbackUri)})` });
    expect(one.json().map((s: Json) => s.id)).toEqual([sub.id]);
    expect((await inject({ method: 'GET', url: `${base}/${sub.id}` })).json()).toEqual(sub);
    // Each API sees only its own subscriptions.
    expect((await inject({ method: 'GET', url: `/nslcm/v1/subscriptions/${sub.id}` })).statusCode).toBe(404);
    expect((await inject({ method: 'GET', url: `${base}/00000000-0000-4000-8000-999999999999` })).statusCode).toBe(404);

    const spare = await inject({ method: 'POST', url: base, payload: { callbackUri: `${callback.url}/${api}-spare` } });
    expect((await inject({ method: 'DELETE', url: `${base}/${spare.json().id}` })).statusCode).toBe(204);
    expect((await inject({ method: 'GET', url: `${base}/${spare.json().id}` })).statusCode).toBe(404);
  });

  it('VNF package on-boarded, disabled, deleted → VnfPackageOnboardingNotification, VnfPackageChangeNotification OP_STATE_CHANGE and PKG_DELETE', async () => {
    const id = (await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: {} })).json().id as string;
    const put = await inject({ method: 'PUT', url: `/vnfpkgm/v1/vnf_packages/${id}/package_content`, payload: await readFile(files.csar), headers: { 'content-type': 'application/zip' } });
    expect(put.statusCode, put.body).toBe(202);
    const vnfdId = (await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${id}` })).json().vnfdId as string;
    const [onboarded] = await received('/vnfpkgm', (n) => n.vnfPkgId === id);
    expect(onboarded!.authorization).toBe(BASIC_HEADER);
    expect(onboarded!.body).toMatchObject({
      notificationType: 'VnfPackageOnboardingNotification',
      subscriptionId: subs.vnfpkgm,
      vnfPkgId: id,
      vnfdId,
      _links: { vnfPackage: { href: `${PUBLIC}/vnfpkgm/v1/vnf_packages/${id}` }, subscription: { href: `${PUBLIC}/vnfpkgm/v1/subscriptions/${subs.vnfpkgm}` } },
    });

    expect((await inject({ method: 'PATCH', url: `/vnfpkgm/v1/vnf_packages/${id}`, payload: { operationalState: 'DISABLED' }, headers: mergePatch })).statusCode).toBe(200);
    // Only userDefinedData: no operational state change, no notification.
    expect((await inject({ method: 'PATCH', url: `/vnfpkgm/v1/vnf_packages/${id}`, payload: { userDefinedData: { a: 'b' } }, headers: mergePatch })).statusCode).toBe(200);
    // The CSAR brings an NSD using the VNFD: it goes first.
    for (const n of (await inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json() as Json[]) {
      if (!(n.vnfPkgIds as string[]).includes(id)) continue;
      expect((await inject({ method: 'PATCH', url: `/nsd/v1/ns_descriptors/${n.id}`, payload: { nsdOperationalState: 'DISABLED' }, headers: mergePatch })).statusCode).toBe(200);
      expect((await inject({ method: 'DELETE', url: `/nsd/v1/ns_descriptors/${n.id}` })).statusCode).toBe(204);
    }
    const del = await inject({ method: 'DELETE', url: `/vnfpkgm/v1/vnf_packages/${id}` });
    expect(del.statusCode, del.body).toBe(204);
    const notes = (await received('/vnfpkgm', (n) => n.vnfPkgId === id, 3)).map((n) => n.body);
    expect(notes.map((n) => [n.notificationType, n.changeType, n.operationalState])).toEqual([
      ['VnfPackageOnboardingNotification', undefined, undefined],
      ['VnfPackageChangeNotification', 'OP_STATE_CHANGE', 'DISABLED'],
      ['VnfPackageChangeNotification', 'PKG_DELETE', undefined],
    ]);
    for (const n of notes) {
      expectValid(`PkgmNotifications.schema.json#/definitions/${n.notificationType}`, n);
      expect(n.vnfdId).toBe(vnfdId);
    }
    await t.deps.services.monitoring!.notifications.idle();
    expect(callback.requests.filter((r) => r.path === '/vnfpkgm-quiet' && r.method === 'POST')).toEqual([]);
  });

  it('NSD on-boarded, disabled, deleted, and an NSD that fails to on-board → the four NSD management notifications', async () => {
    const id = (await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} })).json().id as string;
    const put = await inject({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${id}/nsd_content`, payload: await readFile(files.tango), headers: { 'content-type': 'application/zip' } });
    expect(put.statusCode, put.body).toBe(202);
    const nsdId = (await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${id}` })).json().nsdId as string;
    // A second upload is refused (409): nothing changed, nothing is sent.
    const again = await inject({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${id}/nsd_content`, payload: await readFile(files.tango), headers: { 'content-type': 'application/zip' } });
    expect(again.statusCode).toBe(409);
    expect((await inject({ method: 'PATCH', url: `/nsd/v1/ns_descriptors/${id}`, payload: { nsdOperationalState: 'DISABLED' }, headers: mergePatch })).statusCode).toBe(200);
    expect((await inject({ method: 'DELETE', url: `/nsd/v1/ns_descriptors/${id}` })).statusCode).toBe(204);
    const notes = (await received('/nsd', (n) => n.nsdInfoId === id, 3)).map((n) => n.body);
    expect(notes.map((n) => n.notificationType)).toEqual(['NsdOnBoardingNotification', 'NsdChangeNotification', 'NsdDeletionNotification']);
    expect(notes[0]).toMatchObject({ subscriptionId: subs.nsd, nsdInfoId: id, nsdId, _links: { nsdInfo: { href: `${PUBLIC}/nsd/v1/ns_descriptors/${id}` }, subscription: { href: `${PUBLIC}/nsd/v1/subscriptions/${subs.nsd}` } } });
    expect(notes[1]!.nsdOperationalState).toBe('DISABLED');
    for (const n of notes) expectValid(`NsdmNotifications.schema.json#/definitions/${n.notificationType}`, n);

    const bad = (await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} })).json().id as string;
    const failed = await inject({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${bad}/nsd_content`, payload: Buffer.from('PK\u0003\u0004 not really a zip'), headers: { 'content-type': 'application/zip' } });
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    const info = (await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${bad}` })).json();
    expect(info.nsdOnboardingState).toBe('ERROR');
    const [failure] = await received('/nsd', (n) => n.nsdInfoId === bad);
    expectValid('NsdmNotifications.schema.json#/definitions/NsdOnboardingFailureNotification', failure!.body);
    expect(failure!.body).toMatchObject({ notificationType: 'NsdOnboardingFailureNotification', nsdInfoId: bad, onboardingFailureDetails: { status: failed.statusCode } });
    expect(failure!.body.nsdId).toBeUndefined();
    await t.deps.services.monitoring!.notifications.idle();
    expect(callback.requests.filter((r) => r.path === '/nsd-quiet' && r.method === 'POST')).toEqual([]);
  });

  it('POST ns_lcm_op_occs/{id}/continue: 202 + Location for a FAILED_TEMP operation (resumed as retry), 409 otherwise, 404 when missing', async () => {
    // Seeded: NS 0's first operation is FAILED_TEMP, its second is final.
    const { opIds } = await seedNsRecords(t.store.db, { ns: 1, ops: 2, vnfsPerNs: 1 });
    const [open, done] = opIds as [string, string];
    const before = (await inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${open}` })).json();
    expect(before.operationState).toBe('FAILED_TEMP');
    expect(before._links.continue.href).toMatch(new RegExp(`/nslcm/v1/ns_lcm_op_occs/${open}/continue$`));
    const c = await inject({ method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${open}/continue` });
    expect(c.statusCode, c.body).toBe(202);
    expect(c.headers.location).toMatch(new RegExp(`^http://localhost(:\\d+)?/nslcm/v1/ns_lcm_op_occs/${open}$`));
    const after = (await inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${open}` })).json();
    expect(after.operationState).toBe('PROCESSING');
    expect(after._links.continue).toBeUndefined();
    const again = await inject({ method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${open}/continue` });
    expect([again.statusCode, again.json().code]).toEqual([409, 'OP_ILLEGAL_STATE']);
    expect((await inject({ method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${done}/continue` })).statusCode).toBe(409);
    expect((await inject({ method: 'POST', url: '/nslcm/v1/ns_lcm_op_occs/00000000-0000-4000-8000-999999999999/continue' })).statusCode).toBe(404);
  });

  it('POST package_content/upload_from_uri: 202, fetched through the outbound guard with the credentials, on-boarded as a direct upload; failures leave ERROR', async () => {
    const csar = await readFile(files.csar);
    const seen: IncomingMessage[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(req);
      if (req.url === '/pkg/relay.zip') return void res.writeHead(200, { 'content-type': 'application/zip' }).end(csar);
      if (req.url === '/moved') return void res.writeHead(302, { location: '/pkg/relay.zip' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const src = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const create = async () => (await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: {} })).json().id as string;
      const upload = (id: string, payload: Record<string, unknown>) => inject({ method: 'POST', url: `/vnfpkgm/v1/vnf_packages/${id}/package_content/upload_from_uri`, payload });
      const state = async (id: string) => (await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${id}?all_fields` })).json() as Json;

      const ok = await create();
      const r = await upload(ok, { addressInformation: `${src}/pkg/relay.zip`, authType: 'BASIC', userName: 'repo', password: 'pw' });
      expect(r.statusCode, r.body).toBe(202);
      const [note] = await received('/vnfpkgm', (n) => n.vnfPkgId === ok && n.notificationType === 'VnfPackageOnboardingNotification');
      expectValid('PkgmNotifications.schema.json#/definitions/VnfPackageOnboardingNotification', note!.body);
      const info = await state(ok);
      expect(info).toMatchObject({ onboardingState: 'ONBOARDED', operationalState: 'ENABLED', vnfdId: note!.body.vnfdId });
      expect(seen.map((q) => [q.method, q.url, q.headers.authorization])).toEqual([['GET', '/pkg/relay.zip', `Basic ${Buffer.from('repo:pw').toString('base64')}`]]);
      // The same bytes as a direct upload would have stored.
      expect((await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${ok}/package_content` })).rawPayload.equals(csar)).toBe(true);
      // Not CREATED any more: 409.
      expect((await upload(ok, { addressInformation: `${src}/pkg/relay.zip` })).statusCode).toBe(409);

      // A redirect is not followed: the package ends in ERROR with the failure.
      const moved = await create();
      expect((await upload(moved, { addressInformation: `${src}/moved` })).statusCode).toBe(202);
      const failed = await vi.waitFor(
        async () => {
          const s = await state(moved);
          if (s.onboardingState !== 'ERROR') throw new Error(`still ${s.onboardingState}`);
          return s;
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(failed.onboardingFailureDetails).toMatchObject({ code: 'PACKAGE_URI_FAILED', status: 502, sourceStatus: 302 });
      expect(seen.map((q) => q.url)).toEqual(['/pkg/relay.zip', '/moved']);

      // Refused before anything is fetched or changed.
      const other = await create();
      const linkLocal = await upload(other, { addressInformation: 'http://169.254.169.254/latest/meta-data' });
      expect([linkLocal.statusCode, linkLocal.json().code]).toEqual([400, 'OUTBOUND_NOT_ALLOWED']);
      const oauth = await upload(other, { addressInformation: `${src}/pkg/relay.zip`, authType: 'OAUTH2_CLIENT_CREDENTIALS' });
      expect([oauth.statusCode, oauth.json().code]).toEqual([400, 'PACKAGE_URI_INVALID']);
      expect((await state(other)).onboardingState).toBe('CREATED');
      expect(seen).toHaveLength(2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
