import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One server's login as `rondo login` stored it. */
export interface StoredLogin {
  readonly username: string;
  /** The bearer token (never printed). */
  readonly token: string;
  readonly expiresAt: string;
  readonly project: string;
  readonly roles: readonly string[];
}

/** The credentials file: logins keyed by server URL. */
interface CredentialsDocument {
  version: 1;
  servers: Record<string, StoredLogin>;
}

/** `$RONDO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/rondo`, else `~/.config/rondo`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RONDO_CONFIG_DIR) return env.RONDO_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'rondo');
}

/** Where `rondo login` keeps tokens (mode 0600). */
export const credentialsFile = (env: NodeJS.ProcessEnv = process.env): string => join(configDir(env), 'credentials.json');

/** The key of a server in the file: scheme, host, port and path without a trailing slash. */
export function serverKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/** The stored logins; an empty document when the file is missing or unreadable. */
async function readDocument(env: NodeJS.ProcessEnv): Promise<CredentialsDocument> {
  try {
    const doc = JSON.parse(await readFile(credentialsFile(env), 'utf8')) as Partial<CredentialsDocument>;
    if (doc && typeof doc === 'object' && doc.servers && typeof doc.servers === 'object') return { version: 1, servers: { ...doc.servers } };
  } catch {
    // missing or damaged: treated as no logins (`rondo login` writes a fresh one)
  }
  return { version: 1, servers: {} };
}

/** Writes the file atomically with mode 0600 (its folder 0700). */
async function writeDocument(doc: CredentialsDocument, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = credentialsFile(env);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file).catch(async (e: unknown) => {
    await rm(tmp, { force: true });
    throw e;
  });
  return file;
}

/** The login stored for `url`, if any. */
export async function storedLogin(url: string, env: NodeJS.ProcessEnv = process.env): Promise<StoredLogin | undefined> {
  return (await readDocument(env)).servers[serverKey(url)];
}

/** Stores (replaces) the login of `url`; returns the file's path. */
export async function saveLogin(url: string, login: StoredLogin, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const doc = await readDocument(env);
  doc.servers[serverKey(url)] = login;
  return writeDocument(doc, env);
}

/** Forgets the login of `url`; false when there was none. */
export async function removeLogin(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const doc = await readDocument(env);
  const key = serverKey(url);
  if (!(key in doc.servers)) return false;
  delete doc.servers[key];
  await writeDocument(doc, env);
  return true;
}

/**
 * The credential headers of a call to `url`: `RONDO_TOKEN` (a bearer token), else
 * `RONDO_API_KEY` (sent as `X-API-Key`), else the token `rondo login` stored for that
 * server while it is not expired. None when there is nothing (the server answers 401).
 * Never throws: an unreadable file counts as no login.
 */
export async function credentialHeaders(url: string, env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): Promise<Record<string, string>> {
  if (env.RONDO_TOKEN) return { authorization: `Bearer ${env.RONDO_TOKEN}` };
  if (env.RONDO_API_KEY) return { 'x-api-key': env.RONDO_API_KEY };
  const login = await storedLogin(url, env).catch(() => undefined);
  if (!login || typeof login.token !== 'string' || Date.parse(login.expiresAt) <= now()) return {};
  return { authorization: `Bearer ${login.token}` };
}
