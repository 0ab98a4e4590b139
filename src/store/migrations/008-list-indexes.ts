import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Indexes for SQL-side listing (keyset paging and SOL013 filters) of NS instances and
 * LCM operation occurrences. Each list reads `ORDER BY <time>, id` after an optional
 * tenant or attribute equality, so every index ends with `(<time>, id)`: PostgreSQL
 * reads a page as a short index range, whatever the table size. The old single-column
 * `tenant` and `ns_instance_id` indexes are prefixes of the new ones and go.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('ns_instances_page_idx').on('ns_instances').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('ns_instances_tenant_page_idx').on('ns_instances').columns(['tenant', 'created_at', 'id']).execute();
  await db.schema.createIndex('ns_instances_state_page_idx').on('ns_instances').columns(['state', 'created_at', 'id']).execute();
  await db.schema.dropIndex('ns_instances_tenant_idx').ifExists().execute();
  // Member filters (`vnfInstance/vnfdId`) are semi-joins; the (ns_instance_id, member_id) unique index serves the per-NS side,
  // this one a selective vnfdId (the API shows a missing vnfd_id as '', so the filter compares `coalesce(vnfd_id, '')`).
  await db.schema.createIndex('vnf_instances_vnfd_idx').on('vnf_instances').expression(sql`coalesce(vnfd_id, '')`).execute();

  await db.schema.createIndex('lcm_op_occs_page_idx').on('lcm_op_occs').columns(['start_time', 'id']).execute();
  await db.schema.createIndex('lcm_op_occs_tenant_page_idx').on('lcm_op_occs').columns(['tenant', 'start_time', 'id']).execute();
  await db.schema.createIndex('lcm_op_occs_ns_page_idx').on('lcm_op_occs').columns(['ns_instance_id', 'start_time', 'id']).execute();
  await db.schema.createIndex('lcm_op_occs_state_page_idx').on('lcm_op_occs').columns(['operation_state', 'start_time', 'id']).execute();
  await db.schema.dropIndex('lcm_op_occs_ns_idx').ifExists().execute();
}

/** Back to the 002 indexes. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('lcm_op_occs_ns_idx').ifNotExists().on('lcm_op_occs').column('ns_instance_id').execute();
  await db.schema.createIndex('ns_instances_tenant_idx').ifNotExists().on('ns_instances').column('tenant').execute();
  for (const name of [
    'lcm_op_occs_state_page_idx', 'lcm_op_occs_ns_page_idx', 'lcm_op_occs_tenant_page_idx', 'lcm_op_occs_page_idx',
    'vnf_instances_vnfd_idx', 'ns_instances_state_page_idx', 'ns_instances_tenant_page_idx', 'ns_instances_page_idx',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
