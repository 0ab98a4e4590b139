import { hkdfSync, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { UserRole } from './roles.js';

/** What a Rondo access token says. Roles are informational: requests use the stored user. */
export interface TokenClaims {
  readonly userId: string;
  readonly username: string;
  readonly tenant: string;
  readonly roles: readonly UserRole[];
  /** Issued at, whole seconds since the epoch. */
  readonly issuedAt: number;
}

/** Signs and verifies access tokens (JWT, HS256). */
export interface TokenSigner {
  /** A signed token valid for `ttlSeconds` from `now`. */
  sign(claims: Omit<TokenClaims, 'issuedAt'>, now: Date, ttlSeconds: number): Promise<string>;
  /** The claims, or null when the token is malformed, forged, expired or not ours. Never throws. */
  verify(token: string, now: Date): Promise<TokenClaims | null>;
}

const ISSUER = 'rondo';
const AUDIENCE = 'rondo-api';
/** Longer strings are not even parsed. */
const MAX_TOKEN_LENGTH = 8192;

/**
 * Creates a {@link TokenSigner}. The HMAC key is derived from the master secret key with
 * HKDF (its own label), so the same key material never serves two purposes; rotating the
 * master key also ends every issued token.
 */
export function createTokenSigner(masterKey: Uint8Array): TokenSigner {
  const key = new Uint8Array(hkdfSync('sha256', masterKey, 'rondo', 'rondo access token hs256 v1', 32));
  return {
    async sign(c, now, ttlSeconds) {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({ name: c.username, project: c.tenant, roles: [...c.roles] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(c.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(key);
    },
    async verify(token, now) {
      if (token.length > MAX_TOKEN_LENGTH) return null;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: now, requiredClaims: ['sub', 'iat', 'exp'] });
        const { sub, name, project, roles, iat } = payload;
        if (typeof sub !== 'string' || typeof name !== 'string' || typeof project !== 'string' || !Array.isArray(roles) || typeof iat !== 'number') return null;
        return { userId: sub, username: name, tenant: project, roles: roles.filter((r): r is UserRole => typeof r === 'string'), issuedAt: iat };
      } catch {
        return null;
      }
    },
  };
}
