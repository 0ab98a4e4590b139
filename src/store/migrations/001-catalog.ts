import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: this migration has run on released databases, so it holds its own copies of the
// values it was written with (as they were when it was frozen), never the live constants
// (PACKAGE_FORMATS, ONBOARDING_STATES, ...): editing a constant must not change what an old
// migration does. A new value needs a new migration. test/unit/migrations-frozen.test.ts
// keeps this folder free of imports other than kysely.
const PACKAGE_FORMATS = ['tango', 'sonata', 'etsi-csar'];
const DESCRIPTOR_FORMATS = ['tango', 'sonata', 'etsi'];
const ONBOARDING_STATES = ['CREATED', 'UPLOADING', 'PROCESSING', 'ONBOARDED', 'ERROR'];
const OPERATIONAL_STATES = ['ENABLED', 'DISABLED'];
const USAGE_STATES = ['IN_USE', 'NOT_IN_USE'];
const DEFAULT_TENANT = 'default';

/** `col IN ('A','B')` built from a list of literals. */
const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/** Catalog tables: packages, VNFDs (= VnfPkgInfo) and NSDs (= NsdInfo). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('packages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull().defaultTo(DEFAULT_TENANT))
    .addColumn('format', 'text', (c) => c.notNull().check(oneOf('format', PACKAGE_FORMATS)))
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('file_name', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('sha1', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('files', 'jsonb', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('packages_vendor_name_version', ['tenant', 'vendor', 'name', 'version'])
    .execute();

  for (const table of ['vnfds', 'nsds'] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant', 'text', (c) => c.notNull().defaultTo(DEFAULT_TENANT))
      // Deleting a package row while descriptors point at it is a bug: restrict.
      .addColumn('package_id', 'text', (c) => c.references('packages.id').onDelete('restrict'))
      .addColumn('onboarding_state', 'text', (c) => c.notNull().check(oneOf('onboarding_state', ONBOARDING_STATES)))
      .addColumn('operational_state', 'text', (c) => c.notNull().check(oneOf('operational_state', OPERATIONAL_STATES)))
      .addColumn('usage_state', 'text', (c) =>
        c.notNull().defaultTo('NOT_IN_USE').check(oneOf('usage_state', USAGE_STATES)),
      )
      .addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`usage_count >= 0`))
      .addColumn('user_defined_data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('failure_details', 'jsonb')
      .addColumn('vendor', 'text')
      .addColumn('name', 'text')
      .addColumn('version', 'text')
      .addColumn('format', 'text', (c) => c.check(oneOf('format', DESCRIPTOR_FORMATS)))
      .addColumn('file', 'text')
      .addColumn('descriptor', 'jsonb')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull());
    t =
      table === 'vnfds'
        ? t.addColumn('vnfd_id', 'text').addColumn('provider', 'text')
        : t
            .addColumn('nsd_id', 'text')
            .addColumn('designer', 'text')
            .addColumn('invariant_id', 'text')
            .addColumn('vnfd_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`));
    // usage_state mirrors usage_count; the pair can never disagree.
    t = t.addCheckConstraint(`${table}_usage_consistent`, sql`(usage_count > 0) = (usage_state = 'IN_USE')`);
    await t.execute();
    // One descriptor per vendor/name/version (5GTANGO references) and per descriptor id
    // (ETSI references) in a tenant; rows still without content do not take part.
    await db.schema
      .createIndex(`${table}_vendor_name_version`)
      .on(table)
      .columns(['tenant', 'vendor', 'name', 'version'])
      .unique()
      .where(sql.ref('vendor'), 'is not', null)
      .execute();
    const idColumn = table === 'vnfds' ? 'vnfd_id' : 'nsd_id';
    await db.schema
      .createIndex(`${table}_descriptor_id`)
      .on(table)
      .columns(['tenant', idColumn])
      .unique()
      .where(sql.ref(idColumn), 'is not', null)
      .execute();
    await db.schema.createIndex(`${table}_package`).on(table).column('package_id').execute();
  }
}

/** Drops the catalog tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('nsds').ifExists().execute();
  await db.schema.dropTable('vnfds').ifExists().execute();
  await db.schema.dropTable('packages').ifExists().execute();
}
