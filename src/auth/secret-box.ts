import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { BadRequestError, InternalError } from '../model/index.js';

/**
 * Seals short secrets (VIM credentials, VES and callback passwords) for storage with
 * AES-256-GCM. The sealed text is `v2.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts),
 * so it fits a text column and names the key that sealed it: `rotateSecrets` can find
 * what still needs re-encrypting, and a wrong key fails with a clear message.
 */
export interface SecretBox {
  /** 8 hex characters derived from the key (not secret: a hash prefix). */
  readonly keyId: string;
  /** Encrypts `plain` with a fresh random 96-bit IV. */
  seal(plain: string): string;
  /**
   * Decrypts. Throws InternalError `SECRET_UNREADABLE` when the text is malformed, was
   * sealed with another key, or was altered.
   */
  open(sealed: string): string;
  /** Whether `sealed` was sealed with this box's key (by its key id; no decryption). */
  sealedWithThisKey(sealed: string): boolean;
}

const VERSION = 'v2';
/** The first format (monitoring's interim box): `v1.<iv>.<tag>.<ciphertext>`, no key id. */
const LEGACY_VERSION = 'v1';

const unreadable = (message: string, cause?: unknown) =>
  new InternalError(message, cause === undefined ? {} : { cause });

/** The key id of a sealed text, or null for the legacy format / garbage. */
export function sealedKeyId(sealed: string): string | null {
  const [v, kid] = sealed.split('.');
  return v === VERSION && kid !== undefined && /^[0-9a-f]{8}$/.test(kid) ? kid : null;
}

/**
 * Creates a {@link SecretBox} from a 32-byte key (raw bytes, 44 base64 or 64 hex
 * characters). Throws BadRequestError `SECRET_KEY_INVALID` for anything else.
 * `randomIv` is injectable so tests can be exact. Texts in the legacy `v1` format are
 * opened with this key too, so data sealed before key ids existed stays readable.
 */
export function createSecretBox(key: Uint8Array | string, randomIv: (n: number) => Uint8Array = randomBytes): SecretBox {
  const k = decodeSecretKey(key);
  const keyId = createHash('sha256').update('rondo-secret-key-id').update(k).digest('hex').slice(0, 8);
  const decrypt = (iv: string, tag: string, body: string): string => {
    try {
      const d = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    } catch (cause) {
      throw unreadable('a stored secret cannot be decrypted: the value was altered or the key changed; restore RONDO_SECRET_KEY or re-enter the secret', cause);
    }
  };
  return {
    keyId,
    seal(plain) {
      const iv = Buffer.from(randomIv(12));
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return [VERSION, keyId, iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const parts = sealed.split('.');
      if (parts[0] === LEGACY_VERSION && parts.length === 4) return decrypt(parts[1]!, parts[2]!, parts[3]!);
      if (parts[0] !== VERSION || parts.length !== 5) throw unreadable('a stored secret has an unknown format; re-enter it');
      if (parts[1] !== keyId) {
        throw unreadable(`a stored secret was sealed with key ${parts[1]}, not the current key ${keyId}; run \`rondo secrets rotate\` with the old key, or restore it`);
      }
      return decrypt(parts[2]!, parts[3]!, parts[4]!);
    },
    sealedWithThisKey: (sealed) => sealedKeyId(sealed) === keyId,
  };
}

/**
 * Decodes a 32-byte key from raw bytes, base64 (44 chars, standard or url alphabet) or
 * hex (64 chars). Throws BadRequestError `SECRET_KEY_INVALID` naming what to pass.
 */
export function decodeSecretKey(key: Uint8Array | string): Buffer {
  let k: Buffer | undefined;
  const s = typeof key === 'string' ? key.trim() : null;
  if (s === null) k = Buffer.from(key as Uint8Array);
  else if (/^[0-9a-fA-F]{64}$/.test(s)) k = Buffer.from(s, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) k = Buffer.from(s, /[-_]/.test(s) ? 'base64url' : 'base64');
  if (!k || k.length !== 32) {
    throw new BadRequestError('the secret key must be 32 bytes: 44 base64 characters (`openssl rand -base64 32`) or 64 hex characters', {
      code: 'SECRET_KEY_INVALID',
    });
  }
  return k;
}
