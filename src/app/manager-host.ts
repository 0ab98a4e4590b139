import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import type { Logger } from 'pino';
import { RondoError } from '../model/index.js';
import type { ManagerSpec } from '../lifecycle/index.js';
import { createRabbitAdmin, managementUrlOf, managerBrokerNames, managerPermissions, vhostOf } from '../plugins/index.js';
import type { PluginRecord, PluginRepository, RabbitAdmin } from '../plugins/index.js';

/** Container labels of a specific manager (`docker ps --filter label=rondo.manager.ns=<nsId>`). */
export const MANAGER_LABELS = { ns: 'rondo.manager.ns', id: 'rondo.manager.id', kind: 'rondo.manager.kind' } as const;

/** A manager that runs and registered. */
export interface RunningManager {
  readonly spec: ManagerSpec;
  readonly containerId: string;
  /** Its registration (name `<nsId>.<managerId>`). */
  readonly plugin: PluginRecord;
}

/** Options of {@link createManagerHost}. */
export interface ManagerHostOptions {
  /** Rondo's RONDO_AMQP_URL: managers get its host, port and vhost with their own user. */
  readonly amqpUrl: string;
  readonly prefix: string;
  /** RONDO_AMQP_MANAGEMENT_URL; default from `amqpUrl` (port 15672, same credentials). */
  readonly managementUrl?: string | null;
  readonly plugins: PluginRepository;
  readonly logger: Logger;
  /** How long a started manager has to register (ms, default 30 000). */
  readonly registerTimeoutMs?: number;
  readonly docker?: Docker;
  readonly admin?: RabbitAdmin;
}

/**
 * Runs the specific managers of NS instances as containers on the default Docker engine
 * (host networking, so they reach the broker as Rondo does). Each gets a broker user of
 * its own whose permissions keep it on its own NS's topics (`managerPermissions`), and
 * its id, NS and options by environment. Everything it makes is found again from names
 * (container labels, the user and queue prefix), so `remove` works in any process, after
 * a restart too.
 */
export interface ManagerHost {
  /**
   * Starts the managers of an NS not running yet and waits (bounded) until each
   * registered; resolves with all of them. On any failure removes every manager of the
   * NS and throws RondoError `MANAGER_UNAVAILABLE` naming the manager.
   */
  start(nsInstanceId: string, specs: readonly ManagerSpec[]): Promise<RunningManager[]>;
  /** Removes every manager of an NS: containers, broker users, their queues, registrations. Idempotent. */
  remove(nsInstanceId: string): Promise<void>;
  /** The registration name of a manager. */
  pluginName(nsInstanceId: string, managerId: string): string;
  /** Whether the manager's container runs (false: gone, exited, killed). */
  alive(nsInstanceId: string, managerId: string): Promise<boolean>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** See {@link ManagerHost}. */
export function createManagerHost(o: ManagerHostOptions): ManagerHost {
  const docker = o.docker ?? new Docker();
  const admin = o.admin ?? createRabbitAdmin({ url: o.managementUrl ?? managementUrlOf(o.amqpUrl), vhost: vhostOf(o.amqpUrl) });
  const registerTimeoutMs = o.registerTimeoutMs ?? 30_000;
  const pluginName = (ns: string, id: string) => `${ns}.${id}`;
  const containerName = (ns: string, id: string) => `rondo-mgr-${ns}-${id}`;
  const amqpUrlFor = (user: string, password: string): string => {
    const u = new URL(o.amqpUrl);
    u.username = encodeURIComponent(user);
    u.password = encodeURIComponent(password);
    return u.href;
  };

  const running = async (ns: string) => docker.listContainers({ all: true, filters: { label: [`${MANAGER_LABELS.ns}=${ns}`] } });

  const remove = async (ns: string): Promise<void> => {
    const problems: string[] = [];
    const ids = new Set<string>();
    // Registrations first: with them, a deployment without Docker (or without the management
    // API) that never ran a manager for this NS has nothing to remove and is not failed for it.
    for (const p of await o.plugins.list()) if (p.name.startsWith(`${ns}.`)) ids.add(p.name.slice(ns.length + 1));
    let containers: Awaited<ReturnType<typeof running>> = [];
    try {
      containers = await running(ns);
    } catch (e) {
      if (ids.size === 0) return;
      problems.push(`Docker: ${String(e)}`);
    }
    for (const c of containers) {
      const id = c.Labels[MANAGER_LABELS.id];
      if (id) ids.add(id);
      await docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => {
        if (!String(e).includes('404')) problems.push(`container ${c.Id.slice(0, 12)}: ${String(e)}`);
      });
    }
    for (const id of ids) {
      const { user } = managerBrokerNames(o.prefix, ns, id);
      await admin.deleteUser(user).catch((e: unknown) => problems.push(`user ${user}: ${String(e)}`));
      await admin.closeConnectionsOf(user).catch(() => undefined);
    }
    // Queues by name, also of managers whose container and registration are already gone.
    const nsPrefix = `${o.prefix}.mgr.${ns}.`;
    let queues: string[] = [];
    try {
      queues = await admin.queuesStartingWith(nsPrefix);
    } catch (e) {
      if (ids.size > 0) problems.push(`queues: ${String(e)}`);
    }
    for (const q of queues) await admin.deleteQueue(q).catch((e: unknown) => problems.push(`queue ${q}: ${String(e)}`));
    for (const p of await o.plugins.list()) if (p.name.startsWith(`${ns}.`)) await o.plugins.remove(p.id);
    if (problems.length > 0) throw new RondoError('MANAGER_UNAVAILABLE', `removing the managers of NS ${ns} left: ${problems.join('; ')}`);
    if (ids.size > 0) o.logger.info({ nsInstanceId: ns, managers: [...ids] }, 'specific managers removed');
  };

