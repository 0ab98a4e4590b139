import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).
const APIS = ['nslcm', 'nsfm', 'nsd', 'vnfpkgm'];
const OLD_APIS = ['nslcm', 'nsfm'];

/** `col IN ('A','B')` from a list of literals. */
const oneOf = (values: readonly string[]) => sql`api in (${sql.join(values.map((v) => sql.lit(v)))})`;

/**
 * Subscriptions of the SOL005 NSD management (`nsd`) and VNF package management
 * (`vnfpkgm`) APIs beside NS LCM and NS FM: the `api` CHECK of migration 003 (PostgreSQL
 * named it `subscriptions_api_check`) is widened.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table subscriptions drop constraint if exists subscriptions_api_check`.execute(db);
  await sql`alter table subscriptions add constraint subscriptions_api_check check (${oneOf(APIS)})`.execute(db);
}

/** Drops the NSD and package subscriptions and narrows the CHECK back. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from subscriptions where not (${oneOf(OLD_APIS)})`.execute(db);
  await sql`alter table subscriptions drop constraint if exists subscriptions_api_check`.execute(db);
  await sql`alter table subscriptions add constraint subscriptions_api_check check (${oneOf(OLD_APIS)})`.execute(db);
}
