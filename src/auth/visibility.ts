import { NotFoundError } from '../model/index.js';
import type { VimShareRepository } from './auth-store.js';
import type { AuthContext } from './roles.js';

/**
 * Throws NotFoundError(resource, id) unless `ctx` may see a resource of
 * `resourceTenant`: admins see every tenant, everyone else only their own. Another
 * tenant's resource answers exactly like a missing one, so its existence never leaks.
 */
export function assertVisible(ctx: AuthContext, resourceTenant: string, resource: string, id: string): void {
  if (!ctx.isAdmin && ctx.tenant !== resourceTenant) throw new NotFoundError(resource, id);
}

/** The tenant filter of list queries: undefined (all) for admins, else the caller's tenant. */
export const tenantFilter = (ctx: AuthContext): string | undefined => (ctx.isAdmin ? undefined : ctx.tenant);

/**
 * Ids of the VIM accounts `ctx` may use: every account for admins (`'all'`), otherwise
 * the tenant's own plus those an admin shared with it.
 */
export async function visibleVimIds(shares: VimShareRepository, ctx: AuthContext): Promise<readonly string[] | 'all'> {
  return ctx.isAdmin ? 'all' : shares.visibleTo(ctx.tenant);
}

/** Throws NotFoundError `VIM account` unless the VIM is visible to `ctx` (own or shared). */
export async function assertVimVisible(shares: VimShareRepository, ctx: AuthContext, vimId: string): Promise<void> {
  const ids = await visibleVimIds(shares, ctx);
  if (ids !== 'all' && !ids.includes(vimId)) throw new NotFoundError('VIM account', vimId);
}
