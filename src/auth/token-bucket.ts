/** The outcome of taking one token. */
export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** Token buckets keyed by principal or address, in memory, bounded in size. */
export interface TokenBuckets {
  /** Takes one token from `key`'s bucket. */
  take(key: string): TakeResult;
  /** How many keys are tracked (bounded by `maxKeys`). */
  readonly size: number;
}

/** Options of {@link createTokenBuckets}. */
export interface TokenBucketOptions {
  /** Bucket size: requests allowed in a burst. */
  readonly burst: number;
  /** Refill rate, tokens per second. */
  readonly perSecond: number;
  /** Milliseconds, monotonic enough; injected so tests are exact. */
  readonly now: () => number;
  /** Keys kept; the least recently used goes first (so random keys cannot grow memory). */
  readonly maxKeys?: number;
}

/**
 * Creates token buckets. A full bucket holds `burst` tokens and refills continuously at
 * `perSecond`. Per-process: several API processes each allow the rate (a shared limiter
 * would need the database on every request, which costs more than it protects here).
 */
export function createTokenBuckets({ burst, perSecond, now, maxKeys = 10_000 }: TokenBucketOptions): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      buckets.delete(key); // re-insert below: Map order is the LRU order
      b.tokens = Math.min(burst, b.tokens + (Math.max(0, t - b.at) / 1000) * perSecond);
      b.at = t;
      let result: TakeResult;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        result = { ok: true };
      } else {
        result = { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
      }
      buckets.set(key, b);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return result;
    },
    get size() {
      return buckets.size;
    },
  };
}
