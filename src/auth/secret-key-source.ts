import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { decodeSecretKey } from './secret-box.js';

/** Where the key came from, for the start-up log line (never the key itself). */
export const SECRET_KEY_ORIGINS = ['env', 'file', 'generated'] as const;
export type SecretKeyOrigin = (typeof SECRET_KEY_ORIGINS)[number];

/** The master key of one process. */
export interface SecretKeyMaterial {
  readonly key: Buffer;
  readonly origin: SecretKeyOrigin;
  /** The key file, when the key lives in one. */
  readonly path: string | null;
  /** A line for the operator when something deserves attention (a readable key file). */
  readonly warning: string | null;
}

/** File name of the generated key inside the data directory. */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * Loads the master key: `RONDO_SECRET_KEY` (base64 or hex, 32 bytes) wins; otherwise
 * `<dataDir>/secret.key`, generated on first start with mode 0600. Throws
 * BadRequestError `SECRET_KEY_INVALID` when either holds something else. Synchronous: it
 * runs once at start-up, before anything can be sealed.
 */
export function loadSecretKey(
  { env = process.env, dataDir }: { env?: NodeJS.ProcessEnv; dataDir: string },
  random: (n: number) => Uint8Array = randomBytes,
): SecretKeyMaterial {
  const fromEnv = env.RONDO_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { key: decodeSecretKey(fromEnv), origin: 'env', path: null, warning: null };
  const path = join(dataDir, SECRET_KEY_FILE);
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text !== null) {
    const mode = statSync(path).mode & 0o777;
    const warning = (mode & 0o077) !== 0 ? `${path} is readable by other users (mode ${mode.toString(8)}); run chmod 600 ${path}` : null;
    return { key: decodeSecretKey(text), origin: 'file', path, warning };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = Buffer.from(random(32));
  // `wx`: if another process wrote the file in between, fail rather than overwrite its key.
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretKey({ env, dataDir }, random);
    throw e;
  }
  chmodSync(path, 0o600); // the umask may have narrowed it further, never widened; make it exact
  return { key, origin: 'generated', path, warning: null };
}
