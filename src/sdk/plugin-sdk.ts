import { createAmqpBus, recentEventIds } from '../bus/index.js';
import type { Bus, BusErrorHandler, BusEvent, BusSubscription } from '../bus/index.js';
import { RondoError } from '../model/index.js';
import { PLUGIN_TOPICS, pluginLifecycleTopic } from '../plugins/index.js';
import type { PluginLifecycleMessage, PluginRegisterReply, PluginReplies, PluginTopics } from '../plugins/index.js';

/**
 * What a plugin's bus carries: the protocol's topics with their payloads, and any other
 * topic (a plugin's own request topics) with payloads it checks itself.
 */
export type SdkTopics = PluginTopics & Record<string, unknown>;
/** The answers of the protocol's request topics; other topics answer `unknown`. */
export type SdkReplies = PluginReplies;
/** The bus a plugin talks on. */
export type PluginBus = Bus<SdkTopics, SdkReplies>;

/** Options of {@link connectPlugin}. */
export interface ConnectPluginOptions {
  /** Letters, digits, `.`, `_`, `-` (at most 64). */
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  /** Topics the plugin serves beyond those its handlers name (shown in the registry). */
  readonly topics?: readonly string[];
  /** RabbitMQ, as Rondo's RONDO_AMQP_URL (e.g. `amqp://guest:guest@127.0.0.1:5672`). */
  readonly amqpUrl?: string;
  /** Rondo's RONDO_AMQP_PREFIX (default `rondo`). */
  readonly prefix?: string;
  /**
   * What the plugin's own queue names start with (default `prefix`). A specific manager
   * Rondo started gets it in `RONDO_AMQP_QUEUE_PREFIX`: its broker user may only make
   * queues under it, and may not declare the exchange (`connectManager` sets both).
   */
  readonly queuePrefix?: string;
  /** A bus instead of `amqpUrl` (tests, or a plugin living inside a Rondo process); it stays the caller's. */
  readonly bus?: PluginBus;
  /** How long registration and deregistration wait for the plugin manager (ms, default 10 000). */
  readonly requestTimeoutMs?: number;
  /**
   * Told what the plugin manager says about this plugin: `DEREGISTERED` (heartbeats stop;
   * connect again to come back) or `DEAD` (heartbeats were missed; the next one revives it).
   */
  readonly onLifecycle?: (message: PluginLifecycleMessage) => void;
  /** Told about failed handlers and heartbeats (default: stderr). */
  readonly onError?: (error: unknown, what: string) => void;
}

/** Options of {@link RondoPlugin.on}. */
export interface OnOptions {
  /**
   * Share the events among the replicas of this plugin (one gets each) and keep them
   * while none runs: a durable group named after the plugin and topic. Default false:
   * every instance hears every event published while it is connected.
   */
  readonly durable?: boolean;
}

/** A handler of one topic's events: the payload, typed by topic, and the event (id, key, time). */
export type PluginHandler<K extends keyof SdkTopics & string> = (payload: SdkTopics[K], event: BusEvent<SdkTopics, K>) => void | Promise<void>;

/** A registered plugin (see {@link connectPlugin}). */
export interface RondoPlugin {
  /** The id the plugin manager gave this plugin. */
  readonly uuid: string;
  /** What the registration answered (heartbeat interval and timeout). */
  readonly registration: PluginRegisterReply;
  readonly bus: PluginBus;
  /**
   * Calls `handler` for each event of `topic` (the `mano.*` lifecycle topics, or any
   * other), once per event id even when the bus delivers it again. Resolves once live.
   */
  on<K extends keyof SdkTopics & string>(topic: K, handler: PluginHandler<K>, opts?: OnOptions): Promise<void>;
  /** Answers the requests of `topic` (one replica of the plugin answers each). */
  serve<K extends keyof SdkTopics & string>(topic: K, handler: (payload: SdkTopics[K], event: BusEvent<SdkTopics, K>) => Promise<unknown>): Promise<void>;
  /** Sends a request and waits at most `timeoutMs` for its answer (the bus's request/response). */
  request<K extends keyof SdkTopics & string>(topic: K, payload: SdkTopics[K], timeoutMs: number): Promise<K extends keyof SdkReplies ? SdkReplies[K] : unknown>;
  /** Sends one heartbeat now (and resumes periodic heartbeats after {@link stopHeartbeats}). */
  heartbeat(): Promise<void>;
  /** Stops heartbeating, e.g. for maintenance: the manager marks the plugin DEAD after its timeout. */
  stopHeartbeats(): void;
  /** Deregisters (best effort, bounded by the request timeout), ends every handler and closes the bus if it opened it. Idempotent. */
  close(): Promise<void>;
}

