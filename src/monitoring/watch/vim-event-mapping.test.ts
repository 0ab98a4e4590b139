import { describe, expect, it } from 'vitest';
import { toVnfEvent } from './vim-event-mapping.js';

const at = new Date('2024-01-01T00:00:00Z');
const labels = { 'rondo.ns': 'ns1', 'rondo.vnf': 'vnf1' };

describe('toVnfEvent', () => {
  it('maps every VIM event type', () => {
    expect(toVnfEvent({ type: 'compute.died', computeId: 'c', labels, exitCode: 137, at }, 'dc1')).toEqual({
      type: 'vnf.down', nsId: 'ns1', vnfId: 'vnf1', popId: 'dc1', computeId: 'c', at, exitCode: 137,
    });
    expect(toVnfEvent({ type: 'compute.oom', computeId: 'c', labels, at }, 'dc1')?.type).toBe('vnf.oom');
    expect(toVnfEvent({ type: 'compute.started', computeId: 'c', labels, at }, 'dc1')?.type).toBe('vnf.up');
    expect(toVnfEvent({ type: 'compute.health', computeId: 'c', labels, healthy: false, at }, 'dc1')?.type).toBe('vnf.unhealthy');
    expect(toVnfEvent({ type: 'compute.health', computeId: 'c', labels, healthy: true, at }, 'dc1')?.type).toBe('vnf.up');
  });

  it('prefers the PoP label and ignores computes that are not VNFs', () => {
    expect(toVnfEvent({ type: 'compute.started', computeId: 'c', labels: { ...labels, 'rondo.pop': 'dc2' }, at }, 'dc1')?.popId).toBe('dc2');
    expect(toVnfEvent({ type: 'compute.started', computeId: 'c', labels: { 'rondo.ns': 'ns1' }, at }, 'dc1')).toBeNull();
  });
});
