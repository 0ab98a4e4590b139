import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ComputeStats } from './watch/stats-source.js';
import type { VesDeliveryObserver } from './ves/ves-delivery.js';

/** Labels of the per-VNF series. */
export interface VnfSeriesRef {
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
}

/**
 * The Prometheus metrics of one Rondo instance, on their own registry (never the
 * global default one, so two apps in one process — tests — do not collide).
 */
export interface MonitoringMetrics {
  readonly registry: Registry;
  /** Sets the VNF's cpu, memory and per-interface network gauges from a sample. */
  recordStats(ref: VnfSeriesRef, stats: ComputeStats): void;
  /** Removes the VNF's series (terminated VNFs must not linger as flat lines). */
  forgetVnf(ref: VnfSeriesRef): void;
  /** One API request; `route` is the route pattern, not the URL (bounded cardinality). */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** The API's response cache served an answer again (`hit`) or had to make it (`miss`). */
  recordApiCache(result: 'hit' | 'miss'): void;
  /** An LCM operation reached `state`; `seconds` since it started when it is final. */
  recordOperation(operation: string, state: string, seconds?: number): void;
  /** Counters for the VES delivery to `vimId`'s collector. */
  vesObserver(vimId: string): VesDeliveryObserver;
  /** Reports `depth()` as `rondo_ves_queue_depth{vim}` at each scrape; returns the untrack function. */
  trackVesQueue(vimId: string, depth: () => number): () => void;
  /** The text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Options of {@link createMonitoringMetrics}. */
export interface MonitoringMetricsOptions {
  readonly prefix?: string;
  /** Also export process metrics (cpu, memory, event loop lag). Default false. */
  readonly processMetrics?: boolean;
}

/** Creates the metrics on a fresh registry. */
export function createMonitoringMetrics({ prefix = 'rondo_', processMetrics = false }: MonitoringMetricsOptions = {}): MonitoringMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix });
  const vnf = ['ns', 'vnf', 'pop'] as const;
  const nic = ['ns', 'vnf', 'pop', 'interface'] as const;
  const g = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name: prefix + name, help, labelNames, registers: [registry] });
  const cpu = g('vnf_cpu_percent', 'CPU use of the VNF in percent of one CPU', vnf);
  const mem = g('vnf_memory_bytes', 'Working-set memory of the VNF in bytes', vnf);
  const memLimit = g('vnf_memory_limit_bytes', 'Memory limit of the VNF in bytes', vnf);
  const rx = g('vnf_network_receive_bytes', 'Bytes received by the VNF interface since it started', nic);
  const tx = g('vnf_network_transmit_bytes', 'Bytes transmitted by the VNF interface since it started', nic);
  const ifaces = new Map<string, Set<string>>();

  const api = new Histogram({
    name: `${prefix}api_request_duration_seconds`,
    help: 'API request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const apiCache = new Counter({
    name: `${prefix}api_response_cache_total`,
    help: 'NS and operation reads answered from the response cache (hit) or made again (miss)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const ops = new Counter({
    name: `${prefix}lcm_operations_total`,
    help: 'NS LCM operation state changes by operation type and state',
    labelNames: ['operation', 'state'] as const,
    registers: [registry],
  });
  const opDuration = new Histogram({
    name: `${prefix}lcm_operation_duration_seconds`,
    help: 'Duration of NS LCM operations until a final state, by type and state',
    labelNames: ['operation', 'state'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const c = (name: string, help: string) => new Counter({ name: prefix + name, help, labelNames: ['vim'] as const, registers: [registry] });
  const vesSent = c('ves_events_sent_total', 'VES events delivered to the collector');
  const vesFailed = c('ves_delivery_failures_total', 'VES POSTs that failed (retried unless refused)');
  const vesRejected = c('ves_events_rejected_total', 'VES events the collector refused for good');
  const vesDropped = c('ves_events_dropped_total', 'VES events dropped because the delivery queue was full');
  const depths = new Map<string, () => number>();
  new Gauge({
    name: `${prefix}ves_queue_depth`,
    help: 'VES events waiting or in flight',
    labelNames: ['vim'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [vim, depth] of depths) this.set({ vim }, depth());
    },
  });

  const key = (r: VnfSeriesRef): string => `${r.nsId}\u0000${r.vnfId}\u0000${r.popId}`;
  const labels = (r: VnfSeriesRef) => ({ ns: r.nsId, vnf: r.vnfId, pop: r.popId });

  return {
    registry,
    recordStats(ref, s) {
      const l = labels(ref);
      cpu.set(l, s.cpuPercent);
      mem.set(l, s.memoryBytes);
      if (s.memoryLimitBytes !== null) memLimit.set(l, s.memoryLimitBytes);
      const names = ifaces.get(key(ref)) ?? new Set<string>();
      for (const i of s.interfaces) {
        rx.set({ ...l, interface: i.name }, i.rxBytes);
        tx.set({ ...l, interface: i.name }, i.txBytes);
        names.add(i.name);
      }
      ifaces.set(key(ref), names);
    },
    forgetVnf(ref) {
      const l = labels(ref);
      for (const m of [cpu, mem, memLimit]) m.remove(l);
      for (const name of ifaces.get(key(ref)) ?? []) {
        rx.remove({ ...l, interface: name });
        tx.remove({ ...l, interface: name });
      }
      ifaces.delete(key(ref));
    },
    observeRequest(method, route, statusCode, seconds) {
      api.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
    recordApiCache(result) {
      apiCache.inc({ result });
    },
    recordOperation(operation, state, seconds) {
      ops.inc({ operation, state });
      if (seconds !== undefined) opDuration.observe({ operation, state }, seconds);
    },
    vesObserver(vim) {
      return {
        sent: (n) => vesSent.inc({ vim }, n),
        failed: () => vesFailed.inc({ vim }),
        rejected: (n) => vesRejected.inc({ vim }, n),
        dropped: (n) => vesDropped.inc({ vim }, n),
      };
    },
    trackVesQueue(vim, depth) {
      depths.set(vim, depth);
      return () => {
        if (depths.get(vim) === depth) depths.delete(vim);
      };
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
