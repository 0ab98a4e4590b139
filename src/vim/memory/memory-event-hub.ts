import type { VimEvent } from '../vim-driver.js';

/** One watcher's queue: events published after it subscribed, in order. */
interface Subscriber {
  readonly queue: VimEvent[];
  wake: (() => void) | null;
}

/**
 * Fan-out of VIM events to every open `watch` iterator. Publishing is O(watchers);
 * nothing is kept for watchers that subscribe later (like a real events stream).
 */
export class MemoryEventHub {
  readonly #subscribers = new Set<Subscriber>();

  /** Delivers `event` to every current watcher. */
  publish(event: VimEvent): void {
    for (const sub of this.#subscribers) {
      sub.queue.push(event);
      sub.wake?.();
    }
  }

  /** Number of open watchers (tests wait on it before publishing). */
  get watchers(): number {
    return this.#subscribers.size;
  }

  /** Yields events until `signal` aborts; then ends normally. */
  async *stream(signal: AbortSignal): AsyncGenerator<VimEvent> {
    const sub: Subscriber = { queue: [], wake: null };
    this.#subscribers.add(sub);
    const onAbort = (): void => sub.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const next = sub.queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          sub.wake = resolve;
        });
        sub.wake = null;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#subscribers.delete(sub);
    }
  }
}
