/**
 * VIM errors as API clients see them, on the real CI OpenStack through the real app: a
 * wrong account password and a missing image answer gateway statuses with the VIM's kind,
 * id and detail (`vimKind`, `vim`, `vimDetail`), never 401 (the client's own credentials
 * are fine) or 404 (the NS exists) — on the VIM check, on the SOL005 operation's `error`,
 * and on the 5GTANGO synchronous `POST /instantiations`. Fails loudly when OpenStack is
 * not up (run scripts/ensure-openstack.sh).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { compose } from '../../src/app/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { heat, neutron, nova } from '../../src/vim/openstack/index.js';
import type { KeystoneSession } from '../../src/vim/openstack/index.js';
import { openTestStore } from '../support/store.js';
import { adminCredentials, adminSession, runId } from './openstack-support.js';

const run = runId();

interface App {
  readonly app: RondoApp;
  readonly deps: AppDeps;
  /** NsdInfo id (`service_uuid`) of the on-boarded SOL004 example. */
  readonly nsdInfoId: string;
  close(): Promise<void>;
}

/** The real app (random ids: OpenStack resource names derive from them) with its worker, the SOL004 example on-boarded. */
async function openApp(key: string): Promise<App> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-os-api-'));
  const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir, logLevel: 'silent', stepDeadlineSeconds: 120, opDeadlineSeconds: 280 });
  const store = await openTestStore('pglite', key);
  const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250 });
  const deps: AppDeps = c.deps;
  const app = c.app as RondoApp;
  c.worker.start();
  const csar = join(dataDir, 'relay.csar');
  await buildPackage('examples/sol004-csar', csar);
  const up = await app.inject({ method: 'POST', url: '/packages', payload: await readFile(csar), headers: { 'content-type': 'application/octet-stream' } });
  expect(up.statusCode, up.body).toBe(201);
  return {
    app, deps, nsdInfoId: up.json().service_uuid,
    close: async () => {
      await c.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The VIM account body for the CI OpenStack, with `password` instead of the real one when given. */
function accountBody(name: string, password?: string) {
  const c = adminCredentials();
  return {
    name, type: 'openstack', endpoint: c.authUrl,
    credentials: { username: c.username, password: password ?? c.password, projectName: c.projectName, userDomainName: 'Default', projectDomainName: 'Default', region: c.region },
  };
}

async function createNs(t: App, name: string): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: t.nsdInfoId, nsName: name } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

/** SOL005 instantiate (202), then the operation once it rests. */
async function instantiate(t: App, nsId: string, additionalParamsForNs: Record<string, unknown>) {
  const r = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { additionalParamsForNs } });
  expect(r.statusCode, r.body).toBe(202);
  const opId = String(r.headers.location).split('/').pop() as string;
  await t.deps.services.lifecycle.waitForOp(opId, { timeoutMs: 240_000 });
  return (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json();
}

/** No stack, server or network of the NS is left on OpenStack. */
async function expectNoLeftovers(api: KeystoneSession, nsId: string): Promise<void> {
  expect(await heat.listStacks(api, [`rondo.ns=${nsId}`])).toEqual([]);
  expect(await nova.listServers(api, { tags: [`rondo.ns=${nsId}`] })).toEqual([]);
  const prefix = `rondo-${nsId.replace(/-/g, '').slice(0, 8)}`;
  expect((await neutron.neutronList<neutron.NeutronNetwork>(api, 'networks')).filter((n) => n.name.startsWith(prefix))).toEqual([]);
}

const NEVER = [401, 404];

