/**
 * The VIM driver compliance suite: the same cases for every driver (Kysely runs each test
 * over every dialect the same way). A driver that cannot do a case lists it in
 * `notSupported`; the case then asserts VimError NOT_SUPPORTED instead of being skipped.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VimError } from '../src/model/index.js';
import { LABEL_NS, LABEL_POP, LABEL_POPS, LABEL_STEP, LABEL_VNF, startComputeOf, stopComputeOf, tunnelsOf } from '../src/vim/index.js';
import type { ComputeInfo, ComputeSpec, InterfaceSpec, NetworkSpec, VimDriver, VimEvent } from '../src/vim/index.js';

/** What `makeDriver` hands the suite. */
export interface VimComplianceHarness {
  readonly driver: VimDriver;
  /** Releases what the harness holds (not the resources the suite made; it removes those). */
  cleanup(): Promise<void>;
  /** An image that exists on the VIM and has a POSIX shell with `ping` and `ip`. */
  readonly image: string;
  /** Kills a compute from outside (as a crash or OOM would), for status and watch cases. */
  kill(computeId: string): Promise<void>;
  /**
   * A driver of another PoP on the same VIM (label mode: two PoPs on one engine), for the
   * `foreign-pop-network` case; `driver` is bound to a PoP too. Needed when `crossPop` is set.
   */
  readonly otherPop?: { readonly popId: string; readonly driver: VimDriver };
}

/** Case names, usable in `notSupported`. */
export const VIM_COMPLIANCE_CASES = [
  'connectivity', 'network-idempotent', 'network-overlap', 'subnets-in-use', 'network-in-use', 'compute-ping',
  'compute-idempotent', 'labels', 'delete-missing', 'address-conflict', 'missing-image',
  'status-after-kill', 'watch-died', 'exec-exit-codes', 'abort', 'stop-start', 'recreate-same-address', 'foreign-pop-network', 'tunnel-endpoint',
] as const;
export type VimComplianceCase = (typeof VIM_COMPLIANCE_CASES)[number];

