import type { Bus, PublishOptions } from './bus.js';

/** One outbox row as the relay publishes it. */
export interface OutboxEvent {
  readonly id: string;
  readonly topic: string;
  readonly key: string | null;
  readonly payload: unknown;
  /** When the change was written (ISO 8601). */
  readonly time: string;
}

/** The outbox as the relay sees it (implemented in `src/store`). */
export interface OutboxStore {
  /**
   * Hands up to `limit` unsent events, oldest first, to `publish`, and marks them sent
   * once it resolved, under a lock that one relay (of every process on the store) holds
   * at a time, so events go out in the order they were written. Resolves with how many
   * were sent, or `'busy'` when another relay holds the lock. When `publish` throws,
   * nothing is marked sent and the error is thrown on.
   */
  relay(limit: number, publish: (events: readonly OutboxEvent[]) => Promise<void>): Promise<number | 'busy'>;
  /** Deletes events sent before `before`; resolves with how many. */
  prune(before: Date): Promise<number>;
}

/** Where the relay offers to crash (crash tests): after it read a batch, after the bus confirmed it (before it is marked sent). */
export type RelayCrashPoint = 'outbox-claimed' | 'outbox-published';

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  readonly store: OutboxStore;
  readonly bus: Pick<Bus<Record<string, unknown>>, 'publish'>;
  /** Events per batch (default 100). */
  readonly batchSize?: number;
  /** Safety poll for events written by other processes, or left by one that died (ms, default 1000). */
  readonly pollMs?: number;
  /**
   * How long a poke waits before its pass (ms, default 10): the pokes of one burst of
   * changes share a pass, and the pass (five statements) does not sit in front of the
   * statements the change's operation runs next on a one-connection store.
   */
  readonly pokeDelayMs?: number;
  /** Wait before trying again while another relay holds the lock (ms, default 50). */
  readonly busyRetryMs?: number;
  /** Sent events are kept this long before they are pruned (ms, default 1 h). */
  readonly keepSentMs?: number;
  readonly now?: () => Date;
  /** Told about a failed pass (the bus or the store did not answer); the relay backs off and goes on. */
  readonly onError?: (error: unknown) => void;
  /** Fault injection (crash tests): `hit` returns normally unless the process is meant to die there. */
  readonly crashPoints?: { hit(point: RelayCrashPoint, ctx: { readonly eventIds: readonly string[] }): void };
}

/**
 * Publishes the outbox on the bus. Every process runs one: it is poked after its own
 * changes commit (at once) and polls for the others' (a process that died between its
 * commit and its publication leaves its events to the next relay pass of any process).
 * A relay that dies after the bus confirmed a batch but before it marked it sent leaves
 * it to be published again, under the same event ids: consumers dedupe on them.
 */
export class OutboxRelay {
  readonly #o: OutboxRelayOptions;
  #loop: Promise<void> | null = null;
  #stop: AbortController | null = null;
  #wake: (() => void) | null = null;
  #woken = false;
  #poked: ReturnType<typeof setTimeout> | null = null;
  #lastPrune = 0;

  constructor(options: OutboxRelayOptions) {
    this.#o = options;
  }

  /** Starts relaying; a second call is a no-op. */
  start(): void {
    if (this.#loop) return;
    this.#stop = new AbortController();
    this.#loop = this.#run(this.#stop.signal);
  }

  /** Asks for a pass within `pokeDelayMs` (a change was committed). */
  poke(): void {
    if (this.#poked) return;
    const now = (): void => {
      this.#poked = null;
      this.#woken = true;
      this.#wake?.();
    };
    const delay = this.#o.pokeDelayMs ?? 10;
    if (delay <= 0) return now();
    // Unref'd, as the loop's own timer: a pending poke never keeps a process alive.
    this.#poked = setTimeout(now, delay).unref();
  }

  /**
   * Relays until no unsent event is left (waiting while another relay holds the lock);
   * throws what a pass throws. For shutdown and tests.
   */
  async drain(): Promise<void> {
    for (;;) {
      const r = await this.#pass();
      if (r === 0) return;
      if (r === 'busy') await new Promise((res) => setTimeout(res, this.#o.busyRetryMs ?? 50));
    }
  }

  /**
   * Relays until no unsent event is left or another relay holds the lock (it sends them
   * then); throws what a pass throws. For shutdown: never waits for another process.
   */
  async flush(): Promise<void> {
    for (let r = await this.#pass(); r !== 0 && r !== 'busy'; r = await this.#pass());
  }

  /** Stops the loop (a pass in progress finishes). */
  async stop(): Promise<void> {
    if (this.#poked) clearTimeout(this.#poked);
    this.#poked = null;
    if (!this.#loop) return;
    this.#stop?.abort();
    this.#wake?.();
    await this.#loop;
    this.#loop = null;
  }

  #pass(): Promise<number | 'busy'> {
    return this.#o.store.relay(this.#o.batchSize ?? 100, async (events) => {
      const eventIds = events.map((e) => e.id);
      this.#o.crashPoints?.hit('outbox-claimed', { eventIds });
      // Published together and confirmed together: each bus keeps the call order of one publisher.
      await Promise.all(events.map((e) => this.#o.bus.publish(e.topic, e.payload as never, { id: e.id, key: e.key, time: e.time } satisfies PublishOptions)));
      this.#o.crashPoints?.hit('outbox-published', { eventIds });
    });
  }

  async #run(signal: AbortSignal): Promise<void> {
    const poll = this.#o.pollMs ?? 1000;
    const batch = this.#o.batchSize ?? 100;
    let backoff = 0;
    while (!signal.aborted) {
      this.#woken = false;
      let wait = poll;
      try {
        const r = await this.#pass();
        backoff = 0;
        if (r === batch) continue;
        if (r === 'busy') wait = this.#o.busyRetryMs ?? 50;
        await this.#prune();
      } catch (e) {
        this.#o.onError?.(e);
        backoff = Math.min(Math.max(poll, 10_000), backoff === 0 ? 100 : backoff * 2);
        wait = backoff;
      }
      if (signal.aborted || (this.#woken && backoff === 0)) continue;
      await new Promise<void>((resolve) => {
        // Unref'd: a relay alone never keeps a process alive.
        const timer = setTimeout(resolve, wait).unref();
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = null;
    }
  }

  /** Every ten minutes at most: sent events older than `keepSentMs` go. */
  async #prune(): Promise<void> {
    const now = (this.#o.now ?? (() => new Date()))();
    if (now.getTime() - this.#lastPrune < 600_000) return;
    this.#lastPrune = now.getTime();
    await this.#o.store.prune(new Date(now.getTime() - (this.#o.keepSentMs ?? 3_600_000)));
  }
}
