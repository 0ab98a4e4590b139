import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../support/store.js';
import { buildExamplePackages, catalogCounts, filesIn, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { generateHostileCorpus } from '../support/hostile-corpus.js';

/** A multipart/form-data body with one file part. */
function multipart(field: string, fileName: string, data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----rondo-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

let dir: string;
let files: { tango: string; csar: string };
let corpus: Awaited<ReturnType<typeof generateHostileCorpus>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rondo-gk-'));
  files = await buildExamplePackages(dir);
  corpus = await generateHostileCorpus(dir);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe.each(STORE_KINDS)('5GTANGO /packages on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, `api-gatekeeper-${kind}`);
  });
  afterAll(async () => t?.close());

  it('POST /packages with a raw body answers 201 with the gatekeeper fields, byte-for-byte', async () => {
    const bytes = await readFile(files.tango);
    const r = await t.app.inject({ method: 'POST', url: '/packages', payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(r.statusCode).toBe(201);
    expect(r.body.startsWith('{"service_uuid":"')).toBe(true);
    const body = r.json();
    expect(Object.keys(body)).toEqual(['service_uuid', 'size', 'sha1', 'error']);
    expect(body).toMatchObject({ size: bytes.length, sha1: sha1(bytes), error: null });
    // service_uuid is the NSD's catalog id; the package file is stored under the package id.
    const nsd = await t.store.db.selectFrom('nsds').selectAll().where('id', '=', body.service_uuid).executeTakeFirstOrThrow();
    expect(nsd).toMatchObject({ name: 'ns-chain', onboarding_state: 'ONBOARDED' });
    expect(await filesIn(t.config.dataDir, 'packages')).toEqual([`${nsd.package_id}.pkg`]);
    expect(await readFile(join(t.config.dataDir, 'packages', `${nsd.package_id}.pkg`))).toEqual(bytes);
    expect(await filesIn(t.config.dataDir, 'tmp')).toEqual([]);
    expect(await catalogCounts(t.store)).toEqual({ packages: 1, nsds: 1, vnfds: 3 });

    for (const url of ['/packages', '/api/v2/packages']) {
      const list = await t.app.inject({ method: 'GET', url });
      expect(list.json()).toEqual({ service_uuid_list: [body.service_uuid] });
    }
  });

  it('POST /api/v2/packages takes multipart field "package"; a duplicate is 409 with the gatekeeper error fields', async () => {
    const bytes = await readFile(files.csar);
    const r = await t.app.inject({ method: 'POST', url: '/api/v2/packages', ...multipart('package', 'relay.csar', bytes) });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ size: bytes.length, sha1: sha1(bytes), error: null });
    const again = await t.app.inject({ method: 'POST', url: '/packages', ...multipart('package', 'relay.csar', bytes) });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ service_uuid: null, size: bytes.length, sha1: sha1(bytes), status: 409, code: 'PACKAGE_EXISTS' });
    expect(typeof again.json().error).toBe('string');
    expect(await catalogCounts(t.store)).toEqual({ packages: 2, nsds: 2, vnfds: 4 });
    expect(await filesIn(t.config.dataDir, 'packages')).toHaveLength(2);
  });

  it('rejects an empty body (400), a multipart without "package" (415), garbage (422) — and keeps serving', async () => {
    const empty = await t.app.inject({ method: 'POST', url: '/packages' });
    expect([empty.statusCode, empty.json().code]).toEqual([400, 'EMPTY_BODY']);
    expect(empty.json()).toMatchObject({ service_uuid: null, size: 0, sha1: null });
    const wrongField = await t.app.inject({ method: 'POST', url: '/packages', ...multipart('file', 'x.tgo', Buffer.from('abc')) });
    expect([wrongField.statusCode, wrongField.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const garbage = await t.app.inject({ method: 'POST', url: '/packages', payload: 'not a zip', headers: { 'content-type': 'application/json' } });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json()).toMatchObject({ service_uuid: null, size: 9, sha1: sha1(Buffer.from('not a zip')), code: 'PACKAGE_INVALID' });
    expect(garbage.json().issues[0]).toMatchObject({ file: 'package' });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('the hostile corpus: 100 % clear 4xx on /packages and on SOL005 package_content, nothing stored, still healthy', async () => {
    const before = await catalogCounts(t.store);
    expect(corpus.length).toBeGreaterThanOrEqual(10);
    for (const item of corpus) {
      const bytes = await readFile(item.file);
      const r = await t.app.inject({ method: 'POST', url: '/packages', ...multipart('package', item.name, bytes) });
      expect(r.statusCode, item.name).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, item.name).toBeLessThan(500);
      const body = r.json();
      expect(body.service_uuid, item.name).toBeNull();
      expect(typeof body.error, item.name).toBe('string');
      expect(body.code, item.name).toBeTypeOf('string');
      if (r.statusCode === 422) expect(body.issues.length, item.name).toBeGreaterThan(0);

      const created = (await t.app.inject({ method: 'POST', url: '/vnfpkgm/v1/vnf_packages', payload: {} })).json();
      const put = await t.app.inject({ method: 'PUT', url: `/vnfpkgm/v1/vnf_packages/${created.id}/package_content`, payload: bytes, headers: { 'content-type': 'application/zip' } });
      expect(put.statusCode, item.name).toBeGreaterThanOrEqual(400);
      expect(put.statusCode, item.name).toBeLessThan(500);
      const info = (await t.app.inject({ method: 'GET', url: `/vnfpkgm/v1/vnf_packages/${created.id}` })).json();
      if (put.json().code === 'EMPTY_BODY') {
        // No body is no upload (SOL013: a bodiless request is routed whatever its
        // Content-Type): refused before anything is read, the package is still CREATED.
        expect(info.onboardingState, item.name).toBe('CREATED');
      } else {
        expect(info.onboardingState, item.name).toBe('ERROR');
        expect(info.onboardingFailureDetails, item.name).toMatchObject({ status: put.statusCode });
      }
      expect((await t.app.inject({ method: 'DELETE', url: `/vnfpkgm/v1/vnf_packages/${created.id}` })).statusCode).toBe(204);
    }
    expect(await catalogCounts(t.store)).toEqual(before);
    expect(await filesIn(t.config.dataDir, 'packages')).toHaveLength(before.packages);
    expect(await filesIn(t.config.dataDir, 'tmp')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

describe('upload size limit (PGlite, 64 KiB limit)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp('pglite', 'api-gatekeeper-limit', { maxUploadBytes: 64 * 1024 });
  });
  afterAll(async () => t?.close());

  it('413 before reading when Content-Length is over the limit', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/packages', payload: Buffer.alloc(200 * 1024), headers: { 'content-type': 'application/octet-stream' } });
    expect([r.statusCode, r.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('413 while streaming a body without Content-Length, having read only about the limit', async () => {
    let produced = 0;
    const chunk = Buffer.alloc(16 * 1024, 1);
    const source = new Readable({
      read() {
        if (produced >= 64 * 1024 * 1024) return this.push(null);
        produced += chunk.length;
        this.push(chunk);
      },
    });
    // Without a length a client streams chunked (RFC 9112 §6.3: neither header means no body).
    const r = await t.app.inject({ method: 'POST', url: '/packages', payload: source, headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } });
    expect([r.statusCode, r.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(produced).toBeLessThan(8 * 1024 * 1024);
    const mp = await t.app.inject({ method: 'POST', url: '/packages', ...multipart('package', 'big.tgo', Buffer.alloc(300 * 1024)) });
    expect(mp.statusCode).toBe(413);
    expect(await filesIn(t.config.dataDir, 'tmp')).toEqual([]);
    expect(await filesIn(t.config.dataDir, 'packages')).toEqual([]);
    expect(await catalogCounts(t.store)).toEqual({ packages: 0, nsds: 0, vnfds: 0 });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
