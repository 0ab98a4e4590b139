import type { ComputeStats } from '../watch/stats-source.js';
import type { VesEvent, VesNicPerformance } from './ves-event.js';
import { buildHeader } from './ves-header.js';
import type { VesBuildContext, VesSource } from './ves-header.js';

const KIB = 1024;

/** One measurement to report: a stats sample and, when known, the one before it. */
export interface VnfMeasurement {
  readonly source: VesSource;
  /** Seconds the measurement covers (the backlog's poll interval). */
  readonly intervalSeconds: number;
  readonly stats: ComputeStats;
  readonly previous?: ComputeStats | null;
}

/**
 * A measurement event: `cpuUsageArray` (one aggregate CPU entry), `memoryUsageArray`
 * (KiB, as VES wants), `nicPerformanceArray` (accumulated counters, plus deltas when a
 * previous sample of the same interface is given).
 */
export function buildMeasurementEvent(ctx: VesBuildContext, m: VnfMeasurement): VesEvent {
  const s = m.stats;
  const start = m.previous?.at ?? new Date(s.at.getTime() - m.intervalSeconds * 1000);
  const usedKiB = Math.round(s.memoryBytes / KIB);
  const limitKiB = s.memoryLimitBytes === null ? null : Math.round(s.memoryLimitBytes / KIB);
  const prev = new Map((m.previous?.interfaces ?? []).map((i) => [i.name, i]));
  const nics = s.interfaces.map((i): VesNicPerformance => {
    const p = prev.get(i.name);
    // Counters that went backwards were reset (compute restarted): deltas are unknowable.
    const reset = p !== undefined && (i.rxBytes < p.rxBytes || i.txBytes < p.txBytes);
    return {
      nicIdentifier: i.name,
      valuesAreSuspect: reset ? 'true' : 'false',
      operationalState: 'inService',
      receivedOctetsAccumulated: i.rxBytes,
      transmittedOctetsAccumulated: i.txBytes,
      receivedTotalPacketsAccumulated: i.rxPackets,
      transmittedTotalPacketsAccumulated: i.txPackets,
      receivedErrorPacketsAccumulated: i.rxErrors,
      transmittedErrorPacketsAccumulated: i.txErrors,
      receivedDiscardedPacketsAccumulated: i.rxDropped,
      transmittedDiscardedPacketsAccumulated: i.txDropped,
      ...(p && !reset
        ? {
            receivedOctetsDelta: i.rxBytes - p.rxBytes,
            transmittedOctetsDelta: i.txBytes - p.txBytes,
            receivedTotalPacketsDelta: i.rxPackets - p.rxPackets,
            transmittedTotalPacketsDelta: i.txPackets - p.txPackets,
          }
        : {}),
    };
  });
  return {
    commonEventHeader: buildHeader(ctx, {
      domain: 'measurement',
      eventName: 'Measurement_Rondo_VnfResources',
      priority: 'Normal',
      source: m.source,
      start,
      last: s.at,
    }),
    measurementFields: {
      additionalFields: { computeId: s.computeId, onlineCpus: String(s.onlineCpus) },
      cpuUsageArray: [{ cpuIdentifier: 'all', percentUsage: round2(s.cpuPercent) }],
      measurementFieldsVersion: '4.0',
      measurementInterval: m.intervalSeconds,
      memoryUsageArray: [
        {
          vmIdentifier: s.computeId,
          memoryUsed: usedKiB,
          memoryFree: limitKiB === null ? 0 : Math.max(0, limitKiB - usedKiB),
          ...(limitKiB === null ? {} : { memoryConfigured: limitKiB, percentMemoryUsage: limitKiB > 0 ? round2((usedKiB / limitKiB) * 100) : 0 }),
        },
      ],
      nicPerformanceArray: nics,
    },
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
