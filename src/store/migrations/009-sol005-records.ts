import type { Kysely } from 'kysely';

/**
 * SOL005 records:
 * - `lcm_op_occs.internal_params`: what the worker needs to run an operation (placement,
 *   autoRollback). `operation_params` now echoes the operation's request as SOL005
 *   `NsLcmOpOcc.operationParams` defines; rows from before keep their internal object
 *   there and read it back through `internal_params` null.
 * - `vnf_instances.vnf_pkg_id`: the on-boarded VNF package (VnfPkgInfo id) the VNFD of
 *   the instance came from (SOL005 `VnfInstance.vnfPkgId`); null for SAPs and old rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lcm_op_occs').addColumn('internal_params', 'jsonb').execute();
  await db.schema.alterTable('vnf_instances').addColumn('vnf_pkg_id', 'text').execute();
}

/** Drops both columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vnf_instances').dropColumn('vnf_pkg_id').execute();
  await db.schema.alterTable('lcm_op_occs').dropColumn('internal_params').execute();
}
