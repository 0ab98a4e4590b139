import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { InternalError } from '../model/index.js';
import type { Database } from './schema.js';
import type { SealedColumn, SealedColumnRepository } from '../auth/index.js';

export type { SealedColumn, SealedValue, SealedColumnRepository } from '../auth/index.js';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function checked(c: SealedColumn): SealedColumn {
  for (const name of [c.table, c.keyColumn, c.column]) {
    if (!IDENT.test(name)) throw new InternalError(`sealed column has an invalid identifier ${JSON.stringify(name)}`);
  }
  return c;
}

/**
 * The {@link SealedColumnRepository}. Table and column names come from code
 * registrations, never from requests, and are still checked as plain identifiers.
 */
export function sealedColumnRepository(db: Kysely<Database>): SealedColumnRepository {
  return {
    async list(col) {
      const c = checked(col);
      /** Untyped on purpose: the columns are registered at run time by other modules. */
      const r = await sql<{ k: string; v: string }>`select ${sql.ref(c.keyColumn)}::text as k, ${sql.ref(c.column)} as v from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null order by 1`.execute(db);
      return r.rows.map((row) => ({ key: row.k, sealed: row.v }));
    },
    async replace(col, key, expected, next) {
      const c = checked(col);
      /** Guarded like every state change: zero rows means a concurrent writer won. */
      const r = await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${next} where ${sql.ref(c.keyColumn)}::text = ${key} and ${sql.ref(c.column)} = ${expected}`.execute(db);
      return Number(r.numAffectedRows ?? 0) > 0;
    },
  };
}
