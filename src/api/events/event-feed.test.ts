import { describe, expect, it } from 'vitest';
import { nsInstanceIdOf, payloadTenantOf } from './event-feed.js';

describe('nsInstanceIdOf', () => {
  it('finds the NS of operations, VNF events and alarms (their managed object), else nothing', () => {
    expect(nsInstanceIdOf({ nsInstanceId: 'ns-op', operationState: 'PROCESSING' })).toBe('ns-op');
    expect(nsInstanceIdOf({ type: 'vnf.down', nsId: 'ns-vnf', vnfId: 'fw' })).toBe('ns-vnf');
    expect(nsInstanceIdOf({ id: 'a-1', managedObjectId: 'ns-alarm', perceivedSeverity: 'CRITICAL' })).toBe('ns-alarm');
    expect(nsInstanceIdOf({ popId: 'dc1' })).toBeUndefined();
    expect(nsInstanceIdOf('text')).toBeUndefined();
  });

  it('reads the tenant an alarm carries', () => {
    expect(payloadTenantOf({ managedObjectId: 'ns', tenant: 'lab' })).toBe('lab');
    expect(payloadTenantOf({ nsId: 'ns' })).toBeUndefined();
  });
});
