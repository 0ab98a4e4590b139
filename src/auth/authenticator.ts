import { UnauthorizedError } from '../model/index.js';
import type { Clock } from '../model/index.js';
import type { ApiKeyRepository, UserRecord, UserRepository } from './auth-store.js';
import { apiKeyMatches, looksLikeApiKey, parseApiKey } from './api-key-format.js';
import { authContext } from './roles.js';
import type { AuthContext } from './roles.js';
import type { TokenSigner } from './token-signer.js';

/** The request headers authentication reads (Node's shape: string, list, or absent). */
export type CredentialHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Turns request credentials into an {@link AuthContext}. */
export interface Authenticator {
  /**
   * Authenticates `Authorization: Bearer <jwt | api key>` or `X-API-Key: <api key>`.
   * Throws UnauthorizedError `AUTH_REQUIRED` without credentials and `AUTH_INVALID` for
   * wrong, expired or revoked ones, a disabled user, or a malformed header.
   */
  authenticate(headers: CredentialHeaders): Promise<AuthContext>;
}

/** Dependencies of {@link createAuthenticator}. */
export interface AuthenticatorDeps {
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly signer: TokenSigner;
  readonly clock: Clock;
}

const invalid = () => new UnauthorizedError('AUTH_INVALID', 'the credentials are invalid, expired or revoked; get a new token from POST /admin/v1/tokens');
/** `last_used_at` is refreshed at most this often per key: one write per minute, not per request. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_HEADER_LENGTH = 8192;

function credential(headers: CredentialHeaders): string | null {
  const auth = headers.authorization;
  const key = headers['x-api-key'];
  if (Array.isArray(auth) || Array.isArray(key)) throw invalid();
  if (auth !== undefined && key !== undefined) throw invalid();
  if (key !== undefined) return key.trim();
  if (auth === undefined) return null;
  if (auth.length > MAX_HEADER_LENGTH) throw invalid();
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth);
  if (!m) throw invalid();
  return m[1]!;
}

const usable = (u: UserRecord | undefined): u is UserRecord => u !== undefined && !u.disabled && u.roles.length > 0;

/** Creates the {@link Authenticator} for JWTs signed by `signer` and stored API keys. */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const { users, apiKeys, signer, clock } = deps;

  const byApiKey = async (text: string): Promise<AuthContext> => {
    const parsed = parseApiKey(text);
    if (!parsed) throw invalid();
    const key = await apiKeys.get(parsed.id);
    const now = clock.now();
    if (!key || !apiKeyMatches(parsed.secret, key.secretHash) || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) throw invalid();
    const user = await users.get(key.userId);
    if (!usable(user)) throw invalid();
    if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await apiKeys.touch(key.id, now);
    return authContext({ userId: user.id, user: user.username, tenant: user.tenant, roles: user.roles, method: 'api_key', apiKeyId: key.id });
  };

  const byToken = async (token: string): Promise<AuthContext> => {
    const claims = await signer.verify(token, clock.now());
    if (!claims) throw invalid();
    const user = await users.get(claims.userId);
    // Tokens issued before a password change or a re-enable are void.
    if (!usable(user) || claims.issuedAt < Math.floor(user.tokensValidAfter.getTime() / 1000)) throw invalid();
    return authContext({ userId: user.id, user: user.username, tenant: user.tenant, roles: user.roles, method: 'token' });
  };

  return {
    async authenticate(headers) {
      const c = credential(headers);
      if (c === null || c === '') throw new UnauthorizedError('AUTH_REQUIRED', 'authentication required: send Authorization: Bearer <token> (POST /admin/v1/tokens) or X-API-Key');
      return looksLikeApiKey(c) ? byApiKey(c) : byToken(c);
    },
  };
}
