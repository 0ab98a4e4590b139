import { describe, expect, it } from 'vitest';
import type { CpRef, ForwardingGraph } from '../model/index.js';
import { chainRoutes, routeCommand } from './service-chain.js';
import type { CpEndpoint } from './service-chain.js';

const sap = (s: string): CpRef => ({ kind: 'sap', sap: s });
const vnf = (v: string, cp: string): CpRef => ({ kind: 'vnf', vnfId: v, cp });
const ep = (linkId: string, subnet: string, address: string, compute: string): CpEndpoint => ({ linkId, subnet, address, compute });

// client SAP → firewall → server SAP over two E-Lines.
const endpoints = new Map<string, CpEndpoint>([
  ['client', ep('l1', '10.10.0.0/29', '10.10.0.2', 'client')],
  ['fw:in', ep('l1', '10.10.0.0/29', '10.10.0.3', 'fw')],
  ['fw:out', ep('l2', '10.10.0.8/29', '10.10.0.10', 'fw')],
  ['server', ep('l2', '10.10.0.8/29', '10.10.0.11', 'server')],
]);
const graph = (hops: CpRef[]): ForwardingGraph[] => [{ id: 'fg', paths: [{ id: 'p', hops }] }];

describe('chainRoutes', () => {
  it('routes client → firewall → server both ways', () => {
    const r = chainRoutes(graph([sap('client'), vnf('fw', 'in'), vnf('fw', 'out'), sap('server')]), endpoints);
    expect(Object.fromEntries(r)).toEqual({
      client: [{ dest: '10.10.0.8/29', via: '10.10.0.3', viaLinkId: 'l1' }],
      server: [{ dest: '10.10.0.0/29', via: '10.10.0.10', viaLinkId: 'l2' }],
    });
    expect(routeCommand({ dest: '10.10.0.8/29', via: '10.10.0.3', viaLinkId: 'l1' })).toEqual(['ip', 'route', 'replace', '10.10.0.8/29', 'via', '10.10.0.3']);
    expect(routeCommand({ dest: '10.10.0.8/29', via: '10.10.0.3', viaLinkId: 'l1' }, 'eth1')).toEqual(['ip', 'route', 'replace', '10.10.0.8/29', 'via', '10.10.0.3', 'dev', 'eth1']);
  });

  it('rejects odd hop counts, unknown hops and pairs on different links', () => {
    const bad = { code: 'PLAN_BAD_FORWARDING_PATH', status: 409 };
    expect(() => chainRoutes(graph([sap('client'), vnf('fw', 'in'), vnf('fw', 'out')]), endpoints)).toThrow(expect.objectContaining(bad));
    expect(() => chainRoutes(graph([sap('client'), vnf('nope', 'in')]), endpoints)).toThrow(expect.objectContaining(bad));
    expect(() => chainRoutes(graph([sap('client'), vnf('fw', 'out')]), endpoints)).toThrow(expect.objectContaining(bad));
  });

  it('refuses two paths that need different next hops for one destination in one compute', () => {
    const e2 = new Map(endpoints);
    e2.set('fw2:in', ep('l1', '10.10.0.0/29', '10.10.0.4', 'fw2'));
    e2.set('fw2:out', ep('l2', '10.10.0.8/29', '10.10.0.12', 'fw2'));
    const graphs: ForwardingGraph[] = [{ id: 'fg', paths: [
      { id: 'a', hops: [sap('client'), vnf('fw', 'in'), vnf('fw', 'out'), sap('server')] },
      { id: 'b', hops: [sap('client'), vnf('fw2', 'in'), vnf('fw2', 'out'), sap('server')] },
    ] }];
    expect(() => chainRoutes(graphs, e2)).toThrow(expect.objectContaining({ code: 'PLAN_CHAIN_CONFLICT' }));
  });
});
