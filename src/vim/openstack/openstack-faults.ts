import { VimError } from '../../model/index.js';
import type { VimErrorKind } from '../../model/index.js';

// Nova, Neutron, Glance, Heat and Keystone word quota failures differently, and some
// return them as 403 or 400 rather than 413; the message is the only stable signal.
const QUOTA_TEXT = /quota|over ?limit|overlimit|exceed(s|ed)? .*limit|limit exceeded|too many/i;
const UNSUPPORTED_TEXT = /not supported|unsupported|not implemented|is not available|extension .* not/i;

/** Extracts the human message from an OpenStack error body (each service nests it differently). */
export function faultMessage(body: string): string {
  try {
    const json = JSON.parse(body) as unknown;
    const stack: unknown[] = [json];
    while (stack.length > 0) {
      const v = stack.shift();
      if (v === null || typeof v !== 'object') continue;
      const o = v as Record<string, unknown>;
      for (const key of ['message', 'explanation', 'detail', 'title']) {
        if (typeof o[key] === 'string' && o[key] !== '') return o[key];
      }
      // Neutron: {"NeutronError": {...}}, Nova: {"badRequest": {...}}, Heat: {"error": {...}}.
      stack.push(...Object.values(o));
    }
  } catch {
    // Not JSON: Glance and the WSGI layer answer with text or HTML.
  }
  return body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** Maps an HTTP status and its OpenStack error body onto a VimError kind. */
export function faultKind(status: number, message: string): VimErrorKind {
  if (status === 413 || ((status === 403 || status === 400 || status === 409) && QUOTA_TEXT.test(message))) return 'QUOTA';
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400 && UNSUPPORTED_TEXT.test(message)) return 'NOT_SUPPORTED';
  if (status === 501) return 'NOT_SUPPORTED';
  if (status === 503 || status === 502 || status === 504) return 'CONNECTION';
  return 'UNEXPECTED_RESPONSE';
}

/** An error response as a `cause`: status, URL and the raw body. */
export class OpenStackFault extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly body: string,
  ) {
    super(`${method} ${url} → ${status}: ${faultMessage(body)}`);
    this.name = 'OpenStackFault';
  }
}

/** Wraps an OpenStack error response into the VimError the driver contract promises. */
export function faultToVimError(vim: string, what: string, fault: OpenStackFault): VimError {
  const message = faultMessage(fault.body);
  const kind = faultKind(fault.status, message);
  return new VimError(kind, vim, `${what}: ${message || `HTTP ${fault.status}`}`, {
    cause: fault,
    retryable: kind === 'CONNECTION' || fault.status === 503 || fault.status === 429,
  });
}
