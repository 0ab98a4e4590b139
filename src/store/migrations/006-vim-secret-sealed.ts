import type { Kysely } from 'kysely';

/**
 * VIM credentials sealed at rest: `vim_accounts.secret_sealed` holds the AES-256-GCM
 * `SecretBox` output of the account's credentials (`config.secret` before this), so
 * `rondo secrets rotate` can re-encrypt it like every other sealed column. Credentials of
 * rows written before it stay in `config` until the server's start-up pass seals them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vim_accounts').addColumn('secret_sealed', 'text').execute();
}

/** Drops the column: sealed credentials are lost (add those VIMs again). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vim_accounts').dropColumn('secret_sealed').execute();
}
