import type { Logger } from 'pino';
import type { Bus, BusSubscription } from '../bus/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { LifecycleTopics } from '../lifecycle/index.js';
import { PluginManager, publishLifecycleEvents } from '../plugins/index.js';
import type { PluginReplies, PluginTopics } from '../plugins/index.js';
import { createRuntimeRepositories, pluginRepository } from '../store/index.js';
import type { Store } from '../store/index.js';

/** Plugin manager timings (tests shorten them; defaults in {@link PluginManager}). */
export interface PluginOptions {
  readonly heartbeatIntervalMs?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
}

/** What {@link wirePlugins} is built from. */
export interface PluginWiringDeps extends PluginOptions {
  readonly bus: Bus<LifecycleTopics>;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** The plugin side of a composition: the manager (read and admin in every role) and what acts on the bus. */
export interface PluginWiring {
  readonly manager: PluginManager;
  /** Makes this process act: the manager on its topics, the lifecycle's service and function events (roles worker, all). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the plugin protocol (docs/plugins.md) on the composition's bus. One bus carries
 * every topic; the lifecycle sees it through `LifecycleTopics`, plugins through
 * `PluginTopics`, hence the casts: the same instance, two views.
 */
export function wirePlugins(deps: PluginWiringDeps): PluginWiring {
  const { store, clock, ids, logger } = deps;
  const pluginBus = deps.bus as unknown as Bus<PluginTopics, PluginReplies>;
  const both = deps.bus as unknown as Bus<LifecycleTopics & PluginTopics>;
  const manager = new PluginManager({
    bus: pluginBus, repo: pluginRepository(store.db), clock, ids,
    ...(deps.heartbeatIntervalMs ? { heartbeatIntervalMs: deps.heartbeatIntervalMs } : {}),
    ...(deps.heartbeatTimeoutMs ? { heartbeatTimeoutMs: deps.heartbeatTimeoutMs } : {}),
    ...(deps.sweepIntervalMs ? { sweepIntervalMs: deps.sweepIntervalMs } : {}),
    onError: (e, what) => logger.warn({ err: e }, `plugin manager: ${what}`),
  });
  const vnfs = createRuntimeRepositories(store.db, clock).vnfInstances;
  let events: BusSubscription | undefined;
  return {
    manager,
    async start() {
      await manager.start();
      events ??= await publishLifecycleEvents({ bus: both, listVnfs: (ns) => vnfs.listByNs(ns) });
    },
    async stop() {
      await events?.close();
      events = undefined;
      await manager.stop();
    },
  };
}
