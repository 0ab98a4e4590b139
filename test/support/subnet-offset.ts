import { subnetAt } from '../../src/ipam/index.js';
import { uuidGenerator } from '../../src/model/index.js';
import type { Store } from '../../src/store/index.js';

/**
 * Other test files run Rondo instances with their own IPAM on the same Docker engine, and
 * Docker refuses overlapping subnets. This makes a store start its allocations at a random
 * offset (the allocator takes the lowest free index) by holding the indexes below it for
 * a placeholder NS instance.
 */
export async function reserveSubnets(store: Store): Promise<void> {
  const id = `reserved-${uuidGenerator.next()}`;
  const now = new Date();
  await store.db.insertInto('ns_instances').values({ id, name: 'reserved', description: '', nsd_id: '-', nsd_info_id: '-', state: 'NOT_INSTANTIATED', tenant: 'test', created_at: now, updated_at: now }).execute();
  const offset = { sap: 500 + Math.floor(Math.random() * 7000), elan: 40 + Math.floor(Math.random() * 180), eline: 500 + Math.floor(Math.random() * 7000) } as const;
  const rows = (Object.keys(offset) as (keyof typeof offset)[]).flatMap((pool) =>
    Array.from({ length: offset[pool] }, (_, i) => ({ pool, subnet: subnetAt(pool, i), subnet_index: i, ns_instance_id: id, link_id: `${pool}-${i}`, allocated_at: now })),
  );
  for (let i = 0; i < rows.length; i += 1000) await store.db.insertInto('ip_allocations').values(rows.slice(i, i + 1000)).execute();
}
