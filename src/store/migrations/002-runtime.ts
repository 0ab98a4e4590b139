import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: this migration has run on released databases, so it holds its own copies of the
// values it was written with, never the live constants (OP_STATES, STEP_KINDS, ...):
// editing a constant must not change what an old migration does. A new value needs a new
// migration (005 added the `stack` step kind). test/unit/migrations-frozen.test.ts keeps
// this folder free of imports other than kysely.
const VIM_TYPES = ['docker', 'memory', 'openstack'];
const NS_STATES = ['NOT_INSTANTIATED', 'INSTANTIATED'];
const VNF_STATES = ['STARTED', 'STOPPED', 'FAILED'];
const OP_TYPES = ['INSTANTIATE', 'SCALE', 'UPDATE', 'TERMINATE', 'HEAL'];
const OP_STATES = ['PROCESSING', 'COMPLETED', 'PARTIALLY_COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLING_BACK', 'ROLLED_BACK'];
const CANCEL_MODES = ['GRACEFUL', 'FORCEFUL'];
// The kinds 002 was released with; 005 replaces this CHECK with one that adds `stack`.
const STEP_KINDS = ['network', 'compute', 'route', 'start', 'stop'];
const STEP_STATES = ['PENDING', 'RUNNING', 'DONE', 'FAILED', 'UNDONE'];
const IPAM_POOLS = ['sap', 'elan', 'eline'];

/** `CHECK (col IN (...))` from a list of literals. */
const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/** Non-final operation states: at most one such operation per NS instance. */
const OPEN_STATES = ['PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK'];

/** Runtime tables: VIM accounts, NS/VNF instances, LCM operations and steps, IP allocations. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vim_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull().check(oneOf('type', VIM_TYPES)))
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('capacity_cpu', 'double precision')
    .addColumn('capacity_memory_mib', 'double precision')
    .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('tenant', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ns_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('nsd_id', 'text', (c) => c.notNull())
    .addColumn('nsd_info_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(oneOf('state', NS_STATES)))
    .addColumn('tenant', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ns_instances_tenant_idx').on('ns_instances').column('tenant').execute();

  await db.schema
    .createTable('vnf_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ns_instance_id', 'text', (c) => c.notNull().references('ns_instances.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['vnf', 'sap'])))
    .addColumn('vnfd_id', 'text')
    .addColumn('vnfd_ref', 'text')
    .addColumn('pop_id', 'text', (c) => c.notNull())
    .addColumn('compute_ids', 'jsonb', (c) => c.notNull())
    .addColumn('interfaces', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(oneOf('state', VNF_STATES)))
    .addColumn('cpu', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('memory_mib', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('vnf_instances_member_uq', ['ns_instance_id', 'member_id'])
    .execute();
  await db.schema.createIndex('vnf_instances_pop_idx').on('vnf_instances').column('pop_id').execute();

  await db.schema
    .createTable('lcm_op_occs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ns_instance_id', 'text', (c) => c.notNull().references('ns_instances.id').onDelete('cascade'))
    .addColumn('lcm_operation_type', 'text', (c) => c.notNull().check(oneOf('lcm_operation_type', OP_TYPES)))
    .addColumn('operation_state', 'text', (c) => c.notNull().check(oneOf('operation_state', OP_STATES)))
    .addColumn('status_entered_time', 'timestamptz', (c) => c.notNull())
    .addColumn('start_time', 'timestamptz', (c) => c.notNull())
    .addColumn('is_automatic_invocation', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('operation_params', 'jsonb', (c) => c.notNull())
    .addColumn('is_cancel_pending', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('cancel_mode', 'text', (c) => c.check(sql`cancel_mode is null or ${oneOf('cancel_mode', CANCEL_MODES)}`))
    .addColumn('error', 'jsonb')
    .addColumn('tenant', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('owner', 'text')
    .addColumn('lease_expires_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadline', 'timestamptz')
    .execute();
  // The partial unique index is what makes "one open operation per NS" hold under races.
  await db.schema
    .createIndex('lcm_op_occs_one_open_per_ns')
    .on('lcm_op_occs')
    .column('ns_instance_id')
    .unique()
    .where(sql.ref('operation_state'), 'in', OPEN_STATES)
    .execute();
  await db.schema.createIndex('lcm_op_occs_runnable_idx').on('lcm_op_occs').columns(['operation_state', 'lease_expires_at']).execute();
  await db.schema.createIndex('lcm_op_occs_ns_idx').on('lcm_op_occs').column('ns_instance_id').execute();

  await db.schema
    .createTable('op_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('op_id', 'text', (c) => c.notNull().references('lcm_op_occs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('phase', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', STEP_KINDS)))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('pop_id', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(oneOf('state', STEP_STATES)))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'jsonb')
    .addColumn('started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addUniqueConstraint('op_steps_seq_uq', ['op_id', 'seq'])
    .execute();

  await db.schema
    .createTable('ip_allocations')
    .addColumn('pool', 'text', (c) => c.notNull().check(oneOf('pool', IPAM_POOLS)))
    .addColumn('subnet', 'text', (c) => c.notNull())
    .addColumn('subnet_index', 'integer', (c) => c.notNull())
    .addColumn('ns_instance_id', 'text', (c) => c.notNull().references('ns_instances.id').onDelete('cascade'))
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('allocated_at', 'timestamptz', (c) => c.notNull())
    // UNIQUE (pool, subnet) is the whole concurrency story of IPAM: two allocators racing
    // for one subnet cannot both insert it.
    .addPrimaryKeyConstraint('ip_allocations_pk', ['pool', 'subnet'])
    .addUniqueConstraint('ip_allocations_link_uq', ['ns_instance_id', 'link_id'])
    .execute();
  await db.schema.createIndex('ip_allocations_pool_index_idx').on('ip_allocations').columns(['pool', 'subnet_index']).execute();
}

/** Drops the runtime tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ip_allocations', 'op_steps', 'lcm_op_occs', 'vnf_instances', 'ns_instances', 'vim_accounts']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
