/**
 * The cross-process event bus: one small typed interface, two implementations (in-process,
 * `in-process-bus.ts`, the embedded default; RabbitMQ, `amqp-bus.ts`, when
 * `RONDO_AMQP_URL` is set). `Topics` maps each topic name to its payload type, as the
 * local {@link EventBus} does.
 *
 * Two ways to listen:
 * - {@link Bus.subscribe} — fan-out: every process (every bus instance) gets every event of
 *   its topics, in publish order, while it is subscribed. For what each process needs for
 *   itself: SSE streams, waking the local worker, cache invalidation. An event published
 *   while a process is not subscribed (or not connected) is not replayed to it.
 * - {@link Bus.consume} — a consumer group: each event goes to one member of the group, at
 *   least once. The group's queue outlives its members (and a broker restart, on
 *   RabbitMQ): events wait for a member. A member that dies (or closes) before its handler
 *   resolved gets its unfinished events redelivered to another member, flagged
 *   `redelivered`. For work that must happen once per deployment: SOL005 notifications,
 *   operation counters. Handlers must be idempotent by {@link BusEvent.id} (see
 *   `idempotent()`): a redelivered event, or one republished by the outbox relay after a
 *   crash, carries the same id.
 *
 * Request/response ({@link Bus.request}, {@link Bus.respond}): a request is an event of its
 * topic that also carries a correlation id and a reply-to address. One member of a
 * responder group answers it; the requester waits for that answer, always with a timeout.
 * A request nobody can receive (no group and no subscriber has its topic) fails at once; one nobody
 * answers in time fails with a timeout and is dropped from the group's queue (it never
 * reaches a responder that joins later). Fan-out subscribers of the topic see requests as
 * plain events.
 *
 * Ordering: one publisher's events reach each subscription in publish order. An ordered
 * group (the default) has one active member at a time, the others standing by, and
 * handles its events one after another: per-NS order holds through failovers. An
 * unordered group spreads events over its members (competing consumers, up to `prefetch`
 * in flight each) and gives up order for throughput.
 */

/** The implementations. */
export const BUS_KINDS = ['in-process', 'amqp'] as const;
export type BusKind = (typeof BUS_KINDS)[number];

/** What every event carries besides its topic and payload. */
export interface BusEnvelope {
  /** Unique per event, and the same on every delivery of it: consumers dedupe on it. */
  readonly id: string;
  /** The ordering key (the NS instance id of lifecycle events); null when it has none. */
  readonly key: string | null;
  /** When the event was made (ISO 8601): for outbox events, when the change was written. */
  readonly time: string;
  /** True when this event may have been delivered to the group before (a member died before its ack). */
  readonly redelivered: boolean;
}

/** One event of topic `K` (a union over the topics of `K`, so `switch (e.topic)` narrows the payload). */
export type BusEvent<Topics extends object, K extends keyof Topics & string = keyof Topics & string> = {
  [T in K]: BusEnvelope & { readonly topic: T; readonly payload: Topics[T] };
}[K];

/** Options of {@link Bus.publish}. */
export interface PublishOptions {
  /** The event id; default a new UUID. The outbox relay passes the id written with the change. */
  readonly id?: string;
  /** The ordering key (NS instance id). */
  readonly key?: string | null;
  /** When the event was made; default now. */
  readonly time?: string;
}

/** Options of {@link Bus.consume}. */
export interface ConsumeOptions {
  /**
   * One active member at a time, events one after another (default true). Fixed per
   * group: every member must ask for the same (RabbitMQ refuses a queue redeclared with
   * other arguments).
   */
  readonly ordered?: boolean;
  /** Events in flight per member of an unordered group (default 8). */
  readonly prefetch?: number;
  /**
   * Calls of the handler per event before it is given up (reported to the bus's
   * `onError` and acknowledged), one after another in place so order holds; default 3.
   */
  readonly attempts?: number;
  /** Pause before a failed handler is called again (ms, default 200, doubling). */
  readonly retryDelayMs?: number;
}

/** Options of {@link Bus.request}. */
export interface RequestOptions {
  /** How long to wait for the answer (ms). Required: a request always has a timeout. */
  readonly timeoutMs: number;
  /** The request's event id (default a new UUID); also its correlation id. */
  readonly id?: string;
  /** The ordering key (NS instance id). */
  readonly key?: string | null;
}

/** Options of {@link Bus.respond}. */
export interface RespondOptions {
  /** Requests in flight per member (default 8); responder groups are unordered. */
  readonly prefetch?: number;
}

/** The reply type of topic `K`: `Replies[K]` when the bus names one, else `unknown`. */
export type ReplyOf<Replies extends object, K extends string> = K extends keyof Replies ? Replies[K] : unknown;

