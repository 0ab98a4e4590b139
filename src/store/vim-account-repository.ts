import type { Kysely } from 'kysely';
import type { VimAccount } from '../model/index.js';
import { ConflictError } from '../model/index.js';
import type { Database } from './schema.js';
import { isUniqueViolation, json, toVimAccount } from './runtime-rows.js';

/** VIM accounts (PoPs). */
export class SqlVimAccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** ConflictError `VIM_ACCOUNT_EXISTS` when the id or name is taken. */
  async insert(a: VimAccount): Promise<VimAccount> {
    try {
      const row = await this.db
        .insertInto('vim_accounts')
        .values({
          id: a.id, name: a.name, type: a.type, endpoint: a.endpoint, capacity_cpu: a.capacity?.cpu ?? null,
          capacity_memory_mib: a.capacity?.memoryMiB ?? null, config: json(a.config), tenant: a.tenant, created_at: a.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVimAccount(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`VIM account ${a.name} exists`, { code: 'VIM_ACCOUNT_EXISTS', cause: e });
      throw e;
    }
  }

  async get(id: string): Promise<VimAccount | undefined> {
    const row = await this.db.selectFrom('vim_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toVimAccount(row);
  }

  /** Every account, oldest first (the placement preference order). */
  async list(filter: { readonly tenant?: string } = {}): Promise<VimAccount[]> {
    let q = this.db.selectFrom('vim_accounts').selectAll().orderBy('created_at').orderBy('name');
    if (filter.tenant !== undefined) q = q.where('tenant', '=', filter.tenant);
    return (await q.execute()).map(toVimAccount);
  }

  /** Returns whether a row was deleted. */
  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('vim_accounts').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
