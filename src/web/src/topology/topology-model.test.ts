import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { structureFromInstances, structureFromModel } from './nsd-structure.js';
import { buildTopology, memberState, vnfcKey } from './topology-model.js';
import { toNsView, toOpView } from '../api-normalize.js';
import type { NsdModel } from '../api-types.js';
import { fakeNsInstance, fakeOps, TANGO_CHAIN_TOPOLOGY } from '../../../../test/support/fake-ns.js';
import { parseYamlSafe, readTangoNsd } from '../../../descriptors/index.js';

/** The tango-chain NSD as the server reads it (what `/admin/v1/ns_descriptors/{id}/model` answers). */
function serverModel(): NsdModel {
  const file = 'examples/tango-chain/Definitions/nsd.yaml';
  const doc = parseYamlSafe(readFileSync(file, 'utf8'), file);
  if (!doc.ok) throw new Error('example NSD is not YAML');
  const nsd = readTangoNsd(doc.value, file);
  if (!nsd.ok) throw new Error(`example NSD is invalid: ${JSON.stringify(nsd.error)}`);
  const { source: _source, ...model } = nsd.value;
  return model;
}

const nsd = structureFromModel(serverModel());
const ns = toNsView(fakeNsInstance('nsd-1'));

describe('buildTopology', () => {
  it('draws the tango chain: PoPs, members, E-LAN hubs, typed edges, the forwarding path', () => {
    const t = buildTopology(nsd, ns, undefined, {});
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

  it('marks the links between PoPs as inter-PoP edges (a tunnel between engines), the others not', () => {
    const t = buildTopology(nsd, ns, undefined, {});
    // firewall on dc1, server and output on dc2: firewall-2-server crosses, and so does the mgmt LAN (members on both).
    const crossing = new Set(t.edges.filter((e) => e.interPop).map((e) => e.linkId));
    expect([...crossing].sort()).toEqual(['firewall-2-server', 'mgmt']);
    expect(t.edges.find((e) => e.id === 'e:firewall-2-server')?.label).toContain('(inter-PoP tunnel)');
    expect(t.edges.filter((e) => e.linkId === 'input-2-client').every((e) => !e.interPop)).toBe(true);
  });

  it('reads members, typed links and the forwarding path from the model', () => {
    expect(nsd.members.map((m) => `${m.kind}:${m.id}`)).toEqual(['vnf:client', 'vnf:firewall', 'vnf:server', 'sap:mgmt', 'sap:input', 'sap:output']);
    expect(nsd.links.map((l) => `${l.id}:${l.kind}`)).toEqual(['mgmt:management', 'input-2-client:E-Line', 'client-2-firewall:E-Line', 'firewall-2-server:E-Line', 'server-lan:E-LAN']);
    expect(nsd.paths[0]?.hops.slice(0, 3)).toEqual([{ member: 'input', cp: null }, { member: 'client', cp: 'input' }, { member: 'client', cp: 'output' }]);
  });

  it('falls back to the instances when there is no descriptor model', () => {
    const t = buildTopology(structureFromInstances(ns.vnfs), ns, undefined, {});
    expect(t.edges.find((e) => e.id === 'e:client-2-firewall')?.linkKind).toBe('E-Line');
    expect(t.nodes.find((n) => n.id === 'lan:mgmt')).toBeDefined();
  });
});

describe('VNFC instances', () => {
  /** The fake NS with its firewall scaled out to two containers, c1 and c2. */
  const raw = fakeNsInstance('nsd-1');
  const scaled = toNsView({
    ...raw,
    vnfInstance: raw.vnfInstance.map((v) => (v.memberId !== 'firewall' ? v : {
      ...v,
      instantiatedVnfInfo: {
        scaleStatus: [{ aspectId: 'vdu01', scaleLevel: 1 }],
        vnfcResourceInfo: ['c1', 'c2'].map((id, k) => ({ id: `firewall-vnfc-${k}`, vduId: 'vdu01', computeResource: { resourceId: id }, metadata: { name: `fw-${id}` } })),
      },
    })),
  });
  const instances = (overlay: Record<string, 'failed'>) =>
    buildTopology(nsd, scaled, undefined, overlay).nodes.filter((n) => n.kind === 'vnfc' && n.parent === 'm:firewall').map((n) => `${n.parent}>${n.id}:${n.label}:${n.state}`);

  it('draws each instance inside its VNF, numbered, the VNF labelled with the count; edges unchanged', () => {
    const t = buildTopology(nsd, scaled, undefined, {});
    expect(instances({})).toEqual(['m:firewall>c:firewall:c1:firewall #1:running', 'm:firewall>c:firewall:c2:firewall #2:running']);
    expect(t.nodes.find((n) => n.id === 'm:firewall')?.label).toBe('firewall ×2');
    expect(t.edges).toHaveLength(TANGO_CHAIN_TOPOLOGY.edges);
    // Children after their parent (Cytoscape orphans a child added first), stacked below one another.
    const ids = t.nodes.map((n) => n.id);
    expect(ids.indexOf('c:firewall:c1')).toBeGreaterThan(ids.indexOf('m:firewall'));
    const [a, b] = t.nodes.filter((n) => n.kind === 'vnfc' && n.parent === 'm:firewall');
    expect(t.nodes.filter((n) => n.kind === 'vnfc').map((n) => n.label)).toEqual(['client #1', 'firewall #1', 'firewall #2', 'server #1']);
    expect((b?.position?.y ?? 0) - (a?.position?.y ?? 0)).toBeGreaterThan(0);
  });

  it('paints the instance an event names and its VNF, not its sibling', () => {
    expect(instances({ firewall: 'failed', [vnfcKey('firewall', 'c2')]: 'failed' })).toEqual([
      'm:firewall>c:firewall:c1:firewall #1:running',
      'm:firewall>c:firewall:c2:firewall #2:failed',
    ]);
    expect(instances({ firewall: 'failed' }).every((x) => x.endsWith(':failed'))).toBe(true);
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
