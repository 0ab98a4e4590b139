import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { ConfigOverrides } from '../../src/config/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { Vnfd } from '../../src/model/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { compose } from '../../src/app/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { cpuCfs } from '../../src/vim/docker/docker-compute-spec.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore } from '../support/store.js';
import { reserveSubnets } from '../support/subnet-offset.js';
import type { StoreKind } from '../support/store.js';

const run = promisify(execFile);
const docker = new Docker();
const SOCKET = 'unix:///var/run/docker.sock';

interface DockerApp {
  readonly app: RondoApp;
  readonly store: Store;
  readonly deps: AppDeps;
  close(): Promise<void>;
}

/**
 * The real app with random ids (VIM resource names derive from them, and other test files
 * share this Docker engine) and the worker running.
 */
async function openDockerApp(kind: StoreKind, key: string, overrides: ConfigOverrides = {}): Promise<DockerApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-chain-'));
  const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir, logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 300, ...overrides });
  const store = await openTestStore(kind, key);
  const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250 });
  await reserveSubnets(store);
  c.worker.start();
  return {
    app: c.app as RondoApp, store, deps: c.deps,
    close: async () => {
      await c.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}


async function addPop(t: DockerApp, name: string, endpoint = SOCKET, capacity?: { cpu: number; memoryMiB: number }, check = true): Promise<void> {
  const r = await t.app.inject({ method: 'POST', url: `/admin/v1/vims${check ? '' : '?check=false'}`, payload: { name, type: 'docker', endpoint, ...(capacity ? { capacity } : {}) } });
  expect(r.statusCode, r.body).toBe(201);
}

async function onboard(t: DockerApp, file: string): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(file), headers: { 'content-type': 'application/octet-stream' } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().service_uuid;
}

async function createNs(t: DockerApp, nsdId: string, nsName: string): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

