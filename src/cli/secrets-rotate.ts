import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecretBox, decodeSecretKey, rotateSecrets, sealedColumns, SECRET_KEY_FILE } from '../auth/index.js';
import type { RotationReport } from '../auth/index.js';
import { ConfigError, loadConfig } from '../config/index.js';
import type { ConfigOverrides } from '../config/index.js';
import { openStore, sealedColumnRepository, SqlVimAccountRepository, VIM_SECRET_COLUMN } from '../store/index.js';
import type { Store } from '../store/index.js';
import { CliError, EXIT } from './cli-error.js';
import { printJson, printTable } from './output.js';
import type { Output } from './output.js';

// `rondo secrets rotate`, apart from the other auth commands: it opens the store itself,
// and only this command should pay for loading the store and the sealing code.

/** A 32-byte key given as base64/hex text, or as a file holding one. */
async function keyArgument(value: string, what: string): Promise<Buffer> {
  try {
    return decodeSecretKey(value);
  } catch {
    // not a key: a file holding one
  }
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (e) {
    throw new CliError(`${what}: neither a key nor a readable file`, EXIT.usage, (e as NodeJS.ErrnoException).code ?? (e as Error).message, 'give 44 base64 characters (openssl rand -base64 32), 64 hex characters, or a file holding one');
  }
  try {
    return decodeSecretKey(text);
  } catch (e) {
    throw new CliError(`${what}: ${value} does not hold a key`, EXIT.usage, (e as Error).message, 'the file must hold 44 base64 or 64 hex characters');
  }
}

/** The key the data is sealed with now: `--old-key`, else RONDO_SECRET_KEY, else `<dataDir>/secret.key`. */
async function currentKey(oldKey: string | undefined, dataDir: string): Promise<{ key: Buffer; origin: 'option' | 'env' | 'file' }> {
  if (oldKey !== undefined) return { key: await keyArgument(oldKey, '--old-key'), origin: 'option' };
  const env = process.env.RONDO_SECRET_KEY;
  if (env) return { key: await keyArgument(env, 'RONDO_SECRET_KEY'), origin: 'env' };
  const file = join(dataDir, SECRET_KEY_FILE);
  try {
    return { key: decodeSecretKey(await readFile(file, 'utf8')), origin: 'file' };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError('secrets rotate: no current key', EXIT.usage, code === 'ENOENT' ? `${file} does not exist and RONDO_SECRET_KEY is unset` : (e as Error).message, 'point --data-dir at the server\'s data directory, or pass --old-key');
  }
}

export interface RotateOptions {
  dataDir?: string;
  databaseUrl?: string;
  newKey?: string;
  oldKey?: string;
  keyFile?: string;
  force?: boolean;
}

/**
 * `rondo secrets rotate`: offline (server stopped), re-encrypts every sealed column (VIM
 * credentials, VES passwords, subscription credentials) from the current key to a new
 * one, then installs the new key file (0600). The new key is written beside it
 * (`<key-file>.new`) before the store is touched, so an interrupted rotation can be run
 * again with `--new-key <key-file>.new`.
 */
export async function rotate(o: RotateOptions, out: Output, json: boolean): Promise<void> {
  let config;
  try {
    const overrides: ConfigOverrides = { ...(o.dataDir ? { dataDir: o.dataDir } : {}), ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) };
    config = loadConfig(process.env, overrides);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError('secrets rotate: invalid configuration', EXIT.usage, e.problems.join('\n'), 'fix the flags or environment variables named above');
    throw e;
  }
  const old = await currentKey(o.oldKey, config.dataDir);
  const newKey = o.newKey !== undefined ? await keyArgument(o.newKey, '--new-key') : randomBytes(32);
  const oldBox = createSecretBox(old.key);
  const newBox = createSecretBox(newKey);
  if (oldBox.keyId === newBox.keyId) throw new CliError('secrets rotate: the new key is the current key', EXIT.usage, undefined, 'give another --new-key, or none to generate one');
  // PGlite keeps `postmaster.pid` while a server has the store open (and removes it on a clean stop).
  if (!config.databaseUrl && !o.force && (await stat(join(config.dataDir, 'db', 'postmaster.pid')).then(() => true, () => false))) {
    throw new CliError('secrets rotate: the store is in use', EXIT.usage, `${join(config.dataDir, 'db', 'postmaster.pid')} exists: a server is running on this data directory`, 'stop the server first (or pass --force if it was killed and cannot have it open)');
  }
  const keyFile = o.keyFile ?? join(config.dataDir, SECRET_KEY_FILE);
  const pending = `${keyFile}.new`;
  // The new key is safe on disk before any value is sealed with it.
  await writeFile(pending, `${newKey.toString('base64')}\n`, { mode: 0o600 });
  await chmod(pending, 0o600);

  let store: Store;
  try {
    store = await openStore(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema } : { kind: 'pglite', dataDir: join(config.dataDir, 'db') });
  } catch (e) {
    await rm(pending, { force: true });
    throw new CliError('secrets rotate: cannot open the store', EXIT.usage, (e as Error).message, 'stop the server first; check --data-dir / --database-url');
  }
  let report: RotationReport;
  let sealedClear: number;
  try {
    report = await rotateSecrets(sealedColumnRepository(store.db), oldBox, newBox, sealedColumns(VIM_SECRET_COLUMN));
    // VIM credentials stored before sealing existed: sealed with the new key now.
    sealedClear = await new SqlVimAccountRepository(store.db, newBox).sealClearSecrets();
  } catch (e) {
    throw new CliError(
      'secrets rotate: stopped',
      EXIT.failed,
      (e as Error).message,
      `values rotated so far are sealed with the new key, kept in ${pending}: fix the cause and run again with --new-key ${pending}`,
    );
  } finally {
    await store.close();
  }
  await rename(pending, keyFile);
  await chmod(keyFile, 0o600);

  const result = { oldKeyId: oldBox.keyId, newKeyId: newBox.keyId, keyFile, rotated: report.rotated, sealedClearVimCredentials: sealedClear, columns: report.columns };
  if (json) printJson(out, result);
  else {
    printTable(out, ['TABLE', 'COLUMN', 'ROTATED', 'ALREADY NEW', 'CHANGED MEANWHILE'], report.columns.map((c) => [c.table, c.column, c.rotated, c.alreadyCurrent, c.raced]));
    out.out(`rotated ${report.rotated} secret(s) from key ${oldBox.keyId} to key ${newBox.keyId}; the new key is in ${keyFile} (mode 0600)`);
    if (sealedClear > 0) out.out(`sealed the clear credentials of ${sealedClear} VIM account(s)`);
    out.out('every token issued with the old key is now invalid: log in again after the server restarts');
  }
  if (old.origin === 'env') out.err(`warning: RONDO_SECRET_KEY still holds the old key: set it to the contents of ${keyFile} (or unset it) before starting the server`);
}

/**
 * `rondo login`, `rondo logout`, `rondo whoami` (the CLI's token for a server, kept in
 * `credentials.json` of `$RONDO_CONFIG_DIR` or `~/.config/rondo`, mode 0600) and
 * `rondo secrets rotate` (offline re-encryption of the stored secrets with a new key).
 */
