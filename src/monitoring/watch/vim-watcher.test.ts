import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../bus/index.js';
import { createMemoryVimDriver } from '../../vim/memory/memory-vim-driver.js';
import type { MonitoringTopics, VnfEvent } from '../monitoring-events.js';
import { vimMonitoringPort } from './vim-monitoring-port.js';
import { VimWatcher } from './vim-watcher.js';

const at = new Date('2026-01-01T00:00:00Z');
const compute = (name: string, ns: string) => ({
  name,
  image: 'vnf/busybox',
  vcpus: 1,
  memoryMiB: 64,
  interfaces: [],
  env: {},
  labels: { 'rondo.ns': ns, 'rondo.vnf': 'fw', 'rondo.step': 's' },
});

describe('VimWatcher', () => {
  it('publishes VNFs that died before the PoP was watched as vnf.down when the stream opens, then follows live events', async () => {
    const driver = createMemoryVimDriver({ popId: 'dc1' });
    await driver.createCompute(compute('dead', 'ns-1'));
    await driver.createCompute(compute('alive', 'ns-2'));
    driver.kill('dead', { exitCode: 137 });
    const bus = createEventBus<MonitoringTopics>();
    const seen: VnfEvent[] = [];
    bus.subscribe('vnf.down', (e) => seen.push(e));
    const watcher = new VimWatcher({ popId: 'dc1', driver, bus, sweep: vimMonitoringPort('dc1', driver), clock: { now: () => at } });
    watcher.start();
    while (seen.length < 1) await new Promise((r) => setTimeout(r, 5));
    expect(seen[0]).toMatchObject({ type: 'vnf.down', nsId: 'ns-1', vnfId: 'fw', popId: 'dc1', at });
    while (driver.watchers === 0) await new Promise((r) => setTimeout(r, 5));
    driver.kill('alive', { exitCode: 1 });
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(seen.map((e) => e.nsId)).toEqual(['ns-1', 'ns-2']);
    await watcher.stop();
  });
});
