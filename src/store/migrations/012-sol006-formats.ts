import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).
const PACKAGE_FORMATS = ['tango', 'sonata', 'etsi-csar', 'sol006'];
const DESCRIPTOR_FORMATS = ['tango', 'sonata', 'etsi', 'sol006'];
const OLD_PACKAGE_FORMATS = ['tango', 'sonata', 'etsi-csar'];
const OLD_DESCRIPTOR_FORMATS = ['tango', 'sonata', 'etsi'];

/** `format in ('A','B')` from a list of literals. */
const oneOf = (values: readonly string[]) => sql`format in (${sql.join(values.map((v) => sql.lit(v)))})`;

/** Replaces the `format` CHECK of migration 001 (PostgreSQL named it `<table>_format_check`). */
const setFormats = async (db: Kysely<unknown>, packages: readonly string[], descriptors: readonly string[]): Promise<void> => {
  await sql`alter table packages drop constraint if exists packages_format_check`.execute(db);
  await sql`alter table packages add constraint packages_format_check check (${oneOf(packages)})`.execute(db);
  for (const table of ['vnfds', 'nsds']) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.raw(`${table}_format_check`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.raw(`${table}_format_check`)} check (${oneOf(descriptors)})`.execute(db);
  }
};

/** SOL006 packages (`sol006`) and descriptors (`sol006`) beside 5GTANGO, SONATA and SOL001. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await setFormats(db, PACKAGE_FORMATS, DESCRIPTOR_FORMATS);
}

/** Narrows the CHECKs back; fails while SOL006 packages are stored (delete them first). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await setFormats(db, OLD_PACKAGE_FORMATS, OLD_DESCRIPTOR_FORMATS);
}