/**
 * Connects a plugin to Rondo's broker, registers it with the plugin manager
 * (`platform.management.plugin.register`), heartbeats at the interval the manager gave,
 * and listens on its lifecycle topic. Rejects with RondoError `BUS_UNAVAILABLE` (no
 * broker), `BUS_NO_RESPONDER` / `BUS_REQUEST_TIMEOUT` (no plugin manager runs: start
 * Rondo with role worker or all on the same broker and prefix), `PLUGIN_INVALID`.
 */
export async function connectPlugin(o: ConnectPluginOptions): Promise<RondoPlugin> {
  const onError = o.onError ?? ((e: unknown, what: string) => process.stderr.write(`plugin ${o.name}: ${what}: ${e instanceof Error ? e.message : String(e)}\n`));
  const busError: BusErrorHandler = (e, ctx) => onError(e, `event bus: ${ctx.what}`);
  if (!o.bus && !o.amqpUrl) throw new RondoError('BUS_INVALID', 'connectPlugin: give amqpUrl (Rondo\'s RONDO_AMQP_URL) or a bus');
  const bus: PluginBus = o.bus ?? (await createAmqpBus<SdkTopics, SdkReplies>({
    url: o.amqpUrl as string, prefix: o.prefix ?? 'rondo', onError: busError,
    ...(o.queuePrefix ? { queuePrefix: o.queuePrefix, declareExchange: false } : {}),
  }));
  const timeoutMs = o.requestTimeoutMs ?? 10_000;
  const subs: BusSubscription[] = [];
  const seen = recentEventIds(1000);
  const served = new Set<string>(o.topics ?? []);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  let registration: PluginRegisterReply;
  try {
    registration = await bus.request(PLUGIN_TOPICS.register, { name: o.name, version: o.version, ...(o.description ? { description: o.description } : {}), topics: [...served] }, { timeoutMs });
  } catch (e) {
    if (!o.bus) await bus.close();
    if (e instanceof RondoError && (e.code === 'BUS_NO_RESPONDER' || e.code === 'BUS_REQUEST_TIMEOUT')) {
      throw new RondoError(e.code, `plugin ${o.name}: no plugin manager answered the registration; run Rondo with role worker or all on this broker and prefix (${o.prefix ?? 'rondo'})`, { cause: e });
    }
    throw e;
  }
  const uuid = registration.uuid;
  const beat = (): Promise<void> => bus.publish(PLUGIN_TOPICS.heartbeat, { uuid }).then(() => undefined);
  const startHeartbeats = (): void => {
    if (timer || closed) return;
    timer = setInterval(() => void beat().catch((e: unknown) => onError(e, 'heartbeat not sent')), registration.heartbeatIntervalMs);
    timer.unref();
  };
  const stopHeartbeats = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  subs.push(
    await bus.subscribe([pluginLifecycleTopic(uuid)], (e) => {
      if (e.payload.event === 'DEREGISTERED') stopHeartbeats();
      o.onLifecycle?.(e.payload);
    }),
  );
  startHeartbeats();

  // Group names are bus names: the plugin's name and the topic, joined.
  const groupOf = (topic: string) => `plugin.${o.name}.${topic}`.slice(0, 128);

  return {
    uuid,
    registration,
    bus,
    async on(topic, handler, opts = {}) {
      const once = async (e: BusEvent<SdkTopics, typeof topic>): Promise<void> => {
        if (seen.hasNow(topic, e.id)) return;
        await handler(e.payload, e);
        seen.addNow(topic, e.id);
      };
      served.add(topic);
      subs.push(opts.durable ? await bus.consume(groupOf(topic), [topic], once) : await bus.subscribe([topic], (e) => once(e).catch((err: unknown) => onError(err, `handler of ${topic} failed`))));
    },
    async serve(topic, handler) {
      subs.push(await bus.respond(groupOf(topic), [topic], (e) => handler(e.payload, e) as never));
      if (served.has(topic)) return;
      // Announce the topic: Rondo asks only plugins whose registration names a request topic.
      served.add(topic);
      await bus.request(PLUGIN_TOPICS.register, { name: o.name, version: o.version, ...(o.description ? { description: o.description } : {}), topics: [...served], uuid }, { timeoutMs });
    },
    request: (topic, payload, ms) => bus.request(topic, payload, { timeoutMs: ms }),
    async heartbeat() {
      await beat();
      startHeartbeats();
    },
    stopHeartbeats,
    async close() {
      if (closed) return;
      closed = true;
      stopHeartbeats();
      await bus.request(PLUGIN_TOPICS.deregister, { uuid }, { timeoutMs }).catch((e: unknown) => {
        // Already gone (an admin deregistered it) is what we wanted.
        if (!(e instanceof RondoError && e.code === 'PLUGIN_NOT_FOUND')) onError(e, 'deregistration not confirmed');
      });
      for (const s of subs) await s.close();
      if (!o.bus) await bus.close();
    },
  };
}
