import { describe, expect, it } from 'vitest';
import type { VimAccount } from '../model/index.js';
import { chainNsd, chainVnfds } from '../../test/support/tango-chain.js';
import { subnetAt } from '../ipam/index.js';
import { planNs } from './ns-planner.js';
import { placeNs, subnetRequests } from './ns-placement.js';
import { toOpSteps } from './plan-store.js';
import type { IdGenerator } from '../model/index.js';
import { instantiateGraph } from './instantiate-graph.js';

/** Step ids s0, s1, … */
const ids = (): IdGenerator => {
  let n = 0;
  return { next: () => `s${n++}` };
};
const account = (id: string, endpoint: string): VimAccount => ({
  id, name: id, type: 'memory', endpoint, capacity: { cpu: 8, memoryMiB: 8192 }, config: {}, tenant: 'default', createdAt: '2025-01-01T00:00:00.000Z',
});

/** The example chain's stored steps on `accounts`, and what each one waits for, by `kind target` (the NS prefix cut). */
function graphOf(accounts: VimAccount[]) {
  const placement = placeNs(chainNsd, chainVnfds, accounts, {}, 'round-robin-with-saps');
  const counters = { sap: 0, elan: 0, eline: 0 };
  const subnets = new Map(subnetRequests(chainNsd).map((r) => [r.linkId, subnetAt(r.pool, counters[r.pool]++)]));
  const steps = toOpSteps('op', planNs({ nsInstanceId: '0123456789abcdef', nsd: chainNsd, vnfds: chainVnfds, accounts, placement, subnets }).steps, ids());
  const graph = instantiateGraph(steps, () => ({ key: '', limit: 1 }));
  const label = new Map(steps.map((s) => [s.id, `${s.kind} ${s.target.replace('rondo-87bc333d-', '')}${s.kind === 'network' ? `@${s.popId}` : ''}`]));
  return (kind: string, target: string): string[] => {
    const s = steps.find((x) => x.kind === kind && x.target === `rondo-87bc333d-${target}`);
    if (!s) throw new Error(`no ${kind} ${target}`);
    return [...new Set(graph.needs(s).map((id) => label.get(id) as string))].sort();
  };
}

describe('instantiateGraph: an INSTANTIATE\'s steps wait only for what they need', () => {
  const needs = graphOf([account('dc1', 'memory://a'), account('dc2', 'memory://a')]);

  it('a compute waits for the networks it joins, not for every network', () => {
    expect(needs('network', 'mgmt')).toEqual([]);
    expect(needs('compute', 'input')).toEqual(['network input-2-client@dc1']);
    // One engine: each network is made once, by the first PoP of the link's members.
    expect(needs('compute', 'firewall')).toEqual(['network client-2-fw@dc1', 'network fw-2-server@dc2', 'network mgmt@dc1']);
  });

  it('routes wait for the compute and its next hops (not the management LAN), starts for the routes too', () => {
    // The firewall routes via client-2-fw and fw-2-server: client and server are its next hops, not input or output.
    expect(needs('route', 'firewall')).toEqual(['compute client', 'compute firewall', 'compute server']);
    expect(needs('start', 'firewall')).toEqual(['compute client', 'compute firewall', 'compute server', 'route firewall']);
    expect(needs('route', 'input')).toEqual(['compute client', 'compute input']);
  });

  it('over two engines: a compute waits for its own engine\'s segment, a tunnel for every segment, routes for the tunnel', () => {
    const split = graphOf([account('dc1', 'memory://a'), account('dc2', 'memory://b')]);
    expect(split('compute', 'firewall')).toEqual(['network client-2-fw@dc2', 'network fw-2-server@dc2', 'network mgmt@dc2']);
    expect(split('tunnel', 'client-2-fw-tun')).toEqual(['network client-2-fw@dc1', 'network client-2-fw@dc2']);
    expect(split('route', 'firewall')).toEqual(['compute client', 'compute firewall', 'compute server', 'tunnel client-2-fw-tun', 'tunnel fw-2-server-tun']);
  });
});
