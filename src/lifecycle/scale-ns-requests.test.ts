import { describe, expect, it } from 'vitest';
import type { Nsd, OpStep, VnfInstance, Vnfd } from '../model/index.js';
import { nsBuildOf } from './ns-build.js';
import type { ComputeStepParams } from './ns-plan-types.js';
import { resolveScaleNs, vnfLevelsFor } from './scale-ns-requests.js';
import type { ScaleNsData } from './scale-ns-requests.js';

const spec = (name: string, memberId: string, vduId: string, extra: Partial<ComputeStepParams> = {}): ComputeStepParams => ({
  action: 'create', name, memberId, memberKind: 'vnf', vduId, vnfdId: 'd', vnfdRef: 'v/d/1', image: 'img', vcpus: 1, memoryMiB: 64, interfaces: [], env: {}, ...extra,
});
let n = 0;
const made = (p: ComputeStepParams): OpStep => ({
  id: `s${++n}`, opId: 'op', seq: n, phase: 0, kind: 'compute', target: p.name, popId: 'dc1', params: p as unknown as Record<string, unknown>, state: 'DONE',
  result: { computeId: `id-${p.name}`, name: p.name, interfaces: [] }, error: null, startedAt: null, endedAt: null,
});
const vnf = (memberId: string, computeIds: string[]): VnfInstance => ({
  id: `vi-${memberId}`, nsInstanceId: 'ns', memberId, kind: 'vnf', vnfdId: 'd', vnfdRef: 'v/d/1', popId: 'dc1', computeIds, interfaces: [], state: 'STARTED', createdAt: '',
});

/** `web`: aspect `front` adds 2 `fe` per step (max 3) and `back` 1 `be` (max 2); `db` has no aspect. */
const vnfds: Record<string, Vnfd> = {
  web: { vdus: [{ id: 'fe' }, { id: 'be' }], scalingAspects: [{ id: 'front', maxScaleLevel: 3, deltas: { fe: 2 } }, { id: 'back', maxScaleLevel: 2, deltas: { be: 1 } }] } as unknown as Vnfd,
  db: { vdus: [{ id: 'db' }], scalingAspects: [] } as unknown as Vnfd,
};
const level = (id: string, vnfInstances: Record<string, number>) => ({ id, vnfInstances });
const nsd = {
  scalingAspects: [{ id: 'capacity', levels: [level('0', { web: 1 }), level('1', { web: 2 }), level('2', { web: 3 })] }, { id: 'storage', levels: [level('s0', { db: 1 }), level('s1', { db: 2 })] }],
  instantiationLevels: [level('small', { web: 1, db: 1 }), level('large', { web: 3 }), level('none', { web: 0 })],
} as unknown as Nsd;

/** The NS with `web` at the given levels of `front` and `back` (one VNFC per level added, enough for the level count). */
function ns(front: number, back: number) {
  const steps = [made(spec('web-fe', 'web', 'fe')), made(spec('web-be', 'web', 'be')), made(spec('db', 'db', 'db'))];
  for (let l = 1; l <= front; l++) steps.push(made(spec(`web-fe-front-${l}`, 'web', 'fe', { aspectId: 'front', scaleLevel: l })));
  for (let l = 1; l <= back; l++) steps.push(made(spec(`web-be-back-${l}`, 'web', 'be', { aspectId: 'back', scaleLevel: l })));
  const build = nsBuildOf(steps);
  const ids = (m: string) => [...build.computes].filter(([, b]) => b.params.memberId === m).map(([id]) => id);
  return { vnfs: [vnf('web', ids('web')), vnf('db', ids('db'))], build };
}
const scale = (data: ScaleNsData, front = 0, back = 0) => {
  const { vnfs, build } = ns(front, back);
  return resolveScaleNs(nsd, vnfs, vnfds, build, { scaleType: 'SCALE_NS', scaleNsData: data });
};
const out = (aspectId: string, numberOfSteps?: number): ScaleNsData => ({ scaleNsByStepsData: { scalingDirection: 'SCALE_OUT', aspectId, ...(numberOfSteps !== undefined ? { numberOfSteps } : {}) } });
const scaleIn = (aspectId: string, numberOfSteps?: number): ScaleNsData => ({ scaleNsByStepsData: { scalingDirection: 'SCALE_IN', aspectId, ...(numberOfSteps !== undefined ? { numberOfSteps } : {}) } });
const moves = (changes: ReturnType<typeof scale>) => changes.map((c) => `${c.memberId}.${c.aspectId} ${c.fromLevel}->${c.toLevel} ${c.direction}`);

