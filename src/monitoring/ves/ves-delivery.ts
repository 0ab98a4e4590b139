import { createOutboundGuard } from '../../auth/outbound-guard.js';
import type { OutboundGuard } from '../../auth/outbound-guard.js';
import { backoffDelay, DEFAULT_OUTBOUND_LIMITS, sendOutbound, sleep } from '../../notify/index.js';
import type { BackoffPolicy, BasicAuth, OutboundLimits, Random } from '../../notify/index.js';
import type { VesEvent } from './ves-event.js';

/** Counts a delivery reports as they happen (Prometheus counters hang here). */
export interface VesDeliveryObserver {
  sent(events: number): void;
  /** One POST that did not succeed (it is retried unless the collector refused the events). */
  failed(events: number): void;
  /** Events the collector refused for good (a 3xx, not followed, or a 4xx other than 401/403/408/429). */
  rejected(events: number): void;
  /** Events dropped because the queue was full. */
  dropped(events: number): void;
}

/** Options of {@link VesDelivery}. */
export interface VesDeliveryOptions {
  /** Collector base URL; events go to `<endpoint>/eventListener/v7[/eventBatch]`. */
  readonly endpoint: string;
  readonly auth?: BasicAuth | null;
  /** Most events per POST; 1 disables batching. Default 50. */
  readonly maxBatchSize?: number;
  /** How long the first queued event may wait for a batch to fill, ms. Default 50. */
  readonly maxLingerMs?: number;
  /** Most events held (queued + in flight); the oldest queued one is dropped beyond. Default 10 000. */
  readonly maxQueue?: number;
  /** Retry backoff; default 250 ms doubling up to 30 s, full jitter. */
  readonly backoff?: BackoffPolicy;
  readonly random?: Random;
  /** Timeout and response size of each POST; default {@link DEFAULT_OUTBOUND_LIMITS}. */
  readonly limits?: OutboundLimits;
  /**
   * Where the collector may be (the server passes `auth.outbound`); default: an open
   * guard. The endpoint is checked at construction, every connection's address after DNS;
   * redirects are not followed.
   */
  readonly guard?: OutboundGuard;
  readonly observer?: VesDeliveryObserver;
  /** Told about each failed POST (no credentials in it). */
  readonly onError?: (error: unknown) => void;
}

const LISTENER_PATH = '/eventListener/v7';

/**
 * `<endpoint>/eventListener/v7`, accepting an endpoint that already ends with it. Throws
 * BadRequestError `OUTBOUND_URL_INVALID` / `OUTBOUND_NOT_ALLOWED` when `guard` refuses the
 * endpoint.
 */
export function listenerUrl(endpoint: string, guard: Pick<OutboundGuard, 'check'>): string {
  const base = guard.check(endpoint, 'vesagent_config.ves_subscription.endpoint').href.replace(/\/+$/, '');
  return base.endsWith(LISTENER_PATH) ? base : base + LISTENER_PATH;
}

/**
 * Delivers VES events to one collector: a bounded in-memory queue, batches of up to
 * `maxBatchSize` events lingering at most `maxLingerMs`, one POST in flight at a time
 * (so the collector sees events in order; a High-priority event — a fault raise — cuts
 * the linger short), retries with jittered exponential backoff (after a network error, a
 * timeout, an oversized answer, a 5xx) until success or a permanent refusal (a 3xx — not
 * followed — or a 4xx other than 401/403/408/429). Every POST goes through the outbound
 * guard and is bounded by `limits`. A single event goes as `{"event": …}` to
 * `/eventListener/v7`, several as `{"eventList": […]}` to `/eventListener/v7/eventBatch`.
 */
export class VesDelivery {
  readonly #url: string;
  readonly #o: Required<Omit<VesDeliveryOptions, 'auth' | 'observer' | 'onError' | 'endpoint'>> & VesDeliveryOptions;
  readonly #queue: VesEvent[] = [];
  #inFlight = 0;
  #firstQueuedAt = 0;
  /** A High-priority event (a fault) is queued: send without lingering. */
  #urgent = false;
  #wake: (() => void) | null = null;
  #idle: (() => void)[] = [];
  #ac: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #sent = 0;
  #failed = 0;
  #rejected = 0;
  #dropped = 0;

