import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).
const ONBOARDING_STATES = ['CREATED', 'UPLOADING', 'PROCESSING', 'ONBOARDED', 'ERROR'];
const USAGE_STATES = ['IN_USE', 'NOT_IN_USE'];

/** `col IN ('A','B')` from a list of literals. */
const oneOf = (column: string, values: readonly string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/** SOL005 PNFDs (`/nsd/v1/pnf_descriptors`): the PnfdInfo resource with its one TOSCA file. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pnfds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('pnfd_id', 'text')
    .addColumn('name', 'text')
    .addColumn('version', 'text')
    .addColumn('provider', 'text')
    .addColumn('invariant_id', 'text')
    .addColumn('onboarding_state', 'text', (c) => c.notNull().check(oneOf('onboarding_state', ONBOARDING_STATES)))
    .addColumn('usage_state', 'text', (c) => c.notNull().check(oneOf('usage_state', USAGE_STATES)))
    .addColumn('user_defined_data', 'jsonb', (c) => c.notNull())
    .addColumn('failure_details', 'jsonb')
    .addColumn('file_name', 'text')
    .addColumn('content', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pnfds').execute();
}
