import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).
const APIS = ['nslcm', 'nsfm', 'nsd', 'vnfpkgm', 'nspm'];
const OLD_APIS = ['nslcm', 'nsfm', 'nsd', 'vnfpkgm'];

/** `api IN ('A','B')` from a list of literals. */
const oneOf = (values: readonly string[]) => sql`api in (${sql.join(values.map((v) => sql.lit(v)))})`;

/**
 * SOL005 NS performance management (`/nspm/v1`): PM jobs, their performance reports and
 * thresholds, and subscriptions of the `nspm` API (the `api` CHECK of migration 011 is
 * widened). A report belongs to its job and goes with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pm_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_instance_ids', 'jsonb', (c) => c.notNull())
    .addColumn('sub_object_instance_ids', 'jsonb', (c) => c.notNull())
    .addColumn('criteria', 'jsonb', (c) => c.notNull())
    .addColumn('callback_uri', 'text')
    .addColumn('auth_sealed', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('pm_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pm_job_id', 'text', (c) => c.notNull().references('pm_jobs.id').onDelete('cascade'))
    .addColumn('entries', 'jsonb', (c) => c.notNull())
    .addColumn('ready_time', 'timestamptz', (c) => c.notNull())
    .addColumn('file_size', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pm_reports_job').on('pm_reports').columns(['pm_job_id', 'ready_time']).execute();
  await db.schema
    .createTable('pm_thresholds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_instance_id', 'text', (c) => c.notNull())
    .addColumn('sub_object_instance_ids', 'jsonb', (c) => c.notNull())
    .addColumn('criteria', 'jsonb', (c) => c.notNull())
    .addColumn('callback_uri', 'text')
    .addColumn('auth_sealed', 'text')
    .addColumn('crossing', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`alter table subscriptions drop constraint if exists subscriptions_api_check`.execute(db);
  await sql`alter table subscriptions add constraint subscriptions_api_check check (${oneOf(APIS)})`.execute(db);
}

/** Drops the PM tables and `nspm` subscriptions, and narrows the CHECK back. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from subscriptions where not (${oneOf(OLD_APIS)})`.execute(db);
  await sql`alter table subscriptions drop constraint if exists subscriptions_api_check`.execute(db);
  await sql`alter table subscriptions add constraint subscriptions_api_check check (${oneOf(OLD_APIS)})`.execute(db);
  await db.schema.dropTable('pm_thresholds').execute();
  await db.schema.dropTable('pm_reports').execute();
  await db.schema.dropTable('pm_jobs').execute();
}