/**
 * Responder: resolves with the answer (sent back to the requester), or throws (the
 * requester's promise rejects with the error's code when it is a RondoError code, else
 * `BUS_REQUEST_FAILED`). Called once per request: never retried.
 */
export type Responder<Topics extends object, Replies extends object, K extends keyof Topics & string> = (event: BusEvent<Topics, K>) => Promise<ReplyOf<Replies, K>>;

/** How a responder's failure travels back to the requester (the reply's `error`). */
export interface WireReplyError {
  readonly code: string;
  readonly message: string;
}

/** One reply on the wire: `{ ok }` or `{ error }`. */
export type WireReply = { readonly ok: unknown } | { readonly error: WireReplyError };

/** A live subscription or group membership. */
export interface BusSubscription {
  /** Stops delivery to this handler; unfinished group events go back to the group. Idempotent. */
  close(): Promise<void>;
}

/** What `/readyz` and `rondo doctor` show. */
export interface BusStatus {
  readonly kind: BusKind;
  /** In-process: always true while open. RabbitMQ: the connection is up. */
  readonly connected: boolean;
  /** Where it connects (RabbitMQ: the URL without its credentials). */
  readonly target: string;
  /** Why it is not connected, when it is not. */
  readonly error?: string;
}

/** Fan-out handler: its promise is not awaited (a slow one must not hold back the others); a rejection is reported. */
export type FanoutHandler<Topics extends object, K extends keyof Topics & string> = (event: BusEvent<Topics, K>) => void | Promise<void>;
/** Group handler: the event is acknowledged once it resolves. */
export type GroupHandler<Topics extends object, K extends keyof Topics & string> = (event: BusEvent<Topics, K>) => Promise<void>;

/**
 * The cross-process event bus (see the module comment for the delivery guarantees).
 * `Replies` maps request topics to their answers' types (see {@link Bus.request}).
 */
export interface Bus<Topics extends object, Replies extends object = Record<never, never>> {
  readonly kind: BusKind;
  /**
   * Publishes one event; resolves with its id once the bus holds it (in-process: queued
   * for every subscription and group; RabbitMQ: the broker confirmed it, persistent).
   * Rejects with RondoError `BUS_UNAVAILABLE` when it cannot be confirmed in time (the
   * event may still arrive: publish it again with the same id) or the bus is closed.
   */
  publish<K extends keyof Topics & string>(topic: K, payload: Topics[K], opts?: PublishOptions): Promise<string>;
  /**
   * Fan-out: `handler` gets every later event of `topics` published by any process, in
   * order. Resolves once the subscription is live (RabbitMQ: bound on the broker; while
   * disconnected it resolves at once and binds on reconnection).
   */
  subscribe<K extends keyof Topics & string>(topics: readonly K[], handler: FanoutHandler<Topics, K>): Promise<BusSubscription>;
  /**
   * Joins consumer group `group` for `topics`: each event of the group reaches one
   * member, at least once (see the module comment). The group receives events from the
   * first `consume` of it on; its bindings add up over its members.
   */
  consume<K extends keyof Topics & string>(group: string, topics: readonly K[], handler: GroupHandler<Topics, K>, opts?: ConsumeOptions): Promise<BusSubscription>;
  /**
   * Sends a request on `topic` (correlation id and reply-to attached) and resolves with the
   * answer of one member of a responder group ({@link Bus.respond}). Rejects with
   * RondoError `BUS_NO_RESPONDER` at once when nobody receives `topic` (no group, no subscriber),
   * `BUS_REQUEST_TIMEOUT` when no answer came within `timeoutMs` (the request is then
   * dropped, never answered later), the responder's error code (or `BUS_REQUEST_FAILED`)
   * when it threw, and `BUS_UNAVAILABLE` as {@link Bus.publish} does.
   */
  request<K extends keyof Topics & string>(topic: K, payload: Topics[K], opts: RequestOptions): Promise<ReplyOf<Replies, K>>;
  /**
   * Joins responder group `group` for the requests of `topics`: each request reaches one
   * member (competing, unordered), whose `handler` answers it. Requests whose requester
   * gave up are skipped. Events of `topics` published without a reply-to (plain
   * `publish`) are acknowledged without calling `handler`.
   */
  respond<K extends keyof Topics & string>(group: string, topics: readonly K[], handler: Responder<Topics, Replies, K>, opts?: RespondOptions): Promise<BusSubscription>;
  status(): BusStatus;
  /** Ends every subscription of this instance (unfinished group events are redelivered to other members) and disconnects. Idempotent. */
  close(): Promise<void>;
}

/** Told about failures the bus handles itself: a handler given up, a lost connection, a bad message. */
export type BusErrorHandler = (error: unknown, context: { readonly topic?: string; readonly eventId?: string; readonly group?: string; readonly what: string }) => void;

/** Group names and topics are plain words joined by dots, dashes and underscores (they become queue names and routing keys). */
export const BUS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
