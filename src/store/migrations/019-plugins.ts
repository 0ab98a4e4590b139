import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).
const PLUGIN_STATES = ['ACTIVE', 'DEAD'];

/** `col IN ('A','B')` from a list of literals. */
const oneOf = (column: string, values: readonly string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/** The plugin registry (docs/plugins.md): one row per registered plugin, shared by every process. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plugins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('topics', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(oneOf('state', PLUGIN_STATES)))
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_heartbeat_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // The dead-plugin sweep reads ACTIVE plugins by heartbeat age.
  await db.schema.createIndex('plugins_state_heartbeat').on('plugins').columns(['state', 'last_heartbeat_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plugins').execute();
}
