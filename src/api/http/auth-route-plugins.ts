import type { FastifyPluginAsync } from 'fastify';
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
 * route plugin: rate limiting, authentication + policy + audit (both hooks built from
 * `auth`, which must be `deps.services.auth`), then the token, API key, user, audit and
 * VIM-share routes. Wiring: `[...authRoutePlugins(deps.services.auth), ...ROUTE_PLUGINS]`.
 */
export function authRoutePlugins(auth: AuthService, opts: AuthPluginOptions & { readonly now?: () => number } = {}): RoutePlugin[] {
  return [
    { name: 'rate-limit', plugin: createRateLimitPlugin({ ...auth.config.rateLimit, ...(opts.now ? { now: opts.now } : {}) }) },
    { name: 'auth', plugin: createAuthPlugin(auth, opts) },
    { name: 'admin-tokens', plugin: tokensRoutes },
    { name: 'admin-users', plugin: usersRoutes },
    { name: 'admin-audit', plugin: auditRoutes },
    { name: 'admin-vim-shares', plugin: vimShareRoutes },
  ];
}

/**
 * Declares insecure mode on the app it is registered on (skip-override: the whole app):
 * every caller is an admin of `default`, as with `--insecure-no-auth`. For apps built
 * without the auth plugin — route tests of single plugins on a bare Fastify; with
 * `buildApp`, use {@link INSECURE_MODE_PLUGIN}.
 */
export const insecureModePlugin: FastifyPluginAsync = Object.assign(
  async (app: Parameters<FastifyPluginAsync>[0]) => {
    app.decorate('authMode', 'insecure');
    app.decorateRequest('auth', null);
  },
  // Like the auth plugin, the mode belongs to the whole app, not this plugin's scope.
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'rondo-insecure-mode' },
);

/**
 * Opts an app built without {@link authRoutePlugins} (route tests of single plugins) into
 * insecure mode: every caller is an admin of `default`, as with `--insecure-no-auth`.
 * Without it such an app authenticates nobody, and handlers that need a caller answer 401.
 * Put it first: `buildApp(deps, { plugins: [INSECURE_MODE_PLUGIN, …] })`. Never together
 * with the auth plugin (both declare the mode; Fastify refuses the second).
 */
export const INSECURE_MODE_PLUGIN: RoutePlugin = { name: 'insecure-mode', plugin: insecureModePlugin };
