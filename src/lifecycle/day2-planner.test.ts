import { describe, expect, it } from 'vitest';
import type { OpStep, VnfInstance, Vnfd } from '../model/index.js';
import type { ComputeInfo } from '../vim/index.js';
import { planHeal, planOperate } from './day2-planner.js';
import { healPatches, operatePatches } from './day2-records.js';
import { nsBuildOf } from './ns-build.js';
import type { ComputeStepParams } from './ns-plan-types.js';

const itf = (network: string, address: string) => ({ network, linkId: network, cp: network, address, prefix: 29 });
const spec = (name: string, memberId: string, interfaces = [itf('l1', '10.0.0.2')]): ComputeStepParams => ({
  action: 'create', name, memberId, memberKind: 'vnf', vduId: 'vdu01', vnfdId: 'd', vnfdRef: 'v/d/1', image: 'img', vcpus: 1, memoryMiB: 64, interfaces, env: {},
});
let n = 0;
const step = (kind: OpStep['kind'], params: object, result: Record<string, unknown> | null = null, state: OpStep['state'] = 'DONE'): OpStep => ({
  id: `s${++n}`, opId: 'op', seq: n, phase: 0, kind, target: String((params as { name?: string; compute?: string }).name ?? (params as { compute?: string }).compute), popId: 'dc1',
  params: params as Record<string, unknown>, state, result, error: null, startedAt: null, endedAt: null,
});
const vnf = (memberId: string, computeIds: string[], extra: Partial<VnfInstance> = {}): VnfInstance => ({
  id: `vi-${memberId}`, nsInstanceId: 'ns', memberId, kind: 'vnf', vnfdId: 'd', vnfdRef: 'v/d/1', popId: 'dc1', computeIds,
  interfaces: [{ cp: 'l1', linkId: 'l1', address: '10.0.0.2', prefix: 29, ifName: 'eth0', macAddress: '02:00:00:00:00:02' }], state: 'STARTED', createdAt: '', ...extra,
});
const vnfd = { vdus: [{ id: 'vdu01', env: {} }], startCommands: [], stopCommands: ['drain'] } as unknown as Vnfd;
const up = (id: string, extra: Partial<ComputeInfo> = {}): ComputeInfo => ({ id, name: id, state: 'ACTIVE', labels: {}, addresses: {}, ...extra });