describe('VIM errors at the API edge (real OpenStack)', () => {
  let api: KeystoneSession;
  beforeAll(async () => {
    api = await adminSession('openstack-api-errors-it');
  });

  it('a revoked token is still re-issued once: the driver decides on the VIM error kind and upstream 401, not the API status', async () => {
    const session = await adminSession('openstack-api-errors-revoke');
    const token = await session.authenticate();
    await api.call('identity', { method: 'DELETE', path: '/auth/tokens', headers: { 'x-subject-token': token.value }, what: 'revoke test token' });
    const flavors = await nova.listFlavors(session);
    expect(Array.isArray(flavors)).toBe(true);
    expect((await session.authenticate()).value).not.toBe(token.value);
  });

  describe('wrong password on the VIM account', () => {
    let t: App;
    const pop = `os-badpw-${run}`;
    beforeAll(async () => {
      t = await openApp(`os-api-badpw-${run}`);
    });
    afterAll(async () => t?.close());

    it('adding it with the check, and checking it later, answer 502 VIM_AUTH naming the VIM, not 401', async () => {
      const add = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: accountBody(pop, `wrong-${run}`) });
      expect(add.statusCode, add.body).toBe(502);
      expect(add.headers['content-type']).toContain('application/problem+json');
      expect(add.json()).toMatchObject({ status: 502, code: 'VIM_AUTH', vimKind: 'AUTH', vim: pop, title: 'VIM refused the account credentials' });
      expect(add.json().detail).toContain(add.json().vimDetail);

      const stored = await t.app.inject({ method: 'POST', url: '/admin/v1/vims?check=false', payload: accountBody(pop, `wrong-${run}`) });
      expect(stored.statusCode, stored.body).toBe(201);
      const check = await t.app.inject({ method: 'POST', url: `/admin/v1/vims/${pop}/check` });
      expect(NEVER).not.toContain(check.statusCode);
      expect(check.statusCode, check.body).toBe(502);
      expect(check.json()).toMatchObject({ code: 'VIM_AUTH', vimKind: 'AUTH', vim: pop });
    });

    it('SOL005 instantiate: the operation fails with error status 502 VIM_AUTH naming the step and the VIM', async () => {
      const nsId = await createNs(t, `badpw-${run}`);
      const op = await instantiate(t, nsId, { autoRollback: false });
      expect(op.operationState, JSON.stringify(op.error)).toBe('FAILED_TEMP');
      expect(op.error).toMatchObject({ status: 502, code: 'VIM_AUTH', vimKind: 'AUTH', vim: pop, step: { popId: pop } });
      expect(typeof op.error.vimDetail).toBe('string');
      expect(String(op.error.detail)).toContain(op.error.vimDetail);
      await expectNoLeftovers(api, nsId);
    });

    it('5GTANGO POST /instantiations answers 502 VIM_AUTH with the VIM detail at once, not 401', async () => {
      const r = await t.app.inject({ method: 'POST', url: '/instantiations', payload: { service_uuid: t.nsdInfoId } });
      expect(NEVER).not.toContain(r.statusCode);
      expect(r.statusCode, r.body).toBe(502);
      expect(r.json()).toMatchObject({ status: 502, code: 'VIM_AUTH', vimKind: 'AUTH', vim: pop, step: { popId: pop } });
      expect(r.json().detail).toMatch(/^instantiation \w+: /);
      expect(typeof r.json().vimDetail).toBe('string');
      expect(r.json().detail).toContain(r.json().vimDetail);
      expect(r.json().nsInstanceId).toEqual(expect.any(String));
      await expectNoLeftovers(api, r.json().nsInstanceId);
    });
  });

  describe('an image the VIM does not have', () => {
    let t: App;
    const pop = `os-noimg-${run}`;
    const nsIds: string[] = [];
    beforeAll(async () => {
      t = await openApp(`os-api-noimg-${run}`);
      const add = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: accountBody(pop) });
      expect(add.statusCode, add.body).toBe(201);
    });
    afterAll(async () => {
      await t?.close();
      for (const id of nsIds) await expectNoLeftovers(api, id);
    });

    it('SOL005 instantiate: rolled back, the error is 502 VIM_NOT_FOUND (a VIM resource), not 404', async () => {
      // Neither the SAP image (vnf/sap:latest) nor the VNFD's is in this Glance.
      const nsId = await createNs(t, `noimg-${run}`);
      nsIds.push(nsId);
      const op = await instantiate(t, nsId, {});
      expect(op.operationState, JSON.stringify(op.error)).toBe('ROLLED_BACK');
      expect(NEVER).not.toContain(op.error.status);
      expect(op.error).toMatchObject({ status: 502, code: 'VIM_NOT_FOUND', vimKind: 'NOT_FOUND', vim: pop });
      expect(String(op.error.detail)).toMatch(/image/i);
    });

    it('5GTANGO POST /instantiations answers 502 VIM_NOT_FOUND and removes the rolled-back instance', async () => {
      const r = await t.app.inject({ method: 'POST', url: '/instantiations', payload: { service_uuid: t.nsdInfoId } });
      expect(NEVER).not.toContain(r.statusCode);
      expect(r.statusCode, r.body).toBe(502);
      expect(r.json()).toMatchObject({ status: 502, code: 'VIM_NOT_FOUND', vimKind: 'NOT_FOUND', vim: pop });
      nsIds.push(r.json().nsInstanceId);
      expect((await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${r.json().nsInstanceId}` })).statusCode).toBe(404);
    });
  });
});
