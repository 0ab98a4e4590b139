import { describe, expect, it } from 'vitest';
import type { Nsd, VimAccount, VnfInstance, Vnfd } from '../model/index.js';
import { planAddVnf } from './vnf-membership-planner.js';
import type { ComputeStepParams, RouteStepParams } from './ns-plan-types.js';
import { computeName } from './resource-names.js';

const vnfd = (name: string, start: string[] = []): Vnfd => ({
  descriptorId: name, ref: { vendor: 'v', name, version: '1' }, format: 'tango',
  vdus: [{ id: 'vdu01', image: `vnf/${name}`, imageFormat: 'docker', vcpus: 1, memoryMiB: 64, connectionPoints: [{ id: 'in', type: 'internal' }, { id: 'out', type: 'internal' }] }],
  connectionPoints: [{ id: 'in', type: 'external', vdu: 'vdu01', vduCp: 'in' }, { id: 'out', type: 'external', vdu: 'vdu01', vduCp: 'out' }],
  monitoringParameters: [], scalingAspects: [], startCommands: start, stopCommands: [], source: {},
});
const cp = (vnfId: string, c: string) => ({ kind: 'vnf' as const, vnfId, cp: c });
/** SAP a → relay → SAP b through a forwarding path; a probe on the relay's egress LAN, off the path. */
const nsd: Nsd = {
  descriptorId: 'ns', ref: { vendor: 'v', name: 'ns', version: '1' }, format: 'tango',
  vnfs: [{ vnfId: 'relay', vnfd: { descriptorId: 'relay' } }, { vnfId: 'probe', vnfd: { descriptorId: 'probe' }, minInstances: 0 }],
  saps: [{ id: 'a', type: 'external' }, { id: 'b', type: 'external' }],
  virtualLinks: [
    { id: 'in', type: 'E-Line', management: false, cpRefs: [{ kind: 'sap', sap: 'a' }, cp('relay', 'in')] },
    { id: 'lan', type: 'E-LAN', management: false, cpRefs: [cp('relay', 'out'), cp('probe', 'in'), { kind: 'sap', sap: 'b' }] },
  ],
  forwardingGraphs: [{ id: 'fg', paths: [{ id: 'p', hops: [{ kind: 'sap', sap: 'a' }, cp('relay', 'in'), cp('relay', 'out'), { kind: 'sap', sap: 'b' }] }] }],
  source: {},
};
const vnfds = { relay: vnfd('relay'), probe: vnfd('probe', ['probe-daemon']) };
const accounts: VimAccount[] = [{ id: 'dc1', name: 'dc1', type: 'memory', endpoint: 'memory://x', capacity: { cpu: 8, memoryMiB: 8192 }, config: {}, tenant: 'default', createdAt: '' }];
const record = (memberId: string, interfaces: { linkId: string; address: string }[]): VnfInstance => ({
  id: `vi-${memberId}`, nsInstanceId: 'ns', memberId, kind: 'vnf', vnfdId: memberId, vnfdRef: null, popId: 'dc1', computeIds: [`c-${memberId}`],
  interfaces: interfaces.map((i) => ({ ...i, cp: 'x', prefix: 24 })), state: 'STARTED', createdAt: '',
});
const input = (vnfs: VnfInstance[]) => ({
  nsInstanceId: 'ns', nsd, vnfds, accounts, placement: { relay: 'dc1', probe: 'dc1', a: 'dc1', b: 'dc1' },
  subnets: new Map([['in', '10.30.0.0/29'], ['lan', '10.20.0.0/24']]), vnfs, memberIds: ['probe'],
});

describe('ADD_VNF / INSTANTIATE_VNF plans', () => {
  it('plan the member as the instantiation does: its compute on its links, its start command; no neighbour route leads to an off-path member', () => {
    const steps = planAddVnf(input([]));
    expect(steps.map((s) => [s.phase, s.kind, s.target])).toEqual([[1, 'compute', computeName('ns', 'probe')], [3, 'start', computeName('ns', 'probe')]]);
    const probe = steps[0]?.params as ComputeStepParams;
    expect(probe.interfaces.map((i) => [i.linkId, i.address])).toEqual([['lan', '10.20.0.3']]);
  });

  it('swap an address another member holds now for the lowest free one on the link', () => {
    // A scale-out of the relay took the probe's address (and the next one) meanwhile.
    const relay = record('relay', [{ linkId: 'in', address: '10.30.0.3' }, { linkId: 'lan', address: '10.20.0.2' }, { linkId: 'lan', address: '10.20.0.3' }, { linkId: 'lan', address: '10.20.0.5' }]);
    const b = { ...record('b', [{ linkId: 'lan', address: '10.20.0.4' }]), kind: 'sap' as const };
    const steps = planAddVnf(input([relay, b]));
    expect((steps[0]?.params as ComputeStepParams).interfaces.map((i) => i.address)).toEqual(['10.20.0.6']);
    expect(steps.some((s) => s.kind === 'route' && (s.params as RouteStepParams).routes.length > 0)).toBe(false);
  });
});
