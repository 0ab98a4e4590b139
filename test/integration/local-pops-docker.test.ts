/**
 * `rondo serve` with `RONDO_LOCAL_POPS=2` (engines mode): dc1 is the default engine, dc2 a
 * Docker engine of its own that serve starts (own socket, data root, bridge), builds the
 * VNF images in and registers as its own PoP. An NS placed on dc2 runs on that engine
 * only: its containers are not on the default engine. Closing serve stops the engine it
 * started. The test removes the engine (data, bridge) afterwards.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startServer } from '../../src/app/index.js';
import type { RunningServer } from '../../src/app/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { localPopEngine } from '../../src/vim/docker/local-pop.js';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const MEMBERS = ['client', 'firewall', 'server', 'mgmt', 'input', 'output'];

describe('rondo serve with RONDO_LOCAL_POPS=2: dc2 on a Docker engine of its own', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let nsId: string | undefined;
  const { engine } = localPopEngine('dc2');
  let runningBefore = false;

  beforeAll(async () => {
    try {
      await docker.ping();
    } catch (e) {
      throw new Error(`Docker is required for this test and does not answer on /var/run/docker.sock: ${String(e)}`);
    }
    if (process.getuid?.() !== 0) throw new Error('this test starts a Docker engine: run it as root');
    runningBefore = engine.pid !== null && (await engine.answers());
    dir = await mkdtemp(join(tmpdir(), 'rondo-local-pops-'));
    const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1', RONDO_LOCAL_POPS: '2' }, { dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', logLevel: 'warn' });
    expect(config).toMatchObject({ popMode: 'engines', localPops: 2 });
    server = await startServer(config);
  });

  afterAll(async () => {
    if (nsId && engine.pid !== null) {
      const client = engine.client;
      const filters = { label: [`rondo.ns=${nsId}`] };
      for (const x of await client.listContainers({ all: true, filters }).catch(() => [])) await client.getContainer(x.Id).remove({ force: true });
      for (const n of await client.listNetworks({ filters }).catch(() => [])) await client.getNetwork(n.Id).remove();
    }
    await server?.close();
    // An engine a user had running stays; the one this test made goes, with its data and bridge.
    if (!runningBefore) await engine.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers dc1 on the default engine and dc2 on its own engine, and runs an NS placed on dc2 there only', async () => {
    const s = server as RunningServer;
    const app = s.app;
    expect(s.localPops?.registered).toEqual(['dc1', 'dc2']);
    expect(runningBefore ? s.localPops?.reused : s.localPops?.started).toEqual(['dc2']);
    const vims = (await app.inject({ method: 'GET', url: '/admin/v1/vims' })).json() as { id: string; endpoint: string }[];
    expect(Object.fromEntries(vims.map((v) => [v.id, v.endpoint]))).toEqual({ dc1: 'unix:///var/run/docker.sock', dc2: `unix://${engine.socket}` });
    // Its own engine: another daemon, another data root.
    const [own, shared] = await Promise.all([engine.client.info(), docker.info()]);
    expect(own.DockerRootDir).toBe(engine.dataRoot);
    expect(shared.DockerRootDir).not.toBe(own.DockerRootDir);
    expect(engine.pid).not.toBeNull();

    const pkg = join(dir, 'tango-chain.tgo');
    await buildPackage('examples/tango-chain', pkg);
    const onboarded = await app.inject({ method: 'POST', url: '/packages', payload: await readFile(pkg), headers: { 'content-type': 'application/octet-stream' } });
    expect(onboarded.statusCode, onboarded.body).toBe(201);
    const created = await app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId: onboarded.json().service_uuid, nsName: 'on-dc2' } });
    nsId = created.json().id as string;
    const pins = Object.fromEntries(MEMBERS.map((m) => [m, 'dc2']));
    const r = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop', pins } } });
    expect(r.statusCode, r.body).toBe(202);
    const op = await s.composition.services.lifecycle.waitForOp(String(r.headers.location).split('/').pop() as string, { timeoutMs: 120_000 });
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');

    const filters = { label: [`rondo.ns=${nsId}`] };
    const onDc2 = await engine.client.listContainers({ filters });
    expect(onDc2.map((c) => c.Labels['rondo.pop']).sort()).toEqual(MEMBERS.map(() => 'dc2'));
    expect(onDc2.length).toBe(MEMBERS.length);
    expect((await engine.client.listNetworks({ filters })).length).toBeGreaterThan(0);
    // Not visible on the default engine: separate daemons, not labels.
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    expect(await docker.listNetworks({ filters })).toEqual([]);
    // Traffic through the chain on dc2's engine.
    const ns = (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances/${nsId}` })).json();
    const saps = ns.sapInfo as { memberId: string; computeIds: string[]; interfaces: { cp: string; address: string }[] }[];
    const ingress = saps.find((m) => m.memberId === 'input')?.computeIds[0] ?? expect.unreachable('input SAP');
    const egress = saps.find((m) => m.memberId === 'output')?.interfaces.find((i) => i.cp === 'output')?.address ?? expect.unreachable('output SAP');
    expect(onDc2.map((c) => c.Id)).toContain(ingress);
    const ping = await s.composition.services.vimRegistry.get('dc2').exec(ingress, ['ping', '-c', '1', '-W', '2', egress]);
    expect(ping.exitCode, ping.stderr).toBe(0);

    const t = await app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/terminate`, payload: {} });
    expect(t.statusCode, t.body).toBe(202);
    expect((await s.composition.services.lifecycle.waitForOp(String(t.headers.location).split('/').pop() as string, { timeoutMs: 120_000 })).operationState).toBe('COMPLETED');
    expect(await engine.client.listContainers({ all: true, filters })).toEqual([]);
    expect(await engine.client.listNetworks({ filters })).toEqual([]);

    // serve stops the engine it started when it closes (and leaves one it reused).
    await s.close();
    server = undefined;
    if (runningBefore) expect(await engine.answers()).toBe(true);
    else expect(engine.pid).toBeNull();
  });
});
