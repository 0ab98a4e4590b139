/**
 * SOL005-shaped answers for an instantiated tango-chain NS (3 VNFs, 3 SAPs on two PoPs),
 * for browser tests of the topology that must not depend on Docker.
 */
export const FAKE_NS_ID = 'ns-fake-0001';

const iface = (cp: string, linkId: string, address: string, prefix: number) => ({ cp, linkId, address, prefix });

/** The NS instance, pointing at catalog NSD `nsdInfoId`. */
export function fakeNsInstance(nsdInfoId: string, firewallState: 'STARTED' | 'FAILED' = 'STARTED') {
  // A VNF runs one VNFC instance (container) of its VDU, as after an instantiation; the firewall's VDU scales.
  const instantiatedVnfInfo = (memberId: string) => ({
    vnfcResourceInfo: [{ id: `${memberId}-vnfc-0`, vduId: 'vdu01', computeResource: { vimId: 'dc1', resourceId: `container-${memberId}` }, metadata: { name: `rondo-${memberId}` } }],
    scaleStatus: memberId === 'firewall' ? [{ aspectId: 'vdu01', scaleLevel: 0 }] : [],
  });
  const vnf = (memberId: string, popId: string, state: string, interfaces: unknown[], kind = 'vnf') =>
    ({ id: `vnfi-${memberId}`, memberId, kind, popId, state, interfaces, ...(kind === 'vnf' ? { instantiatedVnfInfo: instantiatedVnfInfo(memberId) } : {}) });
  return {
    id: FAKE_NS_ID,
    nsInstanceName: 'chain-demo',
    nsInstanceDescription: 'fake',
    nsdId: 'eu.rondo.ns-chain.0.1',
    nsdInfoId,
    nsState: 'INSTANTIATED',
    vnfInstance: [
      vnf('client', 'dc1', 'STARTED', [iface('mgmt', 'mgmt', '10.20.0.2', 24), iface('input', 'input-2-client', '10.30.0.3', 29), iface('output', 'client-2-firewall', '10.30.0.10', 29)]),
      vnf('firewall', 'dc1', firewallState, [iface('mgmt', 'mgmt', '10.20.0.3', 24), iface('input', 'client-2-firewall', '10.30.0.11', 29), iface('output', 'firewall-2-server', '10.30.0.18', 29)]),
      vnf('server', 'dc2', 'STARTED', [iface('mgmt', 'mgmt', '10.20.0.4', 24), iface('input', 'firewall-2-server', '10.30.0.19', 29), iface('output', 'server-lan', '10.20.1.2', 24)]),
      vnf('input', 'dc1', 'STARTED', [iface('input', 'input-2-client', '10.30.0.2', 29)], 'sap'),
      vnf('output', 'dc2', 'STARTED', [iface('output', 'server-lan', '10.20.1.3', 24)], 'sap'),
      vnf('mgmt', 'dc1', 'STARTED', [iface('mgmt', 'mgmt', '10.20.0.5', 24)], 'sap'),
    ],
  };
}

/** The completed instantiation of the fake NS. */
export const fakeOps = [
  {
    id: 'op-fake-1',
    nsInstanceId: FAKE_NS_ID,
    lcmOperationType: 'INSTANTIATE',
    operationState: 'COMPLETED',
    startTime: '2025-01-01T00:00:00Z',
    statusEnteredTime: '2025-01-01T00:00:09Z',
    isCancelPending: false,
    error: null,
    steps: ['client', 'firewall', 'server'].map((m, i) => ({ id: `s${i}`, phase: 1, kind: 'compute', target: m, popId: 'dc1', state: 'DONE', error: null })),
  },
];

/**
 * Expected topology of the tango-chain NSD: 2 PoPs + 6 members + 2 E-LAN hubs (mgmt,
 * server-lan) = 10 nodes, and one VNFC instance inside each of the 3 VNFs once
 * instantiated; edges: mgmt 4 + 3 E-Lines + server-lan 2 = 9.
 */
export const TANGO_CHAIN_TOPOLOGY = { pops: 2, members: 6, lanHubs: 2, vnfcs: 3, edges: 9, pathEdges: 5 } as const;
