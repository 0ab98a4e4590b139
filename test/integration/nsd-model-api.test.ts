/**
 * `GET /admin/v1/ns_descriptors/{nsdInfoId}/model`: the descriptor model the catalog keeps,
 * for a 5GTANGO NSD and a SOL001 one alike, scoped to the caller's tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExamplePackages } from '../support/app.js';
import { bearer, openAuthTestApp } from './auth-support.js';
import type { AuthTestApp } from './auth-support.js';

const PASSWORD = 'correct-horse-battery-staple';

interface ModelAnswer {
  nsdInfoId: string;
  nsd: {
    descriptorId: string;
    format: string;
    vnfs: { vnfId: string }[];
    saps: { id: string; type: string }[];
    virtualLinks: { id: string; type: string; management: boolean; cpRefs: ({ kind: 'vnf'; vnfId: string; cp: string } | { kind: 'sap'; sap: string })[] }[];
    forwardingGraphs: { id: string; paths: { id: string; hops: unknown[] }[] }[];
    source?: unknown;
  };
  vnfds: { vnfPkgId: string; vnfd: { descriptorId: string; vdus: { id: string; memoryMiB: number }[]; source?: unknown } }[];
}

describe('NSD model API (pglite)', () => {
  let t: AuthTestApp;
  let dir: string;
  const auth: Record<string, string> = {};
  let tango: { nsdInfoId: string; vnfPkgIds: string[] };
  let csarNsdInfoId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-nsd-model-'));
    const files = await buildExamplePackages(dir);
    t = await openAuthTestApp('pglite', 'nsd-model-api');
    const boot = await t.auth.ensureBootstrapAdmin();
    if (!boot.created || boot.source !== 'generated') throw new Error('no bootstrap admin');
    auth.admin = await bearer(t.app, 'admin', boot.password);
    for (const [name, tenant, role] of [['alice', 't1', 'viewer'], ['bob', 't2', 'operator'], ['carol', 't1', 'operator']] as const) {
      const r = await t.app.inject({ method: 'POST', url: '/admin/v1/users', headers: { authorization: auth.admin }, payload: { username: name, password: PASSWORD, tenant, roles: [role] } });
      expect(r.statusCode, r.body).toBe(201);
      auth[name] = await bearer(t.app, name, PASSWORD);
    }
    const upload = async (file: string) => {
      const r = await t.app.inject({ method: 'POST', url: '/admin/v1/packages', headers: { authorization: auth.carol, 'content-type': 'application/octet-stream' }, payload: await readFile(file) });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<{ nsds: { id: string }[]; vnfds: { id: string }[] }>();
    };
    const p = await upload(files.tango);
    tango = { nsdInfoId: p.nsds[0]!.id, vnfPkgIds: p.vnfds.map((v) => v.id) };
    csarNsdInfoId = (await upload(files.csar)).nsds[0]?.id ?? '';
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = (id: string, who: string) => t.app.inject({ method: 'GET', url: `/admin/v1/ns_descriptors/${encodeURIComponent(id)}/model`, headers: { authorization: auth[who]! } });

  it('answers the 5GTANGO NSD as the model: members, SAPs, typed links, the forwarding path; its VNFDs; no source document', async () => {
    const r = await get(tango.nsdInfoId, 'alice');
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json<ModelAnswer>();
    expect(m.nsdInfoId).toBe(tango.nsdInfoId);
    expect(m.nsd.format).toBe('tango');
    expect(m.nsd.vnfs.map((v) => v.vnfId)).toEqual(['client', 'firewall', 'server']);
    expect(m.nsd.saps).toEqual([{ id: 'mgmt', type: 'management' }, { id: 'input', type: 'external' }, { id: 'output', type: 'external' }]);
    expect(m.nsd.virtualLinks.map((l) => [l.id, l.type, l.management])).toEqual([
      ['mgmt', 'E-LAN', true],
      ['input-2-client', 'E-Line', false],
      ['client-2-firewall', 'E-Line', false],
      ['firewall-2-server', 'E-Line', false],
      ['server-lan', 'E-LAN', false],
    ]);
    expect(m.nsd.virtualLinks[1]?.cpRefs).toEqual([{ kind: 'sap', sap: 'input' }, { kind: 'vnf', vnfId: 'client', cp: 'input' }]);
    expect(m.nsd.forwardingGraphs[0]?.paths[0]?.hops).toHaveLength(8);
    expect(m.nsd.source).toBeUndefined();
    expect(m.vnfds.map((v) => v.vnfPkgId).sort()).toEqual([...tango.vnfPkgIds].sort());
    expect(m.vnfds.every((v) => v.vnfd.vdus.length > 0 && v.vnfd.source === undefined)).toBe(true);
  });

  it('answers a SOL001 NSD in the same model', async () => {
    expect(csarNsdInfoId).not.toBe('');
    const r = await get(csarNsdInfoId, 'admin');
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json<ModelAnswer>();
    expect(m.nsd.format).toBe('etsi');
    expect(m.nsd.vnfs.length).toBeGreaterThan(0);
    expect(m.nsd.virtualLinks.length).toBeGreaterThan(0);
  });

  it("404s for another tenant's NSD exactly as for a missing one; 409 STATE_CONFLICT before on-boarding", async () => {
    const other = await get(tango.nsdInfoId, 'bob');
    const missing = await get('no-such-nsd', 'bob');
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.json<{ code: string }>().code).toBe(missing.json<{ code: string }>().code);
    expect((await get(tango.nsdInfoId, 'admin')).statusCode).toBe(200);

    const created = await t.app.inject({ method: 'POST', url: '/nsd/v1/ns_descriptors', headers: { authorization: auth.bob }, payload: {} });
    expect(created.statusCode, created.body).toBe(201);
    const early = await get(created.json<{ id: string }>().id, 'bob');
    expect(early.statusCode).toBe(409);
    expect(early.json<{ code: string }>().code).toBe('STATE_CONFLICT');
    expect((await t.app.inject({ method: 'GET', url: `/admin/v1/ns_descriptors/${tango.nsdInfoId}/model` })).statusCode).toBe(401);
  });

  it('is in the OpenAPI document with its response schema', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/openapi.json', headers: { authorization: auth.admin } })).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
    expect(doc.paths['/admin/v1/ns_descriptors/{nsdInfoId}/model']?.get?.responses['200']).toBeDefined();
  });
});
