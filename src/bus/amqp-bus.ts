import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { RondoError } from '../model/index.js';
import type { Bus, BusErrorHandler, BusEvent, BusStatus, BusSubscription, ConsumeOptions, FanoutHandler, GroupHandler, PublishOptions, ReplyOf, RequestOptions, RespondOptions, Responder } from './bus.js';
import { answerOf, checkTimeout, noResponder, replyOf, requestTimeout } from './bus-reply.js';
import { checkBusName, groupSettings, runGroupHandler } from './group-delivery.js';
import type { GroupSettings } from './group-delivery.js';

/** Options of {@link createAmqpBus}. */
export interface AmqpBusOptions {
  /** `amqp://user:password@host:5672/vhost`; a `heartbeat` of 10 s is added unless the URL sets one. */
  readonly url: string;
  /**
   * Names on the broker start with it: the exchange `<prefix>.events`, group queues
   * `<prefix>.group.<group>`, fan-out queues `<prefix>.fanout.<random>`. Deployments (or
   * test runs) sharing a broker use different prefixes. Default `rondo`.
   */
  readonly prefix?: string;
  /**
   * What this instance's own queue names start with instead of `prefix` (group, fan-out
   * and reply queues; the exchange keeps `prefix`). A specific manager's broker user may
   * only make queues under its own (docs/plugins.md, "Broker permissions"). Default `prefix`.
   */
  readonly queuePrefix?: string;
  /**
   * Declare the exchange (default true). False only checks that it exists (a passive
   * declare), for a user without configure permission on it (a specific manager).
   */
  readonly declareExchange?: boolean;
  /** Opens the connection (default amqplib's `connect`). */
  readonly connect?: (url: string) => Promise<ChannelModel>;
  /** How long `publish` waits for a connection and the broker's confirm (default 10 s). */
  readonly publishTimeoutMs?: number;
  /** How long {@link createAmqpBus} tries to make the first connection (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Pause between reconnection attempts: from `min`, doubling up to `max` (default 250 ms … 5 s). */
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  readonly onError?: BusErrorHandler;
  /** Told when the connection is made, lost or made again. */
  readonly onStatus?: (status: BusStatus) => void;
}

/** The broker names a prefix gives (tests delete them afterwards). */
export function amqpNames(prefix: string): { readonly exchange: string; groupQueue(group: string): string } {
  return { exchange: `${prefix}.events`, groupQueue: (group) => `${prefix}.group.${group}` };
}

/** The URL without its credentials (and query), for logs and `/readyz`. */
export function redactAmqpUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.href;
  } catch {
    return 'amqp://(invalid URL)';
  }
}

const KEY_HEADER = 'x-rondo-key';
const TIME_HEADER = 'x-rondo-time';
/** Requests: when the requester gives up (epoch ms); a responder skips a request past it. */
const DEADLINE_HEADER = 'x-rondo-deadline';
/** Events handled at once by one member of an ordered group are still one after another; these are fetched ahead. */
const ORDERED_PREFETCH = 16;
const FANOUT_PREFETCH = 256;

interface Member {
  readonly group: string;
  readonly topics: readonly string[];
  readonly handler: (e: BusEvent<Record<string, unknown>>) => Promise<void>;
  readonly settings: GroupSettings;
  /** Responder groups: answers a request (the handler above is not called). */
  readonly answer?: (e: BusEvent<Record<string, unknown>>) => Promise<unknown>;
  /** The channel its consumer lives on; null while disconnected. */
  ch: Channel | null;
  /** Ordered groups: the chain that runs events one after another. */
  chain: Promise<void>;
  gone: boolean;
}

interface FanoutSub {
  readonly topics: ReadonlySet<string>;
  readonly handler: (e: BusEvent<Record<string, unknown>>) => void | Promise<void>;
}

