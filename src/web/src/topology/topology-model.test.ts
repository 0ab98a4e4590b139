import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseTangoNsd, structureFromInstances } from './nsd-structure.js';
import { buildTopology, memberState } from './topology-model.js';
import { toNsView, toOpView } from '../api-normalize.js';
import { fakeNsInstance, fakeOps, TANGO_CHAIN_TOPOLOGY } from '../../../../test/support/fake-ns.js';

const nsd = parseTangoNsd(readFileSync('examples/tango-chain/Definitions/nsd.yaml', 'utf8'));
const ns = toNsView(fakeNsInstance('nsd-1'));

describe('buildTopology', () => {
  it('draws the tango chain: PoPs, members, E-LAN hubs, typed edges, the forwarding path', () => {
    expect(nsd).not.toBeNull();
    const t = buildTopology(nsd!, ns, undefined, {});
    const { pops, members, lanHubs, edges, pathEdges } = TANGO_CHAIN_TOPOLOGY;
    expect(t.nodes.filter((n) => n.kind === 'pop')).toHaveLength(pops);
    expect(t.nodes.filter((n) => n.kind === 'vnf' || n.kind === 'sap')).toHaveLength(members);
    expect(t.nodes.filter((n) => n.kind === 'lan')).toHaveLength(lanHubs);
    expect(t.edges).toHaveLength(edges);
    expect(t.edges.filter((e) => e.onPath).map((e) => e.id).sort()).toEqual(
      ['e:client-2-firewall', 'e:firewall-2-server', 'e:input-2-client', 'e:server-lan:output', 'e:server-lan:server'],
    );
    expect(t.edges.filter((e) => e.onPath)).toHaveLength(pathEdges);
    expect(t.edges.filter((e) => e.linkKind === 'management').every((e) => !e.onPath)).toBe(true);
    expect(t.nodes.find((n) => n.id === 'm:firewall')?.addresses).toContain('input: 10.30.0.11/29');
  });

  it('falls back to the instances when the NSD is not 5GTANGO', () => {
    expect(parseTangoNsd('tosca_definitions_version: tosca_simple_yaml_1_3')).toBeNull();
    const t = buildTopology(structureFromInstances(ns.vnfs), ns, undefined, {});
    expect(t.edges.find((e) => e.id === 'e:client-2-firewall')?.linkKind).toBe('E-Line');
    expect(t.nodes.find((n) => n.id === 'lan:mgmt')).toBeDefined();
  });
});

describe('memberState', () => {
  const vnf = ns.vnfs.find((v) => v.memberId === 'firewall');
  const op = toOpView({ ...fakeOps[0], operationState: 'PROCESSING', steps: [{ id: 's', phase: 1, kind: 'compute', target: 'firewall', popId: 'dc1', state: 'RUNNING' }] });
  it('follows steps during instantiation, records after, and events above both', () => {
    expect(memberState('firewall', vnf, op, {})).toBe('starting');
    expect(memberState('firewall', vnf, { ...op, steps: op.steps.map((s) => ({ ...s, state: 'DONE' })) }, {})).toBe('running');
    expect(memberState('firewall', vnf, { ...op, steps: op.steps.map((s) => ({ ...s, state: 'FAILED' })) }, {})).toBe('failed');
    expect(memberState('firewall', vnf, undefined, {})).toBe('running');
    expect(memberState('firewall', vnf, undefined, { firewall: 'failed' })).toBe('failed');
    expect(memberState('firewall', undefined, undefined, {})).toBe('stopped');
  });
});
