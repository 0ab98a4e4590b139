import type { AuthService } from '../../auth/index.js';
import type { RoutePlugin } from '../route-plugins.js';
import { createAuthPlugin } from './auth-plugin.js';
import type { AuthPluginOptions } from './auth-plugin.js';
import { createRateLimitPlugin } from './rate-limit-plugin.js';
import { tokensRoutes } from '../admin/tokens-routes.js';
import { usersRoutes } from '../admin/users-routes.js';
import { auditRoutes } from '../admin/audit-routes.js';
import { vimShareRoutes } from '../admin/vim-share-routes.js';

/**
 * The security plugins in the order `buildApp` must register them, before every other
 * route plugin: rate limiting, authentication + policy + audit, then the token, API key,
 * user, audit and VIM-share routes.
 * Wiring: `[...authRoutePlugins(deps.services.auth), ...ROUTE_PLUGINS]`.
 */
export function authRoutePlugins(auth: AuthService, opts: AuthPluginOptions & { readonly now?: () => number } = {}): RoutePlugin[] {
  return [
    { name: 'rate-limit', plugin: createRateLimitPlugin({ ...auth.config.rateLimit, ...(opts.now ? { now: opts.now } : {}) }) },
    { name: 'auth', plugin: createAuthPlugin(auth, opts) },
    { name: 'admin-tokens', plugin: tokensRoutes(auth) },
    { name: 'admin-users', plugin: usersRoutes(auth) },
    { name: 'admin-audit', plugin: auditRoutes(auth) },
    { name: 'admin-vim-shares', plugin: vimShareRoutes(auth) },
  ];
}
