/**
 * SONATA-style specific managers on the real Docker engine, RabbitMQ (with its management
 * API) and PGlite: the example package examples/tango-chain-managers names a placement
 * SSM (firewall on dc2) and a firewall FSM (writes /etc/firewall.conf into the firewall on
 * start through Rondo's mediated exec). Rondo starts both as containers from local images
 * (scripts/build-manager-images.sh), each with a broker user of its own; the SSM's
 * placement is used, the FSM's file is in the firewall, the SSM is told (configure SSM)
 * once every VNF runs, traffic crosses the chain; the
 * manager's credentials are refused on another NS's topic (ACCESS_REFUSED from the
 * broker); the SSM as monitoring SSM hears the killed firewall's VNF_DOWN alarm and asks the
 * HEAL that heals it (an automatic operation; the NS's own auto-heal disabled); the FSM is
 * told `scale` after a SCALE_OUT of the firewall; TERMINATE
 * asks the FSM `stop` for the firewall while it still runs; after it no manager container, broker user or queue of the NS is left.
 * A manager killed while it handles a request fails the operation (MANAGER_FAILED naming
 * it), which rolls back to nothing: it never hangs.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { createRabbitAdmin, managerBrokerNames } from '../../src/plugins/index.js';
import type { Store } from '../../src/store/index.js';
import { deleteAmqpPrefix, TEST_AMQP_URL } from '../support/amqp.js';
import { openTestStore } from '../support/store.js';
import { reserveSubnets } from '../support/subnet-offset.js';

const run = promisify(execFile);
const docker = new Docker();
const SOCKET = 'unix:///var/run/docker.sock';
const MANAGEMENT_URL = process.env.TEST_AMQP_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';
const admin = createRabbitAdmin({ url: MANAGEMENT_URL });

interface Rondo {
  readonly c: Composition;
  readonly store: Store;
  close(): Promise<void>;
}

async function openRondo(prefix: string, key: string): Promise<Rondo> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-mgr-'));
  const config = loadConfig({ RONDO_INSECURE_NO_AUTH: '1' }, { dataDir, logLevel: 'silent', stepDeadlineSeconds: 60, opDeadlineSeconds: 300, amqpUrl: TEST_AMQP_URL, amqpPrefix: prefix });
  const store = await openTestStore('pglite', key);
  const c = await compose({ config, store, clock: systemClock, ids: uuidGenerator, env: {}, workerPollMs: 250, plugins: { heartbeatIntervalMs: 1000, managerRegisterTimeoutMs: 30_000, managerRequestTimeoutMs: 30_000 } });
  await reserveSubnets(store);
  await c.start({ reconciler: false, monitoring: false });
  return {
    c, store,
    close: async () => {
      await c.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}


const app = (r: Rondo) => r.c.app ?? expect.unreachable('no app');

async function addPop(r: Rondo, name: string): Promise<void> {
  const res = await app(r).inject({ method: 'POST', url: '/admin/v1/vims', payload: { name, type: 'docker', endpoint: SOCKET } });
  expect(res.statusCode, res.body).toBe(201);
}

async function onboard(r: Rondo, file: string): Promise<string> {
  const res = await app(r).inject({ method: 'POST', url: '/packages', payload: await readFile(file), headers: { 'content-type': 'application/octet-stream' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().service_uuid;
}

async function createNs(r: Rondo, nsdId: string, nsName: string): Promise<string> {
  const res = await app(r).inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function startOp(r: Rondo, url: string, payload: object = {}): Promise<string> {
  const res = await app(r).inject({ method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(202);
  return String(res.headers.location).split('/').pop() as string;
}

async function finishOp(r: Rondo, opId: string, timeoutMs = 180_000) {
  await r.c.services.lifecycle.waitForOp(opId, { timeoutMs });
  return (await app(r).inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json();
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not true after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

const managerContainers = (nsId: string) => docker.listContainers({ all: true, filters: { label: [`rondo.manager.ns=${nsId}`] } });
const nsContainers = (nsId: string) => docker.listContainers({ all: true, filters: { label: [`rondo.ns=${nsId}`] } });

/** What the NS left: manager containers, VNF containers and networks, broker users and queues. */
async function leftovers(prefix: string, nsId: string) {
  const [managers, vnfs, networks] = await Promise.all([managerContainers(nsId), nsContainers(nsId), docker.listNetworks({ filters: { label: [`rondo.ns=${nsId}`] } })]);
  const users: string[] = [];
  for (const id of ['ssm-placement', 'fsm-firewall']) {
    const { user } = managerBrokerNames(prefix, nsId, id);
    if (await admin.userExists(user)) users.push(user);
  }
  return { managers: managers.length, vnfs: vnfs.length, networks: networks.length, users, queues: await admin.queuesStartingWith(`${prefix}.mgr.${nsId}`) };
}
const NOTHING = { managers: 0, vnfs: 0, networks: 0, users: [], queues: [] };

