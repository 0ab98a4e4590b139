import type { Logger } from 'pino';
import type { Bus, BusSubscription } from '../bus/index.js';
import { RondoError } from '../model/index.js';
import type { Clock, IdGenerator, PlacementAdviceRecord } from '../model/index.js';
import type { LifecycleTopics, PlacementAdvisor } from '../lifecycle/index.js';
import { NS_MANAGER_TOPICS, PLACEMENT_TOPIC, PluginManager, publishLifecycleEvents } from '../plugins/index.js';
import type { PluginReplies, PluginTopics } from '../plugins/index.js';
import { createRuntimeRepositories, pluginRepository } from '../store/index.js';
import type { Store } from '../store/index.js';
import Docker from 'dockerode';
import type { RondoConfig } from '../config/index.js';
import type { VimRegistry } from '../vim/index.js';
import { createManagerHost } from './manager-host.js';
import { runningManagerNs, wireSpecificManagers } from './manager-wiring.js';
import type { ManagerWiring } from './manager-wiring.js';
import type { ServiceActionLifecycle } from './ns-service-wiring.js';

/** Plugin manager timings (tests shorten them; defaults in {@link PluginManager}). */
export interface PluginOptions {
  readonly heartbeatIntervalMs?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
  /** How long INSTANTIATE waits for a placement SSM's answer (ms, default 5000). */
  readonly placementTimeoutMs?: number;
  /** How long a started specific manager has to register (ms, default 30 000). */
  readonly managerRegisterTimeoutMs?: number;
  /** How long a lifecycle request to a specific manager may take (ms, default 30 000). */
  readonly managerRequestTimeoutMs?: number;
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

/** What {@link createPlacementAdvisor} is built from. */
export interface PlacementAdvisorDeps {
  readonly bus: Bus<LifecycleTopics>;
  readonly store: Store;
  readonly logger: Logger;
  /** How long to wait for the answer (ms, default 5000). */
  readonly timeoutMs?: number;
}

/** Whether an answer has the `mano.service.place` reply's shape: `{ placement: { <member>: <PoP> } }`. */
const isPlacementReply = (a: unknown): a is { placement: Record<string, string> } => {
  const placement = typeof a === 'object' && a !== null ? (a as { placement?: unknown }).placement : undefined;
  return typeof placement === 'object' && placement !== null && !Array.isArray(placement) && Object.values(placement).every((p) => typeof p === 'string');
};

/**
 * The lifecycle's {@link PlacementAdvisor} over the plugin registry and the bus: asks
 * `mano.service.place` only when a registered plugin names that topic and is `ACTIVE`
 * (heartbeating), so a deployment without a placement SSM sends nothing and waits for
 * nothing. It reads the registry table, so it works in every role (the API decides
 * placement).
 *
 * An SSM that does not answer in time, fails, or answers something that is not a
 * placement makes the advice `FAILED` (logged, and recorded with the operation) and
 * Rondo places alone: SONATA's SLM falls back to its default placement when no placement
 * SSM takes part, and Rondo's placement is always a valid one (capacity, links), so a
 * slow or broken SSM degrades placement quality, not availability. A registry entry can
 * also lag a crashed SSM by up to the heartbeat timeout; failing every instantiation for
 * that long would be worse. An answer that names an unknown member or PoP, by contrast,
 * refuses the request (see `pinsWithAdvice`): that SSM is wrong, not absent.
 */
export function createPlacementAdvisor(deps: PlacementAdvisorDeps): PlacementAdvisor {
  const repo = pluginRepository(deps.store.db);
  const bus = deps.bus as unknown as Bus<PluginTopics, PluginReplies>;
  const timeoutMs = deps.timeoutMs ?? 5000;
  return {
    async advise(req) {
      const live = (await repo.list()).filter((p) => p.state === 'ACTIVE');
      // The NS's own placement SSM (a manager its package names, on the NS's topic) before any deployment-wide one.
      const nsTopic = NS_MANAGER_TOPICS.place(req.nsInstanceId);
      const own = live.filter((p) => p.topics.includes(nsTopic));
      const serving = own.length > 0 ? own : live.filter((p) => p.topics.includes(PLACEMENT_TOPIC));
      if (serving.length === 0) return undefined;
      const topic = own.length > 0 ? nsTopic : PLACEMENT_TOPIC;
      const plugins = serving.map((p) => `${p.name}@${p.id}`);
      try {
        const answer: unknown = await (bus as unknown as Bus<Record<string, unknown>>).request(topic, { nsInstanceId: req.nsInstanceId, vnfs: req.vnfs, pops: req.pops }, { timeoutMs, key: req.nsInstanceId });
        if (!isPlacementReply(answer)) throw new RondoError('BUS_REQUEST_FAILED', `the answer to ${topic} is not { placement: { <memberId>: <popId> } }`);
        deps.logger.info({ nsInstanceId: req.nsInstanceId, plugins, placement: answer.placement }, 'placement SSM answered');
        return { outcome: 'ADVISED', plugins, placement: { ...answer.placement } } satisfies PlacementAdviceRecord;
      } catch (e) {
        const reason = e instanceof RondoError ? `${e.code}: ${e.message}` : `BUS_REQUEST_FAILED: ${e instanceof Error ? e.message : String(e)}`;
        deps.logger.warn({ nsInstanceId: req.nsInstanceId, plugins, reason }, 'placement SSM gave no placement; Rondo places the NS itself');
        return { outcome: 'FAILED', plugins, reason } satisfies PlacementAdviceRecord;
      }
    },
  };
}

/**
 * The specific managers of a composition with a broker: containers on the default Docker
 * engine (manager-host.ts), the lifecycle's port and the exec topics (manager-wiring.ts).
 */
export function wireManagers(
  config: RondoConfig, bus: Bus<LifecycleTopics>, store: Store, logger: Logger, o: PluginOptions, vims: () => VimRegistry | undefined, lifecycle?: () => ServiceActionLifecycle | undefined,
): ManagerWiring {
  const docker = new Docker();
  const plugins = pluginRepository(store.db);
  const host = createManagerHost({
    amqpUrl: config.amqpUrl as string, prefix: config.amqpPrefix, managementUrl: config.amqpManagementUrl, plugins, logger, docker,
    ...(o.managerRegisterTimeoutMs ? { registerTimeoutMs: o.managerRegisterTimeoutMs } : {}),
  });
  const vnfs = createRuntimeRepositories(store.db, { now: () => new Date() }).vnfInstances;
  return wireSpecificManagers({
    bus: bus as unknown as Bus<Record<string, unknown>>, host, plugins, logger,
    listVnfs: (ns) => vnfs.listByNs(ns),
    driver: (popId) => {
      const registry = vims();
      if (!registry) throw new RondoError('MANAGER_FAILED', 'the VIM registry is not ready');
      return registry.get(popId);
    },
    runningNs: () => runningManagerNs(docker),
    ...(lifecycle ? { lifecycle } : {}),
    ...(o.managerRequestTimeoutMs ? { requestTimeoutMs: o.managerRequestTimeoutMs } : {}),
  });
}
