/**
 * A small typed in-process event bus. `Topics` maps each topic name to its payload type.
 * Handlers run synchronously in subscription order; a throwing handler is reported to
 * `onHandlerError` and never stops delivery to the others (one bad subscriber must not
 * starve the alarm service or the VES agent).
 */
export interface EventBus<Topics extends object> {
  /** Calls `handler` for every later `publish` on `topic`; returns the unsubscribe function. */
  subscribe<K extends keyof Topics & string>(topic: K, handler: (payload: Topics[K]) => void): () => void;
  /** Delivers `payload` to every current subscriber of `topic`. */
  publish<K extends keyof Topics & string>(topic: K, payload: Topics[K]): void;
  /**
   * Events of `topics` published after the call, in order, until `signal` aborts (the
   * iterator then ends normally). Meant for SSE streams. `maxBuffered` bounds the queue
   * of a slow reader: the oldest events are dropped and counted in `dropped`.
   */
  stream<K extends keyof Topics & string>(
    topics: readonly K[],
    signal: AbortSignal,
    opts?: { maxBuffered?: number },
  ): AsyncIterableIterator<BusMessage<Topics, K>> & { readonly dropped: number };
  /** Number of handlers currently subscribed (all topics). */
  readonly size: number;
}

/** One message read from {@link EventBus.stream}. */
export type BusMessage<Topics extends object, K extends keyof Topics> = {
  [T in K]: { readonly topic: T; readonly payload: Topics[T] };
}[K];

/** Options of {@link createEventBus}. */
export interface EventBusOptions {
  /** Called when a handler throws; default: ignore. */
  readonly onHandlerError?: (error: unknown, topic: string) => void;
}

/** Creates an in-process {@link EventBus}. */
export function createEventBus<Topics extends object>({ onHandlerError = () => {} }: EventBusOptions = {}): EventBus<Topics> {
  const handlers = new Map<string, Set<(payload: never) => void>>();
  let size = 0;

  const subscribe = <K extends keyof Topics & string>(topic: K, handler: (payload: Topics[K]) => void): (() => void) => {
    const set = handlers.get(topic) ?? new Set();
    handlers.set(topic, set);
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry = (payload: never): void => handler(payload);
    set.add(entry);
    size++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(entry);
      size--;
    };
  };

  const publish = <K extends keyof Topics & string>(topic: K, payload: Topics[K]): void => {
    const set = handlers.get(topic);
    if (!set) return;
    for (const h of [...set]) {
      try {
        (h as (p: Topics[K]) => void)(payload);
      } catch (e) {
        onHandlerError(e, topic);
      }
    }
  };

  const stream = <K extends keyof Topics & string>(
    topics: readonly K[],
    signal: AbortSignal,
    { maxBuffered = 1000 }: { maxBuffered?: number } = {},
  ): AsyncIterableIterator<BusMessage<Topics, K>> & { readonly dropped: number } => {
    const queue: BusMessage<Topics, K>[] = [];
    let wake: (() => void) | null = null;
    let dropped = 0;
    const unsubs = topics.map((topic) =>
      subscribe(topic, (payload) => {
        if (queue.length >= maxBuffered) {
          queue.shift();
          dropped++;
        }
        queue.push({ topic, payload } as BusMessage<Topics, K>);
        wake?.();
      }),
    );
    const close = (): void => {
      for (const u of unsubs) u();
      wake?.();
    };
    signal.addEventListener('abort', close, { once: true });
    if (signal.aborted) close();
    const it = {
      get dropped() {
        return dropped;
      },
      [Symbol.asyncIterator]() {
        return it;
      },
      async next(): Promise<IteratorResult<BusMessage<Topics, K>>> {
        for (;;) {
          const m = queue.shift();
          if (m !== undefined) return { value: m, done: false };
          if (signal.aborted) return { value: undefined, done: true };
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
      },
      async return(): Promise<IteratorResult<BusMessage<Topics, K>>> {
        signal.removeEventListener('abort', close);
        close();
        queue.length = 0;
        return { value: undefined, done: true };
      },
    };
    return it;
  };

  return {
    subscribe,
    publish,
    stream,
    get size() {
      return size;
    },
  };
}
