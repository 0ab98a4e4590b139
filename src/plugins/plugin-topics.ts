import type { OpState, OpType } from '../model/index.js';

/**
 * The plugin protocol on the event bus, in the spirit of SONATA's
 * `platform.management.plugin.*` topics (docs/plugins.md describes it for plugin authors).
 * Plugins reach Rondo only through these topics; the same names and payloads travel on
 * the in-process bus and on RabbitMQ (routing key = topic, body = JSON payload).
 */

/** Topic names of the plugin manager (requests, heartbeats, status). */
export const PLUGIN_TOPICS = {
  /** Request: a plugin registers ({@link PluginRegisterRequest} → {@link PluginRegisterReply}). */
  register: 'platform.management.plugin.register',
  /** Event: a registered plugin is alive ({@link PluginHeartbeat}). */
  heartbeat: 'platform.management.plugin.heartbeat',
  /** Request: a plugin leaves ({@link PluginDeregisterRequest} → {@link PluginDeregisterReply}). */
  deregister: 'platform.management.plugin.deregister',
  /** Event, from the manager: a plugin's state changed ({@link PluginStatusEvent}). */
  status: 'platform.management.plugin.status',
} as const;

/** The topic on which the manager tells one plugin about itself ({@link PluginLifecycleMessage}). */
export const pluginLifecycleTopic = (pluginId: string): PluginLifecycleTopic => `platform.management.plugin.${pluginId}.lifecycle`;
export type PluginLifecycleTopic = `platform.management.plugin.${string}.lifecycle`;

/** States of a registered plugin: it heartbeats (`ACTIVE`) or its heartbeats stopped (`DEAD`). */
export const PLUGIN_STATES = ['ACTIVE', 'DEAD'] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];

/** What a plugin's status events say happened. */
export const PLUGIN_STATUS_CHANGES = ['REGISTERED', 'DEAD', 'ALIVE', 'DEREGISTERED'] as const;
export type PluginStatusChange = (typeof PLUGIN_STATUS_CHANGES)[number];

/** `platform.management.plugin.register`. */
export interface PluginRegisterRequest {
  /** Letters, digits, `.`, `_`, `-`; at most 64. Several plugins may share a name (replicas). */
  readonly name: string;
  /** At most 64 characters. */
  readonly version: string;
  readonly description?: string;
  /** The topics this plugin serves or listens to (bus topic names), at most 100. */
  readonly topics: readonly string[];
  /**
   * A re-registration: the id a registration answered before. The plugin keeps its id and
   * its topics become these (the SDK's `serve()` announces a topic it starts serving so).
   */
  readonly uuid?: string;
}

/** The answer to a registration. */
export interface PluginRegisterReply {
  readonly status: 'OK';
  /** The plugin's id: its heartbeats, deregistration and lifecycle topic carry it. */
  readonly uuid: string;
  readonly name: string;
  readonly version: string;
  /** How often to heartbeat (ms). */
  readonly heartbeatIntervalMs: number;
  /** Heartbeats older than this (ms) make the plugin `DEAD`. */
  readonly heartbeatTimeoutMs: number;
}

/** `platform.management.plugin.heartbeat`. */
export interface PluginHeartbeat {
  readonly uuid: string;
}

/** `platform.management.plugin.deregister`. */
export interface PluginDeregisterRequest {
  readonly uuid: string;
}

/** The answer to a deregistration (RondoError `PLUGIN_NOT_FOUND` for an unknown uuid). */
export interface PluginDeregisterReply {
  readonly status: 'OK';
  readonly uuid: string;
}

/** `platform.management.plugin.status`: every change of the registry. */
export interface PluginStatusEvent {
  readonly uuid: string;
  readonly name: string;
  readonly version: string;
  readonly change: PluginStatusChange;
  /** The plugin's state after the change; null once it left the registry. */
  readonly state: PluginState | null;
  readonly time: string;
}

/** Why the manager writes to a plugin's lifecycle topic. */
export const PLUGIN_LIFECYCLE_EVENTS = ['DEREGISTERED', 'DEAD'] as const;
export type PluginLifecycleEventKind = (typeof PLUGIN_LIFECYCLE_EVENTS)[number];

/**
 * `platform.management.plugin.<uuid>.lifecycle`: `DEREGISTERED` (an admin removed it, or
 * it heartbeats with an id the registry does not know: it must register again to come
 * back) or `DEAD` (its heartbeats stopped long enough; a later heartbeat makes it
 * `ACTIVE` again).
 */
export interface PluginLifecycleMessage {
  readonly uuid: string;
  readonly event: PluginLifecycleEventKind;
  readonly reason: string;
  readonly time: string;
}

// ---- service and function lifecycle events ------------------------------------------

