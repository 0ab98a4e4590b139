import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { BadRequestError, RondoError } from '../model/index.js';

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
 * Checks a target URL: absolute http(s), no user info (credentials belong in
 * `authentication`, not in a URL that ends up in logs). Throws BadRequestError
 * `OUTBOUND_URL_INVALID` naming `field`.
 */
export function checkOutboundUrl(raw: string, field = 'url'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new BadRequestError(`${field} is not an absolute URL`, { code: 'OUTBOUND_URL_INVALID', cause, details: { field } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadRequestError(`${field} must use http or https`, { code: 'OUTBOUND_URL_INVALID', details: { field } });
  }
  if (url.username || url.password) {
    throw new BadRequestError(`${field} must not carry credentials; pass them as authentication instead`, {
      code: 'OUTBOUND_URL_INVALID',
      details: { field },
    });
  }
  return url;
}

/** A keep-alive connection pool for outbound calls; close it with `.close()`. */
export function createOutboundAgent(connections = 16): Agent {
  return new Agent({ connections, keepAliveTimeout: 10_000 });
}

/**
 * Sends one request within `limits`. Rejects with RondoError `OUTBOUND_FAILED`
 * (retryable) on a network error, a timeout or an oversized response; the message names
 * the host only, never credentials. Any HTTP status resolves.
 */
export async function sendOutbound(req: OutboundRequest, limits: OutboundLimits = DEFAULT_OUTBOUND_LIMITS, dispatcher?: Dispatcher): Promise<OutboundResponse> {
  const url = checkOutboundUrl(req.url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.json !== undefined) headers['content-type'] = 'application/json';
  if (req.auth) headers.authorization = `Basic ${Buffer.from(`${req.auth.username}:${req.auth.password}`).toString('base64')}`;
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const where = `${req.method} ${url.origin}${url.pathname}`;
  try {
    const res = await request(url, {
      method: req.method,
      headers,
      body: req.json === undefined ? undefined : JSON.stringify(req.json),
      signal,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limits.maxResponseBytes) {
        res.body.destroy();
        throw new RondoError('OUTBOUND_FAILED', 502, `${where}: response larger than ${limits.maxResponseBytes} bytes`, { retryable: true });
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  } catch (cause) {
    if (cause instanceof RondoError) throw cause;
    const reason = timeout.aborted ? `no answer within ${limits.timeoutMs} ms` : (cause as { code?: string }).code ?? 'request failed';
    throw new RondoError('OUTBOUND_FAILED', 502, `${where}: ${reason}`, { cause, retryable: true });
  }
}
