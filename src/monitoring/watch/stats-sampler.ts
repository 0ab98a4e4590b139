import type { EventBus } from '../../bus/index.js';
import type { MonitoringMetrics, VnfSeriesRef } from '../metrics.js';
import type { MonitoringTopics } from '../monitoring-events.js';
import type { VimMonitoringPort } from './vim-monitoring-port.js';

/** Options of {@link StatsSampler}. */
export interface StatsSamplerOptions {
  /** The VIMs to sample (those without a stats source are skipped). */
  readonly vims: () => readonly VimMonitoringPort[];
  readonly metrics: MonitoringMetrics;
  readonly bus?: EventBus<MonitoringTopics>;
  /** Default 15 s (a common Prometheus scrape interval). */
  readonly intervalMs?: number;
  readonly onError?: (error: unknown, popId: string) => void;
}

/**
 * Samples every VNF compute's resource use on an interval, independent of any VES
 * configuration: sets the per-VNF Prometheus gauges, publishes `vnf.stats`, and removes
 * the series of VNFs that disappeared. Rounds never overlap.
 */
export class StatsSampler {
  readonly #o: StatsSamplerOptions;
  #timer: NodeJS.Timeout | null = null;
  #round: Promise<void> | null = null;
  #ac = new AbortController();
  readonly #known = new Map<string, VnfSeriesRef>();

  constructor(opts: StatsSamplerOptions) {
    this.#o = opts;
  }

  /** Samples now, then every interval. */
  start(): void {
    if (this.#timer || this.#round) return;
    this.#ac = new AbortController();
    const tick = (): void => {
      this.#round = this.sampleOnce().finally(() => {
        this.#round = null;
        if (!this.#ac.signal.aborted) this.#timer = setTimeout(tick, this.#o.intervalMs ?? 15_000);
      });
    };
    tick();
  }

  /** Stops and waits for a round in progress. */
  async stop(): Promise<void> {
    this.#ac.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#round;
  }

  /** One round over every VIM. */
  async sampleOnce(): Promise<void> {
    const { metrics, bus, onError = () => {} } = this.#o;
    const signal = this.#ac.signal;
    const seen = new Set<string>();
    for (const vim of this.#o.vims()) {
      if (!vim.stats) continue;
      try {
        for (const c of await vim.listComputes(signal)) {
          const stats = await vim.stats.sample(c.computeId, signal);
          if (!stats) continue;
          const key = `${c.nsId}/${c.vnfId}/${c.popId}`;
          seen.add(key);
          this.#known.set(key, c);
          metrics.recordStats(c, stats);
          bus?.publish('vnf.stats', { nsId: c.nsId, vnfId: c.vnfId, popId: c.popId, computeId: c.computeId, stats });
        }
      } catch (e) {
        if (!signal.aborted) onError(e, vim.popId);
        // A VIM we could not ask keeps its series: absence of data is not absence of VNFs.
        for (const [key, ref] of this.#known) if (ref.popId === vim.popId) seen.add(key);
      }
    }
    for (const [key, ref] of this.#known) {
      if (seen.has(key)) continue;
      metrics.forgetVnf(ref);
      this.#known.delete(key);
    }
  }
}