/** Asserts that `work` rejects with a VimError of `kind`; returns it. */
export async function expectVimError(work: Promise<unknown>, kind: VimError['kind']): Promise<VimError> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected VimError ${kind}`).toBeInstanceOf(VimError);
  expect((error as VimError).kind).toBe(kind);
  return error as VimError;
}

/** Runs the compliance cases against the driver `makeDriver` builds (once per file). */
export function runVimCompliance(
  name: string,
  makeDriver: () => Promise<VimComplianceHarness>,
  opts: {
    notSupported?: readonly VimComplianceCase[];
    /** Run `foreign-pop-network` (the harness gives `otherPop`); VIMs with one PoP per account leave it out. */
    crossPop?: boolean;
  } = {},
): void {
  describe(`VimDriver compliance: ${name}`, () => {
    const run = randomBytes(3).toString('hex');
    const ns = `test-${run}`;
    // A /16 unlikely to collide with Rondo's IPAM pools or another run on the same engine.
    const net16 = `10.${200 + (randomBytes(1)[0] ?? 0) % 50}`;
    let h: VimComplianceHarness;
    let d: VimDriver;
    let block = 0;

    const labels = (step: string, extra: Record<string, string> = {}): Record<string, string> => ({ [LABEL_NS]: ns, [LABEL_STEP]: step, ...extra });
    const network = (link: string): NetworkSpec => {
      const third = (block++ * 7 + Number.parseInt(run.slice(0, 2), 16)) % 256;
      return { name: `rc-${run}-${link}`, subnet: `${net16}.${third}.0/24`, gateway: `${net16}.${third}.1`, labels: labels(`net-${link}`, { 'rondo.link': link }) };
    };
    const host = (net: NetworkSpec, n: number): string => net.subnet.replace(/0\/24$/, String(n));
    const compute = (vnf: string, interfaces: InterfaceSpec[], image = h.image): ComputeSpec => ({
      name: `rc-${run}-${vnf}`, image, vcpus: 1, cpuBw: 0.5, memoryMiB: 64, interfaces, env: { RONDO_TEST: run },
      labels: labels(`cmp-${vnf}`, { [LABEL_VNF]: vnf }), command: ['sleep', '3600'],
    });

    const supported = (c: VimComplianceCase): boolean => !opts.notSupported?.includes(c);
    /** A case the driver supports, or an assertion that its probe throws NOT_SUPPORTED. */
    const kase = (c: VimComplianceCase, body: () => Promise<void>, probe: () => Promise<unknown>): void => {
      if (supported(c)) it(c, body);
      else it(`${c} (NOT_SUPPORTED)`, async () => { await expectVimError(probe(), 'NOT_SUPPORTED'); });
    };
    const oneCompute = async (vnf: string): Promise<ComputeInfo> => {
      const net = network(`${vnf}n`);
      await d.createNetwork(net);
      return d.createCompute(compute(vnf, [{ network: net.name, address: host(net, 10) }]));
    };

    beforeAll(async () => {
      h = await makeDriver();
      d = h.driver;
      await d.init();
    });

    afterEach(async () => {
      const left = await d.listByLabel({ [LABEL_NS]: ns });
      for (const r of left.filter((x) => x.kind === 'compute')) await d.deleteCompute(r.id);
      for (const r of left.filter((x) => x.kind === 'network')) await d.deleteNetwork(r.id);
      expect(await d.listByLabel({ [LABEL_NS]: ns })).toEqual([]);
    });

    afterAll(async () => {
      await d?.destroy();
      await h?.cleanup();
    });

    kase('connectivity', async () => {
      const { version } = await d.checkConnectivity();
      expect(version).toMatch(/\S/);
      const cap = await d.capacity();
      if (cap !== null) {
        expect(cap.cpu).toBeGreaterThan(0);
        expect(cap.memoryMiB).toBeGreaterThan(0);
      }
    }, () => d.checkConnectivity());

    kase('network-idempotent', async () => {
      const spec = network('idem');
      const a = await d.createNetwork(spec);
      const b = await d.createNetwork(spec);
      expect(b.id).toBe(a.id);
      expect(a).toMatchObject({ name: spec.name, subnet: spec.subnet });
      expect(a.labels).toMatchObject(spec.labels);
      await expectVimError(d.createNetwork({ ...spec, labels: labels('another-step') }), 'CONFLICT');
      await d.deleteNetwork(a.id);
      await d.deleteNetwork(a.id);
      await d.deleteNetwork(spec.name);
      expect(await d.listByLabel({ [LABEL_NS]: ns })).toEqual([]);
    }, () => d.createNetwork(network('idem')));

    kase('network-overlap', async () => {
      const spec = network('ovl');
      await d.createNetwork(spec);
      await expectVimError(d.createNetwork({ ...spec, name: `${spec.name}2`, subnet: spec.subnet.replace(/\/24$/, '/25'), gateway: undefined }), 'SUBNET_IN_USE');
    }, () => d.createNetwork(network('ovl')));

    kase('subnets-in-use', async () => {
      const spec = network('used');
      await d.createNetwork(spec);
      expect(await d.subnetsInUse()).toContain(spec.subnet);
      await d.deleteNetwork(spec.name);
      expect(await d.subnetsInUse()).not.toContain(spec.subnet);
    }, () => d.subnetsInUse());

    kase('network-in-use', async () => {
      const c = await oneCompute('inuse');
      const netName = Object.keys(c.addresses)[0] ?? '';
      await expectVimError(d.deleteNetwork(netName), 'CONFLICT');
      await d.deleteCompute(c.id);
      await d.deleteNetwork(netName);
    }, () => oneCompute('inuse'));

    kase('compute-ping', async () => {
      const [na, nb] = [network('a'), network('b')];
      await Promise.all([d.createNetwork(na), d.createNetwork(nb)]);
      const c1 = await d.createCompute(compute('c1', [{ network: na.name, address: host(na, 10) }, { network: nb.name, address: host(nb, 10) }]));
      const c2 = await d.createCompute(compute('c2', [{ network: nb.name, address: host(nb, 11) }]));
      expect(c1.state).toBe('ACTIVE');
      expect(c1.addresses).toEqual({ [na.name]: host(na, 10), [nb.name]: host(nb, 10) });
      expect(c1.interfaces?.map(({ macAddress: _mac, ...i }) => i)).toEqual([
        { network: na.name, address: host(na, 10), ifName: 'eth0' },
        { network: nb.name, address: host(nb, 10), ifName: 'eth1' },
      ]);
      // The MAC of each interface, as SOL005 ipOverEthernet.macAddress shows it: lower-case, colon-separated, one per interface.
      const macs = [...(c1.interfaces ?? []), ...(c2.interfaces ?? [])].map((i) => i.macAddress);
      expect(macs.every((m) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(m ?? '')), macs.join(' ')).toBe(true);
      expect(new Set(macs).size).toBe(macs.length);
      expect(c2.addresses).toEqual({ [nb.name]: host(nb, 11) });
      expect((await d.exec(c1.id, ['ping', '-c', '1', '-W', '2', host(nb, 11)])).exitCode).toBe(0);
      expect((await d.exec(c2.name, ['ping', '-c', '1', '-W', '2', host(nb, 10)])).exitCode).toBe(0);
      // Nothing answers on an unused address of the shared network.
      expect((await d.exec(c2.id, ['ping', '-c', '1', '-W', '1', host(nb, 99)])).exitCode).not.toBe(0);
    }, async () => d.exec('rc-none', ['true']));

    kase('compute-idempotent', async () => {
      const net = network('ci');
      await d.createNetwork(net);
      const spec = compute('ci', [{ network: net.name, address: host(net, 20) }]);
      const a = await d.createCompute(spec);
      const b = await d.createCompute(spec);
      expect(b.id).toBe(a.id);
      await expectVimError(d.createCompute({ ...spec, labels: labels('other') }), 'CONFLICT');
    }, () => oneCompute('ci'));

    kase('labels', async () => {
      const net = network('lab');
      const n = await d.createNetwork(net);
      const c = await d.createCompute(compute('lab', [{ network: net.name, address: host(net, 30) }]));
      expect(c.labels).toMatchObject({ [LABEL_NS]: ns, [LABEL_VNF]: 'lab' });
      const all = await d.listByLabel({ [LABEL_NS]: ns });
      expect(all.map((r) => [r.kind, r.id, r.name]).sort()).toEqual([['compute', c.id, c.name], ['network', n.id, n.name]].sort());
      const vnf = await d.listByLabel({ [LABEL_NS]: ns, [LABEL_VNF]: 'lab' });
      expect(vnf.map((r) => r.id)).toEqual([c.id]);
      expect(await d.listByLabel({ [LABEL_NS]: `${ns}-other` })).toEqual([]);
    }, () => d.listByLabel({ [LABEL_NS]: ns }));

    if (opts.crossPop) {
      it('foreign-pop-network', async () => {
        const other = h.otherPop;
        if (!other) throw new Error('crossPop needs the harness to give otherPop');
        const own = network('mine');
        const made = await d.createNetwork(own);
        const ownPop = made.labels[LABEL_POP];
        expect(ownPop, 'a driver bound to a PoP labels its networks').toBeDefined();
        const shared = network('both');
        await d.createNetwork({ ...shared, labels: { ...shared.labels, [LABEL_POPS]: `${ownPop},${other.popId}` } });
        const theirs = (vnf: string, net: NetworkSpec, n: number): ComputeSpec => compute(vnf, [{ network: net.name, address: host(net, n) }]);
        try {
          // A compute of the other PoP may not join this PoP's network, and nothing of it is left behind.
          const e = await expectVimError(other.driver.createCompute(theirs('foreign', own, 50)), 'FOREIGN_POP');
          expect(e.message).toContain(own.name);
          expect(e.code).toBe('VIM_FOREIGN_POP');
          expect((await other.driver.status(`rc-${run}-foreign`)).state).toBe('DELETED');
          // Mixed interfaces: refused as a whole, before anything is made.
          await expectVimError(other.driver.createCompute(compute('mixed', [{ network: shared.name, address: host(shared, 51) }, { network: own.name, address: host(own, 51) }])), 'FOREIGN_POP');
          expect((await other.driver.status(`rc-${run}-mixed`)).state).toBe('DELETED');
          // A network labelled for both PoPs takes computes of either.
          const mine = await d.createCompute(theirs('own', shared, 52));
          const guest = await other.driver.createCompute(theirs('guest', shared, 53));
          expect(guest.labels[LABEL_POP]).toBe(other.popId);
          expect(mine.labels[LABEL_POP]).toBe(ownPop);
          expect(guest.addresses[shared.name]).toBe(host(shared, 53));
        } finally {
          // The other PoP's computes are not in this PoP's listByLabel (afterEach): removed here.
          for (const r of await other.driver.listByLabel({ [LABEL_NS]: ns })) if (r.kind === 'compute') await other.driver.deleteCompute(r.id);
        }
      });
    }

    kase('delete-missing', async () => {
      await d.deleteCompute(`rc-${run}-never`);
      await d.deleteNetwork(`rc-${run}-never`);
      expect((await d.status(`rc-${run}-never`)).state).toBe('DELETED');
    }, () => d.deleteCompute(`rc-${run}-never`));

    kase('address-conflict', async () => {
      const net = network('dup');
      await d.createNetwork(net);
      await d.createCompute(compute('dup1', [{ network: net.name, address: host(net, 40) }]));
      await expectVimError(d.createCompute(compute('dup2', [{ network: net.name, address: host(net, 40) }])), 'CONFLICT');
      await expectVimError(d.createCompute(compute('dup3', [{ network: net.name, address: '192.0.2.7' }])), 'CONFLICT');
      const names = (await d.listByLabel({ [LABEL_NS]: ns })).map((r) => r.name);
      expect(names).not.toContain(`rc-${run}-dup2`);
      expect(names).not.toContain(`rc-${run}-dup3`);
    }, () => oneCompute('dup'));

    kase('missing-image', async () => {
      const missing = `vnf/missing-${run}:latest`;
      expect(await d.hasImage(missing)).toBe(false);
      expect(await d.hasImage(h.image)).toBe(true);
      const net = network('img');
      await d.createNetwork(net);
      await expectVimError(d.createCompute(compute('img', [{ network: net.name, address: host(net, 50) }], missing)), 'NOT_FOUND');
      expect((await d.status(`rc-${run}-img`)).state).toBe('DELETED');
    }, () => d.hasImage(h.image));

    kase('status-after-kill', async () => {
      const c = await oneCompute('kill');
      expect((await d.status(c.id)).state).toBe('ACTIVE');
      await h.kill(c.id);
      const after = await d.status(c.name);
      expect(['ERROR', 'STOPPED']).toContain(after.state);
      await d.deleteCompute(c.id);
      expect((await d.status(c.id)).state).toBe('DELETED');
    }, () => d.status('rc-none'));

    kase('watch-died', async () => {
      const ac = new AbortController();
      const seen: VimEvent[] = [];
      const iterator = d.watch(ac.signal)[Symbol.asyncIterator]();
      const first = iterator.next();
      const c = await oneCompute('watch');
      await h.kill(c.id);
      const deadline = setTimeout(() => ac.abort(), 15_000);
      for (let next = await first; !next.done; next = await iterator.next()) {
        seen.push(next.value);
        if (next.value.type === 'compute.died' && next.value.computeId === c.id) break;
      }
      clearTimeout(deadline);
      ac.abort();
      await iterator.return?.();
      const died = seen.find((e) => e.type === 'compute.died' && e.computeId === c.id);
      expect(died?.labels[LABEL_NS]).toBe(ns);
      expect(died?.at).toBeInstanceOf(Date);
    }, async () => {
      for await (const _ of d.watch(AbortSignal.timeout(1000))) break;
    });

    kase('exec-exit-codes', async () => {
      const c = await oneCompute('exec');
      expect(await d.exec(c.id, ['sh', '-c', 'exit 3'])).toMatchObject({ exitCode: 3 });
      expect(await d.exec(c.id, ['echo', 'hello'])).toEqual({ exitCode: 0, stdout: 'hello\n', stderr: '' });
      expect((await d.exec(c.id, ['false'])).exitCode).toBe(1);
      await expectVimError(d.exec(`rc-${run}-nope`, ['true']), 'NOT_FOUND');
    }, () => d.exec('rc-none', ['true']));

    kase('stop-start', async () => {
      const [na, nb] = [network('sa'), network('sb')];
      await Promise.all([d.createNetwork(na), d.createNetwork(nb)]);
      const c = await d.createCompute(compute('ss', [{ network: na.name, address: host(na, 60) }, { network: nb.name, address: host(nb, 60) }]));
      const stop = stopComputeOf(d);
      const start = startComputeOf(d);
      const stopped = await stop(c.id, { graceSeconds: 1 });
      expect(stopped.id).toBe(c.id);
      expect(['STOPPED', 'ERROR']).toContain(stopped.state);
      expect(['STOPPED', 'ERROR']).toContain((await d.status(c.name)).state);
      // Stopped, not removed. (Whether its addresses stay reserved is the VIM's business:
      // Docker frees them while the container is down; Rondo's IPAM never hands them out.)
      expect((await d.listByLabel({ [LABEL_NS]: ns, [LABEL_VNF]: 'ss' })).map((r) => r.id)).toEqual([c.id]);
      expect((await stop(c.name)).id).toBe(c.id);
      const started = await start(c.name);
      expect(started).toMatchObject({ id: c.id, state: 'ACTIVE', addresses: c.addresses });
      expect(started.interfaces?.map((i) => [i.network, i.address, i.macAddress])).toEqual(c.interfaces?.map((i) => [i.network, i.address, i.macAddress]));
      expect((await start(c.id)).state).toBe('ACTIVE');
      if (d.capabilities.exec) {
        // The interfaces carry their names again, in spec order, and the compute answers.
        const listed = (await d.exec(c.id, ['ip', '-o', '-4', 'addr', 'show'])).stdout;
        if (listed.trim() !== '') {
          expect(listed).toMatch(new RegExp(`eth0(?:@\\S+)?\\s+inet ${host(na, 60).replace(/\./g, '\\.')}/`));
          expect(listed).toMatch(new RegExp(`eth1(?:@\\S+)?\\s+inet ${host(nb, 60).replace(/\./g, '\\.')}/`));
        }
        expect((await d.exec(c.id, ['echo', 'up'])).stdout).toBe('up\n');
      }
      await expectVimError(stop(`rc-${run}-never`), 'NOT_FOUND');
      await expectVimError(start(`rc-${run}-never`), 'NOT_FOUND');
    }, async () => stopComputeOf(d)(`rc-${run}-never`));

    kase('tunnel-endpoint', async () => {
      // The endpoint of an inter-PoP link: made idempotently on a segment, labelled, peered, removed like a compute.
      const { createTunnelEndpoint, connectTunnel } = tunnelsOf(d);
      const net = network('tun');
      await d.createNetwork(net);
      const spec = { name: `rc-${run}-tun`, network: net.name, address: host(net, 90), vni: 4242, labels: labels('tun-1', { 'rondo.link': 'tun' }) };
      const a = await createTunnelEndpoint(spec);
      expect(a.underlayAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const b = await createTunnelEndpoint(spec);
      expect(b).toEqual(a);
      await expectVimError(createTunnelEndpoint({ ...spec, labels: labels('tun-other') }), 'CONFLICT');
      await connectTunnel(spec.name, { peers: ['192.0.2.10', '192.0.2.11'], bandwidthMbps: 5 });
      await connectTunnel(spec.name, { peers: ['192.0.2.12'] });
      const listed = await d.listByLabel({ [LABEL_NS]: ns, 'rondo.tunnel': '4242' });
      expect(listed.map((r) => [r.kind, r.name])).toEqual([['compute', spec.name]]);
      await d.deleteCompute(spec.name);
      expect(await d.listByLabel({ [LABEL_NS]: ns, 'rondo.tunnel': '4242' })).toEqual([]);
    }, async () => {
      const { createTunnelEndpoint } = tunnelsOf(d);
      return createTunnelEndpoint({ name: `rc-${run}-tun`, network: `rc-${run}-none`, address: '10.0.0.2', vni: 1, labels: labels('tun-1') });
    });

    kase('recreate-same-address', async () => {
      // What healing does: the compute is removed and made again with the same addresses at once.
      const net = network('rs');
      await d.createNetwork(net);
      const spec = compute('rs', [{ network: net.name, address: host(net, 70) }]);
      const first = await d.createCompute(spec);
      await d.deleteCompute(first.id);
      const mac = first.interfaces?.[0]?.macAddress;
      const again = await d.createCompute({ ...spec, labels: labels('cmp-rs-heal', { [LABEL_VNF]: 'rs' }), interfaces: [{ network: net.name, address: host(net, 70), ...(mac ? { macAddress: mac } : {}) }] });
      expect(again.state).toBe('ACTIVE');
      expect(again.addresses).toEqual(first.addresses);
      expect(again.labels[LABEL_STEP]).toBe('cmp-rs-heal');
      expect((await d.status(first.id)).state === 'DELETED' || first.id === again.id).toBe(true);
    }, () => oneCompute('rs'));

    kase('abort', async () => {
      const ac = new AbortController();
      ac.abort();
      await expectVimError(d.createNetwork(network('abort'), ac.signal), 'TIMEOUT');
      await expectVimError(d.checkConnectivity(ac.signal), 'TIMEOUT');
      const timedOut = await expectVimError(d.listByLabel({ [LABEL_NS]: ns }, AbortSignal.abort(new DOMException('t', 'TimeoutError'))), 'TIMEOUT');
      expect(timedOut.retryable).toBe(true);
      // A watch whose signal aborts ends instead of hanging.
      const watchAc = new AbortController();
      const done = (async () => { for await (const _ of d.watch(watchAc.signal)) { /* drain */ } })();
      setTimeout(() => watchAc.abort(), 50);
      await expect(done).resolves.toBeUndefined();
      expect(await d.listByLabel({ [LABEL_NS]: ns })).toEqual([]);
    }, () => d.createNetwork(network('abort'), AbortSignal.abort()));
  });
}
