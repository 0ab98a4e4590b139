import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import type { Store } from '../../src/store/index.js';
import { createRuntimeRepositories, SqlVimAccountRepository } from '../../src/store/index.js';
import type { LifecycleRepositories } from '../../src/lifecycle/index.js';
import type { LcmOpOcc, NsInstance } from '../../src/model/index.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const ns = (id: string): NsInstance => ({ id, name: id, description: '', nsdId: 'nsd', nsdInfoId: 'nsd-info', state: 'NOT_INSTANTIATED', tenant: 'default', createdAt: T0.toISOString(), updatedAt: T0.toISOString() });
const op = (id: string, nsId: string, at = T0): LcmOpOcc => ({
  id, nsInstanceId: nsId, lcmOperationType: 'INSTANTIATE', operationState: 'PROCESSING', statusEnteredTime: at.toISOString(), startTime: at.toISOString(),
  isAutomaticInvocation: false, operationParams: { placement: {} }, isCancelPending: false, cancelMode: null, error: null, tenant: 'default',
});

describe.each(STORE_KINDS)('runtime store on %s', (kind) => {
  let store: Store;
  let repos: LifecycleRepositories;
  beforeAll(async () => {
    store = await openTestStore(kind, `runtime-store.test.ts-${kind}`);
    repos = createRuntimeRepositories(store.db);
  });
  afterAll(async () => store?.close());

  it('keeps NS instances with guarded state changes', async () => {
    await repos.nsInstances.insert(ns('ns-a'));
    const moved = await repos.nsInstances.setState('ns-a', 'NOT_INSTANTIATED', 'INSTANTIATED', T0);
    expect(moved.state).toBe('INSTANTIATED');
    await expect(repos.nsInstances.setState('ns-a', 'NOT_INSTANTIATED', 'INSTANTIATED', T0)).rejects.toMatchObject({ code: 'NS_STATE_CHANGED', status: 409 });
    await expect(repos.nsInstances.delete('ns-a', 'NOT_INSTANTIATED')).rejects.toMatchObject({ status: 409 });
    await expect(repos.nsInstances.setState('nope', 'NOT_INSTANTIATED', 'INSTANTIATED', T0)).rejects.toMatchObject({ status: 404 });
    // What an INSTANTIATE deploys is kept only while the NS is not instantiated (the request's guard, in its transaction).
    const deployment = { flavourId: 'df', vnfFlavours: { fw: 'small' } };
    await expect(repos.nsInstances.setDeployment('ns-a', deployment)).rejects.toMatchObject({ code: 'NS_STATE_CONFLICT', status: 409 });
    await expect(repos.nsInstances.setDeployment('nope', deployment)).rejects.toMatchObject({ status: 404 });
    await repos.nsInstances.insert(ns('ns-a2'));
    await repos.nsInstances.setDeployment('ns-a2', deployment);
    expect(await repos.nsInstances.get('ns-a2')).toMatchObject({ flavourId: 'df', vnfFlavours: { fw: 'small' } });
  });

  it('enforces the state names with CHECK constraints', async () => {
    await expect(sql`insert into ns_instances (id, name, nsd_id, nsd_info_id, state, created_at, updated_at) values ('x', 'x', 'n', 'n', 'instantiated', now(), now())`.execute(store.db)).rejects.toThrow();
    const row = await sql<{ tenant: string }>`insert into ns_instances (id, name, nsd_id, nsd_info_id, state, created_at, updated_at) values ('y', 'y', 'n', 'n', 'NOT_INSTANTIATED', now(), now()) returning tenant`.execute(store.db);
    expect(row.rows[0]?.tenant).toBe('default');
  });

  it('allows one open operation per NS (409 NS_OPERATION_IN_PROGRESS) and guards transitions', async () => {
    await repos.nsInstances.insert(ns('ns-b'));
    await repos.opOccs.create(op('op-b1', 'ns-b'), null);
    await expect(repos.opOccs.create(op('op-b2', 'ns-b'), null)).rejects.toMatchObject({ code: 'NS_OPERATION_IN_PROGRESS', status: 409 });
    const failed = await repos.opOccs.transition('op-b1', 'PROCESSING', 'FAILED_TEMP', { now: T0, error: { status: 502, detail: 'boom' } });
    expect(failed.error).toMatchObject({ detail: 'boom' });
    await expect(repos.opOccs.transition('op-b1', 'PROCESSING', 'COMPLETED', { now: T0 })).rejects.toMatchObject({ code: 'OP_STATE_CHANGED', status: 409 });
    await repos.opOccs.transition('op-b1', 'FAILED_TEMP', 'FAILED', { now: T0 });
    await expect(repos.opOccs.create(op('op-b3', 'ns-b'), null)).resolves.toMatchObject({ operationState: 'PROCESSING' });
    expect((await repos.opOccs.list({ nsInstanceId: 'ns-b' })).map((o) => o.id)).toEqual(['op-b1', 'op-b3']);
    await expect(repos.opOccs.requestCancel('op-b1', 'GRACEFUL', ['PROCESSING'])).rejects.toMatchObject({ code: 'OP_ILLEGAL_STATE' });
  });

  it('claims free operations, renews and releases leases, and re-offers expired ones', async () => {
    await repos.nsInstances.insert(ns('ns-c'));
    await repos.opOccs.create(op('op-c', 'ns-c', new Date(T0.getTime() - 60_000)), null);
    const now = new Date(T0.getTime() + 1000);
    const first = await repos.opOccs.claim('w1', { limit: 10, now, leaseSeconds: 10 });
    expect(first.map((o) => o.id)).toContain('op-c');
    expect(first.find((o) => o.id === 'op-c')).toMatchObject({ owner: 'w1', attempts: 1 });
    expect((await repos.opOccs.claim('w2', { limit: 10, now, leaseSeconds: 10 })).map((o) => o.id)).not.toContain('op-c');
    expect(await repos.opOccs.renewLease('op-c', 'w2', now)).toBe(false);
    expect(await repos.opOccs.renewLease('op-c', 'w1', new Date(now.getTime() + 10_000))).toBe(true);
    const later = new Date(now.getTime() + 30_000);
    const again = await repos.opOccs.claim('w2', { limit: 10, now: later, leaseSeconds: 10 });
    expect(again.find((o) => o.id === 'op-c')).toMatchObject({ owner: 'w2', attempts: 2 });
    await repos.opOccs.releaseLease('op-c', 'w1');
    expect((await repos.opOccs.get('op-c'))?.owner).toBe('w2');
    await repos.opOccs.releaseLease('op-c', 'w2');
    expect(await repos.opOccs.get('op-c')).toMatchObject({ owner: null, leaseExpiresAt: null });
  });

  it('two concurrent claimers never get the same operation', async () => {
    for (let i = 0; i < 40; i++) {
      await repos.nsInstances.insert(ns(`ns-k${i}`));
      await repos.opOccs.create(op(`op-k${i}`, `ns-k${i}`), null);
    }
    const now = new Date(T0.getTime() + 100_000_000);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => repos.opOccs.claim(`w${i % 2}`, { limit: 6, now, leaseSeconds: 60 })));
    const ids = claims.flat().map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('stores steps, VNF records, usage and PoPs', async () => {
    await repos.nsInstances.insert(ns('ns-d'));
    await repos.opOccs.create(op('op-d', 'ns-d'), null);
    await repos.opSteps.insertMany([0, 1].map((seq) => ({
      id: `st-${seq}`, opId: 'op-d', seq, phase: seq, kind: seq === 0 ? 'network' : 'compute', target: `t${seq}`, popId: `dc${seq + 1}`,
      params: { a: seq }, state: 'PENDING', result: null, error: null, startedAt: null, endedAt: null,
    })));
    await repos.opSteps.finish([], [{ id: 'st-1', at: T0 }]);
    await repos.opSteps.finish([{ id: 'st-1', outcome: { state: 'FAILED', error: { status: 404, detail: 'x' }, now: T0 } }]);
    expect(await repos.opSteps.resetUnfinished('op-d')).toBe(1);
    await repos.opSteps.finish([{ id: 'st-0', outcome: { state: 'DONE', result: { networkId: 'n1' }, now: T0 } }]);
    const steps = await repos.opSteps.listByOp('op-d');
    expect(steps.map((s) => [s.state, s.result])).toEqual([['DONE', { networkId: 'n1' }], ['PENDING', null]]);
    expect(await repos.opSteps.popIdsForNs('ns-d')).toEqual(['dc1', 'dc2']);
    const rec = { id: 'v1', nsInstanceId: 'ns-d', memberId: 'fw', kind: 'vnf' as const, vnfdId: 'd', vnfdRef: 'r', popId: 'dc1', computeIds: ['c1'], interfaces: [{ cp: 'in', linkId: 'l', address: '10.30.0.2', prefix: 29 }], state: 'STARTED' as const, createdAt: T0.toISOString(), demand: { cpu: 0.5, memoryMiB: 256 } };
    await repos.vnfInstances.upsertMany([rec]);
    await repos.vnfInstances.upsertMany([{ ...rec, id: 'v2', computeIds: ['c1', 'c2'] }]);
    expect(await repos.vnfInstances.listByNs('ns-d')).toEqual([expect.objectContaining({ id: 'v1', computeIds: ['c1', 'c2'] })]);
    expect((await repos.vnfInstances.usageByPop())['dc1']).toEqual({ cpu: 0.5, memoryMiB: 256 });
    const vims = new SqlVimAccountRepository(store.db);
    await vims.insert({ id: 'dc1', name: 'dc1', type: 'docker', endpoint: 'unix:///var/run/docker.sock', capacity: { cpu: 4, memoryMiB: 8192 }, config: {}, tenant: 'default', createdAt: T0.toISOString() });
    await expect(vims.insert({ id: 'dc1b', name: 'dc1', type: 'docker', endpoint: 'x', capacity: null, config: {}, tenant: 'default', createdAt: T0.toISOString() })).rejects.toMatchObject({ code: 'VIM_ACCOUNT_EXISTS' });
    expect((await vims.list()).map((a) => a.capacity)).toEqual([{ cpu: 4, memoryMiB: 8192 }]);
  });

  it('marks and finishes batches of steps: a result or error left out is kept, null clears it', async () => {
    await repos.nsInstances.insert(ns('ns-e'));
    await repos.opOccs.create(op('op-e', 'ns-e'), null);
    await repos.opSteps.insertMany([0, 1, 2, 3].map((seq) => ({
      id: `se-${seq}`, opId: 'op-e', seq, phase: 0, kind: 'network', target: `t${seq}`, popId: 'dc1',
      params: { a: seq }, state: 'PENDING', result: null, error: null, startedAt: null, endedAt: null,
    })));
    const t1 = new Date(T0.getTime() + 1000);
    await repos.opSteps.finish([], [{ id: 'se-0', at: T0 }, { id: 'se-1', at: T0 }]);
    await repos.opSteps.finish([
      { id: 'se-0', outcome: { state: 'DONE', result: { networkId: 'n0', deep: { list: [1, 'x'] } }, now: t1 } },
      { id: 'se-1', outcome: { state: 'FAILED', error: { status: 502, detail: "it's \"quoted\"" }, now: t1 } },
      // Never marked RUNNING (it ended first): its outcome brings its start time.
      { id: 'se-3', outcome: { state: 'DONE', result: {}, now: t1, startedAt: T0 } },
    ], [{ id: 'se-2', at: T0 }]); // se-2's RUNNING mark rides in the same statement
    let steps = await repos.opSteps.listByOp('op-e');
    expect(steps.map((s) => [s.state, s.result, s.error, s.startedAt, s.endedAt])).toEqual([
      ['DONE', { networkId: 'n0', deep: { list: [1, 'x'] } }, null, T0.toISOString(), t1.toISOString()],
      ['FAILED', null, { status: 502, detail: 'it\'s "quoted"' }, T0.toISOString(), t1.toISOString()],
      ['RUNNING', null, null, T0.toISOString(), null],
      ['DONE', {}, null, T0.toISOString(), t1.toISOString()],
    ]);
    // UNDONE without a result keeps the result (a rollback keeps what the step made); an explicit null clears the error.
    await repos.opSteps.finish([
      { id: 'se-0', outcome: { state: 'UNDONE', now: t1 } },
      { id: 'se-1', outcome: { state: 'PENDING', error: null, now: t1 } },
    ]);
    steps = await repos.opSteps.listByOp('op-e');
    expect(steps.map((s) => [s.state, s.result, s.error])).toEqual([['UNDONE', { networkId: 'n0', deep: { list: [1, 'x'] } }, null], ['PENDING', null, null], ['RUNNING', null, null], ['DONE', {}, null]]);
    const rec = {
      id: 'v-e', nsInstanceId: 'ns-e', memberId: 'fw', kind: 'vnf' as const, vnfdId: 'd', vnfdRef: 'r', vnfPkgId: 'pkg', popId: 'dc9', computeIds: ['c1'], interfaces: [{ cp: 'in', linkId: 'l', address: '10.30.0.2', prefix: 29 }],
      state: 'STARTED' as const, createdAt: T0.toISOString(), demand: { cpu: 1.5, memoryMiB: 512 }, vnfcs: [{ computeId: 'c1', name: 'fw-0', vduId: 'vdu' }], scaleStatus: [{ aspectId: 'a', scaleLevel: 0 }],
    };
    await repos.vnfInstances.upsertMany([rec, { ...rec, id: 'v-sap', memberId: 'in', kind: 'sap', vnfdId: null, vnfdRef: null, vnfPkgId: null, computeIds: [], interfaces: [], demand: { cpu: 0, memoryMiB: 0 } }]);
    expect(await repos.vnfInstances.listByNs('ns-e')).toEqual([
      expect.objectContaining({ id: 'v-e', vnfPkgId: 'pkg', computeIds: ['c1'], vnfcs: rec.vnfcs, scaleStatus: rec.scaleStatus }),
      expect.objectContaining({ id: 'v-sap', kind: 'sap', vnfdId: null, computeIds: [] }),
    ]);
    expect((await repos.vnfInstances.usageByPop())['dc9']).toEqual({ cpu: 1.5, memoryMiB: 512 });
  });
});
