import { describe, expect, it } from 'vitest';
import { toComputeStats } from './docker-stats-source.js';

const at = new Date('2024-01-01T00:00:00Z');

describe('toComputeStats', () => {
  it('computes CPU % from deltas, memory without cache, sorted interface counters', () => {
    const s = toComputeStats(
      'c1',
      {
        read: '2024-05-01T10:00:00Z',
        cpu_stats: { cpu_usage: { total_usage: 3_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 4 },
        precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000 },
        memory_stats: { usage: 10_000, limit: 100_000, stats: { inactive_file: 2_000 } },
        networks: { eth1: { rx_bytes: 5, tx_bytes: 6 }, eth0: { rx_bytes: 1, tx_bytes: 2, rx_packets: 3, tx_packets: 4 } },
      },
      at,
    );
    expect(s.cpuPercent).toBeCloseTo(80);
    expect(s.memoryBytes).toBe(8_000);
    expect(s.memoryLimitBytes).toBe(100_000);
    expect(s.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1']);
    expect(s.interfaces[0]).toMatchObject({ rxBytes: 1, txBytes: 2, rxPackets: 3, txPackets: 4 });
    expect(s.at.toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });

  it('takes the CPU rate of a one-shot answer from the previous sample', () => {
    const oneShot = { cpu_stats: { cpu_usage: { total_usage: 7_000_000 }, system_cpu_usage: 40_000_000, online_cpus: 2 }, precpu_stats: { cpu_usage: {} }, memory_stats: { usage: 1 } };
    // 6 ms of CPU over 20 ms of system time on 2 CPUs: 60 %.
    expect(toComputeStats('c1', oneShot, at, { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 20_000_000 }).cpuPercent).toBeCloseTo(60);
    expect(toComputeStats('c1', oneShot, at).cpuPercent).toBe(0);
  });

  it('reports 0 % without a previous sample and no limit when unlimited', () => {
    const s = toComputeStats('c1', { read: '0001-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 9 }, memory_stats: { usage: 1, limit: 2 ** 63 } }, at);
    expect(s.cpuPercent).toBe(0);
    expect(s.memoryLimitBytes).toBeNull();
    expect(s.at).toBe(at);
  });
});
