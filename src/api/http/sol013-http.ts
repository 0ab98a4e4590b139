import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { BadRequestError, RondoError } from '../../model/index.js';
import './fastify-augment.js';
import { acceptsMediaType } from './media-negotiation.js';
import { SOL005_APIS, sol005ApiOf } from './sol005-apis.js';

/** What {@link installSol013Http} gives the not-found handler. */
export interface RouteMethods {
  /** The methods registered for a path that has routes under other methods; empty when none do. */
  methodsFor(path: string): readonly string[];
}

/** A route URL pattern (`/nsd/v1/ns_descriptors/:id`, `…/artifacts/*`) as a regular expression. */
function patternOf(url: string): RegExp {
  const body = url
    .split('/')
    .map((seg) => {
      if (seg === '*') return '.*';
      if (seg.startsWith(':')) return '[^/]+';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}$`);
}

/**
 * True when the request carries no body: `Content-Length: 0`, or (RFC 9112 §6.3) an
 * HTTP/1.x request with neither Content-Length nor Transfer-Encoding. HTTP/2 frames a
 * body without either header, so there only a zero length counts.
 */
function hasNoBody(request: FastifyRequest): boolean {
  const h = request.headers;
  if (h['content-length'] !== undefined) return h['content-length'] === '0';
  return h['transfer-encoding'] === undefined && request.raw.httpVersionMajor === 1;
}

/** A route's 200/201 answer is a JSON document (a TypeBox object or array schema). */
function answersJson(request: FastifyRequest): boolean {
  const response = (request.routeOptions.schema as { response?: Record<string, { type?: unknown }> } | undefined)?.response;
  const ok = response?.['200'] ?? response?.['201'];
  return ok !== undefined && (ok.type === 'object' || ok.type === 'array');
}

/**
 * Top-level attribute names of a list route's items (its 200 array schema), or null when
 * they are free-form (open items, unless the route lists its `selectorAttributes`).
 */
function listAttributes(request: FastifyRequest): ReadonlySet<string> | null {
  const response = (request.routeOptions.schema as { response?: Record<string, { type?: unknown; items?: { properties?: Record<string, unknown>; additionalProperties?: unknown } }> } | undefined)?.response;
  const items = response?.['200']?.type === 'array' ? response['200'].items : undefined;
  const props = items?.properties;
  if (props === undefined || Object.keys(props).length === 0) return null;
  if (items?.additionalProperties === true && request.routeOptions.config?.selectorAttributes === undefined) return null;
  return new Set(Object.keys(props));
}

/**
 * SOL013 §5.3 attribute selectors of a list: `fields`/`exclude_fields` name attributes of
 * the resource, `exclude_fields` stands apart from `fields`, and `all_fields` from all
 * three others. Throws BadRequestError `INVALID_SELECTOR` naming the parameter.
 */
function checkSelectors(request: FastifyRequest): void {
  const q = request.query as Record<string, unknown> | undefined;
  if (q === undefined || request.method !== 'GET') return;
  const has = (k: string) => q[k] !== undefined;
  const bad = (parameter: string, message: string) => new BadRequestError(message, { code: 'INVALID_SELECTOR', details: { parameter } });
  if (has('all_fields') && (has('fields') || has('exclude_fields') || has('exclude_default'))) {
    throw bad('all_fields', 'all_fields cannot be combined with fields, exclude_fields or exclude_default');
  }
  if (has('fields') && has('exclude_fields')) throw bad('exclude_fields', 'exclude_fields cannot be combined with fields');
  const declared = listAttributes(request);
  if (declared === null) return;
  const known = new Set([...declared, ...(request.routeOptions.config?.selectorAttributes ?? [])]);
  for (const parameter of ['fields', 'exclude_fields'] as const) {
    const v = q[parameter];
    if (typeof v !== 'string') continue;
    for (const name of v.split(',').map((x) => x.trim())) {
      const top = name.split(/[./]/)[0] as string;
      if (name === '' || !known.has(top)) throw bad(parameter, `${parameter} names unknown attribute "${name}"; known: ${[...known].join(', ')}`);
    }
  }
}

/** The strong entity tag of a serialized representation: a hash of its bytes. */
export function entityTag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

/** Whether `ifMatch` (RFC 9110 §13.1.1) holds for `current`: `*`, or one strong tag equal to it. */
function ifMatchHolds(ifMatch: string, current: string): boolean {
  const tags = ifMatch.split(',').map((t) => t.trim());
  return tags.includes('*') || tags.includes(current);
}

/** The major version a `Version` header names (`1.3.0` → 1), or null for a malformed one. */
function majorOf(version: string): number | null {
  const m = /^\s*(\d+)(?:\.\d+){0,2}(?:-[^\s]*)?\s*$/.exec(version);
  return m ? Number(m[1]) : null;
}

const INDIVIDUAL = /\/:[A-Za-z]+$/;

/**
 * SOL013 HTTP behaviour shared by every SOL005 API (`/nsd/v1`, `/vnfpkgm/v1`, `/nslcm/v1`,
 * `/nsfm/v1`), installed once on the root app before any route:
 * - a request without a body is routed whatever its `Content-Type` (a DELETE or task POST
 *   sent with `Content-Type: application/json` and no body), and a route whose body is
 *   optional admits none; a route that needs a body still answers 400 from its schema;
 * - every SOL005 response carries `Version: <API version>` (SOL013 §9.1); a request whose
 *   `Version` names another major version answers 406 `API_VERSION_UNSUPPORTED`;
 * - a list's `fields`/`exclude_fields` must name attributes of its items (from the route's
 *   response schema) and selectors must not contradict each other: 400 `INVALID_SELECTOR`;
 * - an `Accept` that excludes `application/json` on a JSON resource answers 406 `NOT_ACCEPTABLE`;
 * - a GET of an individual resource (route ending in `/:param`) carries a strong `ETag`
 *   (hash of the representation); a PATCH/PUT of it with an `If-Match` that does not hold
 *   for the current representation answers 412 `PRECONDITION_FAILED` with the current
 *   `ETag` (SOL013 §4.5);
 * - returns the route table the not-found handler uses to answer 405 with `Allow`.
 */
export function installSol013Http(app: FastifyInstance): RouteMethods {
  const routes: { pattern: RegExp; url: string; method: string }[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    // A body declared optional (`Type.Optional(...)`) may be absent: Fastify validates an
    // absent body as null, so the schema must admit null (a bodiless terminate or cancel).
    const body = route.schema?.body as Record<string, unknown> | undefined;
    if (body !== undefined && body['~optional'] === true) route.schema = { ...route.schema, body: { anyOf: [body, { type: 'null' }] } };
    if (sol005ApiOf(route.url) === undefined) return;
    const pattern = patternOf(route.url);
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) routes.push({ pattern, url: route.url, method: m.toUpperCase() });
  });

  // Runs before the content-type parser: a body that is not there needs no parser, so a
  // Content-Type on a bodiless request must not turn it into a 400/415.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.headers['content-type'] !== undefined && hasNoBody(request)) delete request.raw.headers['content-type'];
  });

  // After authentication (onRequest), before the schema: these answer the caller, not anyone.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const api = sol005ApiOf(request.url);
    if (api === undefined) return;
    const asked = request.headers.version;
    if (typeof asked === 'string' && asked !== '') {
      const major = majorOf(asked);
      // SOL013 §9.1: a Version the API producer does not support answers 406.
      if (major !== Number(api.version.split('.')[0])) {
        throw new RondoError('API_VERSION_UNSUPPORTED', `${api.uriPrefix} serves API version ${api.version}; send Version: ${api.version} or none`, {
          details: { supportedVersions: [api.version] },
        });
      }
    }
    if (request.routeOptions.url !== undefined) checkSelectors(request);
    const accept = request.headers.accept;
    if (request.routeOptions.url !== undefined && accept !== undefined && answersJson(request) && !acceptsMediaType(accept, 'application/json')) {
      throw new RondoError('NOT_ACCEPTABLE', `${request.method} ${request.routeOptions.url} answers application/json; the Accept header (${accept}) excludes it`);
    }
  });

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const ifMatch = request.headers['if-match'];
    const url = request.routeOptions.url;
    if (ifMatch === undefined || url === undefined || (request.method !== 'PATCH' && request.method !== 'PUT')) return;
    if (!INDIVIDUAL.test(url) || sol005ApiOf(url) === undefined) return;
    // The current representation as a GET with the caller's credentials shows it: the
    // same bytes the client hashed, whatever the resource type.
    const path = request.url.split('?')[0] as string;
    const headers: Record<string, string> = { host: request.host };
    for (const h of ['authorization', 'x-api-key', 'x-forwarded-proto', 'x-forwarded-host'] as const) {
      const v = request.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const current = await app.inject({ method: 'GET', url: path, headers });
    if (current.statusCode !== 200) return; // the handler answers 404/401 itself
    const tag = current.headers.etag;
    if (typeof tag === 'string' && !ifMatchHolds(ifMatch, tag)) {
      // The 412 carries the current ETag, so the client can tell its copy is stale (NFV-TST010 5.3.1.2.7).
      void reply.header('etag', tag);
      throw new RondoError('PRECONDITION_FAILED', `${path} changed since ETag ${ifMatch} was read (now ${tag}); GET it again and retry`, { details: { currentETag: tag } });
    }
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const api = sol005ApiOf(request.url);
    if (api === undefined) return payload;
    void reply.header('version', api.version);
    const url = request.routeOptions.url;
    if (request.method === 'GET' && reply.statusCode === 200 && url !== undefined && INDIVIDUAL.test(url) && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      void reply.header('etag', entityTag(payload));
    }
    return payload;
  });

  return {
    methodsFor(path: string): readonly string[] {
      const p = path.split('?')[0] as string;
      return [...new Set(routes.filter((r) => r.pattern.test(p)).map((r) => r.method))].sort();
    },
  };
}

export { SOL005_APIS };
