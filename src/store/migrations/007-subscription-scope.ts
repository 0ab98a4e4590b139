import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * `subscriptions.all_tenants`: an admin's subscription hears about the NS instances of every
 * tenant, as an admin sees them all through the API; everyone else's, only its own tenant's.
 * Subscriptions made before this keep hearing their own tenant only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('subscriptions').addColumn('all_tenants', 'boolean', (c) => c.notNull().defaultTo(sql`false`)).execute();
}

/** Drops the column: admins' subscriptions hear their own tenant only again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('subscriptions').dropColumn('all_tenants').execute();
}
