import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The visible parts of an API key `rondo_<id>_<secret>`. */
export interface ParsedApiKey {
  readonly id: string;
  readonly secret: string;
}

const PREFIX = 'rondo_';
const FORMAT = /^rondo_([A-Za-z0-9-]{1,64})_([A-Za-z0-9_-]{43})$/;

/** Whether a credential looks like an API key (rather than a JWT). */
export const looksLikeApiKey = (s: string): boolean => s.startsWith(PREFIX);

/** Splits `rondo_<id>_<secret>`; null when the text is not one. */
export function parseApiKey(text: string): ParsedApiKey | null {
  const m = FORMAT.exec(text);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

/**
 * A new key for `id`: 32 random bytes of secret. Returns the full key (shown once) and
 * the hash to store. The id must not contain `_` (ids are UUIDs).
 */
export function newApiKey(id: string, random: (n: number) => Uint8Array = randomBytes): { key: string; secretHash: string } {
  const secret = Buffer.from(random(32)).toString('base64url');
  return { key: `${PREFIX}${id}_${secret}`, secretHash: hashApiKeySecret(secret) };
}

/**
 * SHA-256 of the secret. A fast hash is right here (unlike for passwords): the secret is
 * 256 random bits, so there is nothing to brute-force, and keys are checked per request.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function apiKeyMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKeySecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
