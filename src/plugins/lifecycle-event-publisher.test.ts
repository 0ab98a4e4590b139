import { describe, expect, it } from 'vitest';
import { OP_STATES } from '../model/index.js';
import type { OpState, VnfInstance } from '../model/index.js';
import type { OpChangedEvent } from '../lifecycle/index.js';
import { manoEventsOf, runTransition } from './lifecycle-event-publisher.js';
import { checkRegistration } from './plugin-manager.js';

const change = (lcmOperationType: OpChangedEvent['lcmOperationType'], previousState: OpState | null, operationState: OpState): OpChangedEvent => ({
  opId: 'op-1', nsInstanceId: 'ns-1', operationState, previousState, lcmOperationType, tenant: 'default', isAutomaticInvocation: false,
  startTime: '2025-01-01T00:00:00.000Z', statusEnteredTime: '2025-01-01T00:00:01.000Z', error: null,
});

const vnf = (memberId: string, kind: 'vnf' | 'sap' = 'vnf'): VnfInstance => ({
  id: `vnf-${memberId}`, nsInstanceId: 'ns-1', memberId, kind, vnfdId: `${memberId}-vnfd`, vnfdRef: null, popId: 'dc1', computeIds: [`c-${memberId}`], interfaces: [], state: 'STARTED', createdAt: '2025-01-01T00:00:00.000Z',
});

describe('service and function lifecycle events of an operation change', () => {
  it('a run starts when PROCESSING is entered and ends when PROCESSING or ROLLING_BACK is left, for every pair of states', () => {
    const running = new Set<OpState>(['PROCESSING', 'ROLLING_BACK']);
    for (const prev of [null, ...OP_STATES]) {
      for (const next of OP_STATES) {
        const expected = next === 'PROCESSING' && prev !== 'PROCESSING' ? 'start' : prev !== null && running.has(prev) && !running.has(next) ? 'end' : null;
        expect(runTransition({ previousState: prev, operationState: next }), `${prev} → ${next}`).toBe(expected);
      }
    }
  });

  it('maps instantiate, terminate and heal to their topics, with ids derived from the source event; a completed instantiation starts each VNF (not SAPs)', () => {
    const started = manoEventsOf({ id: 'e1', payload: change('INSTANTIATE', null, 'PROCESSING') }, []);
    expect(started.map((e) => [e.id, e.topic])).toEqual([['e1.start', 'mano.service.instantiate.start']]);
    const done = manoEventsOf({ id: 'e2', payload: change('INSTANTIATE', 'PROCESSING', 'COMPLETED') }, [vnf('firewall'), vnf('sap1', 'sap')]);
    expect(done.map((e) => [e.id, e.topic])).toEqual([['e2.end', 'mano.service.instantiate.end'], ['e2.vnf.vnf-firewall', 'mano.function.start']]);
    expect(done[1]?.payload).toEqual({ nsInstanceId: 'ns-1', tenant: 'default', nsLcmOpOccId: 'op-1', vnfInstanceId: 'vnf-firewall', memberId: 'firewall', vnfdId: 'firewall-vnfd', popId: 'dc1', computeIds: ['c-firewall'], time: '2025-01-01T00:00:01.000Z' });
    // A failed run ends without starting functions.
    expect(manoEventsOf({ id: 'e3', payload: change('INSTANTIATE', 'PROCESSING', 'FAILED_TEMP') }, [vnf('firewall')]).map((e) => e.topic)).toEqual(['mano.service.instantiate.end']);
    expect(manoEventsOf({ id: 'e4', payload: change('TERMINATE', 'PROCESSING', 'COMPLETED') }, []).map((e) => e.topic)).toEqual(['mano.service.terminate.end']);
    expect(manoEventsOf({ id: 'e5', payload: change('HEAL', 'FAILED_TEMP', 'PROCESSING') }, []).map((e) => e.topic)).toEqual(['mano.service.heal.start']);
    // Operations without plugin topics, and changes that neither start nor end a run, publish nothing.
    expect(manoEventsOf({ id: 'e6', payload: change('SCALE', null, 'PROCESSING') }, [])).toEqual([]);
    expect(manoEventsOf({ id: 'e7', payload: change('INSTANTIATE', 'FAILED_TEMP', 'FAILED') }, [])).toEqual([]);
  });

  it('a completed UPDATE (ADD_VNF) starts the VNFs it made (records not older than the operation), and nothing else', () => {
    const old = { ...vnf('client'), createdAt: '2024-12-31T23:00:00.000Z' };
    const added = { ...vnf('firewall2'), createdAt: '2025-01-01T00:00:00.500Z' };
    const done = manoEventsOf({ id: 'u1', payload: change('UPDATE', 'PROCESSING', 'COMPLETED') }, [old, added, vnf('sap9', 'sap')]);
    expect(done.map((e) => [e.id, e.topic])).toEqual([['u1.vnf.vnf-firewall2', 'mano.function.start']]);
    expect(manoEventsOf({ id: 'u2', payload: change('UPDATE', 'PROCESSING', 'FAILED_TEMP') }, [added])).toEqual([]);
    expect(manoEventsOf({ id: 'u3', payload: change('UPDATE', null, 'PROCESSING') }, [added])).toEqual([]);
  });
});

describe('plugin registrations', () => {
  it('accepts a well-formed one (topics deduplicated) and refuses each broken field with PLUGIN_INVALID', () => {
    expect(checkRegistration({ name: 'ssm.placement-1', version: '1.0', topics: ['mano.service.place', 'mano.service.place'] })).toEqual({ name: 'ssm.placement-1', version: '1.0', topics: ['mano.service.place'] });
    // A re-registration names the id it got.
    expect(checkRegistration({ name: 'a', version: '1', topics: ['t'], uuid: 'u-1' })).toEqual({ name: 'a', version: '1', topics: ['t'], uuid: 'u-1' });
    expect(() => checkRegistration({ name: 'a', version: '1', topics: [], uuid: 'a b' })).toThrow(expect.objectContaining({ code: 'PLUGIN_INVALID' }));
    for (const bad of [null, 'x', { version: '1', topics: [] }, { name: 'a b', version: '1', topics: [] }, { name: 'a', version: '', topics: [] }, { name: 'a', version: '1' }, { name: 'a', version: '1', topics: ['a#b'] }, { name: 'a', version: '1', topics: [], description: 7 }]) {
      expect(() => checkRegistration(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'PLUGIN_INVALID' }));
    }
  });
});
