import type { EventBus } from '../../bus/index.js';
import { backoffDelay, sleep } from '../../notify/index.js';
import type { BackoffPolicy, Random } from '../../notify/index.js';
import type { VimDriver } from '../../vim/index.js';
import type { MonitoringTopics } from '../monitoring-events.js';
import { toVnfEvent } from './vim-event-mapping.js';

/** Options of {@link VimWatcher}. */
export interface VimWatcherOptions {
  readonly popId: string;
  readonly driver: Pick<VimDriver, 'watch' | 'name'>;
  readonly bus: EventBus<MonitoringTopics>;
  /** Reconnect backoff; default 200 ms doubling up to 30 s. */
  readonly backoff?: BackoffPolicy;
  readonly random?: Random;
  /** Told about each lost stream before the reconnect; default: ignore. */
  readonly onError?: (error: unknown, popId: string) => void;
}

/**
 * Follows one PoP's `VimDriver.watch()` stream and publishes VNF events on the bus.
 * A stream that fails or ends is reopened after a jittered exponential backoff; the
 * backoff resets once an event arrives. Events during the gap are lost (a VIM event
 * stream has no replay); the VES agent's fault poll reconciles state on its interval.
 */
export class VimWatcher {
  readonly #o: VimWatcherOptions;
  #ac: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #connects = 0;

  constructor(opts: VimWatcherOptions) {
    this.#o = opts;
  }

  /** Number of times the stream was opened (1 + reconnects). */
  get connects(): number {
    return this.#connects;
  }

  /** Starts following the stream; idempotent. */
  start(): void {
    if (this.#loop) return;
    const ac = new AbortController();
    this.#ac = ac;
    this.#loop = this.#run(ac.signal);
  }

  /** Stops and waits until the stream is closed. */
  async stop(): Promise<void> {
    this.#ac?.abort();
    await this.#loop;
    this.#loop = null;
    this.#ac = null;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { popId, driver, bus, backoff = { initialMs: 200, maxMs: 30_000 }, random = Math.random, onError = () => {} } = this.#o;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        this.#connects++;
        for await (const e of driver.watch(signal)) {
          attempt = 0;
          const ev = toVnfEvent(e, popId);
          if (ev) bus.publish(ev.type, ev);
        }
      } catch (e) {
        if (!signal.aborted) onError(e, popId);
      }
      if (signal.aborted) break;
      await sleep(backoffDelay(attempt++, backoff, random), signal);
    }
  }
}
