import { BadRequestError, NotFoundError } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { ApiKeyRecord, ApiKeyRepository } from './auth-store.js';
import { newApiKey } from './api-key-format.js';
import type { AuthContext } from './roles.js';

/** An API key as the API shows it: never the secret or its hash. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** The one answer that carries the key itself. */
export interface CreatedApiKey extends ApiKeyView {
  /** `rondo_<id>_<secret>`: shown once, store it now. */
  readonly key: string;
}

/** API keys of the calling user (admins see and revoke everyone's). */
export interface ApiKeyService {
  create(ctx: AuthContext, req: { readonly name: string; readonly expiresInDays?: number }): Promise<CreatedApiKey>;
  list(ctx: AuthContext): Promise<ApiKeyView[]>;
  /** NotFoundError for a key that does not exist or is someone else's (non-admin). */
  revoke(ctx: AuthContext, id: string): Promise<void>;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const view = (k: ApiKeyRecord): ApiKeyView => ({
  id: k.id, name: k.name, userId: k.userId, createdAt: k.createdAt.toISOString(), expiresAt: iso(k.expiresAt), revokedAt: iso(k.revokedAt), lastUsedAt: iso(k.lastUsedAt),
});

/** Creates the {@link ApiKeyService}. */
export function createApiKeyService(deps: { apiKeys: ApiKeyRepository; clock: Clock; ids: IdGenerator; random?: (n: number) => Uint8Array }): ApiKeyService {
  const { apiKeys, clock, ids } = deps;
  return {
    async create(ctx, req) {
      if (ctx.method === 'insecure') {
        throw new BadRequestError('API keys cannot be made in insecure mode: there is no user to own them', { code: 'APIKEY_NO_USER' });
      }
      const name = req.name.trim();
      if (name.length === 0 || name.length > 100) throw new BadRequestError('name: 1 to 100 characters', { code: 'VALIDATION_FAILED', details: { field: 'name' } });
      const id = ids.next();
      const { key, secretHash } = newApiKey(id, deps.random);
      const now = clock.now();
      const expiresAt = req.expiresInDays === undefined ? null : new Date(now.getTime() + req.expiresInDays * 86_400_000);
      const rec = await apiKeys.insert({ id, userId: ctx.userId, name, secretHash, createdAt: now, expiresAt, revokedAt: null, lastUsedAt: null });
      return { ...view(rec), key };
    },
    list: async (ctx) => (await apiKeys.list(ctx.isAdmin ? {} : { userId: ctx.userId })).map(view),
    async revoke(ctx, id) {
      const k = await apiKeys.get(id);
      if (!k || (!ctx.isAdmin && k.userId !== ctx.userId) || !(await apiKeys.revoke(id, clock.now()))) throw new NotFoundError('API key', id);
    },
  };
}
