/**
 * Day-2 operations on real Docker (issue #16, heal and operate): the example chain runs on
 * one PoP; the firewall is `docker kill`ed and the chain stops passing traffic; a heal
 * through the API re-creates it with the same addresses and MACs, and traceroute from the
 * ingress SAP crosses client, firewall and server again. Then OPERATE_VNF stops the
 * firewall (its stop command runs, the container stops and stays) and starts it again
 * (running, start command ran, routes back, traffic passes). SCALE_OUT adds a second
 * firewall: traceroute and packet counters show traffic to two sinks crossing one instance
 * each; SCALE_IN leaves no container, address or route of it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { subnetAt } from '../../src/ipam/index.js';
import type { VimDriver } from '../../src/vim/index.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore } from '../support/store.js';

const run = promisify(execFile);
const docker = new Docker();

interface Member { id: string; memberId: string; interfaces: { cp: string; address: string; macAddress?: string }[]; instantiatedVnfInfo?: { vnfState: string }; computeIds?: string[] }

describe('heal and OPERATE_VNF of the example chain on Docker', () => {
  let dir: string;
  let dataDir: string;
  let store: Store;
  let c: Composition;
  let app: RondoApp;
  let deps: AppDeps;
  let nsId: string | undefined;

  beforeAll(async () => {
    // Fails loudly when Docker is absent; builds the busybox images when missing.
    await docker.ping();
    await run('bash', ['scripts/build-vnf-images.sh']);
    dir = await mkdtemp(join(tmpdir(), 'rondo-day2-docker-'));
    dataDir = join(dir, 'data');
    const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir, logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 300 });
    store = await openTestStore('postgres', 'day2-docker.test.ts');
    c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250 });
    app = c.app as RondoApp;
    deps = c.deps;
    // This file runs in the first Docker lane, one file at a time; other runs may share the
    // engine: start the IPAM at random offsets, as chain-docker.test.ts does.
    const holder = `reserved-${uuidGenerator.next()}`;
    const now = new Date();
    await store.db.insertInto('ns_instances').values({ id: holder, name: 'reserved', description: '', nsd_id: '-', nsd_info_id: '-', state: 'NOT_INSTANTIATED', tenant: 'test', created_at: now, updated_at: now }).execute();
    const offset = { sap: 500 + Math.floor(Math.random() * 7000), elan: 40 + Math.floor(Math.random() * 180), eline: 500 + Math.floor(Math.random() * 7000) } as const;
    const rows = (Object.keys(offset) as (keyof typeof offset)[]).flatMap((pool) =>
      Array.from({ length: offset[pool] }, (_, i) => ({ pool, subnet: subnetAt(pool, i), subnet_index: i, ns_instance_id: holder, link_id: `${pool}-${i}`, allocated_at: now })),
    );
    for (let i = 0; i < rows.length; i += 1000) await store.db.insertInto('ip_allocations').values(rows.slice(i, i + 1000)).execute();
    c.worker.start();
  }, 120_000);

  afterAll(async () => {
    if (nsId) {
      const filters = { label: [`rondo.ns=${nsId}`] };
      for (const x of await docker.listContainers({ all: true, filters })) await docker.getContainer(x.Id).remove({ force: true });
      for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
    }
    await c?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Starts a task through the API (202 + Location) and returns the operation once it rests. */
  const task = async (path: string, payload: object) => {
    const r = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/${path}`, payload });
    expect(r.statusCode, r.body).toBe(202);
    const opId = String(r.headers.location).split('/').pop() as string;
    await deps.services.lifecycle.waitForOp(opId, { timeoutMs: 60_000 });
    return (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json();
  };
  const members = async (): Promise<Member[]> => {
    const ns = (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    return [...ns.vnfInstance, ...ns.sapInfo];
  };
  const member = async (id: string): Promise<Member> => (await members()).find((m) => m.memberId === id) ?? expect.unreachable(id);
  const computeOf = async (id: string): Promise<string> => (await store.db.selectFrom('vnf_instances').select('compute_ids').where('ns_instance_id', '=', nsId as string).where('member_id', '=', id).executeTakeFirstOrThrow()).compute_ids[0] as string;
  /** Whether a file exists in a container, running or not (`docker cp` reads stopped containers too). */
  const hasFile = (container: string, path: string): Promise<boolean> =>
    docker.getContainer(container).getArchive({ path }).then((s) => (s.resume(), true), (e: { statusCode?: number }) => (e.statusCode === 404 ? false : Promise.reject(e)));
  const until = async (what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> => {
    for (const end = Date.now() + ms; !(await check()); await new Promise((r) => setTimeout(r, 100))) if (Date.now() > end) throw new Error(`${what}: not true after ${ms} ms`);
  };

  it('a killed firewall is healed through the API with the same addresses; then stopped and started again, traffic passing', async () => {
    const pkg = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/tango-chain', pkg);
    expect((await app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'docker', endpoint: 'unix:///var/run/docker.sock' } })).statusCode).toBe(201);
    const onboarded = await app.inject({ method: 'POST', url: '/packages', payload: await readFile(pkg), headers: { 'content-type': 'application/octet-stream' } });
    expect(onboarded.statusCode, onboarded.body).toBe(201);
    const created = await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: onboarded.json().service_uuid, nsName: 'day2' } });
    nsId = created.json().id as string;
    const inst = await task('instantiate', { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } });
    expect(inst.operationState, JSON.stringify(inst.error)).toBe('COMPLETED');

    const driver = deps.services.vimRegistry?.get('dc1') as VimDriver;
    const addr = async (id: string, cp: string) => (await member(id)).interfaces.find((i) => i.cp === cp)?.address ?? expect.unreachable(`${id}:${cp}`);
    const ingress = await computeOf('input');
    const egress = await addr('output', 'output');
    const path = [await addr('client', 'input'), await addr('firewall', 'input'), await addr('server', 'input'), egress];
    const hops = async (): Promise<string[]> => {
      const trace = await driver.exec(ingress, ['traceroute', '-n', '-q', '1', '-w', '2', '-m', '6', egress]);
      return trace.stdout.split('\n').flatMap((l) => /^\s*\d+\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.slice(1, 2) ?? []);
    };
    const ping = async (): Promise<number> => (await driver.exec(ingress, ['ping', '-c', '1', '-W', '1', egress])).exitCode;
    expect(await hops()).toEqual(path);

    // docker kill: the chain no longer passes traffic.
    const fw = await member('firewall');
    const killed = await computeOf('firewall');
    const endpoints = async (id: string) =>
      Object.entries((await docker.getContainer(id).inspect()).NetworkSettings.Networks).map(([net, ep]) => [net, ep.IPAMConfig?.IPv4Address || ep.IPAddress, ep.MacAddress]).sort();
    const before = await endpoints(killed);
    await docker.getContainer(killed).kill();
    await until('the firewall to be dead', async () => !(await docker.getContainer(killed).inspect()).State.Running);
    expect(await ping()).not.toBe(0);

    // Heal through the API: a new container with the same addresses and MACs, routes and start command again.
    const heal = await task('heal', { healVnfData: [{ vnfInstanceId: fw.id, cause: 'docker kill' }] });
    expect(heal, JSON.stringify(heal.error)).toMatchObject({ lcmOperationType: 'HEAL', operationState: 'COMPLETED' });
    expect(heal.steps.map((s: { kind: string }) => s.kind)).toEqual(['compute', 'route', 'start']);
    const healed = await computeOf('firewall');
    expect(healed).not.toBe(killed);
    await expect(docker.getContainer(killed).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await docker.getContainer(healed).inspect()).State.Running).toBe(true);
    expect(await endpoints(healed)).toEqual(before);
    expect((await member('firewall')).interfaces).toEqual(fw.interfaces);
    await until('the start command of the healed firewall', () => hasFile(healed, '/tmp/started'));
    expect(await hops()).toEqual(path);
    expect(await ping()).toBe(0);

    // OPERATE_VNF stop: the stop command runs (it removes /tmp/started), then the container stops and stays.
    const stop = await task('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 5 }] });
    expect(stop, JSON.stringify(stop.error)).toMatchObject({ lcmOperationType: 'UPDATE', operationState: 'COMPLETED' });
    const stopStep = (await deps.services.lifecycle.listSteps(stop.id)).find((s) => s.kind === 'stop');
    expect(stopStep?.result).toEqual({ outcomes: [{ command: 'rm -f /tmp/started', exitCode: 0 }] });
    const down = await docker.getContainer(healed).inspect();
    expect(down.State.Running).toBe(false);
    expect(await hasFile(healed, '/tmp/started')).toBe(false);
    expect((await member('firewall')).instantiatedVnfInfo?.vnfState).toBe('STOPPED');
    expect(await ping()).not.toBe(0);

    // OPERATE_VNF start: the same container runs again, its start command ran, the chain passes traffic.
    const start = await task('update', { updateType: 'OPERATE_VNF', operateVnfData: [{ vnfInstanceId: fw.id, changeStateTo: 'STARTED' }] });
    expect(start, JSON.stringify(start.error)).toMatchObject({ operationState: 'COMPLETED' });
    expect(await computeOf('firewall')).toBe(healed);
    expect((await docker.getContainer(healed).inspect()).State.Running).toBe(true);
    expect(await endpoints(healed)).toEqual(before);
    await until('the start command after the start', () => hasFile(healed, '/tmp/started'));
    expect((await member('firewall')).instantiatedVnfInfo?.vnfState).toBe('STARTED');
    expect(await hops()).toEqual(path);
    expect(await ping()).toBe(0);

    const term = await task('terminate', {});
    expect(term.operationState).toBe('COMPLETED');
    const filters = { label: [`rondo.ns=${nsId}`] };
    expect([(await docker.listContainers({ all: true, filters })).length, (await docker.listNetworks({ filters })).length]).toEqual([0, 0]);
  }, 120_000);

  it('SCALE_OUT adds a second firewall that traffic crosses (counted per instance); SCALE_IN leaves no container, address or route of it', async () => {
    // A fresh NS of the package the first case on-boarded (its NS is terminated).
    const nsd = (await app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json()[0].id as string;
    nsId = (await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: nsd, nsName: 'scale' } })).json().id as string;
    const inst = await task('instantiate', { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } });
    expect(inst.operationState, JSON.stringify(inst.error)).toBe('COMPLETED');
    const driver = deps.services.vimRegistry?.get('dc1') as VimDriver;
    const fw = await member('firewall');
    const addr = async (id: string, cp: string) => (await member(id)).interfaces.filter((i) => i.cp === cp).map((i) => i.address);
    const [sink] = await addr('output', 'output') as [string];
    // A second sink on the egress LAN (it is a LAN for that): an address in the next /28
    // block, which the spread route sends through the second instance.
    const prefix = sink.split('.').slice(0, 3).join('.');
    const sink2 = `${prefix}.20`;
    const egressSap = await computeOf('output');
    const egressIf = (await member('output')).interfaces[0] as { ifName?: string };
    expect((await driver.exec(egressSap, ['ip', 'addr', 'add', `${sink2}/24`, 'dev', egressIf.ifName ?? 'eth0'])).exitCode).toBe(0);
    const ingress = await computeOf('input');
    const hop2 = async (to: string): Promise<string[]> => {
      const trace = await driver.exec(ingress, ['traceroute', '-n', '-q', '1', '-w', '2', '-m', '6', to]);
      return trace.stdout.split('\n').flatMap((l) => /^\s*\d+\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.slice(1, 2) ?? []);
    };

    const out = await task('scale', { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: fw.id, scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'vdu01', numberOfSteps: 1 } }] });
    expect(out, JSON.stringify(out.error)).toMatchObject({ lcmOperationType: 'SCALE', operationState: 'COMPLETED' });
    const view = (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json().vnfInstance.find((v: Member) => v.memberId === 'firewall');
    expect(view.instantiatedVnfInfo.scaleStatus).toEqual([{ aspectId: 'vdu01', scaleLevel: 1 }]);
    const vnfcs = view.instantiatedVnfInfo.vnfcResourceInfo as { vduId: string; computeResource: { resourceId: string }; metadata: { name: string } }[];
    expect(vnfcs.map((v) => v.vduId)).toEqual(['vdu01', 'vdu01']);
    const [first, second] = vnfcs.map((v) => v.metadata.name) as [string, string];
    expect(second).toBe(`${first}-vdu01-1`);
    expect((await docker.getContainer(second).inspect()).State.Running).toBe(true);
    await until('the start command of the new firewall', () => hasFile(second, '/tmp/started'));
    const inputs = await addr('firewall', 'input');
    const outputs = await addr('firewall', 'output');
    expect(inputs).toHaveLength(2);
    const [client] = await addr('client', 'input');
    const [server] = await addr('server', 'input');
    // Each sink is reached through its own firewall instance (traceroute names it), both ways.
    expect(await hop2(sink)).toEqual([client, inputs[0], server, sink]);
    expect(await hop2(sink2)).toEqual([client, inputs[1], server, sink2]);
    // Packets counted on each instance's input interface: pings to both sinks cross both.
    const rx = async (container: string): Promise<number> => {
      const dev = (await driver.exec(container, ['cat', '/proc/net/dev'])).stdout;
      return dev.split('\n').filter((l) => /^\s*eth\d+:/.test(l)).reduce((sum, l) => sum + Number(l.split(':')[1]?.trim().split(/\s+/)[1] ?? 0), 0);
    };
    const before = [await rx(first), await rx(second)];
    for (const to of [sink, sink2]) expect((await driver.exec(ingress, ['ping', '-c', '5', '-i', '0.2', '-W', '1', to])).exitCode).toBe(0);
    const forwarded = [(await rx(first)) - (before[0] as number), (await rx(second)) - (before[1] as number)];
    for (const n of forwarded) expect(n).toBeGreaterThanOrEqual(5);

    const back = await task('scale', { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: fw.id, scaleVnfType: 'SCALE_IN', scaleByStepData: { aspectId: 'vdu01' } }] });
    expect(back, JSON.stringify(back.error)).toMatchObject({ lcmOperationType: 'SCALE', operationState: 'COMPLETED' });
    // Its stop command ran before it went; no container, address or route of it is left.
    const stop = (await deps.services.lifecycle.listSteps(back.id)).find((x) => x.kind === 'stop');
    expect(stop?.result).toEqual({ outcomes: [{ command: 'rm -f /tmp/started', exitCode: 0 }] });
    await expect(docker.getContainer(second).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await addr('firewall', 'input')).toEqual([inputs[0]]);
    expect(await addr('firewall', 'output')).toEqual([outputs[0]]);
    const gone = [inputs[1], outputs[1]] as string[];
    for (const m of ['client', 'server', 'input', 'output']) {
      const routes = (await driver.exec(await computeOf(m), ['ip', 'route'])).stdout;
      for (const a of gone) expect(routes, `${m}: ${routes}`).not.toContain(a);
      expect(routes, m).not.toMatch(/\/28 /);
    }
    for (const n of await docker.listNetworks({ filters: { label: [`rondo.ns=${nsId}`] } })) {
      const attached = Object.values((await docker.getNetwork(n.Id).inspect()).Containers ?? {}).map((x) => (x as { IPv4Address: string }).IPv4Address.split('/')[0]);
      for (const a of gone) expect(attached).not.toContain(a);
    }
    expect(await hop2(sink2)).toEqual([client, inputs[0], server, sink2]);

    const term = await task('terminate', {});
    expect(term.operationState).toBe('COMPLETED');
    const filters = { label: [`rondo.ns=${nsId}`] };
    expect([(await docker.listContainers({ all: true, filters })).length, (await docker.listNetworks({ filters })).length]).toEqual([0, 0]);
  }, 120_000);
});
