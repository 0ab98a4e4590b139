import { describe, expect, it } from 'vitest';
import type { VimAccount } from '../model/index.js';
import { chainNsd, chainVnfds } from '../../test/support/tango-chain.js';
import { planNs } from './ns-planner.js';
import { placeNs, subnetRequests } from './ns-placement.js';
import type { CommandStepParams, ComputeStepParams, RouteStepParams } from './ns-plan-types.js';
import { subnetAt } from '../ipam/index.js';

const account = (id: string, endpoint = 'memory://engine-a'): VimAccount => ({
  id, name: id, type: 'memory', endpoint, capacity: { cpu: 8, memoryMiB: 8192 }, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});
const NS = '0123456789abcdef';

function plan(accounts: VimAccount[], strategy: 'round-robin-with-saps' | 'round-robin' = 'round-robin-with-saps') {
  const placement = placeNs(chainNsd, chainVnfds, accounts, {}, strategy);
  const counters = { sap: 0, elan: 0, eline: 0 };
  const subnets = new Map(subnetRequests(chainNsd).map((r) => [r.linkId, subnetAt(r.pool, counters[r.pool]++)]));
  return planNs({ nsInstanceId: NS, nsd: chainNsd, vnfds: chainVnfds, accounts, placement, subnets });
}

describe('planNs on the example chain', () => {
  const p = plan([account('dc1'), account('dc2')]);
  const compute = (name: string) => p.computes.find((c) => c.name === `rondo-87bc333d-${name}`) as ComputeStepParams;
  const routes = (name: string) => (p.steps.find((s) => s.kind === 'route' && s.target === `rondo-87bc333d-${name}`)?.params as RouteStepParams | undefined)?.routes ?? [];

  it('places VNFs round robin and SAPs next to their VNF', () => {
    expect(p.placement).toEqual({ client: 'dc1', firewall: 'dc2', server: 'dc1', input: 'dc1', output: 'dc1', mgmt: 'dc1' });
  });

  it('plans networks, then computes, then routes, then starts', () => {
    expect(p.steps.map((s) => `${s.phase}:${s.kind}`)).toEqual([
      ...Array(5).fill('0:network'), ...Array(6).fill('1:compute'), ...Array(5).fill('2:route'), ...Array(2).fill('3:start'),
    ]);
    expect(p.networks.map((n) => [n.name, n.subnet])).toEqual([
      ['rondo-87bc333d-mgmt', '10.20.0.0/24'],
      ['rondo-87bc333d-input-2-client', '10.10.0.0/29'],
      ['rondo-87bc333d-client-2-fw', '10.30.0.0/29'],
      ['rondo-87bc333d-fw-2-server', '10.20.1.0/24'],
      ['rondo-87bc333d-server-2-output', '10.10.0.8/29'],
    ]);
  });

  it('gives computes their resources, env, and interfaces with fixed addresses in CP order', () => {
    const fw = compute('firewall');
    expect(fw).toMatchObject({ image: 'vnf/firewall:latest', vcpus: 1, cpuBw: 0.5, memoryMiB: 256, memberKind: 'vnf' });
    expect(fw.env).toMatchObject({ RONDO_NS: NS, RONDO_VNF: 'firewall' });
    expect(fw.interfaces.map((i) => [i.cp, i.address])).toEqual([['mgmt', '10.20.0.4'], ['input', '10.30.0.3'], ['output', '10.20.1.2']]);
    const input = compute('input');
    expect(input).toMatchObject({ image: 'vnf/sap:latest', memberKind: 'sap' });
    expect(input.interfaces.map((i) => i.address)).toEqual(['10.10.0.2']);
    expect(compute('server').env['SON_EMU_CMD']).toBe('httpd -p 80');
  });

  it('chains input → client → firewall → server → output, both directions', () => {
    expect(routes('input')).toEqual([{ dest: '10.10.0.8/29', via: '10.10.0.3', viaLinkId: 'input-2-client' }]);
    expect(routes('client')).toEqual([{ dest: '10.10.0.8/29', via: '10.30.0.3', viaLinkId: 'client-2-fw' }]);
    expect(routes('firewall')).toEqual([
      { dest: '10.10.0.8/29', via: '10.20.1.3', viaLinkId: 'fw-2-server' },
      { dest: '10.10.0.0/29', via: '10.30.0.2', viaLinkId: 'client-2-fw' },
    ]);
    expect(routes('server')).toEqual([{ dest: '10.10.0.0/29', via: '10.20.1.2', viaLinkId: 'fw-2-server' }]);
    expect(routes('output')).toEqual([{ dest: '10.10.0.0/29', via: '10.10.0.10', viaLinkId: 'server-2-output' }]);
  });

  it('runs the SON_EMU_CMD once and VNFD start commands in their VNF', () => {
    const starts = p.steps.filter((s) => s.kind === 'start').map((s) => [s.target, (s.params as CommandStepParams).commands]);
    expect(starts).toEqual([
      ['rondo-87bc333d-firewall', ['iptables -A FORWARD -j ACCEPT']],
      ['rondo-87bc333d-server', ['httpd -p 80']],
    ]);
  });

  it('refuses a link between PoPs of different engines (409 PLAN_CROSS_VIM_LINK)', () => {
    expect(() => plan([account('dc1', 'memory://a'), account('dc2', 'memory://b')])).toThrow(expect.objectContaining({ code: 'PLAN_CROSS_VIM_LINK', status: 409 }));
  });
});
