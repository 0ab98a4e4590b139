import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).

/**
 * Per NS instance policies (issue #16): an operator's override of a policy the descriptor
 * (or the default) gives, and the policy's firing state — heals made in the current run
 * of failures, when the last one started, whether the cap was reached. Policy engines of
 * several processes move the state with guarded updates: one of them acts per failure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ns_policies')
    .addColumn('ns_instance_id', 'text', (c) => c.notNull().references('ns_instances.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('vnf_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean')
    .addColumn('max_attempts', 'integer', (c) => c.check(sql`max_attempts >= 0`))
    .addColumn('backoff_seconds', 'integer', (c) => c.check(sql`backoff_seconds >= 0`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_fired_at', 'timestamptz')
    .addColumn('exhausted_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('ns_policies_pkey', ['ns_instance_id', 'policy_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ns_policies').execute();
}
