import { VimError } from '../model/index.js';

/**
 * Turns an aborted signal into the VimError the contract promises: kind TIMEOUT with the
 * signal's reason as `cause`; retryable only when the reason is a timeout
 * (`AbortSignal.timeout`, or a driver's own call timeout), not a caller's cancel.
 */
export function abortError(vim: string, signal: AbortSignal, what: string): VimError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new VimError('TIMEOUT', vim, `${what} ${timedOut ? 'timed out' : 'was aborted'}`, {
    cause: reason,
    retryable: timedOut,
  });
}

/** Throws {@link abortError} when `signal` is already aborted. */
export function throwIfAborted(vim: string, signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortError(vim, signal, what);
}

/** A signal that aborts when `signal` does or after `timeoutMs`, whichever comes first. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * Races `work` against `signal`: rejects with {@link abortError} as soon as the signal
 * aborts (the work itself may go on; callers make verbs idempotent so that is safe).
 */
export function raceAbort<T>(vim: string, signal: AbortSignal, what: string, work: Promise<T>): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError(vim, signal, what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(vim, signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
