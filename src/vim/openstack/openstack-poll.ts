import { VimError } from '../../model/index.js';
import { abortError } from '../vim-abort.js';

/** Backoff of a status poll: first wait, growth factor, longest wait, overall deadline. */
export interface PollOptions {
  readonly initialMs?: number;
  readonly factor?: number;
  readonly maxMs?: number;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Calls `probe` until it returns a value other than `undefined`, waiting with exponential
 * backoff between calls (default 500 ms × 1.5 up to 5 s).
 *
 * @throws VimError TIMEOUT (retryable) when `deadlineMs` passes, TIMEOUT with the signal's
 *   reason when the signal aborts, or whatever `probe` throws.
 */
export async function pollUntil<T>(vim: string, what: string, probe: () => Promise<T | undefined>, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.deadlineMs;
  let wait = opts.initialMs ?? 500;
  for (;;) {
    if (opts.signal?.aborted) throw abortError(vim, opts.signal, what);
    const value = await probe();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new VimError('TIMEOUT', vim, `${what} did not finish within ${Math.round(opts.deadlineMs / 1000)} s`, { retryable: true });
    await sleep(Math.min(wait, left), opts.signal);
    wait = Math.min(wait * (opts.factor ?? 1.5), opts.maxMs ?? 5_000);
  }
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
