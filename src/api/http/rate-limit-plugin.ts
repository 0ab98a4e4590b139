import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../../model/index.js';
import { createTokenBuckets } from '../../auth/index.js';

/** Options of {@link createRateLimitPlugin}. */
export interface RateLimitOptions {
  /** Requests allowed in a burst per key; 0 turns limiting off. */
  readonly burst: number;
  /** Sustained requests per second per key. */
  readonly perSecond: number;
  /** Milliseconds; default `Date.now`. */
  readonly now?: () => number;
  /** Requests never limited (probes). */
  readonly skip?: (request: FastifyRequest) => boolean;
  /** Keys tracked per bucket set before the least recently seen is forgotten. */
  readonly maxKeys?: number;
}

const skipOverride = Symbol.for('skip-override');
const probes = new Set(['/healthz', '/readyz']);

/**
 * Token-bucket rate limiting in two places: per client address in `onRequest` (before
 * authentication, so guessing tokens or passwords is limited too), and per
 * authenticated principal in `preHandler` (so many users behind one address each get
 * their own budget on top). Over the limit: 429 `RATE_LIMITED` ProblemDetails with
 * `Retry-After`. Register it before the auth plugin.
 */
export function createRateLimitPlugin({ burst, perSecond, now = Date.now, skip = (r) => probes.has(r.url.split('?')[0] ?? ''), maxKeys }: RateLimitOptions): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    if (burst <= 0) return;
    const opts = { burst, perSecond, now, ...(maxKeys !== undefined ? { maxKeys } : {}) };
    // The address budget is larger: it is shared by everyone behind one NAT or proxy.
    const byAddress = createTokenBuckets({ ...opts, burst: burst * 4, perSecond: perSecond * 4 });
    const byPrincipal = createTokenBuckets(opts);
    const limit = (reply: FastifyReply, r: ReturnType<typeof byAddress.take>) => {
      if (r.ok) return;
      void reply.header('retry-after', String(r.retryAfterSeconds));
      throw new TooManyRequestsError(r.retryAfterSeconds);
    };
    app.addHook('onRequest', async (request, reply) => {
      if (!skip(request)) limit(reply, byAddress.take(request.ip));
    });
    app.addHook('preHandler', async (request, reply) => {
      const who = (request as { auth?: { userId: string; apiKeyId: string | null } | null }).auth;
      if (who && !skip(request)) limit(reply, byPrincipal.take(who.apiKeyId ? `key:${who.apiKeyId}` : `user:${who.userId}`));
    });
  };
  (plugin as unknown as Record<symbol, boolean>)[skipOverride] = true;
  return plugin;
}
