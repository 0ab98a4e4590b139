import type { EventBus } from '../../bus/index.js';
import { backoffDelay, sleep } from '../../notify/index.js';
import type { BackoffPolicy, Random } from '../../notify/index.js';
import type { Clock } from '../../model/index.js';
import type { VimDriver } from '../../vim/index.js';
import type { MonitoringTopics } from '../monitoring-events.js';
import { toVnfEvent } from './vim-event-mapping.js';
import type { VimMonitoringPort } from './vim-monitoring-port.js';

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
  /**
   * The PoP's computes: each time the stream is (re)opened, those already stopped or in
   * error are published as `vnf.down` — a VNF that died before the PoP was watched, or
   * while the stream was down, is not missed. Absent: no sweep.
   */
  readonly sweep?: Pick<VimMonitoringPort, 'listComputes' | 'computeState'>;
  /** Time of the swept events; default the system clock. */
  readonly clock?: Clock;
}

/**
 * Follows one PoP's `VimDriver.watch()` stream and publishes VNF events on the bus.
 * A stream that fails or ends is reopened after a jittered exponential backoff; the
 * backoff resets once an event arrives. Events during the gap are lost (a VIM event
 * stream has no replay): with `sweep`, computes found dead when the stream opens are
 * published as `vnf.down`; the VES agent's fault poll also reconciles on its interval.
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

  /** Publishes `vnf.down` for every VNF compute of the PoP that is stopped or in error. */
  async #sweep(signal: AbortSignal): Promise<void> {
    const { popId, bus, sweep, clock } = this.#o;
    if (!sweep) return;
    for (const c of await sweep.listComputes(signal)) {
      if (signal.aborted) return;
      const state = await sweep.computeState(c.computeId, signal);
      if (state !== 'STOPPED' && state !== 'ERROR') continue;
      bus.publish('vnf.down', { type: 'vnf.down', nsId: c.nsId, vnfId: c.vnfId, popId, computeId: c.computeId, computeName: c.computeName, at: clock?.now() ?? new Date() });
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { popId, driver, bus, backoff = { initialMs: 200, maxMs: 30_000 }, random = Math.random, onError = () => {} } = this.#o;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        this.#connects++;
        const stream = driver.watch(signal)[Symbol.asyncIterator]();
        // The first next() opens the subscription; the sweep runs while it does.
        let next = stream.next();
        void this.#sweep(signal).catch((e: unknown) => onError(e, popId));
        for (let r = await next; !r.done; r = await next) {
          attempt = 0;
          const ev = toVnfEvent(r.value, popId);
          if (ev) bus.publish(ev.type, ev);
          next = stream.next();
        }
      } catch (e) {
        if (!signal.aborted) onError(e, popId);
      }
      if (signal.aborted) break;
      await sleep(backoffDelay(attempt++, backoff, random), signal);
    }
  }
}
