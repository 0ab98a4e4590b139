import type { FastifyRequest } from 'fastify';
import { INSECURE_CONTEXT, assertVimVisible, visibleVimIds } from '../../auth/index.js';
import type { AuthContext } from '../../auth/index.js';
import { UnauthorizedError } from '../../model/index.js';
import { vimShareRepository } from '../../store/index.js';
import type { AppDeps } from '../app-deps.js';

/**
 * How an app treats callers: `enforced` (credentials checked, policy applied) or
 * `insecure` (authentication off; every caller is {@link INSECURE_CONTEXT}). Set once per
 * app by the auth plugin (from `--insecure-no-auth` / `RONDO_INSECURE_NO_AUTH`) or, for
 * apps built without it, by the `insecure-mode` plugin; an app with neither has no mode
 * and acts as `enforced` with nobody authenticated.
 */
export const AUTH_MODES = ['enforced', 'insecure'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

declare module 'fastify' {
  interface FastifyInstance {
    /** See {@link AuthMode}. Absent at run time when no plugin declared one: read it with {@link authModeOf}. */
    readonly authMode: AuthMode;
  }
  interface FastifyRequest {
    /** Who is calling; null before authentication and on public routes reached anonymously. */
    auth: AuthContext | null;
  }
}

/** The mode of the app `request` reached; undefined (no plugin set one) reads as `enforced`. */
export function authModeOf(request: FastifyRequest): AuthMode {
  return (request.server as { authMode?: AuthMode }).authMode === 'insecure' ? 'insecure' : 'enforced';
}

/**
 * Who is calling, for handlers that act for a caller (tenant filters, ownership): the
 * authenticated `request.auth`; in insecure mode (and only there) {@link INSECURE_CONTEXT}.
 * Throws UnauthorizedError `AUTH_REQUIRED` (401) when nobody is authenticated — a public
 * route (`RONDO_PUBLIC_ROUTES`) reached anonymously, or an app without the auth plugin that
 * did not opt into insecure mode — so a missing caller never means admin rights.
 */
export function callerOf(request: FastifyRequest): AuthContext {
  const caller = optionalCallerOf(request);
  if (caller === null) throw new UnauthorizedError('AUTH_REQUIRED', 'this route acts for a caller: send a bearer token (POST /admin/v1/tokens) or an API key');
  return caller;
}

/**
 * Who is calling, or null for an anonymous call to a public route: for handlers of public
 * routes that answer anyone and tailor the answer to a caller when there is one.
 */
export function optionalCallerOf(request: FastifyRequest): AuthContext | null {
  // Undefined, not null, when no plugin decorated the request.
  const auth = (request as { auth?: AuthContext | null }).auth ?? null;
  if (auth !== null) return auth;
  return authModeOf(request) === 'insecure' ? INSECURE_CONTEXT : null;
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
