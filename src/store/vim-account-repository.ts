import type { Kysely } from 'kysely';
import type { VimAccount } from '../model/index.js';
import { ConflictError } from '../model/index.js';
import type { Database } from './schema.js';
import type { SealedColumn } from './sealed-column-repository.js';
import { isUniqueViolation, json, toVimAccount } from './runtime-rows.js';

/** Seals credentials for storage (the auth module's `SecretBox`). */
export interface VimSecretSealer {
  seal(plain: string): string;
}

/** Where VIM credentials are kept sealed; registered for `rondo secrets rotate`. */
export const VIM_SECRET_COLUMN: SealedColumn = { table: 'vim_accounts', keyColumn: 'id', column: 'secret_sealed' };

/** The shape of `SecretBox` output (`v2.<keyId>.…`, or the legacy `v1.…`). */
const SEALED_TEXT = /^v[12]\.[0-9A-Za-z_-]+\.[0-9A-Za-z_.-]+$/;

/**
 * VIM accounts (PoPs). With a `sealer` (the server always passes its secret box), the
 * credentials (`config.secret`) are sealed into `secret_sealed` on insert and never
 * written in clear; read back, `config.secret` is the sealed text, opened only when a
 * driver is built (`VimRegistry`'s `openSecret`). Without a sealer (tests, tools) they
 * stay in `config` as given.
 */
export class SqlVimAccountRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer?: VimSecretSealer,
  ) {}

  /** Splits the credentials off the config: sealed text (or null) and the config to store. */
  #split(config: Record<string, unknown>): { config: Record<string, unknown>; sealed: string | null } {
    const { secret, ...rest } = config;
    if (secret === undefined) return { config, sealed: null };
    // Already sealed (an account read back and written again).
    if (typeof secret === 'string' && SEALED_TEXT.test(secret)) return { config: rest, sealed: secret };
    if (!this.sealer) return { config, sealed: null };
    return { config: rest, sealed: this.sealer.seal(JSON.stringify(secret)) };
  }

  /** ConflictError `VIM_ACCOUNT_EXISTS` when the id or name is taken. */
  async insert(a: VimAccount): Promise<VimAccount> {
    const { config, sealed } = this.#split(a.config);
    try {
      const row = await this.db
        .insertInto('vim_accounts')
        .values({
          id: a.id, name: a.name, type: a.type, endpoint: a.endpoint, capacity_cpu: a.capacity?.cpu ?? null,
          capacity_memory_mib: a.capacity?.memoryMiB ?? null, config: json(config), secret_sealed: sealed, tenant: a.tenant, created_at: a.createdAt,
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

  /**
   * Replaces the account's configuration; credentials (`config.secret`) as `insert` keeps
   * them (already sealed text stays as it is). Returns the account, or undefined when gone.
   */
  async updateConfig(id: string, config: Record<string, unknown>): Promise<VimAccount | undefined> {
    const split = this.#split(config);
    const row = await this.db
      .updateTable('vim_accounts')
      .set({ config: json(split.config), ...(split.sealed !== null ? { secret_sealed: split.sealed } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toVimAccount(row);
  }

  /** Returns whether a row was deleted. */
  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('vim_accounts').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Seals credentials still stored in clear in `config` (rows written before sealing
   * existed, or without a sealer). Run at start-up; returns how many rows it sealed. A row
   * changed meanwhile is left to its writer. Does nothing without a sealer.
   */
  async sealClearSecrets(): Promise<number> {
    if (!this.sealer) return 0;
    const rows = await this.db.selectFrom('vim_accounts').select(['id', 'config']).where('secret_sealed', 'is', null).execute();
    let sealed = 0;
    for (const row of rows) {
      const secret = row.config.secret;
      if (secret === undefined || secret === null) continue;
      const split = this.#split(row.config);
      const r = await this.db
        .updateTable('vim_accounts')
        .set({ config: json(split.config), secret_sealed: split.sealed })
        .where('id', '=', row.id)
        .where('secret_sealed', 'is', null)
        .executeTakeFirst();
      sealed += Number(r.numUpdatedRows) > 0 ? 1 : 0;
    }
    return sealed;
  }
}
