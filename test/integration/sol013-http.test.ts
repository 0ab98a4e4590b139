import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { seedNsRecords } from '../support/ns-records-seed.js';
import { CallbackServer } from '../support/callback-server.js';
import { bearer, openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

/** SOL013 HTTP behaviour replayed on every SOL005 API (NFV-TST010 style), one app for the file. */
const APIS = [
  { name: 'nsd', list: '/nsd/v1/ns_descriptors', version: '1.3.0' },
  { name: 'vnfpkgm', list: '/vnfpkgm/v1/vnf_packages', version: '1.3.0' },
  { name: 'nslcm', list: '/nslcm/v1/ns_instances', version: '1.3.0' },
  { name: 'nsfm', list: '/nsfm/v1/alarms', version: '1.2.0' },
] as const;

const zipEntries = (buf: Buffer): Promise<string[]> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (e: { fileName: string }) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });

describe('SOL013 HTTP behaviour of the SOL005 APIs', () => {
  let t: TestApp;
  let dir: string;
  let files: { tango: string; csar: string };
  let csarPkgId: string;
  let tangoNsdId: string;
  let nsId: string;
  let seeded: { nsIds: readonly string[]; opIds: readonly string[] };
  const inject = (opts: InjectOptions): Promise<LightMyRequestResponse> => t.app.inject(opts);
  const expectProblem = (r: LightMyRequestResponse, status: number, code: string) => {
    expect([r.statusCode, r.headers['content-type'], r.json().code]).toEqual([status, 'application/problem+json; charset=utf-8', code]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-sol013-'));
    files = await buildExamplePackages(dir);
    t = await openTestApp('postgres', 'sol013-http');
    csarPkgId = (await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: {} })).json().id;
    const up = await inject({ method: 'PUT', url: `/vnfpkgm/v1/vnf_packages/${csarPkgId}/package_content`, payload: await readFile(files.csar), headers: { 'content-type': 'application/zip' } });
    expect(up.statusCode).toBe(202);
    tangoNsdId = (await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} })).json().id;
    const nsdUp = await inject({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${tangoNsdId}/nsd_content`, payload: await readFile(files.tango), headers: { 'content-type': 'application/zip' } });
    expect(nsdUp.statusCode).toBe(202);
    const vim = await inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'memory', endpoint: 'memory://sol013', capacity: { cpu: 8, memoryMiB: 8192 } } });
    expect(vim.statusCode).toBe(201);
    nsId = (await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: tangoNsdId, nsName: 'sol013', nsDescription: 'http' } })).json().id;
    seeded = await seedNsRecords(t.store.db, { ns: 11, ops: 11, vnfsPerNs: 1 });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('routes bodiless requests whatever their Content-Type; a route that needs a body still answers 400', async () => {
    const missing = '00000000-0000-4000-8000-999999999999';
    const bodiless: InjectOptions[] = [
      { method: 'DELETE', url: `/nsd/v1/ns_descriptors/${missing}` },
      { method: 'DELETE', url: `/vnfpkgm/v1/vnf_packages/${missing}` },
      { method: 'DELETE', url: `/nslcm/v1/ns_instances/${missing}` },
      { method: 'DELETE', url: `/nslcm/v1/subscriptions/${missing}` },
      { method: 'DELETE', url: `/nsfm/v1/subscriptions/${missing}` },
      { method: 'POST', url: `/nslcm/v1/ns_instances/${missing}/terminate` },
      { method: 'POST', url: `/nslcm/v1/ns_instances/${missing}/instantiate` },
      { method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${missing}/cancel` },
      { method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${missing}/retry` },
      { method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${missing}/rollback` },
      { method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${missing}/fail` },
    ];
    for (const req of bodiless) {
      for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', 'content-length': '0' }, { 'content-type': 'application/xml' }, { 'content-type': 'text/plain' }]) {
        const r = await inject({ ...req, headers });
        expect([req.method, req.url, headers['content-type'], r.statusCode, r.json().code]).toEqual([req.method, req.url, headers['content-type'], 404, 'NOT_FOUND']);
      }
    }
    // A real bodiless task: terminate of a NOT_INSTANTIATED NS is a state conflict, not a parse error.
    expect((await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, headers: { 'content-type': 'application/json' } })).statusCode).toBe(409);
    // Routes that need a body say so.
    expectProblem(await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await inject({ method: 'PATCH', url: `/nsd/v1/ns_descriptors/${tangoNsdId}`, headers: { 'content-type': 'application/merge-patch+json' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await inject({ method: 'POST', url: '/nslcm/v1/subscriptions', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: '{"nsdId":', headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
  });

  it('answers 405 with Allow for a method a known path does not support', async () => {
    const cases: [string, string, string][] = [
      ['PATCH', `/nslcm/v1/ns_instances/${nsId}/instantiate`, 'POST'],
      ['GET', `/nslcm/v1/ns_lcm_op_occs/${seeded.opIds[0]}/cancel`, 'POST'],
      ['PUT', '/nsd/v1/ns_descriptors', 'GET, HEAD, POST'],
      ['DELETE', '/vnfpkgm/v1/vnf_packages', 'GET, HEAD, POST'],
      ['PUT', `/vnfpkgm/v1/vnf_packages/${csarPkgId}`, 'DELETE, GET, HEAD, PATCH'],
      ['POST', `/vnfpkgm/v1/vnf_packages/${csarPkgId}/vnfd`, 'GET, HEAD'],
      ['POST', `/vnfpkgm/v1/vnf_packages/${csarPkgId}/artifacts/ChangeLog.txt`, 'GET, HEAD'],
      ['PUT', `/nslcm/v1/ns_instances/${nsId}`, 'DELETE, GET, HEAD'],
      ['DELETE', '/nslcm/v1/ns_lcm_op_occs', 'GET, HEAD'],
      ['POST', '/nsfm/v1/alarms', 'GET, HEAD'],
      ['PATCH', '/nsfm/v1/subscriptions', 'GET, HEAD, POST'],
      ['POST', '/nslcm/v1/api_versions', 'GET, HEAD'],
      ['DELETE', '/nsd/api_versions', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const r = await inject({ method: method as 'GET', url, headers: { 'content-type': 'application/json' } });
      expect([method, url, r.statusCode, r.headers.allow, r.json().code]).toEqual([method, url, 405, allow, 'METHOD_NOT_ALLOWED']);
    }
    expectProblem(await inject({ method: 'GET', url: '/nslcm/v1/no_such_thing' }), 404, 'ROUTE_NOT_FOUND');
  });

  it('serves ApiVersionInformation on every API, with and without the major version', async () => {
    for (const api of APIS) {
      for (const url of [`/${api.name}/api_versions`, `/${api.name}/v1/api_versions`]) {
        const r = await inject({ method: 'GET', url });
        expect([url, r.statusCode, r.json()]).toEqual([url, 200, { uriPrefix: `/${api.name}/v1`, apiVersions: [{ version: api.version, isDeprecated: false }] }]);
        expect(r.headers.version).toBe(api.version);
      }
    }
  });

  it('sends Version on every SOL005 response and refuses an unsupported major version with 406', async () => {
    for (const api of APIS) {
      const plain = await inject({ method: 'GET', url: api.list });
      expect([api.list, plain.statusCode, plain.headers.version]).toEqual([api.list, 200, api.version]);
      const same = await inject({ method: 'GET', url: api.list, headers: { version: api.version } });
      expect(same.statusCode).toBe(200);
      const minor = await inject({ method: 'GET', url: api.list, headers: { version: '1.0.0' } });
      expect(minor.statusCode).toBe(200);
      const other = await inject({ method: 'GET', url: api.list, headers: { version: '9.0.0' } });
      expectProblem(other, 406, 'API_VERSION_UNSUPPORTED');
      expect(other.headers.version).toBe(api.version);
      expect((await inject({ method: 'GET', url: `${api.list}/nope` })).headers.version).toBe(api.version);
    }
    expect((await inject({ method: 'GET', url: '/admin/v1/vims' })).headers.version).toBeUndefined();
  });

  it('gives individual resources a strong ETag and refuses a PATCH with a stale If-Match (412)', async () => {
    for (const url of [`/nsd/v1/ns_descriptors/${tangoNsdId}`, `/vnfpkgm/v1/vnf_packages/${csarPkgId}`]) {
      const first = await inject({ method: 'GET', url });
      const tag = first.headers.etag as string;
      expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect((await inject({ method: 'GET', url })).headers.etag).toBe(tag);
      const patch = (ifMatch: string | undefined, owner: string) =>
        inject({ method: 'PATCH', url, payload: { userDefinedData: { owner } }, headers: { 'content-type': 'application/merge-patch+json', ...(ifMatch ? { 'if-match': ifMatch } : {}) } });
      const ok = await patch(tag, 'a');
      expect([url, ok.statusCode]).toEqual([url, 200]);
      const changed = (await inject({ method: 'GET', url })).headers.etag as string;
      expect(changed).not.toBe(tag);
      const stale = await patch(tag, 'b');
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect((await inject({ method: 'GET', url })).json().userDefinedData.owner).toBe('a');
      expect((await patch(undefined, 'c')).statusCode).toBe(200);
      expect((await patch('*', 'd')).statusCode).toBe(200);
      expect((await patch(`W/${(await inject({ method: 'GET', url })).headers.etag as string}`, 'e')).statusCode).toBe(412);
    }
    const ns = await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` });
    expect(ns.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).headers.etag).toBe(ns.headers.etag);
    // Lists carry no ETag: they are no single resource.
    expect((await inject({ method: 'GET', url: '/nslcm/v1/ns_instances' })).headers.etag).toBeUndefined();
  });

  it('answers every 202 of a task with the Location of its operation occurrence', async () => {
    const opUrl = (id: string) => new RegExp(`^http://localhost(:\\d+)?/nslcm/v1/ns_lcm_op_occs/${id}$`);
    const inst = await inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { nsFlavourId: 'default' } });
    expect(inst.statusCode).toBe(202);
    const instOp = (inst.headers.location as string).split('/').pop() as string;
    expect(inst.headers.location).toMatch(opUrl(instOp));
    const cancel = await inject({ method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${instOp}/cancel`, payload: { cancelMode: 'FORCEFUL' } });
    expect([cancel.statusCode, cancel.headers.location]).toEqual([202, expect.stringMatching(opUrl(instOp))]);
    // Seeded: the first operation of NS 0 and of NS 10 are FAILED_TEMP INSTANTIATE operations.
    const [retryOp, rollbackOp] = [seeded.opIds[0] as string, seeded.opIds[10] as string];
    for (const [task, id] of [['retry', retryOp], ['rollback', rollbackOp]] as const) {
      const r = await inject({ method: 'POST', url: `/nslcm/v1/ns_lcm_op_occs/${id}/${task}` });
      expect([task, r.statusCode, r.headers.location]).toEqual([task, 202, expect.stringMatching(opUrl(id))]);
      expect((await inject({ method: 'GET', url: r.headers.location as string })).statusCode).toBe(200);
    }
  });

  it('negotiates descriptor content: text/plain for single-file descriptors only, zip always, 406 otherwise', async () => {
    const vnfd = `/vnfpkgm/v1/vnf_packages/${csarPkgId}/vnfd`;
    // The CSAR's VNFD imports relay_types.yaml from the package: a multi-file VNFD.
    expectProblem(await inject({ method: 'GET', url: vnfd, headers: { accept: 'text/plain' } }), 406, 'NOT_ACCEPTABLE');
    const zip = await inject({ method: 'GET', url: vnfd, headers: { accept: 'application/zip' } });
    expect([zip.statusCode, zip.headers['content-type']]).toEqual([200, 'application/zip']);
    expect((await zipEntries(zip.rawPayload)).sort()).toEqual(['Definitions/relay_top.vnfd.yaml', 'Definitions/relay_types.yaml']);
    const both = await inject({ method: 'GET', url: vnfd, headers: { accept: 'text/plain, application/zip' } });
    expect(both.headers['content-type']).toBe('application/zip');
    expectProblem(await inject({ method: 'GET', url: vnfd, headers: { accept: 'application/json' } }), 406, 'NOT_ACCEPTABLE');

    // The 5GTANGO NSD is one file.
    const nsd = `/nsd/v1/ns_descriptors/${tangoNsdId}/nsd_content`;
    const text = await inject({ method: 'GET', url: nsd, headers: { accept: 'text/plain' } });
    expect([text.statusCode, text.headers['content-type'], text.body]).toEqual([200, 'text/plain; charset=utf-8', expect.stringContaining('ns-chain')]);
    const archive = await inject({ method: 'GET', url: nsd, headers: { accept: 'application/zip' } });
    expect([archive.statusCode, archive.headers['content-type']]).toEqual([200, 'application/zip']);
    expect(archive.rawPayload).toEqual(await readFile(files.tango));
    expectProblem(await inject({ method: 'GET', url: nsd, headers: { accept: 'image/png' } }), 406, 'NOT_ACCEPTABLE');

    // A JSON resource refuses an Accept without application/json; */* and application/* are fine.
    for (const api of APIS) {
      expectProblem(await inject({ method: 'GET', url: api.list, headers: { accept: 'text/plain' } }), 406, 'NOT_ACCEPTABLE');
      expect((await inject({ method: 'GET', url: api.list, headers: { accept: 'application/*;q=0.5' } })).statusCode).toBe(200);
      expect((await inject({ method: 'GET', url: api.list, headers: { accept: 'text/html, */*;q=0.1' } })).statusCode).toBe(200);
    }
    expectProblem(await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${tangoNsdId}`, headers: { accept: '*/*;q=0.5, application/json;q=0' } }), 406, 'NOT_ACCEPTABLE');
  });

  it('refuses bad filters and attribute selectors with 400 naming the parameter', async () => {
    for (const api of APIS.filter((a) => a.name !== 'nsfm')) {
      for (const q of ['filter=(eq,noSuchAttribute,x)', 'filter=(xx,id,1)', 'filter=eq,id,1', 'filter=(eq,id', 'filter=(eq,id)']) {
        expectProblem(await inject({ method: 'GET', url: `${api.list}?${q}` }), 400, 'INVALID_FILTER');
      }
      for (const [q, parameter] of [
        ['fields=wrong_field', 'fields'],
        ['exclude_fields=wrong_field', 'exclude_fields'],
        ['fields=id,_links/self,nope', 'fields'],
        ['all_fields&fields=id', 'all_fields'],
        ['all_fields&exclude_default', 'all_fields'],
        ['fields=id&exclude_fields=_links', 'exclude_fields'],
      ]) {
        const r = await inject({ method: 'GET', url: `${api.list}?${q}` });
        expectProblem(r, 400, 'INVALID_SELECTOR');
        expect([api.list, q, r.json().parameter]).toEqual([api.list, q, parameter]);
      }
      expect((await inject({ method: 'GET', url: `${api.list}?fields=id&exclude_default` })).statusCode).toBe(200);
    }
    expectProblem(await inject({ method: 'GET', url: '/nslcm/v1/subscriptions?fields=nope' }), 400, 'INVALID_SELECTOR');
    expectProblem(await inject({ method: 'GET', url: '/nslcm/v1/ns_lcm_op_occs?fields=wrong_field' }), 400, 'INVALID_SELECTOR');
    // Attributes the list leaves out by default are known too.
    for (const url of ['/nslcm/v1/ns_lcm_op_occs?fields=steps,operationParams', '/nslcm/v1/ns_instances?fields=vnfInstance,sapInfo', '/nslcm/v1/ns_instances?exclude_fields=nsState']) {
      expect([url, (await inject({ method: 'GET', url })).statusCode]).toEqual([url, 200]);
    }
  });

  it('serves one byte range of package and NSD content (206, Content-Range), 416 past the end', async () => {
    const bytes = await readFile(files.csar);
    const url = `/vnfpkgm/v1/vnf_packages/${csarPkgId}/package_content`;
    const whole = await inject({ method: 'GET', url });
    expect([whole.statusCode, whole.headers['accept-ranges']]).toEqual([200, 'bytes']);
    const part = await inject({ method: 'GET', url, headers: { range: 'bytes=10-99' } });
    expect([part.statusCode, part.headers['content-range'], part.headers['content-length']]).toEqual([206, `bytes 10-99/${bytes.length}`, '90']);
    expect(part.rawPayload).toEqual(bytes.subarray(10, 100));
    const tail = await inject({ method: 'GET', url, headers: { range: 'bytes=-16' } });
    expect([tail.statusCode, tail.rawPayload]).toEqual([206, bytes.subarray(bytes.length - 16)]);
    const open = await inject({ method: 'GET', url, headers: { range: `bytes=${bytes.length - 5}-` } });
    expect(open.rawPayload).toEqual(bytes.subarray(bytes.length - 5));
    const past = await inject({ method: 'GET', url, headers: { range: `bytes=${bytes.length}-` } });
    expectProblem(past, 416, 'RANGE_NOT_SATISFIABLE');
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
    // Several ranges: the whole file (RFC 9110 §14.2 lets a server ignore Range).
    expect((await inject({ method: 'GET', url, headers: { range: 'bytes=0-1,5-6' } })).statusCode).toBe(200);
    const tango = await readFile(files.tango);
    const nsd = await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${tangoNsdId}/nsd_content`, headers: { accept: 'application/zip', range: 'bytes=0-3' } });
    expect([nsd.statusCode, nsd.headers['content-range'], nsd.rawPayload]).toEqual([206, `bytes 0-3/${tango.length}`, tango.subarray(0, 4)]);
  });

  it('accepts AlarmListRebuiltNotification in NS FM subscription filters', async () => {
    const cb = new CallbackServer();
    await cb.start();
    try {
      const payload = (types: string[]) => ({ callbackUri: `${cb.url}/fm`, filter: { notificationTypes: types } });
      const bogus = await inject({ method: 'POST', url: '/nsfm/v1/subscriptions', payload: payload(['NoSuchNotification']) });
      expectProblem(bogus, 400, 'SUBSCRIPTION_FILTER_INVALID');
      const r = await inject({ method: 'POST', url: '/nsfm/v1/subscriptions', payload: payload(['AlarmNotification', 'AlarmListRebuiltNotification']) });
      expect(r.statusCode).not.toBe(400);
      if (r.statusCode === 201) {
        expect(r.json().filter.notificationTypes).toContain('AlarmListRebuiltNotification');
        const one = await inject({ method: 'GET', url: r.headers.location as string });
        expect([one.statusCode, one.headers.etag, one.headers.version]).toEqual([200, expect.stringMatching(/^"/), '1.2.0']);
      }
    } finally {
      await cb.stop();
    }
  });

  describe('RFC 6750 answers with authentication on', () => {
    let a: AuthTestApp;
    let token: string;
    beforeAll(async () => {
      a = await openAuthTestApp('postgres', 'sol013-http-auth', {}, { RONDO_ADMIN_USER: 'root', RONDO_ADMIN_PASSWORD: 'admin-password-123' });
      await a.auth.ensureBootstrapAdmin();
      token = await bearer(a.app, 'root', 'admin-password-123');
    });
    afterAll(async () => a?.close());

    it('401 invalid_token for a wrong token, 400 invalid_request for a malformed header, 401 without error for none', async () => {
      for (const api of APIS) {
        const ok = await a.app.inject({ method: 'GET', url: api.list, headers: { authorization: token } });
        expect([api.list, ok.statusCode]).toEqual([api.list, 200]);
        const wrong = await a.app.inject({ method: 'GET', url: api.list, headers: { authorization: 'Bearer    XXXXXWRONGXXXXX' } });
        expect([wrong.statusCode, wrong.json().code, wrong.headers['www-authenticate']]).toEqual([401, 'AUTH_INVALID', 'Bearer realm="rondo", error="invalid_token"']);
        for (const malformed of ['Bearer', 'Bearer two tokens', 'Bearer bad"chars']) {
          const r = await a.app.inject({ method: 'GET', url: api.list, headers: { authorization: malformed } });
          expect([malformed, r.statusCode, r.json().code, r.headers['www-authenticate']]).toEqual([malformed, 400, 'AUTH_MALFORMED', 'Bearer realm="rondo", error="invalid_request"']);
        }
        const none = await a.app.inject({ method: 'GET', url: api.list });
        expect([none.statusCode, none.headers['www-authenticate']]).toEqual([401, 'Bearer realm="rondo"']);
      }
      // API versions are public.
      expect((await a.app.inject({ method: 'GET', url: '/nslcm/v1/api_versions' })).statusCode).toBe(200);
    });
  });
});
