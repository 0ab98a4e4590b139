import type { Nsd, Vnfd, CpRef, VirtualLink } from '../../src/model/index.js';

const vnf = (vnfId: string, cp: string): CpRef => ({ kind: 'vnf', vnfId, cp });
const sap = (id: string): CpRef => ({ kind: 'sap', sap: id });

/** A VNFD shaped like the 5GTANGO example's: one VDU with mgmt, input and output CPs. */
export function chainVnfd(name: string, extra: Partial<Vnfd> = {}, env?: Record<string, string>): Vnfd {
  return {
    descriptorId: `eu.5gtango.${name}.0.1`,
    ref: { vendor: 'eu.5gtango', name, version: '0.1' },
    format: 'tango',
    vdus: [
      {
        id: 'vdu01', image: `vnf/${name}:latest`, imageFormat: 'docker', vcpus: 1, cpuBw: 0.5, memoryMiB: 256,
        connectionPoints: [{ id: 'eth0', type: 'management' }, { id: 'input', type: 'internal' }, { id: 'output', type: 'internal' }],
        ...(env ? { env } : {}),
      },
    ],
    connectionPoints: [
      { id: 'mgmt', type: 'management', vdu: 'vdu01', vduCp: 'eth0' },
      { id: 'input', type: 'external', vdu: 'vdu01', vduCp: 'input' },
      { id: 'output', type: 'external', vdu: 'vdu01', vduCp: 'output' },
    ],
    monitoringParameters: [],
    scalingAspects: [],
    startCommands: [],
    stopCommands: [],
    source: {},
    ...extra,
  };
}

const links: VirtualLink[] = [
  { id: 'mgmt', type: 'E-LAN', management: true, cpRefs: [sap('mgmt'), vnf('client', 'mgmt'), vnf('firewall', 'mgmt'), vnf('server', 'mgmt')] },
  { id: 'input-2-client', type: 'E-Line', management: false, cpRefs: [sap('input'), vnf('client', 'input')] },
  { id: 'client-2-fw', type: 'E-Line', management: false, cpRefs: [vnf('client', 'output'), vnf('firewall', 'input')] },
  { id: 'fw-2-server', type: 'E-LAN', management: false, cpRefs: [vnf('firewall', 'output'), vnf('server', 'input')] },
  { id: 'server-2-output', type: 'E-Line', management: false, cpRefs: [vnf('server', 'output'), sap('output')] },
];

/** The example chain: input SAP → client → firewall → server → output SAP, plus a management LAN. */
export const chainNsd: Nsd = {
  descriptorId: 'eu.5gtango.tango-chain.0.1',
  ref: { vendor: 'eu.5gtango', name: 'tango-chain', version: '0.1' },
  format: 'tango',
  vnfs: ['client', 'firewall', 'server'].map((id) => ({ vnfId: id, vnfd: { vendor: 'eu.5gtango', name: id, version: '0.1' } })),
  saps: [{ id: 'mgmt', type: 'management' }, { id: 'input', type: 'external' }, { id: 'output', type: 'external' }],
  virtualLinks: links,
  forwardingGraphs: [
    {
      id: 'fg01',
      paths: [{
        id: 'fp01',
        hops: [sap('input'), vnf('client', 'input'), vnf('client', 'output'), vnf('firewall', 'input'), vnf('firewall', 'output'), vnf('server', 'input'), vnf('server', 'output'), sap('output')],
      }],
    },
  ],
  source: {},
};

/** The VNFDs by member: the firewall has start/stop commands, the server a SON_EMU_CMD. */
export const chainVnfds: Readonly<Record<string, Vnfd>> = {
  client: chainVnfd('client'),
  firewall: chainVnfd('firewall', { startCommands: ['iptables -A FORWARD -j ACCEPT'], stopCommands: ['iptables -F'] }),
  server: chainVnfd('server', { startCommands: ['httpd -p 80'] }, { SON_EMU_CMD: 'httpd -p 80', SON_EMU_CMD_STOP: 'killall httpd' }),
};

/** A linear NSD of `n` one-VDU VNFs chained by E-Lines between two SAPs (benchmarks, scale tests). */
export function longChain(n: number): { nsd: Nsd; vnfds: Record<string, Vnfd> } {
  const ids = Array.from({ length: n }, (_, i) => `v${i}`);
  const vl: VirtualLink[] = [{ id: 'l0', type: 'E-Line', management: false, cpRefs: [sap('in'), vnf('v0', 'input')] }];
  for (let i = 1; i < n; i++) vl.push({ id: `l${i}`, type: 'E-Line', management: false, cpRefs: [vnf(`v${i - 1}`, 'output'), vnf(`v${i}`, 'input')] });
  vl.push({ id: `l${n}`, type: 'E-Line', management: false, cpRefs: [vnf(`v${n - 1}`, 'output'), sap('out')] });
  const vnfd = chainVnfd('relay');
  return {
    nsd: { ...chainNsd, vnfs: ids.map((vnfId) => ({ vnfId, vnfd: vnfd.ref })), saps: [{ id: 'in', type: 'external' }, { id: 'out', type: 'external' }], virtualLinks: vl, forwardingGraphs: [] },
    vnfds: Object.fromEntries(ids.map((id) => [id, vnfd])),
  };
}
