import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { createSecretBox, decodeSecretKey, registerSealedColumn, rotateSecrets, SECRET_KEY_FILE } from '../auth/index.js';
import type { RotationReport, TokenGrant } from '../auth/index.js';
import { ConfigError, loadConfig } from '../config/index.js';
import type { ConfigOverrides } from '../config/index.js';
import { openStore, sealedColumnRepository, SqlVimAccountRepository, VIM_SECRET_COLUMN } from '../store/index.js';
import type { Store } from '../store/index.js';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { removeLogin, saveLogin } from './credentials.js';
import { printJson, printTable } from './output.js';
import type { Output } from './output.js';

/** Reads standard input to the end; one trailing newline is dropped. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal (the answer is echoed). */
async function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Asks for a password on the terminal without echoing it (raw mode; Ctrl-C cancels). */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('rondo login: cancelled', EXIT.usage));
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

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

interface RotateOptions {
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
async function rotate(o: RotateOptions, out: Output, json: boolean): Promise<void> {
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
    registerSealedColumn(VIM_SECRET_COLUMN);
    report = await rotateSecrets(sealedColumnRepository(store.db), oldBox, newBox);
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
export function registerAuthCommands(program: Command, out: Output): void {
  program
    .command('login')
    .description('log in to the server and keep the token for the next commands')
    .option('--user <username>', 'username (env RONDO_USER; asked on a terminal)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (o: { user?: string; passwordStdin?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const tty = process.stdin.isTTY === true;
      let username = o.user ?? process.env.RONDO_USER;
      if (!username) {
        if (!tty || o.passwordStdin) throw new CliError('rondo login: no username', EXIT.usage, undefined, 'pass --user <name> (or set RONDO_USER)');
        username = await promptLine('username: ');
      }
      let password: string;
      if (o.passwordStdin) password = await readStdin();
      else if (tty) password = await promptHidden(`password for ${username}: `);
      else {
        throw new CliError('rondo login: no password', EXIT.usage, 'standard input is not a terminal', 'pipe it in with --password-stdin, e.g. printf %s "$PASSWORD" | rondo login --user admin --password-stdin');
      }
      if (password === '') throw new CliError('rondo login: empty password', EXIT.usage);
      let grant: TokenGrant;
      try {
        grant = (await ctx.client.post<TokenGrant>(`logging in to ${ctx.client.baseUrl}`, '/admin/v1/tokens', { username, password })).body;
      } catch (e) {
        if (e instanceof CliError && e.reason?.startsWith('401')) {
          throw new CliError(`logging in to ${ctx.client.baseUrl} failed: wrong username or password`, EXIT.failed, e.reason, 'the first admin\'s password is printed once by "rondo serve" on first start (or set with RONDO_ADMIN_USER / RONDO_ADMIN_PASSWORD)');
        }
        throw e;
      }
      const expiresAt = new Date(Date.now() + grant.expires_in * 1000).toISOString();
      const file = await saveLogin(ctx.client.baseUrl, { username, token: grant.access_token, expiresAt, project: grant.project, roles: grant.roles });
      if (ctx.json) printJson(out, { url: ctx.client.baseUrl, username, project: grant.project, roles: grant.roles, expiresAt, credentialsFile: file });
      else out.out(`logged in to ${ctx.client.baseUrl} as ${username} (project ${grant.project}, roles ${grant.roles.join(', ')}); the token is valid until ${expiresAt}, kept in ${file}`);
      if (process.env.RONDO_TOKEN || process.env.RONDO_API_KEY) out.err('note: RONDO_TOKEN / RONDO_API_KEY is set and is used instead of this login');
    });

  program
    .command('logout')
    .description('forget the token kept for the server')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const removed = await removeLogin(ctx.client.baseUrl);
      if (ctx.json) printJson(out, { url: ctx.client.baseUrl, loggedOut: removed });
      else out.out(removed ? `logged out of ${ctx.client.baseUrl}` : `not logged in to ${ctx.client.baseUrl}`);
    });

  program
    .command('whoami')
    .description('who the server takes you for: user, project, roles')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const me = await ctx.client.get<{ user: string; tenant: string; roles: string[]; isAdmin: boolean; method: string }>('asking who you are', '/admin/v1/users/me');
      if (ctx.json) printJson(out, me);
      else out.out(`${me.user} (project ${me.tenant}, roles ${me.roles.join(', ')}; authenticated by ${me.method})`);
    });

  const secrets = program.command('secrets').description('the key that seals stored credentials');
  secrets
    .command('rotate')
    .description('re-encrypt every stored secret with a new key (stop the server first)')
    .option('--data-dir <dir>', 'data directory of the server (database, secret.key)')
    .option('--database-url <url>', 'PostgreSQL URL, when the server uses one')
    .option('--new-key <key|file>', 'the new key (44 base64 or 64 hex characters) or a file holding it; default: a new random key')
    .option('--old-key <key|file>', 'the current key; default: RONDO_SECRET_KEY, else <data-dir>/secret.key')
    .option('--key-file <file>', 'where to write the new key (mode 0600); default <data-dir>/secret.key')
    .option('--force', 'rotate even though the embedded store looks in use (a server that was killed)')
    .action(async (o: RotateOptions, cmd: Command) => rotate(o, out, Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json)));
}
