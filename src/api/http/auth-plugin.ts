import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ForbiddenError, RondoError, UnauthorizedError } from '../../model/index.js';
import { AUDITED_METHODS, evaluateRule, INSECURE_CONTEXT, isPublicRoute, parseRule } from '../../auth/index.js';
import type { AuthContext, AuthService, RuleNode } from '../../auth/index.js';
import type { RoutePluginOptions } from '../app-deps.js';
import './caller.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action of the route (`nslcm:instantiate`); see `src/auth/default-policy.ts`. Required: `buildApp` refuses a route without one. */
    action?: string;
    /** Answer without credentials (like `POST /admin/v1/tokens`); the action's rule still applies, to an anonymous caller. */
    public?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with its action (filled when the app is ready). */
    readonly authRouteTable: AuthRouteEntry[];
  }
}

/** One route as the auth plugin saw it. */
export interface AuthRouteEntry {
  readonly method: string;
  readonly url: string;
  /** `config.action` of the route; null only in an app that `buildApp` would refuse. */
  readonly action: string | null;
  /** `config.public`, or matched by the configured public routes (`RONDO_PUBLIC_ROUTES`). */
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
 * Whether the policy lets an anonymous caller (no roles, no tenant) do `action`: only
 * rules that hold for anyone (`@`) do. Parsed once per action.
 */
function anonymousPolicy(auth: Pick<AuthService, 'policy'>): (action: string) => boolean {
  const parsed = new Map<string, RuleNode | undefined>();
  const lookup = (name: string): RuleNode | undefined => {
    if (!parsed.has(name)) {
      const text = auth.policy.rules[name];
      parsed.set(name, text === undefined ? undefined : parseRule(name, text));
    }
    return parsed.get(name);
  };
  const verdicts = new Map<string, boolean>();
  return (action) => {
    let v = verdicts.get(action);
    if (v === undefined) {
      const node = lookup(auth.policy.has(action) ? action : 'default');
      v = node !== undefined && evaluateRule(node, { roles: [], attrs: {} }, {}, lookup);
      verdicts.set(action, v);
    }
    return v;
  };
}

/**
 * The auth plugin: registered before any route, it (1) declares the app's auth mode
 * (`app.authMode`: `insecure` when `auth.config.insecureNoAuth`, else `enforced`) and
 * records every route in `app.authRouteTable`; (2) on each request (`onRequest`, before
 * the body is read) authenticates and enforces the route's `config.action` rule, failing
 * with 401 `AUTH_REQUIRED`/`AUTH_INVALID` (RFC 6750 `WWW-Authenticate`, `error="invalid_token"`
 * for a bad token), 400 `AUTH_MALFORMED` (`error="invalid_request"`) for a Bearer header
 * that is not one token, or 403 `POLICY_DENIED` ProblemDetails. Public
 * routes (`config.public`, or `auth.config.publicRoutes`) need no credentials, but
 * credentials sent there are used, and an anonymous call passes only if the action's
 * rule holds for anyone (`@`), else 401 — so listing `GET /admin/v1/users` in
 * `RONDO_PUBLIC_ROUTES` never hands the user list to anonymous callers. In insecure mode
 * every caller of a protected route is admin of `default`; (3) writes an audit entry for
 * every POST/PUT/PATCH/DELETE (`onResponse`). Routes without an action are refused at
 * start-up by `buildApp`; one that slips through (an app built otherwise) answers 403.
 * Throws at registration if `deps.services.auth` is another AuthService than `auth`.
 */
export function createAuthPlugin(auth: AuthService, { tokenInQueryPaths = ['/api/events'] }: AuthPluginOptions = {}): FastifyPluginAsync<RoutePluginOptions> {
  const plugin: FastifyPluginAsync<RoutePluginOptions> = async (app, opts) => {
    // Tokens issued by one service and checked by another would split the app's brain.
    if (opts?.deps !== undefined && opts.deps.services.auth !== auth) throw new Error('createAuthPlugin: auth must be deps.services.auth (the route plugins use that one)');
    const insecure = auth.config.insecureNoAuth;
    const table: AuthRouteEntry[] = [];
    app.decorate('authMode', insecure ? 'insecure' : 'enforced');
    app.decorate('authRouteTable', table);
    app.decorateRequest('auth', null);
    const anonymousMay = anonymousPolicy(auth);

    // Routes are read when the app is ready: a plugin's own onRoute hook may still fill
    // `config.action` after this one ran (see src/api/system/ui-routes.ts).
    const seen: RouteOptions[] = [];
    app.addHook('onRoute', (route: RouteOptions) => void seen.push(route));
    app.addHook('onReady', async () => {
      for (const route of seen) {
        for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
          const isPublic = route.config?.public === true || isPublicRoute(auth.config.publicRoutes, method, route.url);
          table.push({ method: method.toUpperCase(), url: route.url, action: route.config?.action ?? null, public: isPublic });
        }
      }
      seen.length = 0;
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.routeOptions.url;
      if (url === undefined) return; // no such route: the 404 handler answers, nothing to protect
      const config = request.routeOptions.config;
      const path = request.url.split('?')[0] ?? '/';
      const isPublic = config?.public === true || isPublicRoute(auth.config.publicRoutes, request.method, path);
      const action = config?.action;
      if (insecure) {
        if (isPublic) return;
        request.auth = INSECURE_CONTEXT;
      } else if (isPublic) {
        request.auth = await optionalAuthenticate(auth, request, tokenInQueryPaths);
        if (request.auth === null) {
          if (action !== undefined && anonymousMay(action)) return;
          void reply.header('www-authenticate', 'Bearer realm="rondo"');
          throw new UnauthorizedError('AUTH_REQUIRED', `${action ?? 'this route'} needs a caller: send a bearer token (POST /admin/v1/tokens) or an API key`);
        }
      } else {
        if (isMalformedBearer(request.headers.authorization)) {
          // RFC 6750 §3.1: a malformed request is invalid_request, answered 400.
          void reply.header('www-authenticate', 'Bearer realm="rondo", error="invalid_request"');
          throw new RondoError('AUTH_MALFORMED', 'the Authorization header must be "Bearer <token>" with one token of RFC 6750 b64token characters');
        }
        try {
          request.auth = await auth.authenticator.authenticate(credentialHeaders(request, tokenInQueryPaths));
        } catch (e) {
          if (e instanceof UnauthorizedError) void reply.header('www-authenticate', `Bearer realm="rondo"${e.code === 'AUTH_INVALID' ? ', error="invalid_token"' : ''}`);
          throw e;
        }
      }
      if (action === undefined) throw new ForbiddenError(`(no action declared for ${request.method} ${url})`);
      auth.policy.enforce(action, request.auth);
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

/** RFC 6750 §2.1 `Authorization: Bearer <b64token>`. */
const BEARER = /^Bearer[ \t]+[A-Za-z0-9\-._~+/]+=*[ \t]*$/i;

/** An Authorization header of the Bearer scheme that is not one RFC 6750 token (none, two, bad characters, repeated header). */
function isMalformedBearer(header: string | string[] | undefined): boolean {
  if (Array.isArray(header)) return true;
  return header !== undefined && /^Bearer(?:[ \t]|$)/i.test(header) && !BEARER.test(header);
}

/**
 * The caller on a public route: authenticated when credentials came along, else null.
 * Wrong or expired credentials count as none there (a stale token must not block logging in).
 */
async function optionalAuthenticate(auth: AuthService, request: FastifyRequest, tokenInQueryPaths: readonly string[]): Promise<AuthContext | null> {
  const headers = credentialHeaders(request, tokenInQueryPaths);
  if (headers.authorization === undefined && headers['x-api-key'] === undefined) return null;
  try {
    return await auth.authenticator.authenticate(headers);
  } catch (e) {
    if (e instanceof UnauthorizedError) return null;
    throw e;
  }
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
 * Routes (HEAD excepted: Fastify adds those) of `app.authRouteTable` that declare no
 * action, or whose action has no rule in the policy. A test fails when this is not empty.
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
