import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsdRepository } from '../../src/store/nsd-repository.js';
import { createMemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import type { MemoryVimDriver } from '../../src/vim/memory/memory-vim-driver.js';
import { buildExamplePackages, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { CallbackServer } from '../support/callback-server.js';

/**
 * Real records, made through the API on a memory PoP, against JSON schemas transcribed
 * from ETSI GS NFV-SOL 005 V2.6.1 (test/fixtures/sol005-schemas/, each with the clause it
 * follows and where it departs from the NFV-TST010 schemas): NsdInfo, VnfPkgInfo,
 * NsInstance NOT_INSTANTIATED and INSTANTIATED (VnfInstance with vnfPkgId, MAC addresses),
 * NsLcmOpOcc of instantiate and terminate (operationParams echoing the request), an Alarm,
 * and the notifications a callback receives.
 */

const SCHEMA_DIR = join(process.cwd(), 'test/fixtures/sol005-schemas');
type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function loadAjv(): Promise<Ajv> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  for (const f of (await readdir(SCHEMA_DIR)).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(await readFile(join(SCHEMA_DIR, f), 'utf8')) as object);
  return ajv;
}

describe('SOL005 v2.6.1 schemas over real records', () => {
  let dir: string;
  let t: TestApp;
  let ajv: Ajv;
  let driver: MemoryVimDriver;
  const callback = new CallbackServer();
  const schema = (ref: string): ValidateFunction => {
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`no schema ${ref}`);
    return v;
  };
  /** Asserts `record` passes the schema, naming every violation. */
  const expectValid = (ref: string, record: unknown): void => {
    const v = schema(ref);
    const ok = v(record);
    expect(ok ? [] : v.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${ref}: ${JSON.stringify(record).slice(0, 400)}`).toEqual([]);
  };
  const get = async (url: string): Promise<Json> => {
    const r = await t.app.inject({ method: 'GET', url });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Json;
  };
  /** Waits for the operation's final state through the lifecycle's own change feed (no fixed sleep). */
  const settle = async (location: string): Promise<Json> => {
    const id = location.split('/').pop() as string;
    await t.deps.services.lifecycle.waitForOp(id, { timeoutMs: 20_000 });
    return get(`/nslcm/v1/ns_lcm_op_occs/${id}`);
  };

  let nsdInfo: Json;
  let nsId: string;
  const instantiateBody = { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop', autoRollback: false } };
  const terminateBody = { terminationTime: '2025-01-01T00:00:00Z' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-sol005-schemas-'));
    const files = await buildExamplePackages(dir);
    ajv = await loadAjv();
    await callback.start();
    driver = createMemoryVimDriver({ name: 'engine-a', popId: 'dc1' });
    t = await openTestApp('pglite', 'sol005-schemas', { opDeadlineSeconds: 60 }, { vimDrivers: { memory: () => driver } });
    const pop = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 16, memoryMiB: 16384 } } });
    expect(pop.statusCode, pop.body).toBe(201);
    t.deps.services.lifecycleWorker?.start();
    await t.deps.services.monitoring!.start();
    const pkg = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(files.tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.statusCode, pkg.body).toBe(201);
    for (const [url, body] of [
      ['/nslcm/v1/subscriptions', { callbackUri: `${callback.url}/nslcm` }],
      ['/nsfm/v1/subscriptions', { callbackUri: `${callback.url}/nsfm` }],
    ] as const) {
      const sub = await t.app.inject({ method: 'POST', url, payload: body });
      expect(sub.statusCode, sub.body).toBe(201);
    }
  });

  afterAll(async () => {
    await t?.deps.services.lifecycleWorker?.stop();
    await t?.deps.services.monitoring?.stop();
    await t?.close();
    await callback.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('NsdInfo and VnfPkgInfo of an on-boarded package', async () => {
    const nsds = (await get('/nsd/v1/ns_descriptors?all_fields')) as unknown as Json[];
    expect(nsds).toHaveLength(1);
    for (const n of nsds) expectValid('NsdInfo.schema.json', n);
    nsdInfo = nsds[0] as Json;
    const pkgs = (await get('/vnfpkgm/v1/vnf_packages?all_fields')) as unknown as Json[];
    expect(pkgs.length).toBeGreaterThan(0);
    for (const p of pkgs) expectValid('VnfPkgInfo.schema.json', p);
    // NsdInfo.vnfPkgIds names the VnfPkgInfo resources of its VNFDs.
    expect(new Set(pkgs.map((p) => p.id))).toEqual(new Set(nsdInfo.vnfPkgIds));
  });

  it('CreateNsRequest.nsdId takes the NSD identifier (NsdInfo.nsdId): 409 while no carrier is ENABLED, or several are', async () => {
    expect(nsdInfo.nsdId).not.toBe(nsdInfo.id);
    const patch = (state: string) =>
      t.app.inject({ method: 'PATCH', url: `/nsd/v1/ns_descriptors/${nsdInfo.id}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ nsdOperationalState: state }) });
    expect((await patch('DISABLED')).statusCode).toBe(200);
    const refused = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsdInfo.nsdId, nsName: 'disabled' } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe('STATE_CONFLICT');
    expect((await patch('ENABLED')).statusCode).toBe(200);

    const created = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsdInfo.nsdId, nsName: 'schema', nsDescription: 'SOL005 schema test' } });
    expect(created.statusCode, created.body).toBe(201);
    const ns = created.json() as Json;
    expect(ns).toMatchObject({ nsdId: nsdInfo.nsdId, nsdInfoId: nsdInfo.id, nsState: 'NOT_INSTANTIATED' });
    expectValid('NsInstance.schema.json', ns);
    expectValid('NsInstance.schema.json', await get(`/nslcm/v1/ns_instances/${ns.id}`));
    nsId = ns.id as string;

    // The same NSD on-boarded by another tenant: an admin (who sees both) must pick one.
    const mine = await t.deps.services.catalog.getNsd(nsdInfo.id as string);
    await nsdRepository(t.store.db).insertOnboarded(
      'other-tenants-nsd',
      { packageId: mine.packageId!, vendor: mine.vendor!, name: mine.name!, version: mine.version!, format: mine.format!, file: mine.file!, tenant: 'other', vnfdIds: mine.vnfdIds },
      mine.descriptor!,
    );
    const ambiguous = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsdInfo.nsdId, nsName: 'ambiguous' } });
    expect(ambiguous.statusCode, ambiguous.body).toBe(409);
    expect(ambiguous.json().code).toBe('NSD_ID_AMBIGUOUS');
    const disable = await t.app.inject({
      method: 'PATCH', url: '/nsd/v1/ns_descriptors/other-tenants-nsd', headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ nsdOperationalState: 'DISABLED' }),
    });
    expect(disable.statusCode, disable.body).toBe(200);
    const picked = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsdInfo.nsdId, nsName: 'picked' } });
    expect(picked.statusCode, picked.body).toBe(201);
    expect(picked.json().nsdInfoId).toBe(nsdInfo.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${picked.json().id}` })).statusCode).toBe(204);
  });

  it('NsLcmOpOcc of INSTANTIATE echoes the InstantiateNsRequest; the INSTANTIATED NsInstance carries vnfPkgId and the MACs the VIM reports', async () => {
    const inst = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: instantiateBody });
    expect(inst.statusCode, inst.body).toBe(202);
    const op = await settle(inst.headers.location as string);
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');
    expectValid('NsLcmOpOcc.schema.json', op);
    expect(op.operationParams).toEqual(instantiateBody);

    const ns = await get(`/nslcm/v1/ns_instances/${nsId}`);
    expectValid('NsInstance.schema.json', ns);
    expect(ns.nsState).toBe('INSTANTIATED');
    const pkgs = (await get('/vnfpkgm/v1/vnf_packages')) as unknown as Json[];
    const vnfs = ns.vnfInstance as Json[];
    expect(vnfs.length).toBe(3);
    for (const v of vnfs) {
      // vnfPkgId is the VnfPkgInfo whose VNFD the instance runs.
      const pkg = pkgs.find((p) => p.id === v.vnfPkgId);
      expect(pkg?.vnfdId, `vnfPkgId of ${v.vnfInstanceName}`).toBe(v.vnfdId);
      const computeId = v.instantiatedVnfInfo.vnfcResourceInfo[0].computeResource.resourceId as string;
      const realised = (await driver.status(computeId)).interfaces ?? [];
      const macs = (v.instantiatedVnfInfo.extCpInfo as Json[]).map((cp) => cp.cpProtocolInfo[0].ipOverEthernet.macAddress as string);
      expect(macs.every((m) => /^02(:[0-9a-f]{2}){5}$/.test(m)), macs.join(' ')).toBe(true);
      expect(new Set(macs)).toEqual(new Set(realised.map((i) => i.macAddress)));
    }
    for (const s of ns.sapInfo as Json[]) expect(s.sapProtocolInfo[0].ipOverEthernet.macAddress).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    // The schemas bite: what Rondo used to answer fails them.
    const withoutPkg = structuredClone(ns);
    delete withoutPkg.vnfInstance[0].vnfPkgId;
    expect(schema('NsInstance.schema.json')(withoutPkg)).toBe(false);
    expect(schema('NsLcmOpOcc.schema.json')({ ...op, operationParams: { placement: { client: 'dc1' }, autoRollback: true } })).toBe(false);
  });

  it('Alarm and AlarmNotification of a VNF whose compute dies', async () => {
    const ns = await get(`/nslcm/v1/ns_instances/${nsId}`);
    const victim = (ns.vnfInstance as Json[])[0] as Json;
    driver.kill(victim.instantiatedVnfInfo.vnfcResourceInfo[0].computeResource.resourceId as string, { exitCode: 137 });
    await callback.waitFor(() => callback.notifications.some((n) => n.notificationType === 'AlarmNotification'));
    const alarms = (await get('/nsfm/v1/alarms')) as unknown as Json[];
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expectValid('Alarm.schema.json#/definitions/Alarm', a);
    for (const n of callback.notifications.filter((x) => x.notificationType === 'AlarmNotification')) expectValid('Alarm.schema.json#/definitions/AlarmNotification', n);
  });

  it('NsLcmOpOcc of HEAL echoes the HealNsRequest, of UPDATE the UpdateNsRequest; the NsInstance passes while a VNF is STOPPED', async () => {
    const ns = await get(`/nslcm/v1/ns_instances/${nsId}`);
    const victim = (ns.vnfInstance as Json[])[0] as Json;
    // Its compute was killed by the previous case.
    const healBody = { healVnfData: [{ vnfInstanceId: victim.id as string, cause: 'compute died', additionalParams: { ticket: 'T-1' } }] };
    const heal = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/heal`, payload: healBody });
    expect(heal.statusCode, heal.body).toBe(202);
    const healed = await settle(heal.headers.location as string);
    expect(healed.operationState, JSON.stringify(healed.error)).toBe('COMPLETED');
    expectValid('NsLcmOpOcc.schema.json', healed);
    expect(healed).toMatchObject({ lcmOperationType: 'HEAL', operationParams: healBody });

    const updateBody = { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: victim.id as string, changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 2 }] };
    const update = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/update`, payload: updateBody });
    expect(update.statusCode, update.body).toBe(202);
    const updated = await settle(update.headers.location as string);
    expect(updated.operationState, JSON.stringify(updated.error)).toBe('COMPLETED');
    expectValid('NsLcmOpOcc.schema.json', updated);
    expect(updated).toMatchObject({ lcmOperationType: 'UPDATE', operationParams: updateBody });
    const stopped = await get(`/nslcm/v1/ns_instances/${nsId}`);
    expectValid('NsInstance.schema.json', stopped);
    expect((stopped.vnfInstance as Json[]).find((v) => v.id === victim.id)?.instantiatedVnfInfo.vnfState).toBe('STOPPED');
  });

  it('NsLcmOpOcc of TERMINATE echoes the TerminateNsRequest, and every NS LCM notification delivered passes', async () => {
    const term = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, payload: terminateBody });
    expect(term.statusCode, term.body).toBe(202);
    const op = await settle(term.headers.location as string);
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');
    expectValid('NsLcmOpOcc.schema.json', op);
    expect(op.operationParams).toEqual(terminateBody);
    expectValid('NsInstance.schema.json', await get(`/nslcm/v1/ns_instances/${nsId}`));
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${nsId}` })).statusCode).toBe(204);

    const lcm = (status: string, operation: string) => (n: Json) =>
      n.notificationType === 'NsLcmOperationOccurrenceNotification' && n.notificationStatus === status && n.operation === operation;
    await callback.waitFor(() =>
      ['INSTANTIATE', 'HEAL', 'UPDATE', 'TERMINATE'].flatMap((o) => [lcm('START', o), lcm('RESULT', o)]).every((f) => callback.notifications.some(f)) &&
      callback.notifications.some((n) => n.notificationType === 'NsIdentifierDeletionNotification'),
    );
    const types = new Set<string>();
    for (const n of callback.notifications) {
      const type = String(n.notificationType);
      if (!type.startsWith('Ns')) continue;
      types.add(type);
      expectValid(`NsLcmNotifications.schema.json#/definitions/${type}`, n);
    }
    expect([...types].sort()).toEqual(['NsIdentifierCreationNotification', 'NsIdentifierDeletionNotification', 'NsLcmOperationOccurrenceNotification']);
  });
});