/** Topics of the NS (service) and VNF (function) lifecycle events plugins subscribe to. */
export const MANO_TOPICS = {
  instantiateStart: 'mano.service.instantiate.start',
  instantiateEnd: 'mano.service.instantiate.end',
  terminateStart: 'mano.service.terminate.start',
  terminateEnd: 'mano.service.terminate.end',
  healStart: 'mano.service.heal.start',
  healEnd: 'mano.service.heal.end',
  functionStart: 'mano.function.start',
  functionStop: 'mano.function.stop',
} as const;
export type ManoTopic = (typeof MANO_TOPICS)[keyof typeof MANO_TOPICS];

/** The operations whose start and end are published, with their topics. */
export const SERVICE_EVENT_OPS = {
  INSTANTIATE: { start: MANO_TOPICS.instantiateStart, end: MANO_TOPICS.instantiateEnd },
  TERMINATE: { start: MANO_TOPICS.terminateStart, end: MANO_TOPICS.terminateEnd },
  HEAL: { start: MANO_TOPICS.healStart, end: MANO_TOPICS.healEnd },
} as const satisfies Partial<Record<OpType, { start: ManoTopic; end: ManoTopic }>>;

/** `mano.service.<operation>.start|end`: one NS operation began running, or its run ended. */
export interface ServiceLifecycleEvent {
  readonly nsInstanceId: string;
  readonly tenant: string;
  /** The NS LCM operation occurrence (SOL005 `nsLcmOpOccId`). */
  readonly nsLcmOpOccId: string;
  readonly lcmOperationType: OpType;
  /** `PROCESSING` at start; at the end the state the run ended in (`COMPLETED`, `FAILED_TEMP`, `ROLLED_BACK`, …). */
  readonly operationState: OpState;
  readonly isAutomaticInvocation: boolean;
  /** When the operation started, and when this state was entered (ISO 8601). */
  readonly startTime: string;
  readonly statusEnteredTime: string;
}

/** `mano.function.start` / `mano.function.stop`: one VNF of an NS. */
export interface FunctionLifecycleEvent {
  readonly nsInstanceId: string;
  readonly tenant: string;
  readonly nsLcmOpOccId: string;
  readonly vnfInstanceId: string;
  /** The VNF's member id in the NSD (`vnf_id` of 5GTANGO, the VNF profile of SOL001). */
  readonly memberId: string;
  readonly vnfdId: string | null;
  /** The PoP the VNF runs on. */
  readonly popId: string;
  readonly computeIds: readonly string[];
  readonly time: string;
}

/**
 * Request topic of a placement SSM (SONATA's placement hook): where each VNF of an NS
 * should run. INSTANTIATE asks it when a registered `ACTIVE` plugin names it in its
 * registration's `topics` (src/app/plugin-wiring.ts `createPlacementAdvisor`).
 */
export const PLACEMENT_TOPIC = 'mano.service.place';

/** `mano.service.place` request. */
export interface PlacementRequest {
  readonly nsInstanceId: string;
  /** The VNFs to place: member id and VNFD id. */
  readonly vnfs: readonly { readonly memberId: string; readonly vnfdId: string | null }[];
  /** The PoPs Rondo could use. */
  readonly pops: readonly string[];
}

/** `mano.service.place` answer: a PoP per member id (members it leaves out keep Rondo's own placement). */
export interface PlacementReply {
  readonly placement: Readonly<Record<string, string>>;
}

/** Every topic of the protocol with its payload (what the bus carries for plugins). */
export type PluginTopics = {
  readonly [PLUGIN_TOPICS.register]: PluginRegisterRequest;
  readonly [PLUGIN_TOPICS.heartbeat]: PluginHeartbeat;
  readonly [PLUGIN_TOPICS.deregister]: PluginDeregisterRequest;
  readonly [PLUGIN_TOPICS.status]: PluginStatusEvent;
  readonly [MANO_TOPICS.instantiateStart]: ServiceLifecycleEvent;
  readonly [MANO_TOPICS.instantiateEnd]: ServiceLifecycleEvent;
  readonly [MANO_TOPICS.terminateStart]: ServiceLifecycleEvent;
  readonly [MANO_TOPICS.terminateEnd]: ServiceLifecycleEvent;
  readonly [MANO_TOPICS.healStart]: ServiceLifecycleEvent;
  readonly [MANO_TOPICS.healEnd]: ServiceLifecycleEvent;
  readonly [MANO_TOPICS.functionStart]: FunctionLifecycleEvent;
  readonly [MANO_TOPICS.functionStop]: FunctionLifecycleEvent;
  readonly [PLACEMENT_TOPIC]: PlacementRequest;
} & { readonly [K in PluginLifecycleTopic]: PluginLifecycleMessage };

/** The answers of the protocol's request topics. */
export interface PluginReplies {
  readonly 'platform.management.plugin.register': PluginRegisterReply;
  readonly 'platform.management.plugin.deregister': PluginDeregisterReply;
  readonly 'mano.service.place': PlacementReply;
}
