import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BadRequestError, InternalError } from '../model/index.js';

/**
 * Seals short secrets (VES collector and callback passwords) for storage with
 * AES-256-GCM. The sealed form is `v1.<iv>.<tag>.<ciphertext>` in base64url, so it fits
 * a text column and carries its own version for a later key rotation.
 */
export interface SecretBox {
  /** Encrypts `plain` with a fresh random 96-bit IV. */
  seal(plain: string): string;
  /** Decrypts; throws InternalError `SECRET_UNREADABLE` when the key is wrong or the text was altered. */
  open(sealed: string): string;
}

const VERSION = 'v1';

/**
 * Creates a {@link SecretBox} from a 32-byte key (raw, or 64 hex / 44 base64 characters).
 * Throws BadRequestError `SECRET_KEY_INVALID` for any other key, naming what to pass.
 * `randomIv` is injectable so tests can be exact; the default is `crypto.randomBytes`.
 */
export function createSecretBox(key: Uint8Array | string, randomIv: (n: number) => Uint8Array = randomBytes): SecretBox {
  const k = decodeKey(key);
  return {
    seal(plain) {
      const iv = randomIv(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, Buffer.from(iv).toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new InternalError('a stored secret has an unknown format; re-enter it');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new InternalError('a stored secret cannot be decrypted: the secret key changed or the value was altered; restore the key or re-enter the secret', { cause });
      }
    },
  };
}

function decodeKey(key: Uint8Array | string): Buffer {
  let k: Buffer | undefined;
  if (typeof key !== 'string') k = Buffer.from(key);
  else if (/^[0-9a-fA-F]{64}$/.test(key)) k = Buffer.from(key, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(key)) k = Buffer.from(key, key.includes('-') || key.includes('_') ? 'base64url' : 'base64');
  if (!k || k.length !== 32) {
    throw new BadRequestError('the secret key must be 32 bytes: 64 hex characters or 44 base64 characters (e.g. `openssl rand -hex 32`)', {
      code: 'SECRET_KEY_INVALID',
    });
  }
  return k;
}
