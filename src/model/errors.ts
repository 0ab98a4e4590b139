import type { ValidationIssue } from './result.js';
import { ERROR_CODES } from './error-codes.js';
import type { ErrorCode, ErrorCodeWithStatus } from './error-codes.js';

/**
 * The base error of Rondo. Every error has a stable `code` from {@link ERROR_CODES}, which
 * fixes the HTTP `status` it maps to at the API edge (RFC 7807 ProblemDetails) and whether
 * retrying may help. Messages say what to do next; tests assert on `code` and `status`,
 * never on text.
 */
export class RondoError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  /** Extra members for the ProblemDetails body (e.g. `issues`). */
  readonly details: Record<string, unknown>;

  /**
   * @param opts.retryable overrides the table's value; only for a code whose occurrences
   *   differ (a VIM fault that is retryable for one upstream status and not another).
   */
  constructor(
    code: ErrorCode,
    message: string,
    opts: { cause?: unknown; retryable?: boolean; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryable = opts.retryable ?? ERROR_CODES[code].retryable;
    this.details = opts.details ?? {};
  }
}

/** 400: request body, query or parameters are malformed. */
export class BadRequestError extends RondoError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: ErrorCodeWithStatus<400> } = {}) {
    super(opts.code ?? 'BAD_REQUEST', message, opts);
  }
}

/** 404: the resource does not exist (or is not visible to the caller). */
export class NotFoundError extends RondoError {
  constructor(
    readonly resource: string,
    readonly id: string,
    opts: { cause?: unknown } = {},
  ) {
    super('NOT_FOUND', `${resource} ${id} not found`, { ...opts, details: { resource, id } });
  }
}

/** 409: the resource is in a state that does not allow the request. */
export class ConflictError extends RondoError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: ErrorCodeWithStatus<409> } = {}) {
    super(opts.code ?? 'CONFLICT', message, opts);
  }
}

/** 413: the upload is larger than the configured limit. */
export class PayloadTooLargeError extends RondoError {
  constructor(readonly limitBytes: number, opts: { cause?: unknown } = {}) {
    super('PAYLOAD_TOO_LARGE', `upload exceeds the limit of ${limitBytes} bytes; raise RONDO_MAX_UPLOAD_BYTES or send a smaller package`, {
      ...opts,
      details: { limitBytes },
    });
  }
}

/** 415: the request has a content type that the route does not take. */
export class UnsupportedMediaTypeError extends RondoError {
  constructor(readonly contentType: string) {
    super('UNSUPPORTED_MEDIA_TYPE', `content type ${contentType || '(none)'} is not accepted here`, {
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
    opts: { cause?: unknown; code?: ErrorCodeWithStatus<422> } = {},
  ) {
    const first = issues[0];
    const summary = first ? `${first.file}${first.path ? ` ${first.path}` : ''}: ${first.message}` : 'package is invalid';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    super(opts.code ?? 'PACKAGE_INVALID', summary + more, { ...opts, details: { issues } });
  }
}

/** 409 with a stable code: the requested state transition is not allowed. */
export class IllegalStateError extends RondoError {
  constructor(message: string, opts: { cause?: unknown; details?: Record<string, unknown>; code?: ErrorCodeWithStatus<409> } = {}) {
    super(opts.code ?? 'OP_ILLEGAL_STATE', message, opts);
  }
}

/** 500: a bug or an unexpected condition inside Rondo. */
export class InternalError extends RondoError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('INTERNAL', message, opts);
  }
}

/** Kinds of VIM failures, the same classes as OSM's vimconn exceptions. */
export const VIM_ERROR_KINDS = [
  'CONNECTION',
  'AUTH',
  'NOT_FOUND',
  'CONFLICT',
  /** The VIM refuses a network whose subnet overlaps one it already has (Docker's "Pool overlaps"). */
  'SUBNET_IN_USE',
  'QUOTA',
  'NOT_SUPPORTED',
  'UNEXPECTED_RESPONSE',
  'TIMEOUT',
  /** The TLS handshake with the VIM failed: a certificate expired, from an unknown CA, for another host, or unusable. */
  'TLS',
  /**
   * A compute of one PoP was asked to join a network of another PoP (a network is joined
   * only by computes of the PoPs it is labelled for: `rondo.pop`, or the `rondo.pops` list).
   */
  'FOREIGN_POP',
] as const;
export type VimErrorKind = (typeof VIM_ERROR_KINDS)[number];

/**
 * What was wrong with a certificate when a VIM error is of kind `TLS` (the extra
 * `tlsProblem`): `EXPIRED` (or not yet valid), `UNKNOWN_CA` (signed by a CA the other side
 * does not trust), `HOSTNAME_MISMATCH` (the VIM's certificate names another host),
 * `BAD_CERTIFICATE` (refused for another reason), `INVALID_PEM` (the account's
 * certificate or key cannot be read, or they do not match).
 */
export const VIM_TLS_PROBLEMS = ['EXPIRED', 'NOT_YET_VALID', 'UNKNOWN_CA', 'HOSTNAME_MISMATCH', 'BAD_CERTIFICATE', 'INVALID_PEM'] as const;
export type VimTlsProblem = (typeof VIM_TLS_PROBLEMS)[number];
/** Whose certificate a {@link VimTlsProblem} is about: the VIM's (server) or the account's (client). */
export type VimTlsSide = 'server' | 'client';

/** The error code of a VIM error kind (`VIM_AUTH`, …); its status is in {@link ERROR_CODES}. */
export type VimErrorCode = `VIM_${VimErrorKind}`;

/**
 * An error from a VIM, wrapped at the driver boundary so nothing vendor-specific leaks
 * upward. `vim` names the VIM account (or driver), `kind` the class of failure; drivers
 * and the lifecycle decide on `kind` and `retryable`. Clients get code `VIM_<kind>` with
 * a gateway status from the table (502/503/504/422, never 401/404) and the extras
 * `vim`, `vimKind` and `vimDetail` (the VIM's own message), plus the kind's own typed
 * extras (`tlsProblem` and `tlsSide` for `TLS`).
 */
export class VimError extends RondoError {
  declare readonly code: VimErrorCode;

  constructor(
    readonly kind: VimErrorKind,
    readonly vim: string,
    message: string,
    opts: { cause?: unknown; retryable?: boolean; tlsProblem?: VimTlsProblem; tlsSide?: VimTlsSide } = {},
  ) {
    const { tlsProblem, tlsSide, ...rest } = opts;
    super(`VIM_${kind}`, `${vim}: ${message}`, {
      ...rest,
      details: { vim, vimKind: kind, vimDetail: message, ...(tlsProblem ? { tlsProblem } : {}), ...(tlsSide ? { tlsSide } : {}) },
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
    super(code, message, opts);
  }
}

/** 403 `POLICY_DENIED`: authenticated, but the policy rule of `action` does not allow it. */
export class ForbiddenError extends RondoError {
  constructor(readonly action: string, opts: { cause?: unknown } = {}) {
    super('POLICY_DENIED', `the policy does not allow ${action} for your roles; ask an admin for a role that does`, { ...opts, details: { action } });
  }
}

/** 429 `RATE_LIMITED`: too many requests; retry after `retryAfterSeconds`. */
export class TooManyRequestsError extends RondoError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many requests; retry in ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
  }
}
