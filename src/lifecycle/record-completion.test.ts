import { describe, expect, it } from 'vitest';
import type { NsInstance, VnfInstance, Vnfd } from '../model/index.js';
import { nsBuildOf } from './ns-build.js';
import type { NsBuild } from './ns-build.js';
import type { ComputeStepParams } from './ns-plan-types.js';
import { completeRecords, recordsIncomplete } from './record-completion.js';

const ns: NsInstance = { id: 'ns', name: 'n', description: '', nsdId: 'd', nsdInfoId: 'd', state: 'INSTANTIATED', tenant: 'default', createdAt: '', updatedAt: '' };
const vnf = (extra: Partial<VnfInstance> = {}): VnfInstance => ({
  id: 'v', nsInstanceId: 'ns', memberId: 'relay', kind: 'vnf', vnfdId: 'r', vnfdRef: 'e/relay/1', popId: 'dc1', computeIds: ['c1', 'c2'], interfaces: [], state: 'STARTED', createdAt: '', ...extra,
});
const vnfd = (vdus: string[]): Vnfd => ({
  descriptorId: 'r', ref: { vendor: 'e', name: 'relay', version: '1' }, format: 'etsi', vdus: vdus.map((id) => ({ id, image: 'i', imageFormat: 'raw', vcpus: 1, memoryMiB: 64, connectionPoints: [] })),
  connectionPoints: [], monitoringParameters: [], scalingAspects: [], startCommands: [], stopCommands: [], deploymentFlavours: [{ id: 'simple', vduProfiles: [], instantiationLevels: [], scalingAspects: [] }], source: {},
});
const spec = (vduId: string): ComputeStepParams => ({
  action: 'create', name: `rondo-ns-relay-${vduId}`, memberId: 'relay', memberKind: 'vnf', vduId, vnfdId: 'r', vnfdRef: 'e/relay/1', image: 'i', vcpus: 1, memoryMiB: 64, interfaces: [], env: {},
});
/** A build whose compute steps made c1 for VDU front and c2 for VDU back. */
const build: NsBuild = nsBuildOf([['c1', 'front'], ['c2', 'back']].map(([computeId = '', vduId = ''], seq) => ({
  id: `s${seq}`, opId: 'op', seq, phase: 1, kind: 'compute', target: `rondo-ns-relay-${vduId}`, popId: 'dc1', state: 'DONE', error: null, startedAt: null, endedAt: null,
  params: { ...spec(vduId) },
  result: { computeId, name: `rondo-ns-relay-${vduId}`, interfaces: [] },
})));

describe('records from before flavours and VNFC VDUs were kept', () => {
  it('records written now are complete: nothing is read for them', () => {
    const now = { ...ns, flavourId: 'simple', vnfFlavours: { relay: 'simple' } };
    expect(recordsIncomplete(now, [vnf({ vnfcs: [{ computeId: 'c1', name: 'a', vduId: 'front' }, { computeId: 'c2', name: 'b', vduId: 'back' }] })])).toBe(false);
    expect(recordsIncomplete({ ...now, state: 'NOT_INSTANTIATED', flavourId: undefined }, [])).toBe(false);
    expect(recordsIncomplete(now, [vnf()])).toBe(true);
    expect(recordsIncomplete({ ...ns }, [])).toBe(true);
  });

  it('take the flavours from the descriptors and each VNFC\'s VDU from the step that made it, not from its position', () => {
    const done = completeRecords(ns, [vnf()], { nsFlavourId: 'simple', vnfds: { relay: vnfd(['front', 'back']) }, build });
    expect(done.ns).toMatchObject({ flavourId: 'simple', vnfFlavours: { relay: 'simple' } });
    expect(done.vnfs[0]?.vnfcs).toEqual([{ computeId: 'c1', name: 'c1', vduId: 'front' }, { computeId: 'c2', name: 'c2', vduId: 'back' }]);
  });

  it('without a step, a one-VDU VNFD names the VDU; otherwise it stays unknown', () => {
    const empty = nsBuildOf([]);
    const one = completeRecords(ns, [vnf({ computeIds: ['x'], vnfcs: [{ computeId: 'x', name: 'x', vduId: null }] })], { nsFlavourId: 'simple', vnfds: { relay: vnfd(['only']) }, build: empty });
    expect(one.vnfs[0]?.vnfcs?.map((c) => c.vduId)).toEqual(['only']);
    const two = completeRecords(ns, [vnf({ computeIds: ['x'] })], { nsFlavourId: 'simple', vnfds: { relay: vnfd(['a', 'b']) }, build: empty });
    expect(two.vnfs[0]?.vnfcs?.map((c) => c.vduId)).toEqual([null]);
  });
});
