import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import type { Store } from '../../src/store/index.js';
import { createRuntimeRepositories } from '../../src/store/index.js';
import type { LifecycleRepositories } from '../../src/lifecycle/index.js';
import type { SubnetRequest } from '../../src/ipam/index.js';

const T0 = '2025-01-01T00:00:00.000Z';
const requests: SubnetRequest[] = [
  { linkId: 'mgmt', pool: 'elan' }, { linkId: 'in', pool: 'sap' }, { linkId: 'a-b', pool: 'eline' }, { linkId: 'b-c', pool: 'eline' }, { linkId: 'out', pool: 'sap' },
];

describe.each(STORE_KINDS)('IPAM on %s', (kind) => {
  let store: Store;
  let repos: LifecycleRepositories;
  const mkNs = (id: string) => repos.nsInstances.insert({ id, name: id, description: '', nsdId: 'n', nsdInfoId: 'n', state: 'NOT_INSTANTIATED', tenant: 'default', createdAt: T0, updatedAt: T0 });
  beforeAll(async () => {
    store = await openTestStore(kind, `runtime-ipam.test.ts-${kind}`);
    repos = createRuntimeRepositories(store.db);
  });
  afterAll(async () => store?.close());

  it('allocates idempotently per link, previews without allocating, releases', async () => {
    await mkNs('ns-1');
    const preview = await repos.subnets.preview('ns-1', requests);
    const first = await repos.subnets.allocate('ns-1', requests);
    expect(first.map((a) => a.subnet)).toEqual(preview.map((a) => a.subnet));
    expect(first.map((a) => a.subnet)).toEqual(['10.20.0.0/24', '10.10.0.0/29', '10.30.0.0/29', '10.30.0.8/29', '10.10.0.8/29']);
    expect(await repos.subnets.allocate('ns-1', requests)).toEqual(first);
    expect(await repos.subnets.release('ns-1')).toBe(5);
    expect(await repos.subnets.listByNs('ns-1')).toEqual([]);
  });

  it('reuses released subnets and says when a pool is exhausted (409)', async () => {
    await mkNs('ns-2');
    const lans = Array.from({ length: 256 }, (_, i) => ({ linkId: `lan${i}`, pool: 'elan' as const }));
    expect((await repos.subnets.allocate('ns-2', lans)).at(-1)?.subnet).toBe('10.20.255.0/24');
    await mkNs('ns-3');
    await expect(repos.subnets.allocate('ns-3', [{ linkId: 'x', pool: 'eline' }, { linkId: 'y', pool: 'elan' }])).rejects.toMatchObject({ code: 'IPAM_POOL_EXHAUSTED', status: 409 });
    expect(await repos.subnets.listByNs('ns-3')).toEqual([]);
    await repos.subnets.release('ns-2');
  });

  it('skips the subnets that networks on the PoPs overlap, keeps what the NS holds, and says so when that exhausts a pool', async () => {
    await mkNs('ns-4');
    const avoid = ['10.10.0.0/28', '10.20.0.0/23', '10.30.0.8/29', '172.17.0.0/16'];
    const preview = await repos.subnets.preview('ns-4', requests, { avoid });
    const got = await repos.subnets.allocate('ns-4', requests, { avoid });
    expect(got.map((a) => a.subnet)).toEqual(['10.20.2.0/24', '10.10.0.16/29', '10.30.0.0/29', '10.30.0.16/29', '10.10.0.24/29']);
    expect(preview).toEqual(got);
    // Held subnets stay held, even when a PoP now reports them (its own networks).
    expect(await repos.subnets.allocate('ns-4', requests, { avoid: got.map((a) => a.subnet) })).toEqual(got);
    await repos.subnets.release('ns-4');
    await mkNs('ns-5');
    await expect(repos.subnets.allocate('ns-5', [{ linkId: 'x', pool: 'elan' }], { avoid: ['10.0.0.0/8'] })).rejects.toMatchObject({
      code: 'IPAM_POOL_EXHAUSTED', status: 409, message: expect.stringMatching(/256 of them overlapped by networks already on the PoPs/),
    });
    expect(await repos.subnets.listByNs('ns-5')).toEqual([]);
  });

  it('50 concurrent NS allocations never share a subnet', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `ns-c${i}`);
    for (const id of ids) await mkNs(id);
    const all = await Promise.all(ids.map((id) => repos.subnets.allocate(id, requests)));
    const subnets = all.flat().map((a) => `${a.pool}/${a.subnet}`);
    expect(subnets).toHaveLength(250);
    expect(new Set(subnets).size).toBe(250);
    expect(all.every((list) => list.length === 5)).toBe(true);
  });
});
