/**
 * Auto-heal on real Docker (issue #16 item 5): the example chain runs on one PoP with the
 * firewall's auto-heal policy switched on through the API; `docker kill` of the firewall
 * makes Rondo start a HEAL operation by itself (`isAutomaticInvocation: true`), which
 * completes, and the chain passes traffic again through a new container with the same
 * addresses and MACs (traceroute from the ingress SAP crosses client, firewall, server).
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
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { subnetAt } from '../../src/ipam/index.js';
import type { VimDriver } from '../../src/vim/index.js';
import type { Store } from '../../src/store/index.js';
import type { PolicyEvent } from '../../src/monitoring/index.js';
import { openTestStore } from '../support/store.js';

const run = promisify(execFile);
const docker = new Docker();

interface Member { id: string; memberId: string; interfaces: { cp: string; address: string; macAddress?: string }[] }

describe('auto-heal of the example chain on Docker', () => {
  let dir: string;
  let store: Store;
  let c: Composition;
  let app: RondoApp;
  let nsId: string | undefined;

  beforeAll(async () => {
    // Fails loudly when Docker is absent; builds the busybox images when missing.
    await docker.ping();
    await run('bash', ['scripts/build-vnf-images.sh']);
    dir = await mkdtemp(join(tmpdir(), 'rondo-autoheal-docker-'));
    const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir: join(dir, 'data'), logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 300 });
    store = await openTestStore('postgres', 'auto-heal-docker.test.ts');
    c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250, role: 'all' });
    app = c.app as RondoApp;
    // Other runs may share the engine: start the IPAM at random offsets, as day2-docker.test.ts does.
    const holder = `reserved-${uuidGenerator.next()}`;
    const now = new Date();
    await store.db.insertInto('ns_instances').values({ id: holder, name: 'reserved', description: '', nsd_id: '-', nsd_info_id: '-', state: 'NOT_INSTANTIATED', tenant: 'test', created_at: now, updated_at: now }).execute();
    const offset = { sap: 500 + Math.floor(Math.random() * 7000), elan: 40 + Math.floor(Math.random() * 180), eline: 500 + Math.floor(Math.random() * 7000) } as const;
    const rows = (Object.keys(offset) as (keyof typeof offset)[]).flatMap((pool) =>
      Array.from({ length: offset[pool] }, (_, i) => ({ pool, subnet: subnetAt(pool, i), subnet_index: i, ns_instance_id: holder, link_id: `${pool}-${i}`, allocated_at: now })),
    );
    for (let i = 0; i < rows.length; i += 1000) await store.db.insertInto('ip_allocations').values(rows.slice(i, i + 1000)).execute();
    // Worker, watchers and the policy engine, as `rondo serve` runs them (no periodic reconciliation).
    await c.start({ reconciler: false });
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

  const lifecycle = () => c.services.lifecycle;
  const bus = () => c.services.monitoring.bus;
  const member = async (id: string): Promise<Member> => {
    const ns = (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    return ([...ns.vnfInstance, ...ns.sapInfo] as Member[]).find((m) => m.memberId === id) ?? expect.unreachable(id);
  };
  const computeOf = async (id: string): Promise<string> =>
    (await store.db.selectFrom('vnf_instances').select('compute_ids').where('ns_instance_id', '=', nsId as string).where('member_id', '=', id).executeTakeFirstOrThrow()).compute_ids[0] as string;

  it('docker kill of the firewall: a HEAL starts by itself, completes, and the chain passes traffic with the same addresses', async () => {
    const pkg = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/tango-chain', pkg);
    expect((await app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'dc1', type: 'docker', endpoint: 'unix:///var/run/docker.sock' } })).statusCode).toBe(201);
    const onboarded = await app.inject({ method: 'POST', url: '/packages', payload: await readFile(pkg), headers: { 'content-type': 'application/octet-stream' } });
    expect(onboarded.statusCode, onboarded.body).toBe(201);
    const created = await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: onboarded.json().service_uuid, nsName: 'autoheal' } });
    nsId = created.json().id as string;
    // The PoP is watched once its containers' starts are heard.
    const watched = new Promise<void>((resolve) => {
      const off = bus().subscribe('vnf.up', (e) => e.nsId === nsId && (off(), resolve()));
    });
    const r = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } } });
    expect(r.statusCode, r.body).toBe(202);
    expect((await lifecycle().waitForOp(String(r.headers.location).split('/').pop() as string, { timeoutMs: 60_000 })).operationState).toBe('COMPLETED');
    await watched;

    const set = await app.inject({ method: 'PUT', url: `/admin/v1/ns_instances/${nsId}/policies/firewall`, payload: { enabled: true, maxAttempts: 3, backoffSeconds: 5 } });
    expect(set.json()).toMatchObject({ id: 'auto-heal-firewall', enabled: true, source: 'OVERRIDE' });

    const driver = c.services.vimRegistry.get('dc1') as VimDriver;
    const addr = async (id: string, cp: string) => (await member(id)).interfaces.find((i) => i.cp === cp)?.address ?? expect.unreachable(`${id}:${cp}`);
    const ingress = await computeOf('input');
    const egress = await addr('output', 'output');
    const path = [await addr('client', 'input'), await addr('firewall', 'input'), await addr('server', 'input'), egress];
    const hops = async (): Promise<string[]> => {
      const trace = await driver.exec(ingress, ['traceroute', '-n', '-q', '1', '-w', '2', '-m', '6', egress]);
      return trace.stdout.split('\n').flatMap((l) => /^\s*\d+\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.slice(1, 2) ?? []);
    };
    expect(await hops()).toEqual(path);

    const fw = await member('firewall');
    const killed = await computeOf('firewall');
    const endpoints = async (id: string) =>
      Object.entries((await docker.getContainer(id).inspect()).NetworkSettings.Networks).map(([net, ep]) => [net, ep.IPAMConfig?.IPv4Address || ep.IPAddress, ep.MacAddress]).sort();
    const before = await endpoints(killed);
    const fired = new Promise<PolicyEvent>((resolve) => {
      const off = bus().subscribe('policy.fired', (e) => e.nsInstanceId === nsId && (off(), resolve(e)));
    });
    await docker.getContainer(killed).kill();

    // Nobody asks: the policy starts a HEAL, the worker carries it out.
    const event = await fired;
    expect(event).toMatchObject({ policyId: 'auto-heal-firewall', vnfId: 'firewall', trigger: 'vnf.down', attempt: 1 });
    await lifecycle().waitForOp(event.opId as string, { timeoutMs: 60_000 });
    const op = (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${event.opId}` })).json();
    expect(op, JSON.stringify(op.error)).toMatchObject({ lcmOperationType: 'HEAL', operationState: 'COMPLETED', isAutomaticInvocation: true });
    expect(op.operationParams.healVnfData[0]).toMatchObject({ vnfInstanceId: fw.id });

    const healed = await computeOf('firewall');
    expect(healed).not.toBe(killed);
    expect((await docker.getContainer(healed).inspect()).State.Running).toBe(true);
    expect(await endpoints(healed)).toEqual(before);
    expect((await member('firewall')).interfaces).toEqual(fw.interfaces);
    expect(await hops()).toEqual(path);
    expect((await driver.exec(ingress, ['ping', '-c', '1', '-W', '1', egress])).exitCode).toBe(0);
    // One heal only, however many events the death made.
    const heals = (await lifecycle().listOps({ nsInstanceId: nsId })).filter((o) => o.lcmOperationType === 'HEAL');
    expect(heals.map((o) => o.id)).toEqual([event.opId]);

    const t = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, payload: {} });
    expect((await lifecycle().waitForOp(String(t.headers.location).split('/').pop() as string, { timeoutMs: 60_000 })).operationState).toBe('COMPLETED');
    const filters = { label: [`rondo.ns=${nsId}`] };
    expect([(await docker.listContainers({ all: true, filters })).length, (await docker.listNetworks({ filters })).length]).toEqual([0, 0]);
  }, 120_000);
});
