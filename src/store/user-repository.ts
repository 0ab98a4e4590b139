import type { Kysely, Selectable } from 'kysely';
import { ConflictError } from '../model/index.js';
import type { Database } from './schema.js';
import type { UserRole, UsersTable } from './auth-schema.js';
import { USER_ROLES } from './auth-schema.js';
import { isUniqueViolation } from './runtime-rows.js';
import type { UserRecord, UserRepository } from '../auth/index.js';

export type { UserRecord, UserChange, UserRepository } from '../auth/index.js';

const knownRoles = (raw: unknown): UserRole[] =>
  Array.isArray(raw) ? raw.filter((r): r is UserRole => (USER_ROLES as readonly unknown[]).includes(r)) : [];

const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  tenant: r.tenant,
  roles: knownRoles(r.roles),
  disabled: r.disabled,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  tokensValidAfter: new Date(r.tokens_valid_after),
});

/** The {@link UserRepository} over Kysely. */
export function userRepository(db: Kysely<Database>): UserRepository {
  return {
    async insert(u) {
      try {
        const row = await db
          .insertInto('users')
          .values({
            id: u.id, username: u.username, password_hash: u.passwordHash, tenant: u.tenant, roles: JSON.stringify(u.roles),
            disabled: u.disabled, created_at: u.createdAt, updated_at: u.updatedAt, tokens_valid_after: u.tokensValidAfter,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (e) {
        if (isUniqueViolation(e)) throw new ConflictError(`user ${u.username} exists; pick another username`, { code: 'USER_EXISTS', cause: e });
        throw e;
      }
    },
    async get(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async getByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row && toUser(row);
    },
    async list(filter = {}) {
      let q = db.selectFrom('users').selectAll().orderBy('username');
      if (filter.tenant !== undefined) q = q.where('tenant', '=', filter.tenant);
      return (await q.execute()).map(toUser);
    },
    async update(id, c) {
      const row = await db
        .updateTable('users')
        .set({
          updated_at: c.updatedAt,
          ...(c.passwordHash !== undefined ? { password_hash: c.passwordHash } : {}),
          ...(c.tenant !== undefined ? { tenant: c.tenant } : {}),
          ...(c.roles !== undefined ? { roles: JSON.stringify(c.roles) } : {}),
          ...(c.disabled !== undefined ? { disabled: c.disabled } : {}),
          ...(c.tokensValidAfter !== undefined ? { tokens_valid_after: c.tokensValidAfter } : {}),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toUser(row);
    },
    async delete(id) {
      const r = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async count() {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