  const startOne = async (ns: string, spec: ManagerSpec): Promise<string> => {
    const name = containerName(ns, spec.id);
    const { user, queuePrefix } = managerBrokerNames(o.prefix, ns, spec.id);
    const password = randomBytes(18).toString('base64url');
    await admin.putManagerUser(user, password, managerPermissions(o.prefix, ns, spec.id));
    const images = await docker.listImages({ filters: { reference: [spec.image] } });
    if (images.length === 0) throw new RondoError('MANAGER_UNAVAILABLE', `manager ${spec.id}: image ${spec.image} is not on the Docker engine (Rondo never pulls manager images; build or load it first)`);
    const c = await docker.createContainer({
      name,
      Image: spec.image,
      Labels: { [MANAGER_LABELS.ns]: ns, [MANAGER_LABELS.id]: spec.id, [MANAGER_LABELS.kind]: spec.kind },
      Env: [
        `RONDO_AMQP_URL=${amqpUrlFor(user, password)}`,
        `RONDO_AMQP_PREFIX=${o.prefix}`,
        `RONDO_AMQP_QUEUE_PREFIX=${queuePrefix}`,
        `RONDO_NS_ID=${ns}`,
        `RONDO_MANAGER_ID=${spec.id}`,
        `RONDO_MANAGER_KIND=${spec.kind}`,
        `RONDO_MANAGER_NAME=${pluginName(ns, spec.id)}`,
        `RONDO_MANAGER_MEMBERS=${JSON.stringify(spec.members)}`,
        `RONDO_MANAGER_OPTIONS=${JSON.stringify(spec.options)}`,
      ],
      HostConfig: { NetworkMode: 'host', AutoRemove: false },
    });
    await c.start();
    return c.id;
  };

  const awaitRegistration = async (ns: string, spec: ManagerSpec, containerId: string): Promise<PluginRecord> => {
    const until = Date.now() + registerTimeoutMs;
    for (;;) {
      const p = (await o.plugins.list()).find((x) => x.name === pluginName(ns, spec.id) && x.state === 'ACTIVE');
      if (p) return p;
      const info = await docker.getContainer(containerId).inspect();
      if (!info.State.Running) {
        const logs = (await docker.getContainer(containerId).logs({ stdout: true, stderr: true, tail: 20 })).toString('utf8').replace(/[^\x20-\x7e\n]/g, '');
        throw new RondoError('MANAGER_UNAVAILABLE', `manager ${spec.id} (${spec.image}) exited with ${info.State.ExitCode} before it registered: ${logs.trim().slice(-600)}`);
      }
      if (Date.now() > until) throw new RondoError('MANAGER_UNAVAILABLE', `manager ${spec.id} (${spec.image}) did not register within ${registerTimeoutMs} ms`);
      await sleep(200);
    }
  };

  return {
    pluginName,
    remove,
    async alive(ns, id) {
      return (await running(ns)).some((c) => c.Labels[MANAGER_LABELS.id] === id && c.State === 'running');
    },
    async start(ns, specs) {
      if (specs.length === 0) return [];
      try {
        const have = new Map((await running(ns)).map((c) => [c.Labels[MANAGER_LABELS.id], c]));
        const started: { spec: ManagerSpec; containerId: string }[] = [];
        for (const spec of specs) {
          const c = have.get(spec.id);
          started.push({ spec, containerId: c && c.State === 'running' ? c.Id : await (c ? docker.getContainer(c.Id).remove({ force: true }) : Promise.resolve()).then(() => startOne(ns, spec)) });
        }
        const out: RunningManager[] = [];
        for (const s of started) out.push({ ...s, plugin: await awaitRegistration(ns, s.spec, s.containerId) });
        o.logger.info({ nsInstanceId: ns, managers: out.map((m) => `${m.spec.kind}:${m.spec.id}@${m.plugin.id}`) }, 'specific managers registered');
        return out;
      } catch (e) {
        await remove(ns).catch((err: unknown) => o.logger.warn({ err, nsInstanceId: ns }, 'specific managers: cleanup after a failed start failed'));
        if (e instanceof RondoError && e.code === 'MANAGER_UNAVAILABLE') throw e;
        throw new RondoError('MANAGER_UNAVAILABLE', `the specific managers of NS ${ns} could not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    },
  };
}
