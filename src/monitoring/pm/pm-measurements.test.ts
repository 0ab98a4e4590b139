import { describe, expect, it } from 'vitest';
import type { ComputeStats } from '../watch/stats-source.js';
import { aggregate, aggregationOf, PM_MEASUREMENT_GROUPS, PM_MEASUREMENTS, sampleValue } from './pm-measurements.js';

const stats = (o: Partial<ComputeStats> & { rx?: number; tx?: number } = {}): ComputeStats => ({
  computeId: 'c1',
  at: new Date(0),
  cpuPercent: 50,
  onlineCpus: 2,
  memoryBytes: 256,
  memoryLimitBytes: 1024,
  interfaces: [
    { name: 'eth0', rxBytes: o.rx ?? 100, txBytes: o.tx ?? 10, rxPackets: 1, txPackets: 2, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 },
    { name: 'eth1', rxBytes: 1, txBytes: 1, rxPackets: 1, txPackets: 1, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 },
  ],
  ...o,
});

describe('NS PM measurements', () => {
  it('every measurement is in exactly one group', () => {
    expect(Object.values(PM_MEASUREMENT_GROUPS).flat().sort()).toEqual([...PM_MEASUREMENTS].sort());
  });

  it('vCPU in percent of the online CPUs, memory in percent of the limit (none without a limit)', () => {
    expect(sampleValue('VCpuUsageMeanVnf', stats(), undefined)).toBe(25);
    expect(sampleValue('VMemoryUsagePeakVnf', stats(), undefined)).toBe(25);
    expect(sampleValue('VMemoryUsageMeanVnf', stats({ memoryLimitBytes: null }), undefined)).toBeUndefined();
  });

  it('counters: the increase since the previous sample over every interface; from zero after a restart; none for a first sample', () => {
    expect(sampleValue('ByteIncomingVnfExtCp', stats({ rx: 100 }), undefined)).toBeUndefined();
    expect(sampleValue('ByteIncomingVnfExtCp', stats({ rx: 350 }), stats({ rx: 100 }))).toBe(250);
    expect(sampleValue('ByteOutgoingVnfExtCp', stats({ tx: 5 }), stats({ tx: 1000 }))).toBe(6);
    expect(sampleValue('PacketOutgoingVnfExtCp', stats(), stats())).toBe(0);
  });

  it('folds a collection period: mean, peak or sum', () => {
    expect([aggregationOf('VCpuUsageMeanVnf'), aggregationOf('VCpuUsagePeakVnf'), aggregationOf('PacketIncomingVnfExtCp')]).toEqual(['mean', 'max', 'sum']);
    expect(aggregate('VCpuUsageMeanVnf', [10, 20, 40])).toBe(23.333);
    expect(aggregate('VMemoryUsagePeakVnf', [10, 70, 40])).toBe(70);
    expect(aggregate('ByteIncomingVnfExtCp', [100, 200])).toBe(300);
  });
});
