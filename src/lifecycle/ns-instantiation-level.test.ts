import { describe, expect, it } from 'vitest';
import type { Nsd, VimAccount, Vnfd } from '../model/index.js';
import { chainNsd, chainVnfds } from '../../test/support/tango-chain.js';
import { subnetAt } from '../ipam/index.js';
import { instantiationLevelChanges, vnfDefaultLevelChanges, withInstantiationLevel } from './ns-instantiation-level.js';
import { planNs } from './ns-planner.js';
import { placeNs, subnetRequests } from './ns-placement.js';
import type { ComputeStepParams, RouteStepParams } from './ns-plan-types.js';

const account: VimAccount = { id: 'dc1', name: 'dc1', type: 'memory', endpoint: 'memory://a', capacity: { cpu: 8, memoryMiB: 8192 }, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z' };
const NS = '0123456789abcdef';
const fw = chainVnfds['firewall'] as Vnfd;
/** The chain, its firewall scalable to 3 instances (5GTANGO: aspect `vdu01`, one instance a step). */
const vnfds: Record<string, Vnfd> = { ...chainVnfds, firewall: { ...fw, vdus: fw.vdus.map((v) => ({ ...v, maxInstances: 3 })) } };
const nsd: Nsd = { ...chainNsd, instantiationLevels: [{ id: 'small', vnfInstances: { firewall: 1 } }, { id: 'large', vnfInstances: { firewall: 3, client: 1 } }], defaultInstantiationLevel: 'small' };

function base() {
  const placement = placeNs(nsd, vnfds, [account], {}, 'first-pop');
  const counters = { sap: 0, elan: 0, eline: 0 };
  const subnets = new Map(subnetRequests(nsd).map((r) => [r.linkId, subnetAt(r.pool, counters[r.pool]++)]));
  return planNs({ nsInstanceId: NS, nsd, vnfds, accounts: [account], placement, subnets }).steps;
}

describe('NS instantiation level at instantiation', () => {
  it('the level named, else the NSD default, as scale-outs from level 0; none without either', () => {
    expect(instantiationLevelChanges(nsd, 'large', vnfds)).toEqual([{ memberId: 'firewall', aspectId: 'vdu01', direction: 'out', fromLevel: 0, toLevel: 2, deltas: { vdu01: 1 } }]);
    expect(instantiationLevelChanges(nsd, undefined, vnfds)).toEqual([]);
    expect(instantiationLevelChanges(chainNsd, undefined, vnfds)).toEqual([]);
    expect(() => instantiationLevelChanges(nsd, 'huge', vnfds)).toThrow(expect.objectContaining({ status: 400, details: { nsInstantiationLevelId: 'huge', levels: ['small', 'large'] } }));
    expect(() => instantiationLevelChanges({ ...nsd, instantiationLevels: [{ id: 'x', vnfInstances: { firewall: 4 } }] }, 'x', vnfds)).toThrow(expect.objectContaining({ code: 'SCALE_LIMIT_EXCEEDED' }));
  });

  it('appends the scale-out after the plan\'s own phases: new instances with free addresses, then the neighbours spread over them', () => {
    const steps = base();
    const all = withInstantiationLevel(NS, steps, instantiationLevelChanges(nsd, 'large', vnfds), vnfds);
    const added = all.slice(steps.length);
    expect(all.slice(0, steps.length)).toEqual(steps);
    expect(added.map((s) => s.seq)).toEqual(added.map((_, i) => steps.length + i));
    expect(added.map((s) => `${s.phase}:${s.kind}:${s.target.split('-').slice(2).join('-')}`)).toEqual([
      '6:compute:firewall-vdu01-1', '6:compute:firewall-vdu01-2', '7:route:firewall-vdu01-1', '7:route:firewall-vdu01-2',
      '8:start:firewall-vdu01-1', '8:start:firewall-vdu01-2', '9:route:client', '9:route:server',
    ]);
    const planned = steps.flatMap((s) => (s.kind === 'compute' ? (s.params as ComputeStepParams).interfaces.map((i) => i.address) : []));
    const made = added.flatMap((s) => (s.kind === 'compute' ? (s.params as ComputeStepParams).interfaces.map((i) => i.address) : []));
    expect(made).toHaveLength(6);
    for (const a of made) expect(planned).not.toContain(a);
    expect(added.filter((s) => s.kind === 'compute').map((s) => [(s.params as ComputeStepParams).aspectId, (s.params as ComputeStepParams).scaleLevel])).toEqual([['vdu01', 1], ['vdu01', 2]]);
    expect((added.at(-1)?.params as RouteStepParams).routes[0]?.nexthops).toHaveLength(3);
    expect(withInstantiationLevel(NS, steps, [], vnfds)).toEqual(steps);
  });

  it('a VNF the plan deploys as a Heat stack (no compute step) cannot be taken past one instance: 422', () => {
    const steps = base().filter((s) => !(s.kind === 'compute' && (s.params as ComputeStepParams).memberId === 'firewall'));
    expect(() => withInstantiationLevel(NS, steps, instantiationLevelChanges(nsd, 'large', vnfds), vnfds)).toThrow(expect.objectContaining({ status: 422, code: 'SCALE_NOT_SUPPORTED' }));
  });

  it("a VNF starts at its own VNFD's instantiation level (VDU initialInstances) unless an NS level sets it; the aspect's maximum caps it", () => {
    const steps = base();
    const withInitial = (n: number): Record<string, Vnfd> => ({ ...vnfds, firewall: { ...(vnfds['firewall'] as Vnfd), vdus: (vnfds['firewall'] as Vnfd).vdus.map((v) => ({ ...v, initialInstances: n })) } });
    expect(vnfDefaultLevelChanges(steps, withInitial(2), new Set())).toEqual([{ memberId: 'firewall', aspectId: 'vdu01', direction: 'out', fromLevel: 0, toLevel: 1, deltas: { vdu01: 1 } }]);
    expect(vnfDefaultLevelChanges(steps, withInitial(9), new Set())).toMatchObject([{ toLevel: 2 }]);
    expect(vnfDefaultLevelChanges(steps, withInitial(2), new Set(['firewall']))).toEqual([]);
    expect(vnfDefaultLevelChanges(steps, vnfds, new Set())).toEqual([]);
  });
});
