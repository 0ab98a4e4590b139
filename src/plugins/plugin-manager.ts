import { BUS_NAME } from '../bus/index.js';
import type { Bus, BusSubscription } from '../bus/index.js';
import { RondoError } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { PluginRecord, PluginRepository } from './plugin-registry.js';
import { PLUGIN_TOPICS, pluginLifecycleTopic } from './plugin-topics.js';
import type { PluginDeregisterReply, PluginLifecycleEventKind, PluginRegisterReply, PluginRegisterRequest, PluginReplies, PluginStatusChange, PluginTopics } from './plugin-topics.js';

/** The plugin manager's consumer groups on the bus (one member of each handles each message). */
export const PLUGIN_MANAGER_GROUPS = {
  /** Responder group of `register` and `deregister`. */
  requests: 'plugin-manager',
  /** Heartbeats. */
  heartbeats: 'plugin-manager-heartbeats',
} as const;

/** Options of {@link PluginManager}. */
export interface PluginManagerOptions {
  readonly bus: Bus<PluginTopics, PluginReplies>;
  readonly repo: PluginRepository;
  /** "Now" of registrations, heartbeats and the dead-plugin sweep (tests advance it). */
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** How often plugins are told to heartbeat (ms, default 5000). */
  readonly heartbeatIntervalMs?: number;
  /** A plugin whose last heartbeat is older is `DEAD` (ms, default 3 × the interval). */
  readonly heartbeatTimeoutMs?: number;
  /** Real time between sweeps once started (ms, default the heartbeat interval). */
  readonly sweepIntervalMs?: number;
  /** Told about what the manager cannot do (a status event not published, a sweep that failed). */
  readonly onError?: (error: unknown, what: string) => void;
}

const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_TOPICS = 100;

/**
 * Checks a registration read from the wire; throws RondoError `PLUGIN_INVALID` naming
 * the first field that breaks the protocol.
 */
export function checkRegistration(p: unknown): PluginRegisterRequest {
  const bad = (why: string): never => {
    throw new RondoError('PLUGIN_INVALID', `plugin registration: ${why} (docs/plugins.md)`);
  };
  if (typeof p !== 'object' || p === null) return bad('the payload must be an object');
  const { name, version, description, topics, uuid } = p as Record<string, unknown>;
  if (uuid !== undefined && (typeof uuid !== 'string' || !BUS_NAME.test(uuid))) bad("'uuid' must be the id an earlier registration answered");
  if (typeof name !== 'string' || !PLUGIN_NAME.test(name)) bad("'name' must be 1-64 letters, digits, '.', '_' or '-'");
  if (typeof version !== 'string' || version === '' || version.length > 64) bad("'version' must be a string of 1-64 characters");
  if (description !== undefined && (typeof description !== 'string' || description.length > 1024)) bad("'description' must be a string of at most 1024 characters");
  if (!Array.isArray(topics) || topics.length > MAX_TOPICS) bad(`'topics' must be a list of at most ${MAX_TOPICS} topic names`);
  for (const t of topics as unknown[]) if (typeof t !== 'string' || !BUS_NAME.test(t)) bad(`topic ${JSON.stringify(t)} is not a bus topic name`);
  return {
    name: name as string, version: version as string, ...(typeof description === 'string' ? { description } : {}), topics: [...new Set(topics as string[])],
    ...(typeof uuid === 'string' ? { uuid } : {}),
  };
}

const uuidOf = (p: unknown, topic: string): string => {
  const uuid = typeof p === 'object' && p !== null ? (p as { uuid?: unknown }).uuid : undefined;
  if (typeof uuid !== 'string' || uuid === '' || !BUS_NAME.test(uuid)) throw new RondoError('PLUGIN_INVALID', `${topic}: 'uuid' must be the id the registration answered`);
  return uuid;
};

/**
 * The plugin manager (SONATA's PM): keeps the registry of plugins that registered over
 * the bus, records their heartbeats, marks them `DEAD` when heartbeats stop, removes them
 * when they deregister or an admin deregisters them, and publishes every change on
 * `platform.management.plugin.status` (and tells the plugin concerned on its lifecycle
 * topic). The registry lives in the store, so the read and admin methods work in every
 * process; `start()` makes this process act on the bus (the composition root does it for
 * roles worker and all). Any number of processes may act at once: each request or
 * heartbeat reaches one of them (consumer groups), and a plugin is marked dead by one
 * guarded statement, so by one process.
 */
