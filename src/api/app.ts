import Fastify, { LogController } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault, RouteOptions } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './app-deps.js';
import { installProblemDetails } from './http/problem-details.js';
import { requestId } from './http/request-id.js';
import { installSol013Http } from './http/sol013-http.js';
import { ROUTE_PLUGINS } from './route-plugins.js';
import { authRoutePlugins } from './http/auth-route-plugins.js';
import { apiLatencyHook } from './system/metrics-routes.js';
import { responseCache } from './http/response-cache.js';
import type { RoutePlugin } from './route-plugins.js';

/** The app as route plugins see it: TypeBox-typed routes. */
export type RondoApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * One log line per request, when it completes, with the request (method, URL, client)
 * and the response (status, time): Fastify's default writes two, `incoming request` and
 * `request completed`, and each line costs a redaction pass over REDACT_PATHS (30–40 µs
 * per line measured on the 2-core bench machine, 6 µs without redaction).
 */
class RequestCompletedLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Options beyond the dependencies (tests add plugins; headers can be renamed). */
export interface BuildAppOptions {
  /**
   * Default: `[...authRoutePlugins(deps.services.auth), ...ROUTE_PLUGINS]` (authentication
   * first). A list without the auth plugins authenticates nobody: put
   * `INSECURE_MODE_PLUGIN` (src/api/http/auth-route-plugins.ts) first to opt into insecure mode.
   */
  readonly plugins?: readonly RoutePlugin[];
  readonly requestIdHeader?: string;
}

/**
 * Builds the Fastify app from its dependencies: request ids, ProblemDetails errors,
 * OpenAPI generation, multipart, then the security plugins (rate limit, authentication,
 * policy, audit; token, user, audit and VIM-share routes) of `deps.services.auth` and
 * every plugin of {@link ROUTE_PLUGINS}. Does not listen; `src/server.ts` does. Tests call
 * it and use `app.inject()`. Every route must name its policy action
 * (`config: { action: 'nslcm:instantiate' }`): throws RouteWithoutActionError naming each
 * method and URL that does not, so no route goes unguarded.
 */
export async function buildApp(deps: AppDeps, opts: BuildAppOptions = {}): Promise<RondoApp> {
  const rid = requestId({ headerName: opts.requestIdHeader ?? 'x-request-id', generate: () => deps.ids.next() });
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new RequestCompletedLog(),
    genReqId: rid.genReqId,
    bodyLimit: 1024 * 1024,
    // Package bodies can be big and slow; the catalog enforces their size.
    requestTimeout: 0,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', rid.onRequest);
  // Checked once every plugin has loaded: a plugin's own onRoute hook may fill its routes'
  // action after this hook ran (the dashboard's static files, see system/ui-routes.ts).
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  installProblemDetails(app, installSol013Http(app));

  // SOL005 PATCH bodies are JSON merge patches (RFC 7396). An empty JSON body (a chunked
  // request that sent nothing) is no body: the route's schema says whether it needs one.
  const json = app.getDefaultJsonParser('error', 'error');
  const jsonOrNothing: typeof json = (request, body, done) => (body === '' || (Buffer.isBuffer(body) && body.length === 0) ? done(null, undefined) : json(request, body, done));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonOrNothing);
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, jsonOrNothing);
  await app.register(multipart, { limits: { fileSize: deps.config.maxUploadBytes + 1, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Rondo API', version: '0.1.0', description: 'Rondo NFV MANO: ETSI SOL005 and 5GTANGO-compatible APIs.' },
      tags: [
        { name: '5gtango', description: '5GTANGO gatekeeper-compatible API' },
        { name: 'vnfpkgm', description: 'ETSI SOL005 VNF package management' },
        { name: 'nspm', description: 'ETSI SOL005 NS performance management' },
        { name: 'nsd', description: 'ETSI SOL005 NSD management' },
        { name: 'admin', description: 'Rondo administration' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
  });

  // API latency histogram: registered on the root so it times every route.
  const metrics = deps.services.monitoring?.metrics;
  if (metrics) await app.register(apiLatencyHook, { metrics });
  await app.register(responseCache, {
    readMark: () => deps.store.readMark(),
    maxBytes: deps.config.apiCacheBytes,
    ...(metrics ? { observer: { lookup: (result: 'hit' | 'miss') => metrics.recordApiCache(result) } } : {}),
  });
  const plugins = opts.plugins ?? [...authRoutePlugins(deps.services.auth), ...ROUTE_PLUGINS];
  for (const { plugin } of plugins) await app.register(plugin, { deps });
  await app.ready();
  const missing = routes.filter((r) => typeof r.config?.action !== 'string' || r.config.action === '');
  if (missing.length > 0) {
    await app.close();
    const named = missing.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => `${m} ${r.url}`));
    // Fastify's own HEAD twin of a GET says nothing new.
    throw new RouteWithoutActionError(named.filter((n) => !(n.startsWith('HEAD ') && named.includes(`GET ${n.slice(5)}`))));
  }
  return app;
}

/** A route plugin registered a route whose options name no policy action. */
export class RouteWithoutActionError extends Error {
  readonly code = 'ROUTE_WITHOUT_ACTION';
  constructor(readonly routes: readonly string[]) {
    super(
      `${routes.join(', ')}: no policy action; give each route config: { action: '<api>:<verb>' } in its options (and a rule in src/auth/default-policy.ts for a new action)`,
    );
    this.name = 'RouteWithoutActionError';
  }
}
