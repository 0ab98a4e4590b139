import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORE_KINDS } from '../support/store.js';
import { buildExamplePackages, catalogCounts, filesIn, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import type { InjectOptions } from 'fastify';

let dir: string;
let files: { tango: string; csar: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rondo-sol005-'));
  files = await buildExamplePackages(dir);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const VNF_PKG_KEYS = ['id', 'vnfdId', 'vnfProvider', 'vnfProductName', 'vnfSoftwareVersion', 'vnfdVersion', 'checksum', 'softwareImages', 'additionalArtifacts', 'onboardingState', 'operationalState', 'usageState', 'userDefinedData', '_links'];
const NSD_KEYS = ['id', 'nsdId', 'nsdName', 'nsdVersion', 'nsdDesigner', 'nsdInvariantId', 'vnfPkgIds', 'pnfdInfoIds', 'nestedNsdInfoIds', 'nsdOnboardingState', 'nsdOperationalState', 'nsdUsageState', 'userDefinedData', '_links'];
const mergePatch = { 'content-type': 'application/merge-patch+json' };

describe.each(STORE_KINDS)('SOL005 API on %s', (kind) => {
  let t: TestApp;
  let vnfPkgId: string;
  let tangoNsdId: string;
  beforeAll(async () => {
    t = await openTestApp(kind, `api-sol005-${kind}`, { pageSize: 2 });
  });
  afterAll(async () => t?.close());
  const inject = (opts: InjectOptions) => t.app.inject(opts);

  it('health, readiness, request ids, OpenAPI and the docs page', async () => {
    const h = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect([h.statusCode, h.json(), h.headers['x-request-id']]).toEqual([200, { status: 'ok' }, 'abc-123']);
    const r = await t.app.inject({ method: 'GET', url: '/readyz', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/packages', '/api/v2/packages', '/vnfpkgm/v1/vnf_packages', '/vnfpkgm/v1/vnf_packages/{id}/package_content', '/nsd/v1/ns_descriptors/{id}/nsd_content', '/admin/v1/packages/{id}']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const html = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('/api/docs/openapi.json');
    expect(html.body).not.toMatch(/https?:\/\/(?!localhost)/);
  });

  it('VNF package: create → UPLOADING (observable mid-upload) → ONBOARDED, SOL005 shape', async () => {
    const c = await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: { userDefinedData: { owner: 'lab' } } });
    expect(c.statusCode).toBe(201);
    vnfPkgId = c.json().id;
    expect(c.headers.location).toBe(`http://localhost:80/vnfpkgm/v1/vnf_packages/${vnfPkgId}`);
    expect(c.json()).toMatchObject({ onboardingState: 'CREATED', operationalState: 'DISABLED', usageState: 'NOT_IN_USE', userDefinedData: { owner: 'lab' } });

    const bytes = await readFile(files.csar);
    const body = new PassThrough();
    // An HTTP/1.1 body needs Content-Length or chunked encoding (RFC 9112 §6.3); inject sends a stream with neither.
    const put = inject({ method: 'PUT', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}/package_content`, payload: body, headers: { 'content-type': 'application/zip', 'content-length': String(bytes.length) } });
    body.write(bytes.subarray(0, 100));
    // Polled until the half-sent upload shows (bounded only against a hang, not a target).
    await vi.waitFor(async () => expect((await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}` })).json().onboardingState).toBe('UPLOADING'), { timeout: 30_000, interval: 20 });
    body.end(bytes.subarray(100));
    const done = await put;
    expect([done.statusCode, done.body]).toEqual([202, '']);

    const info = (await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}` })).json();
    expect(Object.keys(info).sort()).toEqual([...VNF_PKG_KEYS].sort());
    expect(info).toMatchObject({ vnfProvider: 'eu.rondo', vnfProductName: 'relay', onboardingState: 'ONBOARDED', operationalState: 'ENABLED', checksum: { algorithm: 'SHA-256' } });
    expect(info._links.vnfd.href).toMatch(/\/vnfd$/);
    expect(info.additionalArtifacts.map((a: { artifactPath: string }) => a.artifactPath)).toContain('ChangeLog.txt');

    const again = await inject({ method: 'PUT', url: `/vnfpkgm/v1/vnf_packages/${vnfPkgId}/package_content`, payload: bytes, headers: { 'content-type': 'application/zip' } });
    expect([again.statusCode, again.json().code]).toEqual([409, 'STATE_CONFLICT']);
  });

  it('VNFD, package content and artifacts downloads', async () => {
    const base = `/vnfpkgm/v1/vnf_packages/${vnfPkgId}`;
    // The CSAR's VNFD imports relay_types.yaml from the package: several files, so no text/plain (SOL005 §9.4.4a.3.2).
    const text = await inject({ method: 'GET', url: `${base}/vnfd`, headers: { accept: 'text/plain' } });
    expect([text.statusCode, text.json().code]).toEqual([406, 'NOT_ACCEPTABLE']);
    const zip = await inject({ method: 'GET', url: `${base}/vnfd`, headers: { accept: 'application/zip' } });
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await inject({ method: 'GET', url: `${base}/vnfd`, headers: { accept: 'image/png' } })).statusCode).toBe(406);
    const content = await inject({ method: 'GET', url: `${base}/package_content` });
    expect(content.rawPayload).toEqual(await readFile(files.csar));
    const art = await inject({ method: 'GET', url: `${base}/artifacts/ChangeLog.txt` });
    expect([art.statusCode, art.body.length > 0]).toEqual([200, true]);
    const missing = await inject({ method: 'GET', url: `${base}/artifacts/../../etc/passwd` });
    expect(missing.statusCode).toBe(404);
    const created = (await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: {} })).json();
    expect((await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${created.id}/package_content` })).json().code).toBe('STATE_CONFLICT');
    expect((await inject({ method: 'DELETE', url: `/vnfpkgm/v1/vnf_packages/${created.id}` })).statusCode).toBe(204);
  });

  it('NSD: create, upload a 5GTANGO package as nsd_content → one NsdInfo and three VnfPkgInfos', async () => {
    const c = await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} });
    expect([c.statusCode, c.json().nsdOnboardingState, c.json().nsdOperationalState]).toEqual([201, 'CREATED', 'DISABLED']);
    tangoNsdId = c.json().id;
    const put = await inject({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${tangoNsdId}/nsd_content`, payload: await readFile(files.tango), headers: { 'content-type': 'application/zip' } });
    expect(put.statusCode).toBe(202);
    const info = (await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${tangoNsdId}` })).json();
    expect(Object.keys(info).sort()).toEqual([...NSD_KEYS].sort());
    expect(info).toMatchObject({ nsdName: 'ns-chain', nsdVersion: '0.1', nsdOnboardingState: 'ONBOARDED', nsdOperationalState: 'ENABLED', nsdUsageState: 'NOT_IN_USE' });
    expect(info.vnfPkgIds).toHaveLength(3);
    for (const id of info.vnfPkgIds) expect((await inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${id}` })).json().onboardingState).toBe('ONBOARDED');
    const zip = await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${tangoNsdId}/nsd_content` });
    expect(zip.rawPayload).toEqual(await readFile(files.tango));
    const yaml = await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${tangoNsdId}/nsd_content`, headers: { accept: 'text/plain' } });
    expect(yaml.body).toContain('ns-chain');
  });

  it('an invalid upload leaves the resource in ERROR with onboardingFailureDetails naming the file', async () => {
    const c = (await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: {} })).json();
    const put = await inject({ method: 'PUT', url: `/nsd/v1/ns_descriptors/${c.id}/nsd_content`, payload: 'nsd: [unclosed', headers: { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="broken.yaml"' } });
    expect(put.statusCode).toBe(422);
    const info = (await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${c.id}` })).json();
    expect(info.nsdOnboardingState).toBe('ERROR');
    expect(info.onboardingFailureDetails).toMatchObject({ status: 422, code: 'PACKAGE_INVALID' });
    expect(info.onboardingFailureDetails.issues[0].file).toBe('broken.yaml');
    expect((await inject({ method: 'DELETE', url: `/nsd/v1/ns_descriptors/${c.id}` })).statusCode).toBe(204);
  });

  it('lists: SOL013 filters, paging with Link rel="next", attribute selectors', async () => {
    const all = async (url: string) => {
      const out: Record<string, unknown>[] = [];
      let next: string | undefined = url;
      for (let i = 0; next && i < 20; i++) {
        const r = await inject({ method: 'GET', url: next });
        expect(r.statusCode).toBe(200);
        out.push(...r.json());
        const link = r.headers.link as string | undefined;
        next = link ? new URL(/<([^>]+)>; rel="next"/.exec(link)?.[1] as string).pathname + new URL(/<([^>]+)>/.exec(link)?.[1] as string).search : undefined;
      }
      return out;
    };
    const onboarded = await all('/vnfpkgm/v1/vnf_packages?filter=(eq,onboardingState,ONBOARDED)');
    expect(onboarded).toHaveLength(4);
    expect(new Set(onboarded.map((x) => x.id)).size).toBe(4);
    const first = await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?filter=(eq,onboardingState,ONBOARDED)' });
    expect(first.json()).toHaveLength(2);
    expect(first.headers.link).toMatch(/nextpage_opaque_marker=.*filter=|filter=.*nextpage_opaque_marker=/);
    expect((await all('/vnfpkgm/v1/vnf_packages?filter=(eq,vnfProvider,eu.rondo)')).length).toBe(1);
    expect((await all('/vnfpkgm/v1/vnf_packages?filter=(in,vnfProductName,vnf-client,vnf-server)')).map((x) => x.vnfProductName).sort()).toEqual(['vnf-client', 'vnf-server']);
    expect((await all('/vnfpkgm/v1/vnf_packages?filter=(cont,vnfProductName,fire)')).length).toBe(1);
    expect((await all('/vnfpkgm/v1/vnf_packages?filter=(neq,vnfProvider,eu.rondo);(eq,onboardingState,ONBOARDED)')).length).toBe(3);
    expect((await all('/vnfpkgm/v1/vnf_packages?filter=(eq,softwareImages/containerFormat,DOCKER)')).length).toBe(4);
    const bad = await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?filter=(like,vnfProvider,x)' });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_FILTER']);
    const unknownAttr = await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?filter=(eq,colour,red)' });
    expect(unknownAttr.statusCode).toBe(400);
    expect((await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?nextpage_opaque_marker=bm9wZQ' })).json().code).toBe('INVALID_MARKER');

    const dflt = (await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?filter=(eq,onboardingState,ONBOARDED)' })).json()[0];
    expect(dflt).not.toHaveProperty('softwareImages');
    expect(dflt).not.toHaveProperty('checksum');
    const full = (await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?all_fields&filter=(eq,onboardingState,ONBOARDED)' })).json()[0];
    expect(full).toHaveProperty('softwareImages');
    const some = (await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?fields=checksum&filter=(eq,onboardingState,ONBOARDED)' })).json()[0];
    expect([some.checksum !== undefined, some.softwareImages === undefined]).toEqual([true, true]);
    const excl = (await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages?exclude_fields=usageState,vnfdId' })).json()[0];
    expect([excl.usageState, excl.vnfdId, excl.softwareImages === undefined]).toEqual([undefined, undefined, false]);
    const nsds = (await inject({ method: 'GET', url: '/nsd/v1/ns_descriptors?filter=(eq,nsdOnboardingState,ONBOARDED)' })).json();
    expect(nsds.map((n: { nsdName: string }) => n.nsdName).sort()).toEqual(['ns-chain', 'relay-ns']);
  });

  it('PATCH (merge-patch), usage and delete rules, ProblemDetails everywhere', async () => {
    const base = `/vnfpkgm/v1/vnf_packages/${vnfPkgId}`;
    const invalid = await inject({ method: 'PATCH', url: base, payload: { operationalState: 'SLEEPING' }, headers: mergePatch });
    expect([invalid.statusCode, invalid.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect(Object.keys(invalid.json()).slice(0, 6)).toEqual(['type', 'title', 'status', 'detail', 'instance', 'code']);
    expect(invalid.json().detail).toContain('body/operationalState');
    const del1 = await inject({ method: 'DELETE', url: base });
    expect([del1.statusCode, del1.json().code]).toEqual([409, 'STATE_CONFLICT']);
    const p = await inject({ method: 'PATCH', url: base, payload: { operationalState: 'DISABLED', userDefinedData: { owner: null, stage: 'test' } }, headers: mergePatch });
    expect([p.statusCode, p.json()]).toEqual([200, { operationalState: 'DISABLED', userDefinedData: { owner: null, stage: 'test' } }]);
    expect((await inject({ method: 'GET', url: base })).json()).toMatchObject({ operationalState: 'DISABLED', userDefinedData: { stage: 'test' } });
    expect((await inject({ method: 'PATCH', url: base, payload: { operationalState: 'DISABLED' }, headers: mergePatch })).statusCode).toBe(409);
    // The relay CSAR's own NSD still uses this VNF package.
    const del2 = await inject({ method: 'DELETE', url: base });
    expect([del2.statusCode, del2.json().code]).toEqual([409, 'VNFD_REFERENCED']);

    // NSD in use: 409 on delete even when disabled; after release, delete works.
    const { useNsd, releaseNsd } = await import('../../src/catalog/index.js');
    const { catalogRepositories } = await import('../../src/store/index.js');
    await useNsd(catalogRepositories(t.store.db), tangoNsdId);
    expect((await inject({ method: 'GET', url: `/nsd/v1/ns_descriptors/${tangoNsdId}` })).json().nsdUsageState).toBe('IN_USE');
    await inject({ method: 'PATCH', url: `/nsd/v1/ns_descriptors/${tangoNsdId}`, payload: { nsdOperationalState: 'DISABLED' }, headers: mergePatch });
    expect((await inject({ method: 'DELETE', url: `/nsd/v1/ns_descriptors/${tangoNsdId}` })).statusCode).toBe(409);
    await releaseNsd(catalogRepositories(t.store.db), tangoNsdId);
    expect((await inject({ method: 'DELETE', url: `/nsd/v1/ns_descriptors/${tangoNsdId}` })).statusCode).toBe(204);

    // Admin delete removes the whole relay package: rows and file.
    const pkgs = (await inject({ method: 'GET', url: '/admin/v1/packages' })).json();
    const relay = pkgs.find((x: { name: string }) => x.name !== 'tango-chain');
    expect((await inject({ method: 'DELETE', url: `/admin/v1/packages/${relay.id}` })).statusCode).toBe(204);
    expect((await inject({ method: 'GET', url: `/admin/v1/packages/${relay.id}` })).statusCode).toBe(404);
    expect(await filesIn(t.config.dataDir, 'packages')).toHaveLength(1);
    expect(await catalogCounts(t.store)).toEqual({ packages: 1, nsds: 0, vnfds: 3 });
  });

  it('wrong content types, malformed JSON and unknown routes are ProblemDetails too', async () => {
    const ct = await inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: 'a,b', headers: { 'content-type': 'text/csv' } });
    expect([ct.statusCode, ct.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const json = await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: '{"userDefinedData":', headers: { 'content-type': 'application/json' } });
    expect([json.statusCode, json.json().status]).toEqual([400, 400]);
    const extra = await inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', payload: { colour: 'red' } });
    expect([extra.statusCode, extra.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const nf = await inject({ method: 'GET', url: '/vnfpkgm/v1/vnf_packages/does-not-exist' });
    expect([nf.statusCode, nf.json().code, nf.json().instance]).toEqual([404, 'NOT_FOUND', '/vnfpkgm/v1/vnf_packages/does-not-exist']);
    const route = await inject({ method: 'GET', url: '/nslcm/v9/nothing' });
    expect([route.statusCode, route.json().code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect(route.headers['x-request-id']).toBeTruthy();
    expect((await inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
