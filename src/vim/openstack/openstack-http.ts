import { request } from 'undici';
import { VimError } from '../../model/index.js';
import { abortError } from '../vim-abort.js';
import { OpenStackFault, faultToVimError } from './openstack-faults.js';

/** One HTTP call to an OpenStack API. */
export interface OpenStackRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body, or raw bytes (Glance image data). */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Per-call timeout in ms (TIMEOUT, retryable). */
  readonly timeoutMs: number;
  /** What the call does, for error messages ("create server rondo-x"). */
  readonly what: string;
}

/** A decoded response: status, headers (lower-case names) and the JSON body (or null). */
export interface OpenStackResponse<T = unknown> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: T;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EPIPE']);

/**
 * Sends one request with undici and returns the decoded 2xx response.
 *
 * @throws VimError CONNECTION when the service cannot be reached, TIMEOUT when the caller's
 *   signal aborts or `timeoutMs` passes, and the kind {@link faultToVimError} maps a non-2xx
 *   status to (the `cause` is an {@link OpenStackFault} with the body).
 */
export async function openstackRequest<T = unknown>(vim: string, req: OpenStackRequest): Promise<OpenStackResponse<T>> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  if (signal.aborted) throw abortError(vim, signal, req.what);
  const raw = req.body instanceof Uint8Array;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
  let res;
  try {
    res = await request(req.url, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : raw ? (req.body as Uint8Array) : JSON.stringify(req.body),
      signal,
    });
  } catch (e) {
    if (signal.aborted) throw abortError(vim, signal, req.what);
    throw transportError(vim, req.what, req.url, e);
  }
  let text: string;
  try {
    text = await res.body.text();
  } catch (e) {
    if (signal.aborted) throw abortError(vim, signal, req.what);
    throw transportError(vim, req.what, req.url, e);
  }
  const hdrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) hdrs[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw faultToVimError(vim, req.what, new OpenStackFault(res.statusCode, req.method, req.url, text));
  }
  let body: unknown = null;
  if (text !== '' && (hdrs['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new VimError('UNEXPECTED_RESPONSE', vim, `${req.what}: the answer is not valid JSON`, { cause: e });
    }
  }
  return { status: res.statusCode, headers: hdrs, body: body as T };
}

function transportError(vim: string, what: string, url: string, e: unknown): VimError {
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return new VimError('CONNECTION', vim, `${what}: cannot reach ${new URL(url).origin} (${code}); check the endpoint and that the service runs`, { cause: e });
  }
  return new VimError('CONNECTION', vim, `${what}: request to ${new URL(url).origin} failed: ${(e as Error).message}`, { cause: e });
}
