import type { ComputeStats } from '../watch/stats-source.js';

/**
 * The ETSI measurements Rondo collects for NS instances, named as ETSI GS NFV-IFA 027
 * (§7.1, VNF-level virtualised resource measurements the NFVO reports on an NS through
 * SOL005 NS performance management) and 3GPP TS 28.552 spell them, from the per-compute
 * samples monitoring already takes:
 * - `VCpuUsageMeanVnf` / `VCpuUsagePeakVnf`: vCPU usage in percent of the CPUs the compute
 *   may use (Docker's share of one CPU divided by its online CPUs);
 * - `VMemoryUsageMeanVnf` / `VMemoryUsagePeakVnf`: memory in use in percent of the limit
 *   (not measured for a compute without a limit);
 * - `ByteIncomingVnfExtCp`, `ByteOutgoingVnfExtCp`, `PacketIncomingVnfExtCp`,
 *   `PacketOutgoingVnfExtCp`: bytes/packets received/sent over the collection period,
 *   summed over the VNF's interfaces (from the cumulative counters' increase).
 */
export const PM_MEASUREMENTS = [
  'VCpuUsageMeanVnf',
  'VCpuUsagePeakVnf',
  'VMemoryUsageMeanVnf',
  'VMemoryUsagePeakVnf',
  'ByteIncomingVnfExtCp',
  'ByteOutgoingVnfExtCp',
  'PacketIncomingVnfExtCp',
  'PacketOutgoingVnfExtCp',
] as const;
export type PmMeasurement = (typeof PM_MEASUREMENTS)[number];

/** IFA 027 measurement groups (`performanceMetricGroup`) and their measurements. */
export const PM_MEASUREMENT_GROUPS: Readonly<Record<string, readonly PmMeasurement[]>> = {
  VirtualisedComputeResource: ['VCpuUsageMeanVnf', 'VCpuUsagePeakVnf', 'VMemoryUsageMeanVnf', 'VMemoryUsagePeakVnf'],
  VnfExternalCp: ['ByteIncomingVnfExtCp', 'ByteOutgoingVnfExtCp', 'PacketIncomingVnfExtCp', 'PacketOutgoingVnfExtCp'],
};

/** The SOL005 `objectType` of the measured objects: NS instances (their VNFs are the sub-objects). */
export const PM_OBJECT_TYPES = ['NS'] as const;

/** How a measurement folds the values of one collection period. */
export const aggregationOf = (m: PmMeasurement): 'mean' | 'max' | 'sum' => (m.endsWith('MeanVnf') ? 'mean' : m.endsWith('PeakVnf') ? 'max' : 'sum');

export const isPmMeasurement = (m: string): m is PmMeasurement => (PM_MEASUREMENTS as readonly string[]).includes(m);

const round = (n: number): number => Math.round(n * 1000) / 1000;
const sumOf = (s: ComputeStats, f: (i: ComputeStats['interfaces'][number]) => number): number => s.interfaces.reduce((a, i) => a + f(i), 0);

/**
 * The value of measurement `m` one sample gives, or undefined when the sample does not
 * measure it (no memory limit; a counter's first sample, which has nothing to compare to).
 * `previous` is the compute's sample before, for the counters.
 */
export function sampleValue(m: PmMeasurement, s: ComputeStats, previous: ComputeStats | undefined): number | undefined {
  switch (m) {
    case 'VCpuUsageMeanVnf':
    case 'VCpuUsagePeakVnf':
      return round(s.cpuPercent / Math.max(1, s.onlineCpus));
    case 'VMemoryUsageMeanVnf':
    case 'VMemoryUsagePeakVnf':
      return s.memoryLimitBytes ? round((s.memoryBytes / s.memoryLimitBytes) * 100) : undefined;
    default: {
      if (!previous) return undefined;
      const f: Record<string, (i: ComputeStats['interfaces'][number]) => number> = {
        ByteIncomingVnfExtCp: (i) => i.rxBytes,
        ByteOutgoingVnfExtCp: (i) => i.txBytes,
        PacketIncomingVnfExtCp: (i) => i.rxPackets,
        PacketOutgoingVnfExtCp: (i) => i.txPackets,
      };
      const pick = f[m]!;
      // A restarted compute's counters start again from 0: count from there, not a negative increase.
      const now = sumOf(s, pick);
      const before = sumOf(previous, pick);
      return now >= before ? now - before : now;
    }
  }
}

/** Folds one collection period's values of `m`. */
export function aggregate(m: PmMeasurement, values: readonly number[]): number {
  const kind = aggregationOf(m);
  if (kind === 'max') return Math.max(...values);
  const total = values.reduce((a, b) => a + b, 0);
  return round(kind === 'sum' ? total : total / values.length);
}
