import type { Kysely } from 'kysely';

/**
 * Day-2 SCALE records on `vnf_instances`:
 * - `vnfcs`: one entry per VNFC instance (compute) of the VNF: its VIM id and name, the
 *   VDU it realises and, for one a scale-out added, the aspect and level (SOL005
 *   `vnfcResourceInfo`); null for rows from before (read as one VNFC per compute).
 * - `scale_status`: SOL005 `scaleStatus`, the level of each scaling aspect of the VNF;
 *   null for rows from before and SAPs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vnf_instances').addColumn('vnfcs', 'jsonb').execute();
  await db.schema.alterTable('vnf_instances').addColumn('scale_status', 'jsonb').execute();
}

/** Drops both columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vnf_instances').dropColumn('scale_status').execute();
  await db.schema.alterTable('vnf_instances').dropColumn('vnfcs').execute();
}
