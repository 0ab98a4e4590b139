/**
 * The plugin protocol on the real RabbitMQ and PostgreSQL: the example FSM and placement
 * SSM (examples/plugins/) connect with the SDK over their own AMQP connections to a Rondo
 * composition (role all, memory VIM) on the same broker and prefix. They register and show
 * in `GET /admin/v1/plugins` and in `rondo plugin list --json` (the built CLI: `npm run
 * build` first); the SSM answers a placement request across the broker, and INSTANTIATE asks it
 * (the firewall runs on dc2 as it says); the FSM hears the firewall of an NS instantiated on
 * the memory VIM start; the FSM is marked DEAD when its
 * heartbeats stop and the clock passes the timeout; `DELETE /admin/v1/plugins/{id}` and
 * `rondo plugin deregister` remove them and tell them so. A missing broker fails loudly.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUS_GROUPS } from '../../src/app/index.js';
import { amqpNames } from '../../src/bus/index.js';
import { PLACEMENT_TOPIC } from '../../src/sdk/index.js';
import type { PluginLifecycleMessage, RondoPlugin } from '../../src/sdk/index.js';
import type { PluginRecord } from '../../src/plugins/index.js';
import { buildExamplePackages, counterIds, openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { deleteAmqpPrefix, TEST_AMQP_URL } from '../support/amqp.js';
import { BUILT_CLI, runCli } from '../support/cli-server.js';
import { startPlacementSsm } from '../../examples/plugins/placement-ssm.js';
import { startFirewallFsm } from '../../examples/plugins/firewall-fsm.js';
import type { FirewallConfigured } from '../../examples/plugins/firewall-fsm.js';

const SSM_GROUP = `plugin.placement-ssm-firewall-dc2.${PLACEMENT_TOPIC}`;

describe('plugins on RabbitMQ', () => {
  const prefix = `rondo-plugins-${randomUUID().slice(0, 8)}`;
  let dir: string;
  let t: TestApp;
  let url: string;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const plugins: RondoPlugin[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-plugins-mq-'));
    const files = await buildExamplePackages(dir);
    t = await openTestApp('postgres', 'plugins-rabbitmq', { amqpUrl: TEST_AMQP_URL, amqpPrefix: prefix, host: '127.0.0.1', port: 0 }, {
      clock, ids: counterIds(), plugins: { heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 30_000, sweepIntervalMs: 3_600_000 },
    });
    await t.composition.start({ worker: true, reconciler: false, monitoring: false, plugins: true });
    url = await t.composition.listen();
    for (const name of ['dc1', 'dc2']) {
      const vim = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name, type: 'memory', endpoint: 'memory://engine-a', capacity: { cpu: 8, memoryMiB: 8192 } } });
      expect(vim.statusCode, vim.body).toBe(201);
    }
    const pkg = await t.app.inject({ method: 'POST', url: '/packages', payload: await readFile(files.tango), headers: { 'content-type': 'application/octet-stream' } });
    expect(pkg.statusCode, pkg.body).toBe(201);
  });

  afterAll(async () => {
    for (const p of plugins) await p.close();
    await t?.close();
    await deleteAmqpPrefix(prefix, [...Object.values(BUS_GROUPS), SSM_GROUP].map((g) => amqpNames(prefix).groupQueue(g)));
    await rm(dir, { recursive: true, force: true });
  });

  it('registers SDK plugins over the broker, lists them (API and CLI), delivers NS lifecycle events, marks a silent one DEAD and deregisters', async () => {
    const env = { ...process.env, RONDO_URL: '', RONDO_TOKEN: '', RONDO_API_KEY: '', RONDO_CONFIG_DIR: join(dir, 'config') };
    const rondo = (args: string[]) => runCli(BUILT_CLI, [...args, '--url', url, '--json'], { env, timeoutMs: 60_000 });
    const connection = { amqpUrl: TEST_AMQP_URL, prefix };
    const configured: FirewallConfigured[] = [];
    const told: PluginLifecycleMessage[] = [];
    const ssmTold: PluginLifecycleMessage[] = [];
    const fsm = await startFirewallFsm({ ...connection, onLifecycle: (m) => told.push(m) }, (c) => configured.push(c));
    plugins.push(fsm);
    const ssm = await startPlacementSsm({ ...connection, onLifecycle: (m) => ssmTold.push(m) });
    plugins.push(ssm);

    const listed = (await t.app.inject({ method: 'GET', url: '/admin/v1/plugins' })).json() as PluginRecord[];
    expect(listed.map((p) => [p.id, p.name, p.state])).toEqual([[fsm.uuid, 'fsm-firewall', 'ACTIVE'], [ssm.uuid, 'placement-ssm-firewall-dc2', 'ACTIVE']]);
    const cli = await rondo(['plugin', 'list']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as PluginRecord[]).map((p) => [p.id, p.state])).toEqual([[fsm.uuid, 'ACTIVE'], [ssm.uuid, 'ACTIVE']]);

    // Request/response across the broker: Rondo's bus asks, the SSM's connection answers.
    const placed = await t.composition.services.bus.request(PLACEMENT_TOPIC as never, { nsInstanceId: 'x', pops: ['dc1', 'dc2'], vnfs: [{ memberId: 'firewall', vnfdId: null }] } as never, { timeoutMs: 10_000 });
    expect(placed).toEqual({ placement: { firewall: 'dc2' } });

    const nsdId = (await t.app.inject({ method: 'GET', url: '/nsd/v1/ns_descriptors' })).json()[0].id as string;
    const ns = (await t.app.inject({ method: 'POST', url: '/nslcm/v1/ns_instances', payload: { nsdId, nsName: 'plugged', nsDescription: 'plugins on RabbitMQ' } })).json() as { id: string };
    // first-pop: Rondo alone would put the firewall on dc1; INSTANTIATE asks the SSM across the broker, which says dc2.
    const inst = await t.app.inject({ method: 'POST', url: `/nslcm/v1/ns_instances/${ns.id}/instantiate`, payload: { nsFlavourId: 'default', additionalParamsForNs: { placement: 'first-pop' } } });
    expect(inst.statusCode, inst.body).toBe(202);
    await expect.poll(() => configured, { timeout: 15_000 }).toHaveLength(1);
    expect(configured[0]).toMatchObject({ nsInstanceId: ns.id, popId: 'dc2' });
    const op = (await t.app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${String(inst.headers.location).split('/').at(-1)}` })).json() as { placementAdvice?: unknown };
    expect(op.placementAdvice).toEqual({ outcome: 'ADVISED', plugins: [`placement-ssm-firewall-dc2@${ssm.uuid}`], placement: { firewall: 'dc2' } });

    // The FSM goes quiet; the SSM heartbeats after the clock moved, so only the FSM dies.
    fsm.stopHeartbeats();
    // A heartbeat the FSM sent just before it stopped may still cross the broker and be
    // recorded at the moved clock, keeping it alive for one more timeout. Only heartbeats
    // sent before the stop can arrive, so moving the clock again (a few times at most) must
    // find it stale: a bounded loop on the real condition, not a wait for the broker.
    let swept: string[] = [];
    for (let moves = 0; moves < 5 && swept.length === 0; moves++) {
      offset += 31_000;
      await ssm.heartbeat();
      await expect.poll(async () => Date.parse((await t.composition.services.plugins.get(ssm.uuid)).lastHeartbeatAt) > Date.now() + offset - 10_000, { timeout: 10_000 }).toBe(true);
      swept = (await t.composition.services.plugins.sweep()).map((p) => p.id);
    }
    expect(swept).toEqual([fsm.uuid]);
    expect((await t.app.inject({ method: 'GET', url: `/admin/v1/plugins/${fsm.uuid}` })).json()).toMatchObject({ id: fsm.uuid, state: 'DEAD' });
    await expect.poll(() => told.map((m) => m.event), { timeout: 10_000 }).toEqual(['DEAD']);

    // Admin deregistration, over HTTP and with the CLI: each plugin is told on its own topic.
    expect((await t.app.inject({ method: 'DELETE', url: `/admin/v1/plugins/${fsm.uuid}` })).statusCode).toBe(204);
    await expect.poll(() => told.map((m) => m.event), { timeout: 10_000 }).toEqual(['DEAD', 'DEREGISTERED']);
    const dereg = await rondo(['plugin', 'deregister', ssm.uuid]);
    expect(dereg.code, dereg.stderr).toBe(0);
    // A heartbeat already on its way when the admin deregistered it is answered DEREGISTERED too ("register again").
    await expect.poll(() => ssmTold.length > 0 && ssmTold.every((m) => m.event === 'DEREGISTERED'), { timeout: 10_000 }).toBe(true);
    expect(JSON.parse(dereg.stdout)).toEqual({ id: ssm.uuid, deregistered: true });
    expect((await t.app.inject({ method: 'GET', url: '/admin/v1/plugins' })).json()).toEqual([]);
  });
});
