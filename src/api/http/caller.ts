import type { FastifyRequest } from 'fastify';
import { INSECURE_CONTEXT, assertVimVisible, visibleVimIds } from '../../auth/index.js';
import type { AuthContext } from '../../auth/index.js';
import { vimShareRepository } from '../../store/index.js';
import type { AppDeps } from '../app-deps.js';

/**
 * Who is calling: `request.auth` as the auth plugin set it. Without the auth plugin
 * (apps built before auth was wired, route tests of single plugins) every caller is
 * {@link INSECURE_CONTEXT}, an admin of tenant `default`, so behaviour is unchanged there.
 */
export function callerOf(request: FastifyRequest): AuthContext {
  // Undefined, not null, when the plugin never decorated the request.
  return (request as { auth?: AuthContext | null }).auth ?? INSECURE_CONTEXT;
}

/** Which VIM accounts callers may use: own tenant's plus those an admin shared. */
export interface VimAccess {
  /** `'all'` for admins, else the ids of own and shared VIM accounts. */
  visibleIds(ctx: AuthContext): Promise<readonly string[] | 'all'>;
  /** Throws NotFoundError `VIM account` unless `ctx` may use `vimId`. */
  assertVisible(ctx: AuthContext, vimId: string): Promise<void>;
}

/** {@link VimAccess} over the store's `vim_accounts` and `vim_account_shares`. */
export function vimAccessOf(deps: Pick<AppDeps, 'store'>): VimAccess {
  const shares = vimShareRepository(deps.store.db);
  return {
    visibleIds: (ctx) => visibleVimIds(shares, ctx),
    assertVisible: (ctx, vimId) => assertVimVisible(shares, ctx, vimId),
  };
}

/** The PoP ids an instantiation may place on: undefined (any) for admins. */
export async function allowedPopsOf(access: VimAccess, ctx: AuthContext): Promise<readonly string[] | undefined> {
  const ids = await access.visibleIds(ctx);
  return ids === 'all' ? undefined : ids;
}

/**
 * The tenant of an NS instance (undefined when it is gone), cached: an NS never changes
 * tenant. The SSE stream uses it to deliver each event to its tenant only.
 */
export function nsTenantResolver(deps: Pick<AppDeps, 'services'>, maxEntries = 10_000): (nsInstanceId: string) => Promise<string | undefined> {
  const cache = new Map<string, string>();
  return async (nsInstanceId) => {
    const hit = cache.get(nsInstanceId);
    if (hit !== undefined) return hit;
    const ns = await deps.services.lifecycle.getNs(nsInstanceId).catch(() => undefined);
    if (!ns) return undefined;
    // Insertion order is age: dropping the first key keeps the map bounded.
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(nsInstanceId, ns.tenant);
    return ns.tenant;
  };
}