/** Starts an operation through the API and waits (on the notifier, with a timeout) until it rests. */
async function runOp(t: DockerApp, url: string, payload: unknown = {}, timeoutMs = 120_000) {
  const r = await t.app.inject({ method: 'POST', url, payload: payload as object });
  expect(r.statusCode, r.body).toBe(202);
  const opId = String(r.headers.location).split('/').pop() as string;
  await t.deps.services.lifecycle.waitForOp(opId, { timeoutMs });
  return (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json();
}

/** Polls a condition until it holds; fails after `timeoutMs`. */
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not true after ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Removes what a failed test left labelled with `nsId` (so a red run does not leak). */
async function sweep(nsId: string): Promise<void> {
  const filters = { label: [`rondo.ns=${nsId}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
}

/** Containers and networks on the engine labelled with the NS id. */
async function leftovers(nsId: string): Promise<{ containers: number; networks: number }> {
  const filters = { label: [`rondo.ns=${nsId}`] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return { containers: containers.length, networks: networks.length };
}

let dir: string;
let chainFile: string;
let badImageFile: string;
beforeAll(async () => {
  // Fails loudly when Docker is absent; builds the busybox images when missing.
  await docker.ping();
  await run('bash', ['scripts/build-vnf-images.sh']);
  dir = await mkdtemp(join(tmpdir(), 'rondo-chain-pkg-'));
  chainFile = join(dir, 'tango-chain.tgo');
  await buildPackage('examples/tango-chain', chainFile);
  // The same chain with a firewall image that does not exist on the engine.
  const bad = join(dir, 'bad-image');
  await cp('examples/tango-chain', bad, { recursive: true });
  const fw = join(bad, 'Definitions/vnfd-firewall.yaml');
  await writeFile(fw, (await readFile(fw, 'utf8')).replace('vnf/busybox:latest', 'vnf/no-such-image:latest'));
  badImageFile = join(dir, 'bad-image.tgo');
  await buildPackage(bad, badImageFile);
}, 120_000);
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

describe('the tango chain on two PoPs of the local Docker engine', () => {
  let t: DockerApp;
  let nsId: string | undefined;
  beforeAll(async () => {
    t = await openDockerApp('postgres', 'chain-docker.test.ts');
    await addPop(t, 'dc1');
    await addPop(t, 'dc2');
  }, 60_000);
  afterAll(async () => t?.close());

  it('instantiates across dc1/dc2, and traffic crosses client, firewall and server in order', async () => {
    const nsdId = await onboard(t, chainFile);
    nsId = await createNs(t, nsdId, 'chain');
    const op = await runOp(t, `/nslcm/v1/ns_instances/${nsId}/instantiate`, { nsFlavourId: 'default', additionalParamsForNs: { placement: 'round-robin-with-saps' } });
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');

    const ns = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    const members = [...ns.vnfInstance, ...ns.sapInfo] as { memberId: string; popId: string; interfaces: { cp: string; linkId: string; address: string }[] }[];
    const m = (id: string) => members.find((x) => x.memberId === id) ?? expect.unreachable(`member ${id}`);
    expect(new Set(members.map((x) => x.popId))).toEqual(new Set(['dc1', 'dc2']));
    const addr = (id: string, cp: string) => m(id).interfaces.find((i) => i.cp === cp)?.address ?? expect.unreachable(`${id}:${cp}`);

    // Records: PoP, container ids and addresses of every member, matching the engine.
    const rows = await t.store.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', '=', nsId).execute();
    expect(rows.map((r) => r.member_id).sort()).toEqual(['client', 'firewall', 'input', 'mgmt', 'output', 'server']);
    for (const r of rows) {
      expect(r.pop_id).toMatch(/^dc[12]$/);
      expect(r.compute_ids).toHaveLength(1);
      const info = await docker.getContainer(r.compute_ids[0] as string).inspect();
      expect(info.State.Running).toBe(true);
      expect(info.Config.Labels).toMatchObject({ 'rondo.ns': nsId, 'rondo.pop': r.pop_id });
      const onEngine = Object.values(info.NetworkSettings.Networks).map((n) => n.IPAMConfig?.IPv4Address ?? n.IPAddress).sort();
      expect(onEngine).toEqual((r.interfaces as { address: string }[]).map((i) => i.address).sort());
    }

    // Limits of the VNFDs, and the start commands ran (their effect file exists).
    const vnfds = await t.store.db.selectFrom('vnfds').select(['name', 'descriptor']).execute();
    for (const vnf of ['client', 'firewall', 'server']) {
      const vdu = (vnfds.find((v) => v.name === `vnf-${vnf}`)?.descriptor as Vnfd).vdus[0];
      const row = rows.find((r) => r.member_id === vnf);
      const info = await docker.getContainer(row?.compute_ids[0] as string).inspect();
      expect(info.HostConfig.Memory).toBe(Math.round((vdu?.memoryMiB ?? 0) * 1024 * 1024));
      expect({ CpuPeriod: info.HostConfig.CpuPeriod, CpuQuota: info.HostConfig.CpuQuota }).toEqual(cpuCfs(vdu?.cpuBw));
      // Start commands run detached (daemons): wait for their effect, with a timeout.
      const d = t.deps.services.vimRegistry?.get(row?.pop_id as string);
      await waitFor(async () => (await d?.exec(row?.compute_ids[0] as string, ['cat', '/tmp/started']))?.stdout.trim() === 'started', `${vnf} start command`);
    }

    // traceroute from the ingress SAP to the egress SAP: one hop per VNF, in chain order.
    const ingress = rows.find((r) => r.member_id === 'input');
    const driver = t.deps.services.vimRegistry?.get(ingress?.pop_id as string);
    const egress = addr('output', 'output');
    const trace = await driver?.exec(ingress?.compute_ids[0] as string, ['traceroute', '-n', '-q', '1', '-w', '2', '-m', '8', egress]);
    const hops = (trace?.stdout ?? '').split('\n').flatMap((l) => /^\s*\d+\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.slice(1, 2) ?? []);
    expect(hops, trace?.stdout).toEqual([addr('client', 'input'), addr('firewall', 'input'), addr('server', 'input'), egress]);
    const ping = await driver?.exec(ingress?.compute_ids[0] as string, ['ping', '-c', '2', '-W', '2', egress]);
    expect(ping?.exitCode, ping?.stdout).toBe(0);

    // Terminate: nothing labelled with the NS is left, subnets are released.
    const term = await runOp(t, `/nslcm/v1/ns_instances/${nsId}/terminate`);
    expect(term.operationState).toBe('COMPLETED');
    expect(await leftovers(nsId)).toEqual({ containers: 0, networks: 0 });
    const held = await sql<{ n: number }>`select count(*)::int as n from ip_allocations where ns_instance_id = ${nsId}`.execute(t.store.db);
    expect(held.rows[0]?.n).toBe(0);
    expect((await t.app.inject({ method: 'DELETE', url: `/nslcm/v1/ns_instances/${nsId}` })).statusCode).toBe(204);
  }, 240_000);

  afterEach(async () => {
    if (!nsId) return;
    const left = await leftovers(nsId);
    await sweep(nsId);
    expect(left).toEqual({ containers: 0, networks: 0 });
  });
});

describe('failures on Docker leave nothing behind', () => {
  let t: DockerApp | undefined;
  let created: string[] = [];
  const sweepLater = async (nsId: string) => void created.push(nsId);
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const id of created) await sweep(id);
    created = [];
  });

  it('a missing image fails the compute step, then rolls back to nothing', async () => {
    t = await openDockerApp('pglite', 'chain-docker-bad-image');
    await addPop(t, 'dc1');
    await addPop(t, 'dc2');
    const nsId = await createNs(t, await onboard(t, badImageFile), 'bad-image');
    const op = await runOp(t, `/nslcm/v1/ns_instances/${nsId}/instantiate`, { additionalParamsForNs: { placement: 'round-robin-with-saps' } });
    await sweepLater(nsId);
    expect(op.operationState, JSON.stringify(op.error)).toBe('ROLLED_BACK');
    expect(op.error).toMatchObject({ code: 'VIM_NOT_FOUND', status: 502, vimKind: 'NOT_FOUND', step: { kind: 'compute' } });
    expect(op.error.detail).toMatch(/firewall/);
    expect(op.steps.find((s: { state: string; kind: string }) => s.kind === 'compute' && s.state === 'FAILED')).toBeUndefined();
    expect(await leftovers(nsId)).toEqual({ containers: 0, networks: 0 });
  }, 180_000);

  it('a PoP without capacity answers 409 PLACEMENT_NO_CAPACITY before any VIM call', async () => {
    t = await openDockerApp('pglite', 'chain-docker-capacity');
    await addPop(t, 'dc1', SOCKET, { cpu: 0.1, memoryMiB: 32 });
    const nsId = await createNs(t, await onboard(t, chainFile), 'too-big');
    await sweepLater(nsId);
    // Only the capacity-aware strategy weighs capacity (the 5GTANGO ones do not).
    const r = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { additionalParamsForNs: { placement: 'capacity-aware' } } });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe('PLACEMENT_NO_CAPACITY');
    expect((await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_lcm_op_occs' })).json()).toEqual([]);
    expect(await leftovers(nsId)).toEqual({ containers: 0, networks: 0 });
  }, 60_000);

  it('an unreachable engine fails with a clear error naming the step, and leaves nothing', async () => {
    t = await openDockerApp('pglite', 'chain-docker-unreachable', { stepDeadlineSeconds: 10 });
    const refused = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'gone', type: 'docker', endpoint: 'tcp://127.0.0.1:1' } });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().code).toBe('VIM_CONNECTION');
    await addPop(t, 'gone', 'tcp://127.0.0.1:1', undefined, false);
    const nsId = await createNs(t, await onboard(t, chainFile), 'unreachable');
    await sweepLater(nsId);
    const op = await runOp(t, `/nslcm/v1/ns_instances/${nsId}/instantiate`, {});
    expect(['ROLLED_BACK', 'FAILED_TEMP'], JSON.stringify(op, null, 1)).toContain(op.operationState);
    // With auto-rollback the sweep of the unreachable PoP fails too; the step error is kept.
    const stepError = op.error.step ? op.error : op.error.originalError;
    expect(stepError).toMatchObject({ code: expect.stringMatching(/^VIM_(CONNECTION|TIMEOUT)$/), step: { popId: 'gone', kind: 'network' } });
    expect(stepError.detail).toMatch(/step \d+ \(network .+\) on PoP gone failed: .*ECONNREFUSED/);
    expect(op.steps.filter((s: { state: string }) => s.state === 'DONE')).toEqual([]);
    expect(await leftovers(nsId)).toEqual({ containers: 0, networks: 0 });
  }, 120_000);
});
