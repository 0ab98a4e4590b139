import type { ComputeStats, InterfaceStats, StatsSource } from './watch/stats-source.js';

/** The fields of Docker's `GET /containers/{id}/stats?stream=false` that Rondo reads. */
export interface DockerStatsJson {
  readonly read?: string;
  readonly cpu_stats?: DockerCpuStats;
  readonly precpu_stats?: DockerCpuStats;
  readonly memory_stats?: { readonly usage?: number; readonly limit?: number; readonly stats?: Readonly<Record<string, number>> };
  readonly networks?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The CPU counters of one Docker stats document. */
export interface DockerCpuStats {
  readonly cpu_usage?: { readonly total_usage?: number; readonly percpu_usage?: readonly number[] };
  readonly system_cpu_usage?: number;
  readonly online_cpus?: number;
}

/** The one dockerode call the stats source uses (`docker.getContainer(id).stats(...)`). */
export interface DockerStatsLike {
  getContainer(id: string): { stats(opts: { stream: false; 'one-shot': true }): Promise<DockerStatsJson> };
}

const isGone = (e: unknown): boolean => {
  const code = (e as { statusCode?: number }).statusCode;
  return code === 404 || code === 409;
};

/**
 * Converts one Docker stats document: CPU % from the deltas between its `cpu_stats` and
 * `precpu_stats` (`docker stats` does the same) or, in a one-shot answer that has no
 * `precpu_stats`, between it and `previous` (the CPU counters of the last sample of the
 * container); memory without the page cache (`inactive_file` on cgroup v2, `cache` on v1);
 * cumulative interface counters. A container that is not running has zero
 * `system_cpu_usage` deltas and no networks.
 */
export function toComputeStats(computeId: string, s: DockerStatsJson, fallbackAt: Date, previous?: DockerCpuStats): ComputeStats {
  const cpu = s.cpu_stats ?? {};
  const pre = (s.precpu_stats?.system_cpu_usage ? s.precpu_stats : previous) ?? {};
  const onlineCpus = cpu.online_cpus ?? cpu.cpu_usage?.percpu_usage?.length ?? 1;
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  // Without a previous sample (one-shot answers, a container that just started) there is no rate.
  const hasPrevious = (pre.system_cpu_usage ?? 0) > 0;
  const cpuPercent = hasPrevious && cpuDelta > 0 && sysDelta > 0 ? (cpuDelta / sysDelta) * onlineCpus * 100 : 0;
  const m = s.memory_stats ?? {};
  const cache = m.stats?.inactive_file ?? m.stats?.total_inactive_file ?? m.stats?.cache ?? 0;
  const memoryBytes = Math.max(0, (m.usage ?? 0) - cache);
  // An unlimited container reports the host's memory (or a huge number) as its limit.
  const memoryLimitBytes = m.limit && m.limit < 2 ** 62 ? m.limit : null;
  const interfaces: InterfaceStats[] = Object.entries(s.networks ?? {})
    .map(([name, n]) => ({
      name,
      rxBytes: n.rx_bytes ?? 0,
      txBytes: n.tx_bytes ?? 0,
      rxPackets: n.rx_packets ?? 0,
      txPackets: n.tx_packets ?? 0,
      rxErrors: n.rx_errors ?? 0,
      txErrors: n.tx_errors ?? 0,
      rxDropped: n.rx_dropped ?? 0,
      txDropped: n.tx_dropped ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const read = s.read ? new Date(s.read) : null;
  const at = read && !Number.isNaN(read.getTime()) && read.getTime() > 0 ? read : fallbackAt;
  return { computeId, at, cpuPercent, onlineCpus, memoryBytes, memoryLimitBytes, interfaces };
}

/**
 * A {@link StatsSource} over a Docker engine. `sample` resolves null for a container
 * that is gone or not running (404/409, or an empty stats answer).
 *
 * It asks for one-shot stats (API 1.41+): the engine answers at its next 1 s collection
 * instead of waiting for two of them (~2 s), so a 1 s poll interval really polls every
 * second. The CPU rate then comes from the previous sample of the same container, kept
 * here (at most `maxContainers`, the least recently sampled dropped first: a terminated
 * container is never asked again); an older engine ignores `one-shot` and sends its own
 * previous sample, which is used instead.
 */
export function createDockerStatsSource(docker: DockerStatsLike, clock: { now(): Date } = { now: () => new Date() }, maxContainers = 10_000): StatsSource {
  const lastCpu = new Map<string, DockerCpuStats>();
  return {
    async sample(computeId, signal) {
      signal?.throwIfAborted();
      let s: DockerStatsJson;
      try {
        s = await docker.getContainer(computeId).stats({ stream: false, 'one-shot': true });
      } catch (e) {
        if (isGone(e)) {
          lastCpu.delete(computeId);
          return null;
        }
        throw e;
      }
      if (!s.cpu_stats?.system_cpu_usage && !s.memory_stats?.usage) {
        lastCpu.delete(computeId);
        return null;
      }
      const stats = toComputeStats(computeId, s, clock.now(), lastCpu.get(computeId));
      // Re-inserted so that insertion order is recency: the first key is the stalest.
      lastCpu.delete(computeId);
      if (s.cpu_stats) lastCpu.set(computeId, s.cpu_stats);
      if (lastCpu.size > maxContainers) lastCpu.delete(lastCpu.keys().next().value as string);
      return stats;
    },
  };
}
