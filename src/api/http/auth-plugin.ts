import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../model/index.js';
import { AUDITED_METHODS, INSECURE_CONTEXT, isPublicRoute, ROUTE_ACTIONS, routeKey } from '../../auth/index.js';
import type { AuthContext, AuthService } from '../../auth/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action of the route (`nslcm:instantiate`); see `src/auth/default-policy.ts`. */
    action?: string;
    /** Answer without credentials (like `/healthz`). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; null on public routes and before authentication. */
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with its resolved action. */
    readonly authRouteTable: AuthRouteEntry[];
  }
}

/** One route as the auth plugin saw it. */
export interface AuthRouteEntry {
  readonly method: string;
  readonly url: string;
  /** `config.action`, else the {@link ROUTE_ACTIONS} entry, else null. */
  readonly action: string | null;
  readonly public: boolean;
}

/** Options of {@link createAuthPlugin}. */
export interface AuthPluginOptions {
  /** Paths where a `?access_token=` query parameter is accepted (EventSource cannot send headers). */
  readonly tokenInQueryPaths?: readonly string[];
}

const skipOverride = Symbol.for('skip-override');
const MAX_TARGET_VALUE = 200;

/** A route's params as the audit target: strings only, bounded. */
function auditTarget(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (params && typeof params === 'object') {
    for (const [k, v] of Object.entries(params as Record<string, unknown>).slice(0, 10)) {
      if (typeof v === 'string') out[k.slice(0, 64)] = v.slice(0, MAX_TARGET_VALUE);
    }
  }
  return out;
}

/**
 * The auth plugin: registered before any route, it (1) records every route's action in
 * `app.authRouteTable` (`onRoute`), filling `config.action` from {@link ROUTE_ACTIONS}
 * when a route names none; (2) on each request (`onRequest`, before the body is read)
 * authenticates — except public routes — and enforces the route's policy rule, failing
 * with 401 `AUTH_REQUIRED`/`AUTH_INVALID` or 403 `POLICY_DENIED` ProblemDetails; in
 * insecure mode every caller is admin of `default`; (3) writes an audit entry for every
 * POST/PUT/PATCH/DELETE (`onResponse`). Routes with no action are refused (403): a
 * forgotten rule is found by `findRoutesWithoutAction`, never left open.
 */
export function createAuthPlugin(auth: AuthService, { tokenInQueryPaths = ['/api/events'] }: AuthPluginOptions = {}): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    const table: AuthRouteEntry[] = [];
    app.decorate('authRouteTable', table);
    app.decorateRequest('auth', null);

    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const declared = route.config?.action;
      for (const method of methods) {
        const action = declared ?? ROUTE_ACTIONS[routeKey(method, route.url)] ?? null;
        const isPublic = route.config?.public === true || isPublicRoute(auth.config.publicRoutes, method, route.url);
        table.push({ method: method.toUpperCase(), url: route.url, action, public: isPublic });
      }
      if (declared === undefined) {
        const action = ROUTE_ACTIONS[routeKey(methods[0] ?? 'GET', route.url)];
        if (action !== undefined) route.config = { ...route.config, action };
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.routeOptions.url;
      if (url === undefined) return; // no such route: the 404 handler answers, nothing to protect
      const config = request.routeOptions.config;
      const path = request.url.split('?')[0] ?? '/';
      if (config?.public === true || isPublicRoute(auth.config.publicRoutes, request.method, path)) return;
      let ctx: AuthContext;
      if (auth.config.insecureNoAuth) ctx = INSECURE_CONTEXT;
      else {
        try {
          ctx = await auth.authenticator.authenticate(credentialHeaders(request, tokenInQueryPaths));
        } catch (e) {
          if (e instanceof UnauthorizedError) void reply.header('www-authenticate', `Bearer realm="rondo"${e.code === 'AUTH_INVALID' ? ', error="invalid_token"' : ''}`);
          throw e;
        }
      }
      request.auth = ctx;
      const action = config?.action;
      if (action === undefined) throw new ForbiddenError(`(no action declared for ${request.method} ${url})`);
      auth.policy.enforce(action, ctx);
    });

    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!(AUDITED_METHODS as readonly string[]).includes(request.method)) return;
      const route = request.routeOptions.url;
      if (route === undefined) return;
      const ctx = request.auth;
      auth.audit.record({
        userId: ctx?.userId ?? null,
        username: ctx?.user ?? null,
        tenant: ctx?.tenant ?? null,
        action: request.routeOptions.config?.action ?? 'unknown',
        method: request.method,
        route,
        target: auditTarget(request.params),
        status: reply.statusCode,
        requestId: request.id,
      });
    });

    app.addHook('onClose', async () => auth.audit.drain());
  };
  // Hooks and decorations must reach every route of the app, not only this plugin's
  // children: the flag fastify-plugin sets, without the dependency.
  (plugin as unknown as Record<symbol, boolean>)[skipOverride] = true;
  return plugin;
}

function credentialHeaders(request: FastifyRequest, tokenInQueryPaths: readonly string[]): Record<string, string | string[] | undefined> {
  const headers = { authorization: request.headers.authorization, 'x-api-key': request.headers['x-api-key'] };
  const q = request.query as { access_token?: unknown } | undefined;
  if (headers.authorization === undefined && headers['x-api-key'] === undefined && request.method === 'GET' && typeof q?.access_token === 'string') {
    const path = request.url.split('?')[0] ?? '';
    if (tokenInQueryPaths.includes(path)) headers.authorization = `Bearer ${q.access_token}`;
  }
  return headers;
}

/** A route that would be refused for want of a rule. */
export interface UncoveredRoute {
  readonly method: string;
  readonly url: string;
  readonly reason: 'no action' | 'no policy rule';
  readonly action: string | null;
}

/**
 * Routes (HEAD excepted: Fastify adds those) that declare no action, or whose action has
 * no rule in the policy. A test fails when this is not empty.
 */
export function findRoutesWithoutAction(app: FastifyInstance, auth: Pick<AuthService, 'policy'>): UncoveredRoute[] {
  const out: UncoveredRoute[] = [];
  for (const r of app.authRouteTable) {
    if (r.method === 'HEAD') continue;
    if (r.action === null) out.push({ method: r.method, url: r.url, reason: 'no action', action: null });
    else if (!auth.policy.has(r.action)) out.push({ method: r.method, url: r.url, reason: 'no policy rule', action: r.action });
  }
  return out;
}

/**
 * The caller of a protected route. Throws UnauthorizedError `AUTH_REQUIRED` if the auth
 * plugin did not run for it (a public route calling this is a bug, refused closed).
 */
export function authOf(request: FastifyRequest): AuthContext {
  if (request.auth === null) throw new UnauthorizedError('AUTH_REQUIRED', 'authentication required');
  return request.auth;
}
