import type { ValidationIssue } from './result.js';

/**
 * The one error catalogue of Rondo. Every error has a stable `code`, the HTTP `status`
 * it maps to at the API edge (RFC 7807 ProblemDetails), and whether retrying may help.
 * Messages say what to do next; tests assert on `code` and `status`, never on text.
 */
export class RondoError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  /** Extra members for the ProblemDetails body (e.g. `issues`). */
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    status: number,
    message: string,
    opts: { cause?: unknown; retryable?: boolean; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details ?? {};
  }
}

/** 400: request body, query or parameters are malformed. */
export class BadRequestError extends RondoError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: string } = {}) {
    super(opts.code ?? 'BAD_REQUEST', 400, message, opts);
  }
}

/** 404: the resource does not exist (or is not visible to the caller). */
export class NotFoundError extends RondoError {
  constructor(
    readonly resource: string,
    readonly id: string,
    opts: { cause?: unknown } = {},
  ) {
    super('NOT_FOUND', 404, `${resource} ${id} not found`, { ...opts, details: { resource, id } });
  }
}

/** 409: the resource is in a state that does not allow the request. */
export class ConflictError extends RondoError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: string } = {}) {
    super(opts.code ?? 'CONFLICT', 409, message, opts);
  }
}

/** 413: the upload is larger than the configured limit. */
export class PayloadTooLargeError extends RondoError {
  constructor(readonly limitBytes: number, opts: { cause?: unknown } = {}) {
    super('PAYLOAD_TOO_LARGE', 413, `upload exceeds the limit of ${limitBytes} bytes; raise RONDO_MAX_UPLOAD_BYTES or send a smaller package`, {
      ...opts,
      details: { limitBytes },
    });
  }
}

/** 415: the request has a content type that the route does not take. */
export class UnsupportedMediaTypeError extends RondoError {
  constructor(readonly contentType: string) {
    super('UNSUPPORTED_MEDIA_TYPE', 415, `content type ${contentType || '(none)'} is not accepted here`, {
      details: { contentType },
    });
  }
}

/**
 * 422: a package or descriptor is invalid. Carries every issue found, each naming the
 * file inside the package and the field path.
 */
export class PackageInvalidError extends RondoError {
  constructor(
    readonly issues: readonly ValidationIssue[],
    opts: { cause?: unknown; code?: string; status?: number } = {},
  ) {
    const first = issues[0];
    const summary = first ? `${first.file}${first.path ? ` ${first.path}` : ''}: ${first.message}` : 'package is invalid';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    super(opts.code ?? 'PACKAGE_INVALID', opts.status ?? 422, summary + more, { ...opts, details: { issues } });
  }
}

/** 409 with a stable code: the requested state transition is not allowed. */
export class IllegalStateError extends RondoError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: string } = {}) {
    super(opts.code ?? 'OP_ILLEGAL_STATE', 409, message, opts);
  }
}

/** 500: a bug or an unexpected condition inside Rondo. */
export class InternalError extends RondoError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('INTERNAL', 500, message, opts);
  }
}

/** Kinds of VIM failures, the same classes as OSM's vimconn exceptions. */
export const VIM_ERROR_KINDS = [
  'CONNECTION',
  'AUTH',
  'NOT_FOUND',
  'CONFLICT',
  'QUOTA',
  'NOT_SUPPORTED',
  'UNEXPECTED_RESPONSE',
  'TIMEOUT',
] as const;
export type VimErrorKind = (typeof VIM_ERROR_KINDS)[number];

const VIM_STATUS: Record<VimErrorKind, number> = {
  CONNECTION: 503,
  AUTH: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QUOTA: 409,
  NOT_SUPPORTED: 501,
  UNEXPECTED_RESPONSE: 502,
  TIMEOUT: 504,
};

/**
 * An error from a VIM, wrapped at the driver boundary so nothing vendor-specific leaks
 * upward. `vim` names the VIM account (or driver), `kind` the class of failure.
 */
export class VimError extends RondoError {
  constructor(
    readonly kind: VimErrorKind,
    readonly vim: string,
    message: string,
    opts: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(`VIM_${kind}`, VIM_STATUS[kind], `${vim}: ${message}`, {
      ...opts,
      retryable: opts.retryable ?? (kind === 'CONNECTION' || kind === 'TIMEOUT'),
      details: { vim, kind },
    });
  }
}

/** Type guard for {@link RondoError}. */
export const isRondoError = (e: unknown): e is RondoError => e instanceof RondoError;

/** Why a request is not authenticated. */
export const AUTH_FAILURE_CODES = ['AUTH_REQUIRED', 'AUTH_INVALID'] as const;
export type AuthFailureCode = (typeof AUTH_FAILURE_CODES)[number];

/**
 * 401: no credentials (`AUTH_REQUIRED`) or credentials that are wrong, expired or
 * revoked (`AUTH_INVALID`). The message never says which part was wrong.
 */
export class UnauthorizedError extends RondoError {
  constructor(code: AuthFailureCode, message: string, opts: { cause?: unknown } = {}) {
    super(code, 401, message, opts);
  }
}

/** 403 `POLICY_DENIED`: authenticated, but the policy rule of `action` does not allow it. */
export class ForbiddenError extends RondoError {
  constructor(readonly action: string, opts: { cause?: unknown } = {}) {
    super('POLICY_DENIED', 403, `the policy does not allow ${action} for your roles; ask an admin for a role that does`, { ...opts, details: { action } });
  }
}

/** 429 `RATE_LIMITED`: too many requests; retry after `retryAfterSeconds`. */
export class TooManyRequestsError extends RondoError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, `too many requests; retry in ${retryAfterSeconds} s`, { retryable: true, details: { retryAfterSeconds } });
  }
}
