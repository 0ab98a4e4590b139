import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { TokenGrant } from '../auth/index.js';
import type { RotateOptions } from './secrets-rotate.js';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { removeLogin, saveLogin } from './credentials.js';
import { printJson } from './output.js';
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
    .action(async (o: RotateOptions, cmd: Command) => {
      const { rotate } = await import('./secrets-rotate.js');
      await rotate(o, out, Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json));
    });
}
