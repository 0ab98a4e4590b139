import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { VimShareRepository } from '../auth/index.js';

export type { VimShareRepository } from '../auth/index.js';

/** The {@link VimShareRepository} over Kysely. */
export function vimShareRepository(db: Kysely<Database>): VimShareRepository {
  return {
    async share(vimId, tenant, at) {
      await db
        .insertInto('vim_account_shares')
        .values({ vim_id: vimId, tenant, created_at: at })
        .onConflict((oc) => oc.columns(['vim_id', 'tenant']).doNothing())
        .execute();
    },
    async unshare(vimId, tenant) {
      const r = await db.deleteFrom('vim_account_shares').where('vim_id', '=', vimId).where('tenant', '=', tenant).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async tenantsOf(vimId) {
      const rows = await db.selectFrom('vim_account_shares').select('tenant').where('vim_id', '=', vimId).orderBy('tenant').execute();
      return rows.map((r) => r.tenant);
    },
    async vimExists(vimId) {
      return (await db.selectFrom('vim_accounts').select('id').where('id', '=', vimId).executeTakeFirst()) !== undefined;
    },
    async visibleTo(tenant) {
      const rows = await db
        .selectFrom('vim_accounts')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('tenant', '=', tenant),
            eb('id', 'in', eb.selectFrom('vim_account_shares').select('vim_id').where('tenant', '=', tenant)),
          ]),
        )
        .orderBy('id')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