  constructor(opts: VesDeliveryOptions) {
    const guard = opts.guard ?? createOutboundGuard();
    this.#url = listenerUrl(opts.endpoint, guard);
    this.#o = {
      maxBatchSize: 50,
      maxLingerMs: 50,
      maxQueue: 10_000,
      backoff: { initialMs: 250, maxMs: 30_000 },
      random: Math.random,
      limits: DEFAULT_OUTBOUND_LIMITS,
      ...opts,
      guard,
    };
    if (this.#o.maxBatchSize < 1 || this.#o.maxQueue < this.#o.maxBatchSize) {
      throw new RangeError('VES delivery needs 1 ≤ maxBatchSize ≤ maxQueue');
    }
  }

  /** Events delivered (2xx). */
  get sent(): number {
    return this.#sent;
  }
  /** POSTs that failed (each is retried unless refused). */
  get failedAttempts(): number {
    return this.#failed;
  }
  /** Events the collector refused for good. */
  get rejected(): number {
    return this.#rejected;
  }
  /** Events dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }
  /** Events held: queued plus in flight. */
  get queueDepth(): number {
    return this.#queue.length + this.#inFlight;
  }

  /** Starts the sender; idempotent. */
  start(): void {
    if (this.#loop) return;
    this.#ac = new AbortController();
    this.#loop = this.#run(this.#ac.signal);
  }

  /** Stops: aborts a POST in flight and a backoff wait. Held events are discarded. */
  async stop(): Promise<void> {
    this.#ac?.abort();
    this.#wake?.();
    await this.#loop;
    this.#loop = null;
    for (const r of this.#idle.splice(0)) r();
  }

  /**
   * Queues an event. When `maxQueue` events are held, the oldest queued one is dropped
   * (fresh state matters more than stale) and counted; with all held events in flight,
   * the new one is dropped instead.
   */
  enqueue(event: VesEvent): void {
    if (this.queueDepth >= this.#o.maxQueue) {
      this.#dropped++;
      this.#o.observer?.dropped(1);
      if (this.#queue.length === 0) return;
      this.#queue.shift();
    }
    if (this.#queue.length === 0) this.#firstQueuedAt = Date.now();
    this.#queue.push(event);
    if (event.commonEventHeader.priority === 'High') this.#urgent = true;
    this.#wake?.();
  }

  /** Resolves when nothing is queued or in flight (or on stop). */
  drained(): Promise<void> {
    if (this.queueDepth === 0 || !this.#loop) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #run(signal: AbortSignal): Promise<void> {
    const o = this.#o;
    while (!signal.aborted) {
      if (this.#queue.length === 0) {
        for (const r of this.#idle.splice(0)) r();
        await this.#waitForEvent();
        continue;
      }
      const wait = this.#firstQueuedAt + o.maxLingerMs - Date.now();
      if (this.#queue.length < o.maxBatchSize && wait > 0 && !this.#urgent) {
        await Promise.race([this.#waitForEvent(), sleep(wait, signal)]);
        continue;
      }
      const batch = this.#queue.splice(0, o.maxBatchSize);
      this.#urgent = this.#queue.some((e) => e.commonEventHeader.priority === 'High');
      this.#inFlight = batch.length;
      if (this.#queue.length > 0) this.#firstQueuedAt = Date.now();
      await this.#deliver(batch, signal);
      this.#inFlight = 0;
    }
  }

  #waitForEvent(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = null;
        resolve();
      };
    });
  }

  async #deliver(batch: VesEvent[], signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const single = batch.length === 1;
    const url = single ? this.#url : `${this.#url}/eventBatch`;
    const json = single ? { event: batch[0] } : { eventList: batch };
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const res = await sendOutbound(o.guard, { method: 'POST', url, json, auth: o.auth ?? null, signal }, o.limits);
        if (res.status >= 200 && res.status < 300) {
          this.#sent += batch.length;
          o.observer?.sent(batch.length);
          return;
        }
        this.#failed++;
        o.observer?.failed(batch.length);
        const redirect = res.status >= 300 && res.status < 400;
        o.onError?.(new Error(`VES collector answered ${res.status} to POST ${url}${redirect ? ' (redirects are not followed; set the endpoint to the final URL)' : ''}`));
        // A redirect (not followed) and other 4xx (400, 404, 405, 413, 415…) will never
        // succeed as sent: drop the batch. 401/403 are retried: credentials are fixed on
        // the collector or in the config, and a config change restarts the delivery anyway.
        if (redirect || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429 && res.status !== 401 && res.status !== 403)) {
          this.#rejected += batch.length;
          o.observer?.rejected(batch.length);
          return;
        }
      } catch (e) {
        if (signal.aborted) return;
        this.#failed++;
        o.observer?.failed(batch.length);
        o.onError?.(e);
      }
      await sleep(backoffDelay(attempt, o.backoff, o.random), signal);
    }
  }
}
