import { guardedFetch } from '../auth/outbound-guard.js';
import type { OutboundGuard } from '../auth/outbound-guard.js';

/** Limits of every outbound call (VES collectors, SOL005 callbacks). */
export interface OutboundLimits {
  /** Whole-call timeout, ms (connect + headers + body). */
  readonly timeoutMs: number;
  /** Response bodies beyond this are cut off and the call fails. */
  readonly maxResponseBytes: number;
}

/** Defaults: 5 s, 64 KiB (collectors and callbacks answer with tiny bodies). */
export const DEFAULT_OUTBOUND_LIMITS: OutboundLimits = { timeoutMs: 5_000, maxResponseBytes: 64 * 1024 };

/** HTTP basic credentials, sent as a header and never part of a URL or a log line. */
export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

/** One outbound request. */
export interface OutboundRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly json?: unknown;
  readonly auth?: BasicAuth | null;
  readonly signal?: AbortSignal;
}

/** What came back. Redirects are not followed: a 3xx is returned as is. */
export interface OutboundResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends one JSON request (with BASIC credentials as a header) through `guard` via
 * {@link guardedFetch}: the URL is checked against the guard's policy (BadRequestError
 * `OUTBOUND_URL_INVALID` / `OUTBOUND_NOT_ALLOWED`), every connection's address is checked
 * again after DNS, redirects are not followed, and the call is bounded by `limits`.
 * Rejects with RondoError `OUTBOUND_FAILED` (retryable) on a network error, a refused
 * address, a timeout or an oversized response; the message names the origin only, never
 * credentials. Any HTTP status resolves.
 */
export async function sendOutbound(guard: OutboundGuard, req: OutboundRequest, limits: OutboundLimits = DEFAULT_OUTBOUND_LIMITS): Promise<OutboundResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.json !== undefined) headers['content-type'] = 'application/json';
  if (req.auth) headers.authorization = `Basic ${Buffer.from(`${req.auth.username}:${req.auth.password}`).toString('base64')}`;
  const res = await guardedFetch(
    guard,
    req.url,
    { method: req.method, headers, ...(req.json === undefined ? {} : { body: JSON.stringify(req.json) }), ...(req.signal ? { signal: req.signal } : {}) },
    { timeoutMs: limits.timeoutMs, maxBytes: limits.maxResponseBytes },
  );
  return { status: res.status, body: res.body.toString('utf8') };
}
