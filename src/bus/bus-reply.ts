import { ERROR_CODES, RondoError } from '../model/index.js';
import type { ErrorCode } from '../model/index.js';
import type { WireReply } from './bus.js';

/** The reply a responder's outcome becomes on the wire (`undefined` travels as `null`, as through JSON). */
export function replyOf(outcome: { readonly ok: unknown } | { readonly failed: unknown }): WireReply {
  if ('ok' in outcome) return { ok: JSON.parse(JSON.stringify(outcome.ok ?? null)) as unknown };
  const e = outcome.failed;
  const code = e instanceof RondoError ? e.code : 'BUS_REQUEST_FAILED';
  return { error: { code, message: e instanceof Error ? e.message : String(e) } };
}

/**
 * The answer a requester resolves with, from a reply on the wire; throws the
 * responder's error as a RondoError (its code when it is one of {@link ERROR_CODES},
 * else `BUS_REQUEST_FAILED`), and `BUS_REQUEST_FAILED` for a reply that is neither.
 */
export function answerOf(reply: unknown, topic: string): unknown {
  if (typeof reply === 'object' && reply !== null) {
    if ('ok' in reply) return (reply as { ok: unknown }).ok;
    const error = (reply as { error?: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      const known = typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
      throw new RondoError(known ? (code as ErrorCode) : 'BUS_REQUEST_FAILED', `the responder to ${topic} failed: ${typeof message === 'string' ? message : 'no message'}`, {
        details: { responderCode: typeof code === 'string' ? code : null },
      });
    }
  }
  throw new RondoError('BUS_REQUEST_FAILED', `the reply to ${topic} is neither an answer nor an error`);
}

/** RondoError `BUS_REQUEST_TIMEOUT` for a request to `topic` unanswered after `ms`. */
export const requestTimeout = (topic: string, ms: number): RondoError =>
  new RondoError('BUS_REQUEST_TIMEOUT', `no answer to ${topic} within ${ms} ms; is its responder running?`);

/** RondoError `BUS_NO_RESPONDER` for a request to `topic` that no group serves. */
export const noResponder = (topic: string): RondoError =>
  new RondoError('BUS_NO_RESPONDER', `no responder serves ${topic}; start the plugin or process that answers it`);

/** Throws RondoError `BUS_INVALID` unless `timeoutMs` is a positive finite number. */
export function checkTimeout(timeoutMs: number): void {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RondoError('BUS_INVALID', `a bus request needs a positive timeout (got ${timeoutMs})`);
}
