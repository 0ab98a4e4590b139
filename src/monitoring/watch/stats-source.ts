/** Counters of one network interface of a compute, cumulative since it started. */
export interface InterfaceStats {
  readonly name: string;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly rxPackets: number;
  readonly txPackets: number;
  readonly rxErrors: number;
  readonly txErrors: number;
  readonly rxDropped: number;
  readonly txDropped: number;
}

/** One resource-use sample of a compute. */
export interface ComputeStats {
  readonly computeId: string;
  readonly at: Date;
  /** Share of one CPU over the sampling window, in percent (200 = two full CPUs). */
  readonly cpuPercent: number;
  /** Number of CPUs the compute may use. */
  readonly onlineCpus: number;
  /** Working-set memory in bytes (page cache excluded). */
  readonly memoryBytes: number;
  /** Memory limit in bytes; null when unlimited or unknown. */
  readonly memoryLimitBytes: number | null;
  readonly interfaces: readonly InterfaceStats[];
}

/**
 * The narrow port stats are sampled through (Docker's stats API, OpenStack's
 * diagnostics later). `sample` resolves null when the compute does not run or is gone,
 * and rejects only when the VIM cannot be asked.
 */
export interface StatsSource {
  sample(computeId: string, signal?: AbortSignal): Promise<ComputeStats | null>;
}

/** A compute the monitoring watches, with the VNF it realises. */
export interface MonitoredCompute {
  readonly computeId: string;
  readonly computeName: string;
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
}