export class PluginManager {
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  private readonly sweepIntervalMs: number;
  private readonly onError: (error: unknown, what: string) => void;
  private subs: BusSubscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: PluginManagerOptions) {
    this.heartbeatIntervalMs = o.heartbeatIntervalMs ?? 5000;
    this.heartbeatTimeoutMs = o.heartbeatTimeoutMs ?? 3 * this.heartbeatIntervalMs;
    this.sweepIntervalMs = o.sweepIntervalMs ?? this.heartbeatIntervalMs;
    this.onError = o.onError ?? (() => undefined);
  }

  /** Every registered plugin, oldest first. */
  list(): Promise<PluginRecord[]> {
    return this.o.repo.list();
  }

  /** One plugin; throws RondoError `PLUGIN_NOT_FOUND`. */
  async get(id: string): Promise<PluginRecord> {
    const p = await this.o.repo.get(id);
    if (!p) throw new RondoError('PLUGIN_NOT_FOUND', `no plugin ${id} is registered; list them with rondo plugin list`);
    return p;
  }

  /** Registers a plugin (the `register` request's work); throws RondoError `PLUGIN_INVALID`. */
  async register(payload: unknown): Promise<PluginRegisterReply> {
    const req = checkRegistration(payload);
    if (req.uuid !== undefined) {
      // A re-registration keeps the id; only the topics change (an unknown id must register anew).
      const known = await this.o.repo.setTopics(req.uuid, req.topics);
      if (!known) throw new RondoError('PLUGIN_NOT_FOUND', `no plugin ${req.uuid} is registered; register without a uuid`);
      return { status: 'OK', uuid: known.id, name: known.name, version: known.version, heartbeatIntervalMs: this.heartbeatIntervalMs, heartbeatTimeoutMs: this.heartbeatTimeoutMs };
    }
    const now = this.o.clock.now().toISOString();
    const p = await this.o.repo.insert({
      id: this.o.ids.next(), name: req.name, version: req.version, description: req.description ?? null, topics: req.topics,
      state: 'ACTIVE', registeredAt: now, lastHeartbeatAt: now,
    });
    await this.announce(p, 'REGISTERED');
    return { status: 'OK', uuid: p.id, name: p.name, version: p.version, heartbeatIntervalMs: this.heartbeatIntervalMs, heartbeatTimeoutMs: this.heartbeatTimeoutMs };
  }

  /** Records a heartbeat; an unknown id is told on its lifecycle topic that it must register again. */
  async heartbeat(payload: unknown): Promise<void> {
    const uuid = uuidOf(payload, PLUGIN_TOPICS.heartbeat);
    const r = await this.o.repo.heartbeat(uuid, this.o.clock.now());
    if (!r) return this.tell(uuid, 'DEREGISTERED', 'this plugin id is not registered (deregistered, or never registered); register again');
    if (r.revived) await this.announce(r.record, 'ALIVE');
  }

  /**
   * Removes a plugin: its own `deregister` request, or an admin's (`DELETE
   * /admin/v1/plugins/{id}`, which also tells the plugin on its lifecycle topic). Throws
   * RondoError `PLUGIN_NOT_FOUND`.
   */
  async deregister(id: string, by: 'plugin' | 'admin' = 'admin'): Promise<PluginDeregisterReply> {
    const p = await this.o.repo.remove(id);
    if (!p) throw new RondoError('PLUGIN_NOT_FOUND', `no plugin ${id} is registered; list them with rondo plugin list`);
    await this.announce(p, 'DEREGISTERED');
    if (by === 'admin') await this.tell(id, 'DEREGISTERED', 'an administrator deregistered this plugin');
    return { status: 'OK', uuid: id };
  }

  /** Marks `DEAD` the plugins whose heartbeats are older than the timeout (by the clock); returns them. */
  async sweep(): Promise<PluginRecord[]> {
    const run = this.sweeping.then(async () => {
      const dead = await this.o.repo.markDead(new Date(this.o.clock.now().getTime() - this.heartbeatTimeoutMs));
      for (const p of dead) {
        await this.announce(p, 'DEAD');
        await this.tell(p.id, 'DEAD', `no heartbeat for ${this.heartbeatTimeoutMs} ms; heartbeat to become ACTIVE again`);
      }
      return dead;
    });
    this.sweeping = run.catch(() => undefined);
    return run;
  }

  /** Acts on the bus: answers registrations and deregistrations, records heartbeats, sweeps periodically. */
  async start(): Promise<void> {
    if (this.subs.length > 0) return;
    const { bus } = this.o;
    this.subs.push(
      await bus.respond(PLUGIN_MANAGER_GROUPS.requests, [PLUGIN_TOPICS.register, PLUGIN_TOPICS.deregister], async (e) =>
        e.topic === PLUGIN_TOPICS.register ? this.register(e.payload) : this.deregister(uuidOf(e.payload, e.topic), 'plugin'),
      ),
      await bus.consume(PLUGIN_MANAGER_GROUPS.heartbeats, [PLUGIN_TOPICS.heartbeat], async (e) => this.heartbeat(e.payload).catch((err: unknown) => this.onError(err, 'a heartbeat was not recorded')), {
        ordered: false, prefetch: 32, attempts: 1,
      }),
    );
    this.timer = setInterval(() => void this.sweep().catch((e: unknown) => this.onError(e, 'the dead-plugin sweep failed; the next one runs on schedule')), this.sweepIntervalMs);
    this.timer.unref();
  }

  /** Stops acting on the bus (the registry stays). Idempotent. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const subs = this.subs;
    this.subs = [];
    for (const s of subs) await s.close();
    await this.sweeping;
  }

  private async announce(p: PluginRecord, change: PluginStatusChange): Promise<void> {
    const state = change === 'DEREGISTERED' ? null : p.state;
    await this.o.bus
      .publish(PLUGIN_TOPICS.status, { uuid: p.id, name: p.name, version: p.version, change, state, time: this.o.clock.now().toISOString() })
      .catch((e: unknown) => this.onError(e, `plugin status ${change} of ${p.id} not published`));
  }

  private async tell(uuid: string, event: PluginLifecycleEventKind, reason: string): Promise<void> {
    await this.o.bus
      .publish(pluginLifecycleTopic(uuid), { uuid, event, reason, time: this.o.clock.now().toISOString() })
      .catch((e: unknown) => this.onError(e, `plugin ${uuid} not told ${event}`));
  }
}
