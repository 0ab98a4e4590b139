import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { ApiKeysTable } from './auth-schema.js';
import type { ApiKeyRecord, ApiKeyRepository } from '../auth/index.js';

export type { ApiKeyRecord, ApiKeyRepository } from '../auth/index.js';

const toKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  secretHash: r.secret_hash,
  createdAt: new Date(r.created_at),
  expiresAt: r.expires_at && new Date(r.expires_at),
  revokedAt: r.revoked_at && new Date(r.revoked_at),
  lastUsedAt: r.last_used_at && new Date(r.last_used_at),
});

/** The {@link ApiKeyRepository} over Kysely. */
export function apiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  return {
    async insert(k) {
      const row = await db
        .insertInto('api_keys')
        .values({
          id: k.id, user_id: k.userId, name: k.name, secret_hash: k.secretHash, created_at: k.createdAt,
          expires_at: k.expiresAt, revoked_at: k.revokedAt, last_used_at: k.lastUsedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toKey(row);
    },
    async get(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toKey(row);
    },
    async list(filter = {}) {
      let q = db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id');
      if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
      return (await q.execute()).map(toKey);
    },
    async revoke(id, at) {
      const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async touch(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
