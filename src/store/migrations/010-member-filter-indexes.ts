import type { Kysely } from 'kysely';

/**
 * Indexes for the NS list filters that `bench/api.ts` drives at 10,000 NS:
 *
 * - `vnf_instances (ns_instance_id, kind, state)`: a member filter
 *   (`vnfInstance/state`, `sapInfo/state`) is a semi-join per candidate NS on
 *   `ns_instance_id = … and kind = … and state = …`. The `(ns_instance_id, member_id)`
 *   unique index found the rows but read each from the heap to test kind and state
 *   (≈1,300 buffer hits for one page); this one answers the `exists` from the index.
 * - `ns_instances (nsd_id, created_at, id)`: `nsdId` equality then the list order, so a
 *   page of one NSD's instances is a short index range instead of a scan of the
 *   `(created_at, id)` index that throws away the other NSDs' rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('vnf_instances_ns_kind_state_idx').on('vnf_instances').columns(['ns_instance_id', 'kind', 'state']).execute();
  await db.schema.createIndex('ns_instances_nsd_page_idx').on('ns_instances').columns(['nsd_id', 'created_at', 'id']).execute();
}

/** Back to the 008 indexes. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ns_instances_nsd_page_idx').ifExists().execute();
  await db.schema.dropIndex('vnf_instances_ns_kind_state_idx').ifExists().execute();
}