describe('SCALE_NS', () => {
  it('N VNF instances are N of each VDU: an aspect takes the fewest steps that reach it', () => {
    expect(vnfLevelsFor([{ id: 'front', deltas: { fe: 2 }, maxScaleLevel: 3 }, { id: 'back', deltas: { be: 1 }, maxScaleLevel: 2 }], 3)).toEqual(new Map([['front', 1], ['back', 2]]));
    expect(vnfLevelsFor([{ id: 'a', deltas: { x: 1, y: 3 }, maxScaleLevel: 9 }], 1)).toEqual(new Map([['a', 0]]));
  });

  it('by steps: the NS aspect moves from the level the VNFs are at; each VNF it maps moves every aspect', () => {
    expect(moves(scale(out('capacity')))).toEqual(['web.front 0->1 out', 'web.back 0->1 out']);
    expect(moves(scale(out('capacity', 2)))).toEqual(['web.front 0->1 out', 'web.back 0->2 out']);
    // At NS level 1 (front 1, back 1): one more step is level 2 (3 instances: back 2, front stays 1).
    expect(moves(scale(out('capacity'), 1, 1))).toEqual(['web.back 1->2 out']);
    expect(moves(scale(scaleIn('capacity'), 1, 2))).toEqual(['web.back 2->1 in']);
    expect(moves(scale(scaleIn('capacity', 2), 1, 2))).toEqual(['web.front 1->0 in', 'web.back 2->0 in']);
  });

  it('past the NS aspect\'s highest or lowest level is 422 SCALE_LIMIT_EXCEEDED naming the aspect and the limit', () => {
    expect(() => scale(out('capacity', 3))).toThrow(expect.objectContaining({ status: 422, code: 'SCALE_LIMIT_EXCEEDED', details: expect.objectContaining({ nsScalingAspectId: 'capacity', limit: '2', maximumScaleLevel: '2' }) }));
    expect(() => scale(out('capacity'), 1, 2)).toThrow(/NS aspect capacity \(at level 2\) past its maximum level 2/);
    expect(() => scale(scaleIn('capacity'))).toThrow(expect.objectContaining({ code: 'SCALE_LIMIT_EXCEEDED', details: expect.objectContaining({ limit: '0', minimumScaleLevel: '0' }) }));
  });

  it('an unknown NS aspect is 422 SCALE_ASPECT_UNKNOWN naming those there are', () => {
    expect(() => scale(out('nope'))).toThrow(expect.objectContaining({ status: 422, code: 'SCALE_ASPECT_UNKNOWN', details: { aspectId: 'nope', aspects: ['capacity', 'storage'] } }));
    expect(() => scale({ scaleNsToLevelData: { nsScaleInfo: [{ nsScalingAspectId: 'nope', nsScaleLevelId: '1' }] } })).toThrow(expect.objectContaining({ code: 'SCALE_ASPECT_UNKNOWN' }));
  });

  it('to a level: an NS instantiation level or a level per aspect; VNFs the level does not name stay', () => {
    expect(moves(scale({ scaleNsToLevelData: { nsInstantiationLevel: 'large' } }))).toEqual(['web.front 0->1 out', 'web.back 0->2 out']);
    expect(moves(scale({ scaleNsToLevelData: { nsInstantiationLevel: 'small' } }, 1, 2))).toEqual(['web.front 1->0 in', 'web.back 2->0 in']);
    expect(scale({ scaleNsToLevelData: { nsInstantiationLevel: 'small' } })).toEqual([]);
    expect(moves(scale({ scaleNsToLevelData: { nsScaleInfo: [{ nsScalingAspectId: 'capacity', nsScaleLevelId: '1' }] } }))).toEqual(['web.front 0->1 out', 'web.back 0->1 out']);
    expect(() => scale({ scaleNsToLevelData: { nsInstantiationLevel: 'huge' } })).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED', details: expect.objectContaining({ levels: ['small', 'large', 'none'] }) }));
    expect(() => scale({ scaleNsToLevelData: { nsScaleInfo: [{ nsScalingAspectId: 'capacity', nsScaleLevelId: '9' }] } })).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED' }));
  });

  it('what Rondo cannot do is 422 SCALE_NOT_SUPPORTED; malformed data is 400', () => {
    // Two instances of a VNF without aspects; no instance of a member; adding VNF instances.
    expect(() => scale(out('storage'))).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED', details: expect.objectContaining({ vnfProfileId: 'db', numberOfInstances: 2 }) }));
    expect(() => scale({ scaleNsToLevelData: { nsInstantiationLevel: 'none' } })).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED', details: expect.objectContaining({ vnfProfileId: 'web' }) }));
    expect(() => scale({ vnfInstanceToBeAdded: [{ vnfProfileId: 'web' }] })).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED' }));
    // A level out for one VNF and in for another at once is SCALE_VNF's refusal.
    expect(() => scale({ scaleNsToLevelData: { nsScaleInfo: [{ nsScalingAspectId: 'capacity', nsScaleLevelId: '2' }] } }, 3, 0)).toThrow(expect.objectContaining({ code: 'SCALE_NOT_SUPPORTED' }));
    for (const bad of [{}, { ...out('capacity'), scaleNsToLevelData: { nsInstantiationLevel: 'small' } }, { scaleNsToLevelData: {} }, out('capacity', 0)]) {
      expect(() => scale(bad as ScaleNsData)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
