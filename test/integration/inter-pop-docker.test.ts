/**
 * Inter-PoP links on real Docker engines: three extra engines of our own (LocalEngine,
 * each with its own socket, data root and bridge, `--iptables=false`), one PoP each. The
 * example chain runs with the client (and the input and mgmt SAPs) on dc1, the firewall
 * on dc2, the server (and the output SAP) on dc3: every link between them is one segment
 * per engine joined by a VXLAN tunnel whose endpoints are helpers the PoPs' drivers own.
 *
 * - A traceroute from the input SAP to the output SAP crosses client → firewall → server
 *   → output, the same hops (addresses) as on one PoP (the routes are planned the same,
 *   see ns-planner.test.ts), and the 3-engine mgmt E-LAN (head-end replication) carries pings.
 * - The firewall → server link is shaped (tbf on its tunnel) by an instantiation
 *   parameter; nc + dd from SAP to SAP measures a rate within ±20 % of it.
 * - After terminate no tunnel helper, container or network is left on any engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/vim/docker/local-engine.js';
import { chainNsd, chainVnfd } from '../support/tango-chain.js';
import { openTestStore } from '../support/store.js';
import type { Store } from '../../src/store/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { VimAccount, Vnfd } from '../../src/model/index.js';
import type { DescriptorSource, NsLifecycleService } from '../../src/lifecycle/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createVimDriver } from '../../src/app/index.js';

const engines = [1, 2, 3].map((n) => new LocalEngine({ name: `tun${n}`, bridge: `rondotun${n}`, bridgeAddress: `172.31.22${n}.1/24` }));
const IMAGES = { 'vnf/client:latest': 'vnf/busybox:latest', 'vnf/firewall:latest': 'vnf/busybox:latest', 'vnf/server:latest': 'vnf/busybox:latest' };
const docker = (id: string, endpoint: string): VimAccount => ({
  id, name: id, type: 'docker', endpoint, capacity: null, config: { imageMap: IMAGES }, tenant: 'default', createdAt: new Date(0).toISOString(),
});
// dc1..dc3 one per engine; `one` (on the first engine too) runs the whole chain on one PoP for comparison.
const accounts: VimAccount[] = [...engines.map((e, i) => docker(`dc${i + 1}`, e.endpoint)), docker('one', (engines[0] as LocalEngine).endpoint)];
const PINS = { client: 'dc1', input: 'dc1', mgmt: 'dc1', firewall: 'dc2', server: 'dc3', output: 'dc3' };
// No start commands: the images are plain busybox (no iptables, no httpd needed to route).
const vnfds: Record<string, Vnfd> = { client: chainVnfd('client'), firewall: chainVnfd('firewall'), server: chainVnfd('server') };
const RATE_MBPS = 10;

let store: Store;
let composition: Composition;
let service: NsLifecycleService;

beforeAll(async () => {
  for (const e of engines) {
    await e.start();
    await e.wipe();
    await e.importVnfImages();
  }
  store = await openTestStore('pglite', 'inter-pop-docker.test.ts');
  const descriptors: DescriptorSource = { getNsd: async () => chainNsd, getVnfds: async () => vnfds };
  const config = loadConfig({}, { logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 600, workerLeaseSeconds: 30, workerConcurrency: 2 });
  composition = await compose({
    config, role: 'worker', store, clock: systemClock, ids: uuidGenerator, env: { RONDO_SECRET_KEY: 'cd'.repeat(32) }, http: false,
    descriptors, vimAccounts: { list: async () => accounts }, workerOwner: 'w-inter-pop', workerPollMs: 200,
  });
  await composition.services.vimRegistry.refresh();
  composition.worker.start();
  service = composition.services.lifecycle;
}, 300_000);

afterAll(async () => {
  await composition?.close();
  await store?.close();
  for (const e of engines) {
    await e.wipe().catch(() => undefined);
    await e.remove();
  }
}, 300_000);

/** `cmd` inside a compute of a PoP (through its driver), its stdout; throws on a non-zero exit. */
async function exec(pop: string, compute: string, cmd: string): Promise<string> {
  const d = createVimDriver(accounts.find((a) => a.id === pop) as VimAccount);
  const r = await d.exec(compute, ['sh', '-c', cmd]);
  if (r.exitCode !== 0) throw new Error(`${cmd} in ${compute} exited ${r.exitCode}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe('a chain across three Docker engines joined by VXLAN tunnels', () => {
  let nsId = '';
  let name = (m: string): string => m;
  const address = new Map<string, string>();
  let hopsAcross: string[] = [];

  it('instantiates with a tunnel per inter-PoP link and one subnet per link', async () => {
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'three-engines' });
    nsId = ns.id;
    const dry = await service.dryRun({ nsInstanceId: ns.id }, { pins: PINS });
    expect(dry.steps.filter((s) => s.kind === 'tunnel').map((s) => s.target.split('-').slice(2).join('-')).sort()).toEqual(['client-2-fw-tun', 'fw-2-server-tun', 'mgmt-tun']);
    const op = await service.instantiate(ns.id, { pins: PINS, additionalParams: { linkBandwidths: { 'fw-2-server': RATE_MBPS } } });
    const done = await service.waitForOp(op.id, { timeoutMs: 240_000 });
    expect(done.operationState, JSON.stringify(done.error)).toBe('COMPLETED');
    const vnfs = await service.listVnfs(ns.id);
    for (const v of vnfs) for (const i of v.interfaces) address.set(`${v.memberId}:${i.cp}`, i.address);
    const short = (dry.networks[0]?.name ?? '').split('-')[1] as string;
    name = (m: string) => `rondo-${short}-${m}`;
    // Every engine holds its own segment of the mgmt E-LAN (and a tunnel helper on it).
    for (const e of engines) {
      const nets = await e.client.listNetworks({ filters: { label: [`rondo.ns=${ns.id}`] } });
      expect(nets.map((n) => n.Name)).toContain(name('mgmt'));
      const helpers = await e.client.listContainers({ filters: { label: [`rondo.ns=${ns.id}`, 'rondo.tunnel'] } });
      expect(helpers.map((c) => c.Names[0])).toContain(`/${name('mgmt-tun')}`);
    }
  }, 300_000);

  it('traceroute from the input SAP to the output SAP crosses client → firewall → server over the tunnels', async () => {
    const out = address.get('output:output') as string;
    const trace = await exec('dc1', name('input'), `traceroute -n -w 2 -q 1 -m 8 ${out}`);
    const hops = trace.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[1]).filter((h): h is string => !!h);
    // The next hops the routes name, as on one PoP: the client's input, the firewall's input, the server's input, then the SAP.
    expect(hops).toEqual([address.get('client:input'), address.get('firewall:input'), address.get('server:input'), out]);
    hopsAcross = hops;
  }, 120_000);

  it('carries the mgmt E-LAN across all three engines (head-end replication to two peers)', async () => {
    await exec('dc1', name('client'), `ping -c 2 -W 2 ${address.get('server:mgmt')}`);
    await exec('dc3', name('server'), `ping -c 2 -W 2 ${address.get('firewall:mgmt')}`);
    await exec('dc2', name('firewall'), `ping -c 2 -W 2 ${address.get('client:mgmt')}`);
  }, 120_000);

  it(`shapes the firewall → server tunnel to ${RATE_MBPS} Mbit/s: nc + dd between the SAPs measures it within ±20 %`, async () => {
    const out = address.get('output:output') as string;
    const bytes = 8 * 1024 * 1024;
    // The receiver times first to last byte (/proc/uptime, 10 ms); its stdin never ends, so nc ends with the connection.
    const receiver = exec('dc3', name('output'), [
      'rm -f /tmp/in; mkfifo /tmp/in; exec 3<>/tmp/in',
      'nc -l -p 5201 <&3 | { dd bs=1 count=1 of=/dev/null 2>/dev/null; read s x </proc/uptime; n=$(wc -c); read e x </proc/uptime; echo "$s $e $n"; }',
    ].join('; '));
    // Bounded poll until it listens.
    for (let i = 0; i < 50 && !(await exec('dc3', name('output'), 'netstat -ltn')).includes(':5201'); i++) await new Promise((r) => setTimeout(r, 100));
    await exec('dc1', name('input'), `dd if=/dev/zero bs=64k count=${bytes / 65536} 2>/dev/null | nc ${out} 5201`);
    const [start, end, rest] = (await receiver).trim().split(/\s+/).map(Number) as [number, number, number];
    expect(rest + 1).toBe(bytes);
    const mbps = (bytes * 8) / (end - start) / 1e6;
    console.log(`inter-PoP shaped link: ${bytes} bytes in ${(end - start).toFixed(2)} s = ${mbps.toFixed(2)} Mbit/s (tbf ${RATE_MBPS} Mbit/s)`);
    expect(mbps).toBeGreaterThan(RATE_MBPS * 0.8);
    expect(mbps).toBeLessThan(RATE_MBPS * 1.2);
  }, 180_000);

  it('terminates without leaving a tunnel helper, container or network on any engine', async () => {
    const term = await service.terminate(nsId);
    expect((await service.waitForOp(term.id, { timeoutMs: 120_000 })).operationState).toBe('COMPLETED');
    for (const e of engines) {
      expect(await e.client.listContainers({ all: true })).toEqual([]);
      const nets = (await e.client.listNetworks()).map((n) => n.Name).sort();
      expect(nets).toEqual(['bridge', 'host', 'none']);
    }
  }, 180_000);

  it('on one PoP the same chain gives the same traceroute hops (the tunnels change no address or route)', async () => {
    const ns = await service.createNs({ nsdId: 'chain', nsName: 'one-pop' });
    const pins = Object.fromEntries(Object.keys(PINS).map((m) => [m, 'one']));
    const op = await service.instantiate(ns.id, { pins });
    expect((await service.waitForOp(op.id, { timeoutMs: 240_000 })).operationState).toBe('COMPLETED');
    const steps = await service.listSteps(op.id);
    expect(steps.filter((s) => s.kind === 'tunnel')).toEqual([]);
    const vnfs = await service.listVnfs(ns.id);
    const out = vnfs.find((v) => v.memberId === 'output')?.interfaces[0]?.address as string;
    const short = (steps.find((s) => s.kind === 'network')?.target ?? '').split('-')[1] as string;
    const trace = await exec('one', `rondo-${short}-input`, `traceroute -n -w 2 -q 1 -m 8 ${out}`);
    const hops = trace.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[1]).filter((h): h is string => !!h);
    // IPAM hands the released subnets out again, so the addresses themselves match.
    expect(hops).toEqual(hopsAcross);
    const term = await service.terminate(ns.id);
    expect((await service.waitForOp(term.id, { timeoutMs: 120_000 })).operationState).toBe('COMPLETED');
    expect(await (engines[0] as LocalEngine).client.listContainers({ all: true })).toEqual([]);
  }, 300_000);
});
