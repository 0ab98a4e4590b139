import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRondoError } from '../../model/index.js';
import type { ProblemDetails, ValidationIssue } from '../../model/index.js';
import './fastify-augment.js';

interface Mapped {
  status: number;
  code: string;
  detail: string;
  extras: Record<string, unknown>;
}

/** Fastify's own error codes → Rondo codes (the framework's catalogue, mapped once). */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'EMPTY_BODY' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' },
};

function validationIssues(error: FastifyError): ValidationIssue[] {
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = `/${error.validationContext ?? 'body'}${v.instancePath}${missing ? `/${missing}` : ''}`;
    return { file: 'request', path, message: v.message ?? 'is invalid' };
  });
}

/** Classifies any thrown value; the one place errors become HTTP statuses. */
export function mapError(error: unknown): Mapped {
  if (isRondoError(error)) return { status: error.status, code: error.code, detail: error.message, extras: error.details };
  const fe = error as Partial<FastifyError>;
  if (fe.validation) {
    const issues = validationIssues(fe as FastifyError);
    const first = issues[0];
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: first ? `${first.path.slice(1)}: ${first.message}` : 'the request is invalid',
      extras: { issues },
    };
  }
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { ...known, detail: fe.message ?? known.code, extras: {} };
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'INVALID_JSON' : 'BAD_REQUEST';
    return { status, code, detail: fe.message ?? 'bad request', extras: {} };
  }
  return { status: 500, code: 'INTERNAL', detail: 'internal error; the server log has the details under this request id', extras: {} };
}

/** Builds the RFC 7807 body for a mapped error. */
export function problemBody(m: Mapped, instance: string): ProblemDetails {
  return {
    type: `urn:rondo:problem:${m.code}`,
    title: STATUS_CODES[m.status] ?? 'Error',
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
 * as `issues`) and the 404 handler for unknown routes.
 */
export function installProblemDetails(app: FastifyInstance): void {
  app.decorateRequest('uploadInfo', null);
  app.setErrorHandler((error, request, reply) => {
    const m = mapError(error);
    if (m.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: m.code, status: m.status }, m.detail);
    return send(request, reply, m);
  });
  app.setNotFoundHandler((request, reply) =>
    send(request, reply, {
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: `no route ${request.method} ${request.url.split('?')[0]}; see /api/docs for the API`,
      extras: {},
    }),
  );
}
