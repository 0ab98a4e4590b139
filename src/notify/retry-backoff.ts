/** Exponential backoff parameters. */
export interface BackoffPolicy {
  /** Delay ceiling of the first retry, ms. */
  readonly initialMs: number;
  /** Upper bound of any delay, ms. */
  readonly maxMs: number;
  /** Growth per attempt; default 2. */
  readonly factor?: number;
}

/** Randomness in [0, 1); injected so tests are exact. */
export type Random = () => number;

/**
 * Delay before retry number `attempt` (0-based): "full jitter", a uniform draw in
 * [0, min(maxMs, initialMs·factor^attempt)], so many senders that failed together do not
 * retry together (AWS architecture blog, "Exponential Backoff And Jitter").
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: Random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * (policy.factor ?? 2) ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