/** Removes what a failed test left (so a red run does not leak). */
async function sweep(prefix: string, nsId: string): Promise<void> {
  for (const c of [...(await managerContainers(nsId)), ...(await nsContainers(nsId))]) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters: { label: [`rondo.ns=${nsId}`] } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const id of ['ssm-placement', 'fsm-firewall']) await admin.deleteUser(managerBrokerNames(prefix, nsId, id).user).catch(() => undefined);
  for (const q of await admin.queuesStartingWith(`${prefix}.mgr.${nsId}`).catch(() => [])) await admin.deleteQueue(q).catch(() => undefined);
}

/** The env a container was started with. */
async function envOf(containerId: string): Promise<Record<string, string>> {
  const info = await docker.getContainer(containerId).inspect();
  return Object.fromEntries((info.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Publishes with a manager's own credentials on a confirm channel; resolves with the broker's verdict. */
async function publishAs(url: string, exchange: string, routingKey: string): Promise<'ok' | string> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    const closed = new Promise<string>((res) => ch.once('error', (e: Error) => res(e.message)));
    const sent = new Promise<string>((res) => ch.publish(exchange, routingKey, Buffer.from('{}'), {}, (err) => res(err ? String(err) : 'ok')));
    const verdict = await Promise.race([closed, sent.then(async (v) => (v === 'ok' ? v : await closed))]);
    await ch.close().catch(() => undefined);
    return verdict;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

let dir: string;
let packageFile: string;
let hangingFile: string;
beforeAll(async () => {
  // Fails loudly without Docker or the broker's management API.
  await docker.ping();
  await admin.queuesStartingWith('none');
  await run('bash', ['scripts/build-vnf-images.sh']);
  await run('bash', ['scripts/build-manager-images.sh'], { timeout: 180_000 });
  dir = await mkdtemp(join(tmpdir(), 'rondo-mgr-pkg-'));
  packageFile = join(dir, 'chain-managers.tgo');
  await buildPackage('examples/tango-chain-managers', packageFile);
  // The same package whose FSM takes the start request and never answers.
  const hanging = join(dir, 'hanging');
  await cp('examples/tango-chain-managers', hanging, { recursive: true });
  // Version 0.2 of everything: one Rondo holds both packages.
  for (const f of ['TOSCA-Metadata/NAPD.yaml', 'Definitions/nsd.yaml', 'Definitions/vnfd-client.yaml', 'Definitions/vnfd-firewall.yaml', 'Definitions/vnfd-server.yaml']) {
    const file = join(hanging, f);
    let text = (await readFile(file, 'utf8')).replaceAll('"0.1"', '"0.2"');
    if (f.endsWith('vnfd-firewall.yaml')) text = text.replace('value: "/etc/firewall.conf"', 'value: "/etc/firewall.conf"\n      - key: "hang"\n        value: "true"');
    await writeFile(file, text);
  }
  hangingFile = join(dir, 'hanging.tgo');
  await buildPackage(hanging, hangingFile);
}, 240_000);
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

describe('specific managers as containers', () => {
  const prefix = `rondo-mgrt-${randomUUID().slice(0, 8)}`;
  let r: Rondo;
  const made: string[] = [];
  beforeAll(async () => {
    r = await openRondo(prefix, `managers-docker-${prefix}`);
    await addPop(r, 'dc1');
    await addPop(r, 'dc2');
  }, 60_000);
  afterEach(async () => {
    for (const ns of made.splice(0)) await sweep(prefix, ns);
  });
  afterAll(async () => {
    await r?.close();
    const queues = await admin.queuesStartingWith(`${prefix}.`);
    await deleteAmqpPrefix(prefix, queues);
  });

  it('runs the SSM and the FSM of the package: placement used, config file in the firewall, traffic crosses, own-NS permissions; terminate leaves nothing', async () => {
    const nsId = await createNs(r, await onboard(r, packageFile), 'chain-managers');
    made.push(nsId);
    const opId = await startOp(r, `/nslcm/v1/ns_instances/${nsId}/instantiate`, { nsFlavourId: 'default', additionalParamsForNs: { placement: 'round-robin-with-saps' } });
    // A second INSTANTIATE meanwhile is refused (the first is open, or has instantiated the NS),
    // and its refusal leaves the first's managers alone: the operation completes with them.
    const again = await app(r).inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${nsId}/instantiate`, payload: { nsFlavourId: 'default' } });
    expect([again.statusCode, again.json().code]).toEqual([409, expect.stringMatching(/^NS_(OPERATION_IN_PROGRESS|STATE_CONFLICT)$/)]);
    const op = await finishOp(r, opId);
    expect(op.operationState, JSON.stringify(op.error)).toBe('COMPLETED');

    // Both managers run as containers of the NS, registered under their NS-scoped names.
    const managers = await managerContainers(nsId);
    expect(managers.map((c) => c.Labels['rondo.manager.id']).sort()).toEqual(['fsm-firewall', 'ssm-placement']);
    expect(managers.every((c) => c.State === 'running')).toBe(true);
    const registered = (await app(r).inject({ method: 'GET', url: '/admin/v1/plugins' })).json() as { name: string; topics: string[] }[];
    expect(registered.find((p) => p.name === `${nsId}.ssm-placement`)?.topics).toContain(`mano.ns.${nsId}.service.place`);
    expect(registered.find((p) => p.name === `${nsId}.fsm-firewall`)?.topics).toContain(`mano.ns.${nsId}.function.fsm-firewall.start`);

    // The SSM's placement is the one used: asked on the NS's topic, the firewall on dc2.
    const detail = (await app(r).inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${opId}` })).json();
    expect(detail.placementAdvice).toMatchObject({ outcome: 'ADVISED', placement: { firewall: 'dc2' } });
    expect(detail.placementAdvice.plugins[0]).toMatch(new RegExp(`^${nsId}\\.ssm-placement@`));
    const rows = await r.store.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', '=', nsId).execute();
    const row = (member: string) => rows.find((x) => x.member_id === member) ?? expect.unreachable(member);
    expect(row('firewall').pop_id).toBe('dc2');

    // The FSM wrote the firewall's configuration into the firewall VNF (through Rondo's exec).
    const firewall = docker.getContainer(row('firewall').compute_ids[0] as string);
    const { stdout: conf } = await run('docker', ['exec', (await firewall.inspect()).Id, 'cat', '/etc/firewall.conf']);
    expect(conf).toContain(`for VNF firewall (${row('firewall').id}) of NS ${nsId}`);
    expect(conf.trim().split('\n').slice(1)).toEqual(['accept icmp', 'accept tcp dport 80', 'drop']);

    // The SSM, as configure SSM, was told once every VNF ran (with the FSM's start done before).
    const ssm = managers.find((c) => c.Labels['rondo.manager.id'] === 'ssm-placement') ?? expect.unreachable('ssm');
    const ssmLogs = (await docker.getContainer(ssm.Id).logs({ stdout: true, stderr: true })).toString('utf8');
    expect(ssmLogs).toContain(`configure NS ${nsId}: client@${row('client').pop_id}, firewall@dc2, server@${row('server').pop_id}`);

    // Traffic crosses the chain: one hop per VNF from the ingress SAP to the egress SAP.
    const addr = (member: string, cp: string) => (row(member).interfaces as { cp: string; address: string }[]).find((i) => i.cp === cp)?.address ?? expect.unreachable(`${member}:${cp}`);
    const ingress = row('input');
    const driver = r.c.services.vimRegistry.get(ingress.pop_id);
    const egress = addr('output', 'output');
    const trace = await driver.exec(ingress.compute_ids[0] as string, ['traceroute', '-n', '-q', '1', '-w', '2', '-m', '8', egress]);
    const hops = trace.stdout.split('\n').flatMap((l) => /^\s*\d+\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.slice(1, 2) ?? []);
    expect(hops, trace.stdout).toEqual([addr('client', 'input'), addr('firewall', 'input'), addr('server', 'input'), egress]);

    // The FSM's own broker user: its NS's topics are fine, another NS's are refused by RabbitMQ.
    const fsm = managers.find((c) => c.Labels['rondo.manager.id'] === 'fsm-firewall') ?? expect.unreachable('fsm');
    const env = await envOf(fsm.Id);
    expect(env['RONDO_AMQP_URL']).not.toContain('guest');
    expect(await publishAs(env['RONDO_AMQP_URL'] as string, `${prefix}.events`, `mano.ns.${nsId}.probe`)).toBe('ok');
    const other = randomUUID();
    expect(await publishAs(env['RONDO_AMQP_URL'] as string, `${prefix}.events`, `mano.ns.${other}.exec`)).toMatch(/ACCESS_REFUSED/);
    expect(await publishAs(env['RONDO_AMQP_URL'] as string, `${prefix}.events`, 'op.changed')).toMatch(/ACCESS_REFUSED/);

    // The SSM as monitoring SSM (the NS's own auto-heal of the firewall disabled, so the heal is the SSM's):
    // the firewall killed → VNF_DOWN alarm on the NS's alarm topic → the SSM asks HEAL → an automatic HEAL completes.
    const off = await app(r).inject({ method: 'PUT', url: `/admin/v1/ns_instances/${nsId}/policies/firewall`, payload: { enabled: false } });
    expect(off.statusCode, off.body).toBe(200);
    await r.c.services.monitoring.start();
    const ssmOut = async () => (await docker.getContainer(ssm.Id).logs({ stdout: true, stderr: true })).toString('utf8');
    await run('docker', ['kill', (await firewall.inspect()).Id]);
    let healOp = '';
    await waitFor(async () => {
      healOp = /asked HEAL of firewall: operation (\S+)/.exec(await ssmOut())?.[1] ?? '';
      return healOp !== '';
    }, 'the SSM asked a HEAL of the firewall', 120_000);
    expect(await ssmOut()).toContain(`alarm.raised VNF_DOWN for firewall (${row('firewall').id})`);
    const heal = await finishOp(r, healOp);
    expect(heal.operationState, JSON.stringify(heal.error)).toBe('COMPLETED');
    const healDetail = (await app(r).inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${healOp}` })).json();
    expect(healDetail).toMatchObject({ lcmOperationType: 'HEAL', isAutomaticInvocation: true, nsInstanceId: nsId });

    // SCALE_OUT of the firewall: once its second instance runs, the FSM gets `scale` with both computes.
    const scaleOp = await startOp(r, `/nslcm/v1/ns_instances/${nsId}/scale`, {
      scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId: row('firewall').id, scaleVnfType: 'SCALE_OUT', scaleByStepData: { aspectId: 'vdu01', numberOfSteps: 1 } }],
    });
    const scaled = await finishOp(r, scaleOp);
    expect(scaled.operationState, JSON.stringify(scaled.error)).toBe('COMPLETED');
    const fsmLogs = (await docker.getContainer(fsm.Id).logs({ stdout: true, stderr: true })).toString('utf8');
    expect(fsmLogs).toContain(`scaled firewall (${row('firewall').id}) SCALE_OUT vdu01: 2 computes`);

    // Terminate: the FSM gets `stop` for the firewall while it still runs (its exec removing
    // the config file in the firewall succeeded: it prints `stopped` only then); afterwards no
    // manager container, broker user or queue of the NS is left; nor any VNF.
    let fsmOut = '';
    let fsmOutEnded = false;
    const follow = (await docker.getContainer(fsm.Id).logs({ follow: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    follow.on('data', (b: Buffer) => { fsmOut += b.toString('utf8'); });
    follow.on('end', () => { fsmOutEnded = true; });
    follow.on('error', () => { fsmOutEnded = true; });
    const term = await finishOp(r, await startOp(r, `/nslcm/v1/ns_instances/${nsId}/terminate`));
    expect(term.operationState, JSON.stringify(term.error)).toBe('COMPLETED');
    await waitFor(async () => fsmOutEnded || fsmOut.includes('stopped firewall'), 'the FSM output ended or showed its stop', 30_000);
    expect(fsmOut).toContain(`stop request received for ${row('firewall').id}`);
    expect(fsmOut).toContain(`stopped firewall (${row('firewall').id}): removed /etc/firewall.conf`);
    expect(await leftovers(prefix, nsId)).toEqual(NOTHING);
    const after = (await app(r).inject({ method: 'GET', url: '/admin/v1/plugins' })).json() as { name: string }[];
    expect(after.filter((p) => p.name.startsWith(`${nsId}.`))).toEqual([]);
  }, 300_000);

  it('a manager killed while it handles the start request fails the instantiation naming it, which rolls back to nothing', async () => {
    const nsId = await createNs(r, await onboard(r, hangingFile), 'chain-hanging-fsm');
    made.push(nsId);
    const opId = await startOp(r, `/nslcm/v1/ns_instances/${nsId}/instantiate`, { nsFlavourId: 'default', additionalParamsForNs: { placement: 'round-robin-with-saps' } });
    // The FSM really got the request: it says so on its output before it hangs.
    const fsmOf = async () => (await managerContainers(nsId)).find((c) => c.Labels['rondo.manager.id'] === 'fsm-firewall');
    await waitFor(async () => {
      const c = await fsmOf();
      if (!c) return false;
      const logs = (await docker.getContainer(c.Id).logs({ stdout: true, stderr: true })).toString('utf8');
      return logs.includes('start request received for');
    }, 'the FSM received the start request', 180_000);
    await docker.getContainer((await fsmOf())?.Id as string).kill();

    const op = await finishOp(r, opId);
    expect(op.operationState).toBe('ROLLED_BACK');
    expect(op.error).toMatchObject({ code: 'MANAGER_FAILED', manager: 'fsm-firewall', managerKind: 'fsm' });
    expect(op.error.detail).toMatch(/FSM fsm-firewall .*failed start of VNF firewall/);
    expect(await leftovers(prefix, nsId)).toEqual(NOTHING);
  }, 300_000);
});
