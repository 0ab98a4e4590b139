import { InternalError } from '../model/index.js';
import type { SealedColumn, SealedColumnRepository } from './auth-store.js';
import type { SecretBox } from './secret-box.js';

/** The columns of the auth tables that hold {@link SecretBox} output (VES agent passwords, subscription credentials). */
export const AUTH_SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'ves_agent_configs', keyColumn: 'vim_id', column: 'password_sealed' },
  { table: 'subscriptions', keyColumn: 'id', column: 'auth_sealed' },
];

/**
 * The columns `rondo secrets rotate` re-encrypts: {@link AUTH_SEALED_COLUMNS} and those
 * other modules name (the VIM credentials' column, from the store), each once. A plain
 * value, not a registry: nothing process-wide to register into. Throws InternalError for
 * a name that is not a plain SQL identifier.
 */
export function sealedColumns(...more: readonly SealedColumn[]): readonly SealedColumn[] {
  const out = [...AUTH_SEALED_COLUMNS];
  for (const c of more) {
    for (const name of [c.table, c.keyColumn, c.column]) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new InternalError(`sealed column has an invalid identifier ${JSON.stringify(name)}`);
    }
    if (!out.some((r) => r.table === c.table && r.column === c.column)) out.push(c);
  }
  return out;
}

/** What a rotation did, per column and in total. */
export interface RotationReport {
  readonly columns: readonly { readonly table: string; readonly column: string; readonly rotated: number; readonly alreadyCurrent: number; readonly raced: number }[];
  readonly rotated: number;
}

/**
 * Re-encrypts every sealed value of `columns` (see {@link sealedColumns}) from `oldBox`'s key to `newBox`'s. Values
 * already sealed with the new key are skipped, so a rotation that stopped half-way can
 * simply be run again. A row changed concurrently is left as its writer left it
 * (counted as `raced`). Throws InternalError `SECRET_UNREADABLE` (naming nothing secret)
 * when a value opens with neither key.
 */
export async function rotateSecrets(repo: SealedColumnRepository, oldBox: SecretBox, newBox: SecretBox, columns: readonly SealedColumn[]): Promise<RotationReport> {
  const report: RotationReport['columns'][number][] = [];
  for (const c of columns) {
    let rotated = 0;
    let alreadyCurrent = 0;
    let raced = 0;
    for (const { key, sealed } of await repo.list(c)) {
      if (newBox.sealedWithThisKey(sealed)) {
        alreadyCurrent++;
        continue;
      }
      const next = newBox.seal(oldBox.open(sealed));
      if (await repo.replace(c, key, sealed, next)) rotated++;
      else raced++;
    }
    report.push({ table: c.table, column: c.column, rotated, alreadyCurrent, raced });
  }
  return { columns: report, rotated: report.reduce((n, c) => n + c.rotated, 0) };
}
