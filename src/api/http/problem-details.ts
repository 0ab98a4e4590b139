import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, isRondoError, VimError } from '../../model/index.js';
import type { ErrorCode, ProblemDetails, ValidationIssue } from '../../model/index.js';
import type { RouteMethods } from './sol013-http.js';
import './fastify-augment.js';

/** An error as the API answers it; `status` is always `ERROR_CODES[code].status`. */
interface Mapped {
  status: number;
  code: ErrorCode;
  detail: string;
  extras: Record<string, unknown>;
}

const mapped = (code: ErrorCode, detail: string, extras: Record<string, unknown> = {}): Mapped => ({ status: ERROR_CODES[code].status, code, detail, extras });

/** Fastify's own error codes → Rondo codes (the framework's catalogue, mapped once). */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

/** Other framework 4xx statuses → the generic code of that status; any other 4xx is 400 BAD_REQUEST. */
const GENERIC_4XX: Readonly<Record<number, ErrorCode>> = { 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 406: 'NOT_ACCEPTABLE', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

function validationIssues(error: FastifyError): ValidationIssue[] {
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = `/${error.validationContext ?? 'body'}${v.instancePath}${missing ? `/${missing}` : ''}`;
    return { file: 'request', path, message: v.message ?? 'is invalid' };
  });
}

/**
 * Classifies any thrown value; the one place errors become HTTP statuses, each from
 * {@link ERROR_CODES}. A VIM error answers with its kind's gateway status (502/503/504/422,
 * never the VIM's own 401/404) and names the VIM in the extras `vim`, `vimKind`, `vimDetail`.
 */
export function mapError(error: unknown): Mapped {
  if (error instanceof VimError) return mapped(error.code, error.message, { ...error.details, vim: error.vim, vimKind: error.kind });
  if (isRondoError(error)) return mapped(error.code, error.message, error.details);
  const fe = error as Partial<FastifyError>;
  if (fe.validation) {
    const issues = validationIssues(fe as FastifyError);
    const first = issues[0];
    return mapped('VALIDATION_FAILED', first ? `${first.path.slice(1)}: ${first.message}` : 'the request is invalid', { issues });
  }
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return mapped(known, fe.message ?? known);
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = error instanceof SyntaxError ? 'INVALID_JSON' : (GENERIC_4XX[status] ?? 'BAD_REQUEST');
    return mapped(code, fe.message ?? 'bad request');
  }
  return mapped('INTERNAL', 'internal error; the server log has the details under this request id');
}

/** Builds the RFC 7807 body for a mapped error. */
export function problemBody(m: Mapped, instance: string): ProblemDetails {
  return {
    type: `urn:rondo:problem:${m.code}`,
    title: ERROR_CODES[m.code].title,
    status: m.status,
    detail: m.detail,
    instance,
    code: m.code,
    ...m.extras,
  };
}

function send(request: FastifyRequest, reply: FastifyReply, m: Mapped): FastifyReply {
  let body: Record<string, unknown> = problemBody(m, request.url);
  if (request.routeOptions.config?.errorShape === 'gatekeeper') {
    // 5GTANGO gatekeeper answer fields first, byte-for-byte; RFC 7807 members after.
    const u = request.uploadInfo;
    body = { service_uuid: null, size: u?.size ?? 0, sha1: u?.sha1 ?? null, error: m.detail, issues: [], ...body };
  }
  // An upload refused half-way: answer, then close, rather than reading the rest.
  if (request.raw.complete === false) void reply.header('connection', 'close');
  return reply.code(m.status).type('application/problem+json').send(body);
}

/**
 * Installs the one error handler (every error → ProblemDetails, `code` and extras such
 * as `issues`) and the 404 handler for unknown routes. With `routes`, a path that has
 * routes under other methods answers 405 `METHOD_NOT_ALLOWED` with `Allow` naming them
 * (SOL013 §6.4, RFC 9110 §15.5.6) instead of 404.
 */
export function installProblemDetails(app: FastifyInstance, routes?: RouteMethods): void {
  app.decorateRequest('uploadInfo', null);
  app.setErrorHandler((error, request, reply) => {
    const m = mapError(error);
    if (m.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: m.code, status: m.status }, m.detail);
    return send(request, reply, m);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allow = routes?.methodsFor(path) ?? [];
    if (allow.length > 0) {
      void reply.header('allow', allow.join(', '));
      return send(request, reply, mapped('METHOD_NOT_ALLOWED', `${path} does not support ${request.method}; use ${allow.join(', ')}`, { allowedMethods: allow }));
    }
    return send(request, reply, mapped('ROUTE_NOT_FOUND', `no route ${request.method} ${path}; see /api/docs for the API`));
  });
}