describe('day-2 plans', () => {
  const history = [
    step('compute', spec('rondo-x-fw', 'fw'), { computeId: 'c1', name: 'rondo-x-fw', interfaces: [] }),
    step('compute', spec('rondo-x-gone', 'gone'), null, 'FAILED'),
    step('route', { compute: 'rondo-x-fw', routes: [{ dest: '10.9.0.0/29', via: '10.0.0.3', viaLinkId: 'l1' }] }),
    step('start', { compute: 'rondo-x-fw', commands: ['serve'], detach: true }),
  ];

  it('reads how each compute was made from DONE steps; a re-created one is known by its new id, with its spec', () => {
    const healed = step('compute', { ...spec('rondo-x-fw', 'fw'), action: 'recreate', replaces: 'c1', macs: {} }, { computeId: 'c2', name: 'rondo-x-fw', interfaces: [] });
    const build = nsBuildOf([...history, healed]);
    expect([...build.computes.keys()]).toEqual(['c1', 'c2']);
    expect(build.computes.get('c2')?.params).toEqual(spec('rondo-x-fw', 'fw'));
    expect(build.routes.get('rondo-x-fw')?.params.routes).toHaveLength(1);
    expect(build.starts.get('rondo-x-fw')?.params.commands).toEqual(['serve']);
  });

  it('HEAL re-creates a dead or unhealthy compute (stop commands first if it runs), keeps its MACs, skips a healthy one unless all', () => {
    const build = nsBuildOf(history);
    const plan = (statuses: Map<string, ComputeInfo>, all = false) => planHeal({ vnfs: [vnf('fw', ['c1'])], targets: [{ memberId: 'fw', all }], build, statuses, vnfds: { fw: vnfd } });
    expect(plan(new Map([['c1', up('c1')]]))).toEqual([]);
    const dead = plan(new Map());
    expect(dead.map((s) => [s.seq, s.phase, s.kind])).toEqual([[0, 1, 'compute'], [1, 2, 'route'], [2, 3, 'start']]);
    expect(dead[0]?.params).toMatchObject({ action: 'recreate', replaces: 'c1', macs: { l1: '02:00:00:00:00:02' }, name: 'rondo-x-fw', image: 'img' });
    const sick = plan(new Map([['c1', up('c1', { health: 'unhealthy' })]]));
    expect(sick.map((s) => s.kind)).toEqual(['stop', 'compute', 'route', 'start']);
    expect(sick[0]?.params).toEqual({ compute: 'rondo-x-fw', commands: ['drain'], detach: false, timeoutSeconds: 10 });
    expect(plan(new Map([['c1', up('c1')]]), true).map((s) => s.kind)).toEqual(['stop', 'compute', 'route', 'start']);
    // A compute no step made (a Heat stack's server) cannot be healed.
    expect(() => planHeal({ vnfs: [vnf('fw', ['srv-1'])], targets: [{ memberId: 'fw', all: true }], build, statuses: new Map(), vnfds: {} })).toThrow(expect.objectContaining({ code: 'HEAL_NOT_SUPPORTED' }));
  });

  it('OPERATE_VNF: GRACEFUL stop runs stop commands within the timeout, FORCEFUL does not; start runs routes and start commands again', () => {
    const build = nsBuildOf(history);
    const vnfs = [vnf('fw', ['c1'])];
    const graceful = planOperate({ vnfs, changes: [{ memberId: 'fw', changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 7 }], build, vnfds: { fw: vnfd } });
    expect(graceful.map((s) => [s.kind, s.params])).toEqual([
      ['stop', { compute: 'rondo-x-fw', commands: ['drain'], detach: false, timeoutSeconds: 7 }],
      ['compute', { action: 'stop', name: 'rondo-x-fw', computeId: 'c1', memberId: 'fw', memberKind: 'vnf', interfaces: spec('x', 'fw').interfaces, graceSeconds: 10 }],
    ]);
    const forceful = planOperate({ vnfs, changes: [{ memberId: 'fw', changeStateTo: 'STOPPED', stopType: 'FORCEFUL' }], build, vnfds: { fw: vnfd } });
    expect(forceful.map((s) => [s.kind, (s.params as { graceSeconds?: number }).graceSeconds])).toEqual([['compute', 0]]);
    const start = planOperate({ vnfs, changes: [{ memberId: 'fw', changeStateTo: 'STARTED', stopType: 'FORCEFUL' }], build, vnfds: {} });
    expect(start.map((s) => [s.phase, s.kind, (s.params as { action?: string }).action ?? null])).toEqual([[1, 'compute', 'start'], [2, 'route', null], [3, 'start', null]]);
    // A Heat stack's server is stopped by its id, without commands.
    const heat = planOperate({ vnfs: [vnf('h', ['srv-1'])], changes: [{ memberId: 'h', changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 5 }], build, vnfds: {} });
    expect(heat.map((s) => [s.kind, s.target])).toEqual([['compute', 'srv-1']]);
  });

  it('records: a HEAL swaps the compute ids and takes the new MACs; an OPERATE_VNF sets the state once every compute is done', () => {
    const vnfs = [vnf('fw', ['c1'], { state: 'FAILED' })];
    const recreated = step('compute', { ...spec('rondo-x-fw', 'fw'), action: 'recreate', replaces: 'c1', macs: {} }, { computeId: 'c9', name: 'rondo-x-fw', interfaces: [{ ...itf('l1', '10.0.0.2'), ifName: 'eth0', macAddress: '02:00:00:00:00:99' }] });
    expect(healPatches(vnfs, [recreated]).get('vi-fw')).toEqual({
      computeIds: ['c9'], state: 'STARTED', interfaces: [{ cp: 'l1', linkId: 'l1', address: '10.0.0.2', prefix: 29, ifName: 'eth0', macAddress: '02:00:00:00:00:99' }],
    });
    const stopA = step('compute', { action: 'stop', name: 'a', computeId: 'a', memberId: 'fw', memberKind: 'vnf', interfaces: [] }, { computeId: 'a' });
    const stopB = step('compute', { action: 'stop', name: 'b', computeId: 'b', memberId: 'fw', memberKind: 'vnf', interfaces: [] }, null, 'RUNNING');
    expect(operatePatches(vnfs, [stopA, stopB]).size).toBe(0);
    expect(operatePatches(vnfs, [stopA, { ...stopB, state: 'DONE' }]).get('vi-fw')).toEqual({ state: 'STOPPED' });
  });
});