const withHeartbeat = (url: string): string => {
  try {
    const u = new URL(url);
    if (!u.searchParams.has('heartbeat')) u.searchParams.set('heartbeat', '10');
    return u.href;
  } catch {
    return url;
  }
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Closes a connection or channel, waiting at most 2 s: a dead socket never answers the close. */
const closeQuietly = (c: { close(): Promise<void> } | null | undefined): Promise<void> =>
  c ? Promise.race([c.close().catch(() => undefined), sleep(2000)]) : Promise.resolve();

/**
 * The RabbitMQ {@link Bus}, over amqplib. One durable topic exchange; the routing key is
 * the topic. A consumer group is a durable queue `<prefix>.group.<group>` bound to its
 * topics (`x-single-active-consumer` when ordered: one member consumes, the others take
 * over in turn); a process's fan-out subscriptions share one exclusive, auto-deleted
 * queue. Messages are persistent and published on a confirm channel; group messages
 * are acknowledged manually after the handler resolved, so the broker requeues what a
 * member that died (or closed) had not finished. A lost connection is made again with
 * back-off, and every subscription and group membership with it; fan-out events
 * published meanwhile are missed, group events wait in their queues.
 *
 * Resolves once connected; rejects with RondoError `BUS_UNAVAILABLE` when the broker does
 * not answer within `connectTimeoutMs`.
 */
export async function createAmqpBus<Topics extends object, Replies extends object = Record<never, never>>(o: AmqpBusOptions): Promise<Bus<Topics, Replies>> {
  const prefix = o.prefix ?? 'rondo';
  checkBusName('group', prefix);
  const queuePrefix = o.queuePrefix ?? prefix;
  checkBusName('group', queuePrefix);
  const names = { exchange: amqpNames(prefix).exchange, groupQueue: amqpNames(queuePrefix).groupQueue };
  const connect = o.connect ?? ((url: string) => amqp.connect(url));
  const url = withHeartbeat(o.url);
  const target = redactAmqpUrl(o.url);
  const onError: BusErrorHandler = o.onError ?? (() => undefined);
  const publishTimeoutMs = o.publishTimeoutMs ?? 10_000;
  const delays = o.reconnectDelayMs ?? { min: 250, max: 5000 };

  let model: ChannelModel | null = null;
  let pub: ConfirmChannel | null = null;
  let connected = false;
  let closed = false;
  let lastError: string | undefined;
  let reconnecting: Promise<void> | null = null;
  const members = new Set<Member>();
  const fanoutSubs = new Set<FanoutSub>();
  let fanout: { model: ChannelModel; ch: Channel; queue: string; bound: Set<string> } | null = null;
  let onConnected: { promise: Promise<void>; resolve: () => void } = deferred();
  /** Requests waiting for their answer, by correlation id. */
  const pending = new Map<string, { readonly resolve: (r: unknown) => void; readonly reject: (e: unknown) => void }>();
  /** This instance's reply queue (made at its first request, again after a reconnection). */
  let replies: { model: ChannelModel; queue: string } | null = null;

  const status = (): BusStatus => ({ kind: 'amqp', connected, target, ...(connected || !lastError ? {} : { error: lastError }) });

  const eventOf = (msg: ConsumeMessage): BusEvent<Record<string, unknown>> => {
    const headers = msg.properties.headers ?? {};
    const key = headers[KEY_HEADER];
    const time = headers[TIME_HEADER];
    return {
      id: String(msg.properties.messageId ?? ''),
      topic: msg.fields.routingKey,
      key: typeof key === 'string' ? key : null,
      time: typeof time === 'string' ? time : new Date().toISOString(),
      payload: JSON.parse(msg.content.toString('utf8')) as unknown,
      redelivered: msg.fields.redelivered,
    } as BusEvent<Record<string, unknown>>;
  };

  // ---- consumers ---------------------------------------------------------------------

  const onFanout = (ch: Channel, msg: ConsumeMessage | null): void => {
    if (!msg) return;
    let event: BusEvent<Record<string, unknown>>;
    try {
      event = eventOf(msg);
    } catch (e) {
      onError(e, { topic: msg.fields.routingKey, what: 'undecodable message dropped' });
      safeAck(ch, msg);
      return;
    }
    for (const s of [...fanoutSubs]) {
      if (!s.topics.has(event.topic)) continue;
      try {
        const r = s.handler(event);
        if (r instanceof Promise) r.catch((e: unknown) => onError(e, { topic: event.topic, eventId: event.id, what: 'subscriber failed' }));
      } catch (e) {
        onError(e, { topic: event.topic, eventId: event.id, what: 'subscriber failed' });
      }
    }
    safeAck(ch, msg);
  };

  const safeAck = (ch: Channel, msg: ConsumeMessage): void => {
    try {
      ch.ack(msg);
    } catch {
      // The channel closed meanwhile: the broker requeued the message already.
    }
  };

  const onGroup = (m: Member, ch: Channel, msg: ConsumeMessage | null): void => {
    if (!msg) {
      // The broker cancelled the consumer (its queue was deleted): join again.
      if (!m.gone && m.ch === ch) {
        m.ch = null;
        void closeQuietly(ch);
        if (model) void establishMember(m).catch((e: unknown) => onError(e, { group: m.group, what: 'could not join the group again' }));
      }
      return;
    }
    const handle = async (): Promise<void> => {
      const stale = () => m.gone || m.ch !== ch;
      if (stale()) return;
      let event: BusEvent<Record<string, unknown>>;
      try {
        event = eventOf(msg);
      } catch (e) {
        onError(e, { topic: msg.fields.routingKey, group: m.group, what: 'undecodable message dropped' });
        safeAck(ch, msg);
        return;
      }
      if (m.answer) await answer(m.answer, event, msg);
      else await runGroupHandler(() => m.handler(event), m.settings, stale, onError, { topic: event.topic, eventId: event.id, group: m.group });
      if (!stale()) safeAck(ch, msg);
    };
    if (m.settings.ordered) m.chain = m.chain.then(handle);
    else void handle();
  };

  /** Answers one request (a plain event of the topic, or one its requester gave up, is skipped). */
  const answer = async (handler: NonNullable<Member['answer']>, event: BusEvent<Record<string, unknown>>, msg: ConsumeMessage): Promise<void> => {
    const { replyTo, correlationId } = msg.properties as { replyTo?: unknown; correlationId?: unknown };
    const deadline = Number(msg.properties.headers?.[DEADLINE_HEADER]);
    if (typeof replyTo !== 'string' || replyTo === '' || typeof correlationId !== 'string' || !(deadline >= Date.now())) return;
    let outcome: { ok: unknown } | { failed: unknown };
    try {
      outcome = { ok: await handler(event) };
    } catch (e) {
      outcome = { failed: e };
    }
    const channel = pub;
    if (!channel) return onError(new Error('no publish channel'), { topic: event.topic, eventId: event.id, what: 'answer not sent (the requester times out)' });
    // To the default exchange: the routing key is the requester's reply queue.
    await new Promise<void>((resolve) => {
      try {
        channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(replyOf(outcome))), { correlationId, contentType: 'application/json' }, (err: unknown) => {
          if (err) onError(err, { topic: event.topic, eventId: event.id, what: 'answer not confirmed (the requester times out)' });
          resolve();
        });
      } catch (e) {
        onError(e, { topic: event.topic, eventId: event.id, what: 'answer not sent (the requester times out)' });
        resolve();
      }
    });
  };

  // One set-up at a time: two requests made at once share one reply queue.
  let replySetup: Promise<string> | null = null;
  const replyQueue = async (): Promise<string> => {
    const current = model;
    if (!current) throw new RondoError('BUS_UNAVAILABLE', `the broker at ${target} is not connected; send the request again`);
    if (replies && replies.model === current) return replies.queue;
    return (replySetup ??= (async () => {
      const ch = await current.createChannel();
      ch.on('error', (e: unknown) => onError(e, { what: 'reply channel error' }));
      const { queue } = await ch.assertQueue(`${queuePrefix}.reply.${randomUUID().slice(0, 8)}`, { exclusive: true, autoDelete: true, durable: false });
      await ch.consume(queue, (msg) => {
        if (!msg) return;
        const waiting = pending.get(String(msg.properties.correlationId ?? ''));
        if (!waiting) return;
        try {
          waiting.resolve(JSON.parse(msg.content.toString('utf8')) as unknown);
        } catch (e) {
          waiting.reject(new RondoError('BUS_REQUEST_FAILED', 'the answer is not JSON', { cause: e }));
        }
      }, { noAck: true });
      ch.on('close', () => {
        if (replies?.queue === queue) replies = null;
      });
      replies = { model: current, queue };
      return queue;
    })().finally(() => {
      replySetup = null;
    }));
  };

  /** A request published with `mandatory` that no queue took comes back: nobody serves its topic. */
  const onReturned = (msg: ConsumeMessage): void => {
    pending.get(String(msg.properties.correlationId ?? ''))?.reject(noResponder(msg.fields.routingKey));
  };

  const establishMember = async (m: Member): Promise<void> => {
    const current = model;
    if (!current) return;
    const ch = await current.createChannel();
    ch.on('error', (e: unknown) => onError(e, { group: m.group, what: 'group channel error' }));
    // A channel the broker closed while the connection stays (an error on it) is made again.
    ch.on('close', () => {
      if (m.ch !== ch || m.gone || closed) return;
      m.ch = null;
      if (model === current) void sleep(delays.min).then(() => (model === current && !m.gone && m.ch === null ? establishMember(m) : undefined)).catch((e: unknown) => onError(e, { group: m.group, what: 'could not join the group again' }));
    });
    const queue = names.groupQueue(m.group);
    try {
      await ch.assertQueue(queue, { durable: true, arguments: m.settings.ordered ? { 'x-single-active-consumer': true } : {} });
    } catch (e) {
      // PRECONDITION_FAILED: the queue exists with other arguments (the other ordering).
      if ((e as { code?: number }).code === 406) {
        throw new RondoError('BUS_INVALID', `bus group '${m.group}' exists on the broker with another ordering (queue ${queue}); every member must join it the same way`, { cause: e });
      }
      throw e;
    }
    for (const t of m.topics) await ch.bindQueue(queue, names.exchange, t);
    await ch.prefetch(m.settings.ordered ? ORDERED_PREFETCH : m.settings.prefetch);
    if (m.gone || model !== current) {
      await closeQuietly(ch);
      return;
    }
    m.ch = ch;
    m.chain = Promise.resolve();
    await ch.consume(queue, (msg) => onGroup(m, ch, msg), { noAck: false });
  };

  // One set-up at a time: two subscriptions made at once must share one fan-out queue.
  let fanoutSetup: Promise<void> = Promise.resolve();
  const establishFanout = (): Promise<void> => {
    const run = fanoutSetup.then(() => establishFanoutNow());
    fanoutSetup = run.catch(() => undefined);
    return run;
  };

  const establishFanoutNow = async (): Promise<void> => {
    const current = model;
    if (!current || fanoutSubs.size === 0) return;
    // A queue of an earlier connection went with it.
    if (fanout && fanout.model !== current) fanout = null;
    if (!fanout) {
      const ch = await current.createChannel();
      ch.on('error', (e: unknown) => onError(e, { what: 'fan-out channel error' }));
      const { queue } = await ch.assertQueue(`${queuePrefix}.fanout.${randomUUID().slice(0, 8)}`, { exclusive: true, autoDelete: true, durable: false });
      await ch.prefetch(FANOUT_PREFETCH);
      const made = { model: current, ch, queue, bound: new Set<string>() };
      ch.on('close', () => {
        if (fanout !== made || closed) return;
        fanout = null;
        if (model === current) void sleep(delays.min).then(() => (model === current ? establishFanout() : undefined)).catch((e: unknown) => onError(e, { what: 'could not subscribe again' }));
      });
      fanout = made;
      await ch.consume(queue, (msg) => onFanout(ch, msg), { noAck: false });
    }
    const f = fanout;
    for (const s of fanoutSubs) {
      for (const t of s.topics) {
        if (f.bound.has(t)) continue;
        await f.ch.bindQueue(f.queue, names.exchange, t);
        f.bound.add(t);
      }
    }
  };

  // ---- connection --------------------------------------------------------------------

  const lost = (why: unknown): void => {
    if (closed) return;
    const wasConnected = connected;
    connected = false;
    lastError = why instanceof Error ? why.message : String(why ?? 'connection closed');
    model = null;
    pub = null;
    fanout = null;
    replies = null;
    for (const m of members) m.ch = null;
    if (wasConnected) {
      // Publications from now on wait for the next connection.
      onConnected = deferred();
      o.onStatus?.(status());
    }
    void reconnect();
  };

  const connectOnce = async (): Promise<void> => {
    const m = await connect(url);
    let dropped = false;
    m.on('error', (e: unknown) => onError(e, { what: 'connection error' }));
    m.on('close', (e: unknown) => {
      dropped = true;
      if (model === m) lost(e ?? new Error('connection closed by the broker'));
    });
    try {
      const p = await m.createConfirmChannel();
      p.on('error', (e: unknown) => onError(e, { what: 'publish channel error' }));
      p.on('return', onReturned);
      // A publish channel the broker closed (it refused something) is made again on the same connection.
      p.on('close', () => {
        if (pub !== p || model !== m || closed) return;
        pub = null;
        void m.createConfirmChannel().then(
          (again) => {
            again.on('error', (e: unknown) => onError(e, { what: 'publish channel error' }));
            again.on('return', onReturned);
            if (model === m) pub = again;
          },
          (e: unknown) => onError(e, { what: 'could not open a publish channel again' }),
        );
      });
      if (o.declareExchange === false) await p.checkExchange(names.exchange);
      else await p.assertExchange(names.exchange, 'topic', { durable: true });
      model = m;
      pub = p;
      await establishFanout();
      for (const member of members) if (!member.gone) await establishMember(member);
      if (dropped) throw new Error('connection closed while subscribing');
    } catch (e) {
      if (model === m) model = null;
      pub = null;
      fanout = null;
      for (const member of members) member.ch = null;
      await closeQuietly(m);
      throw e;
    }
    connected = true;
    lastError = undefined;
    o.onStatus?.(status());
    onConnected.resolve();
  };

  const reconnect = (): Promise<void> =>
    (reconnecting ??= (async () => {
      let delay = delays.min;
      while (!closed && !connected) {
        try {
          await connectOnce();
        } catch (e) {
          lastError = e instanceof Error ? e.message : String(e);
          onError(e, { what: `cannot connect to ${target}; trying again in ${delay} ms` });
          await sleep(delay);
          delay = Math.min(delays.max, delay * 2);
        }
      }
    })().finally(() => {
      reconnecting = null;
    }));

  const waitConnected = async (timeoutMs: number): Promise<void> => {
    if (connected) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        onConnected.promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RondoError('BUS_UNAVAILABLE', `the broker at ${target} is not connected${lastError ? ` (${lastError})` : ''}; is RabbitMQ running?`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (closed) throw new RondoError('BUS_UNAVAILABLE', 'the event bus is closed');
  };

  // The first connection, tried for connectTimeoutMs.
  void reconnect();
  try {
    await waitConnected(o.connectTimeoutMs ?? 10_000);
  } catch (e) {
    closed = true;
    onConnected.resolve();
    // Assigned by the reconnection loop (TypeScript cannot see it from here).
    await closeQuietly(model as ChannelModel | null);
    throw e;
  }

  const join = async (group: string, topics: readonly string[], handler: Member['handler'], settings: GroupSettings, answerWith?: Member['answer']): Promise<BusSubscription> => {
    if (closed) throw new RondoError('BUS_UNAVAILABLE', 'the event bus is closed');
    checkBusName('group', group);
    for (const t of topics) checkBusName('topic', t);
    const m: Member = { group, topics: [...topics], handler, settings, ...(answerWith ? { answer: answerWith } : {}), ch: null, chain: Promise.resolve(), gone: false };
    // In the set first: a reconnection meanwhile joins it too.
    members.add(m);
    if (connected) {
      try {
        await establishMember(m);
      } catch (e) {
        // A refused group is the caller's mistake; a lost connection joins it on reconnection.
        if (e instanceof RondoError) {
          m.gone = true;
          members.delete(m);
          throw e;
        }
        onError(e, { group, what: 'could not join the group yet; joining on reconnection' });
      }
    }
    return {
      close: async () => {
        if (m.gone) return;
        m.gone = true;
        members.delete(m);
        const ch = m.ch;
        m.ch = null;
        // Closing the channel hands its unacknowledged messages back to the queue.
        await closeQuietly(ch);
      },
    };
  };

  return {
    kind: 'amqp',
    async publish<K extends keyof Topics & string>(topic: K, payload: Topics[K], opts: PublishOptions = {}): Promise<string> {
      if (closed) throw new RondoError('BUS_UNAVAILABLE', 'the event bus is closed');
      checkBusName('topic', topic);
      const id = opts.id ?? randomUUID();
      const body = Buffer.from(JSON.stringify(payload ?? null));
      const started = Date.now();
      // Connected, the message is written before this call returns: calls reach the broker in call order.
      if (!connected) await waitConnected(publishTimeoutMs);
      const channel = pub;
      if (!channel) throw new RondoError('BUS_UNAVAILABLE', `the broker at ${target} has no publish channel right now; publish again`);
      const props = {
        persistent: true, messageId: id, contentType: 'application/json', type: topic, timestamp: Math.floor(Date.now() / 1000),
        headers: { [KEY_HEADER]: opts.key ?? null, [TIME_HEADER]: opts.time ?? new Date().toISOString() },
      };
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          new Promise<void>((resolve, reject) => {
            const refused = (err: unknown) => reject(new RondoError('BUS_UNAVAILABLE', `the broker refused event ${id} (${topic})`, { cause: err }));
            try {
              channel.publish(names.exchange, topic, body, props, (err: unknown) => (err ? refused(err) : resolve()));
            } catch (e) {
              // The channel closed between the check and the call.
              refused(e);
            }
          }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new RondoError('BUS_UNAVAILABLE', `the broker at ${target} did not confirm event ${id} (${topic}) within ${publishTimeoutMs} ms; publish it again`)),
              Math.max(1, publishTimeoutMs - (Date.now() - started)),
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
      return id;
    },

    async subscribe<K extends keyof Topics & string>(topics: readonly K[], handler: FanoutHandler<Topics, K>): Promise<BusSubscription> {
      if (closed) throw new RondoError('BUS_UNAVAILABLE', 'the event bus is closed');
      for (const t of topics) checkBusName('topic', t);
      const sub: FanoutSub = { topics: new Set(topics), handler: handler as unknown as FanoutSub['handler'] };
      fanoutSubs.add(sub);
      if (connected) await establishFanout();
      return { close: async () => void fanoutSubs.delete(sub) };
    },

    consume: <K extends keyof Topics & string>(group: string, topics: readonly K[], handler: GroupHandler<Topics, K>, opts: ConsumeOptions = {}): Promise<BusSubscription> =>
      join(group, topics, handler as unknown as Member['handler'], groupSettings(opts)),

    respond: <K extends keyof Topics & string>(group: string, topics: readonly K[], handler: Responder<Topics, Replies, K>, opts: RespondOptions = {}): Promise<BusSubscription> =>
      join(group, topics, async () => undefined, groupSettings({ ordered: false, attempts: 1, ...(opts.prefetch === undefined ? {} : { prefetch: opts.prefetch }) }), handler as unknown as Member['answer']),

    async request<K extends keyof Topics & string>(topic: K, payload: Topics[K], opts: RequestOptions): Promise<ReplyOf<Replies, K>> {
      if (closed) throw new RondoError('BUS_UNAVAILABLE', 'the event bus is closed');
      checkBusName('topic', topic);
      checkTimeout(opts.timeoutMs);
      const id = opts.id ?? randomUUID();
      const deadline = Date.now() + opts.timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      try {
        const reply = await new Promise<unknown>((resolve, reject) => {
          timer = setTimeout(() => reject(requestTimeout(topic, opts.timeoutMs)), opts.timeoutMs);
          pending.set(id, { resolve, reject });
          void (async () => {
            if (!connected) await waitConnected(Math.max(1, deadline - Date.now()));
            const replyTo = await replyQueue();
            const channel = pub;
            if (!channel) throw new RondoError('BUS_UNAVAILABLE', `the broker at ${target} has no publish channel right now; send the request again`);
            const props = {
              // `mandatory`: a request no queue takes comes back (onReturned) instead of vanishing.
              mandatory: true, persistent: false, messageId: id, correlationId: id, replyTo, contentType: 'application/json', type: topic,
              // The broker drops it from a group's queue once the requester gave up.
              expiration: String(Math.max(1, deadline - Date.now())),
              headers: { [KEY_HEADER]: opts.key ?? null, [TIME_HEADER]: new Date().toISOString(), [DEADLINE_HEADER]: deadline },
            };
            channel.publish(names.exchange, topic, Buffer.from(JSON.stringify(payload ?? null)), props, (err: unknown) => {
              if (err) reject(new RondoError('BUS_UNAVAILABLE', `the broker refused request ${id} (${topic})`, { cause: err }));
            });
          })().catch(reject);
        });
        return answerOf(reply, topic) as ReplyOf<Replies, K>;
      } finally {
        clearTimeout(timer);
        pending.delete(id);
      }
    },

    status,

    async close() {
      if (closed) return;
      closed = true;
      connected = false;
      onConnected.resolve();
      for (const m of members) m.gone = true;
      members.clear();
      fanoutSubs.clear();
      for (const w of pending.values()) w.reject(new RondoError('BUS_UNAVAILABLE', 'the event bus is closed'));
      const current = model;
      model = null;
      pub = null;
      fanout = null;
      await closeQuietly(current);
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
