import { randomUUID } from 'node:crypto';
import { RondoError } from '../model/index.js';
import type { Bus, BusErrorHandler, BusEvent, BusSubscription, ConsumeOptions, FanoutHandler, GroupHandler, PublishOptions, ReplyOf, RequestOptions, RespondOptions, Responder, WireReply } from './bus.js';
import { answerOf, checkTimeout, noResponder, replyOf, requestTimeout } from './bus-reply.js';
import { checkBusName, groupSettings, runGroupHandler } from './group-delivery.js';
import type { GroupSettings } from './group-delivery.js';

/** An event as the hub keeps it (the payload already through JSON, as on the broker). */
interface Stored {
  readonly id: string;
  readonly topic: string;
  readonly key: string | null;
  readonly time: string;
  readonly payload: unknown;
  /**
   * Requests only: whether the requester still waits (false once its timeout fired: the
   * timer, not a clock comparison that a timer firing a millisecond early would pass), and
   * how the answer reaches it.
   */
  readonly request?: { readonly waiting: () => boolean; readonly reply: (r: WireReply) => void };
}

interface Queued {
  readonly event: Stored;
  readonly redelivered: boolean;
}

interface Member {
  readonly owner: symbol;
  readonly handler: (e: BusEvent<Record<string, unknown>>, stored: Stored) => Promise<void>;
  readonly settings: GroupSettings;
  inFlight: number;
  gone: boolean;
}

interface Group {
  readonly name: string;
  readonly ordered: boolean;
  readonly topics: Set<string>;
  readonly queue: Queued[];
  readonly members: Member[];
  /** Deliveries not acknowledged yet, in delivery order. */
  readonly inFlight: Map<symbol, { readonly item: Queued; readonly member: Member }>;
  next: number;
}

interface Fanout {
  readonly owner: symbol;
  readonly topics: ReadonlySet<string>;
  readonly handler: (e: BusEvent<Record<string, unknown>>) => void | Promise<void>;
  readonly onError: BusErrorHandler;
}

/**
 * What the bus instances of one process share: the groups (with their queues) and the
 * fan-out subscriptions. Each instance made by {@link InProcessHub.connect} behaves like
 * one process on a broker, which is how the compliance suite runs the in-process bus
 * side by side with RabbitMQ; production makes one instance per process
 * ({@link createInProcessBus}).
 */
export interface InProcessHub {
  /** A bus instance on this hub. */
  connect<Topics extends object, Replies extends object = Record<never, never>>(opts?: { readonly onError?: BusErrorHandler }): Bus<Topics, Replies>;
}

/** The event handlers see: the stored event without its reply address. */
const eventOf = (e: Stored, redelivered: boolean): BusEvent<Record<string, unknown>> =>
  ({ id: e.id, topic: e.topic, key: e.key, time: e.time, payload: e.payload, redelivered }) as BusEvent<Record<string, unknown>>;

/** Creates an {@link InProcessHub}. */
export function createInProcessHub(): InProcessHub {
  const groups = new Map<string, Group>();
  const fanouts = new Set<Fanout>();
  // Fan-out delivery is trampolined: an event published by a handler waits until the
  // current event reached every subscriber, so every subscriber sees one order.
  const pending: Stored[] = [];
  let draining = false;

  const fanout = (event: Stored): void => {
    pending.push(event);
    if (draining) return;
    draining = true;
    try {
      for (let e = pending.shift(); e !== undefined; e = pending.shift()) {
        for (const f of [...fanouts]) {
          if (!f.topics.has(e.topic)) continue;
          const ev = eventOf(e, false);
          try {
            const r = f.handler(ev);
            if (r instanceof Promise) r.catch((err: unknown) => f.onError(err, { topic: e.topic, eventId: e.id, what: 'subscriber failed' }));
          } catch (err) {
            f.onError(err, { topic: e.topic, eventId: e.id, what: 'subscriber failed' });
          }
        }
      }
    } finally {
      draining = false;
    }
  };

  const pump = (g: Group, onError: BusErrorHandler): void => {
    while (g.queue.length > 0) {
      let member: Member | undefined;
      if (g.ordered) {
        // One active member (the longest-standing), one event at a time.
        if (g.inFlight.size > 0) return;
        member = g.members[0];
      } else {
        for (let i = 0; i < g.members.length && !member; i++) {
          const m = g.members[(g.next + i) % g.members.length];
          if (m && m.inFlight < m.settings.prefetch) {
            member = m;
            g.next = (g.next + i + 1) % g.members.length;
          }
        }
      }
      if (!member) return;
      const item = g.queue.shift() as Queued;
      deliver(g, item, member, onError);
    }
  };

  const deliver = (g: Group, item: Queued, member: Member, onError: BusErrorHandler): void => {
    const token = Symbol('delivery');
    g.inFlight.set(token, { item, member });
    member.inFlight++;
    const acked = () => !g.inFlight.has(token);
    const event = eventOf(item.event, item.redelivered);
    // Handlers start on a later tick: `publish` never runs them (it may be called inside a
    // store transaction that a handler's own queries would wait for).
    queueMicrotask(() => {
      void runGroupHandler(() => member.handler(event, item.event), member.settings, () => member.gone, onError, { topic: item.event.topic, eventId: item.event.id, group: g.name }).then(() => {
        if (acked() || member.gone) return;
        g.inFlight.delete(token);
        member.inFlight--;
        pump(g, onError);
      });
    });
  };

  const leave = (g: Group, member: Member, onError: BusErrorHandler): void => {
    if (member.gone) return;
    member.gone = true;
    g.members.splice(g.members.indexOf(member), 1);
    // Its unacknowledged events go back to the head of the queue, in the order they were delivered.
    const back: Queued[] = [];
    for (const [token, d] of g.inFlight) {
      if (d.member !== member) continue;
      g.inFlight.delete(token);
      back.push({ event: d.item.event, redelivered: true });
    }
    g.queue.unshift(...back);
    pump(g, onError);
  };

  return {
    connect<Topics extends object, Replies extends object = Record<never, never>>({ onError = () => undefined }: { readonly onError?: BusErrorHandler } = {}): Bus<Topics, Replies> {
      const owner = Symbol('bus');
      const left = new Set<() => void>();
      let closed = false;
      const open = (): void => {
        if (closed) throw new RondoError('BUS_UNAVAILABLE', 'the event bus is closed');
      };
      const stored = (topic: string, payload: unknown, opts: PublishOptions): Stored => ({
        id: opts.id ?? randomUUID(), topic, key: opts.key ?? null, time: opts.time ?? new Date().toISOString(),
        // Through JSON, as on the broker: handlers see the same shapes on both buses.
        payload: JSON.parse(JSON.stringify(payload ?? null)) as unknown,
      });
      const put = (event: Stored): string => {
        for (const g of groups.values()) {
          if (!g.topics.has(event.topic)) continue;
          g.queue.push({ event, redelivered: false });
          pump(g, onError);
        }
        fanout(event);
        return event.id;
      };
      const join = async (name: string, topics: readonly string[], handler: Member['handler'], opts: ConsumeOptions): Promise<BusSubscription> => {
        open();
        checkBusName('group', name);
        for (const t of topics) checkBusName('topic', t);
        const settings = groupSettings(opts);
        let g = groups.get(name);
        if (!g) groups.set(name, (g = { name, ordered: settings.ordered, topics: new Set(), queue: [], members: [], inFlight: new Map(), next: 0 }));
        if (g.ordered !== settings.ordered) {
          throw new RondoError('BUS_INVALID', `bus group '${name}' is ${g.ordered ? 'ordered' : 'unordered'}; every member must join it the same way`);
        }
        for (const t of topics) g.topics.add(t);
        const member: Member = { owner, handler, settings, inFlight: 0, gone: false };
        g.members.push(member);
        const group = g;
        const off = () => leave(group, member, onError);
        left.add(off);
        pump(g, onError);
        return { close: async () => (off(), void left.delete(off)) };
      };
      return {
        kind: 'in-process',
        async publish<K extends keyof Topics & string>(topic: K, payload: Topics[K], opts: PublishOptions = {}): Promise<string> {
          open();
          checkBusName('topic', topic);
          return put(stored(topic, payload, opts));
        },
        async request<K extends keyof Topics & string>(topic: K, payload: Topics[K], opts: RequestOptions): Promise<ReplyOf<Replies, K>> {
          open();
          checkBusName('topic', topic);
          checkTimeout(opts.timeoutMs);
          // As on the broker (a `mandatory` publication nobody takes): nobody at all receives it.
          if (![...groups.values()].some((g) => g.topics.has(topic)) && ![...fanouts].some((f) => f.topics.has(topic))) throw noResponder(topic);
          let timer: NodeJS.Timeout | undefined;
          let waiting = true;
          const answered = new Promise<WireReply>((resolve, reject) => {
            timer = setTimeout(() => {
              waiting = false;
              reject(requestTimeout(topic, opts.timeoutMs));
            }, opts.timeoutMs);
            // The first answer wins (two responder groups may serve one topic).
            put({ ...stored(topic, payload, opts), request: { waiting: () => waiting, reply: resolve } });
          });
          try {
            return answerOf(await answered, topic) as ReplyOf<Replies, K>;
          } finally {
            clearTimeout(timer);
          }
        },
        async respond<K extends keyof Topics & string>(name: string, topics: readonly K[], handler: Responder<Topics, Replies, K>, opts: RespondOptions = {}): Promise<BusSubscription> {
          const answer = async (event: BusEvent<Record<string, unknown>>, s: Stored): Promise<void> => {
            // A plain event of the topic, or a request its requester gave up: nothing to answer.
            if (!s.request || !s.request.waiting()) return;
            let outcome: { ok: unknown } | { failed: unknown };
            try {
              outcome = { ok: await handler(event as unknown as BusEvent<Topics, K>) };
            } catch (e) {
              outcome = { failed: e };
            }
            s.request.reply(replyOf(outcome));
          };
          return join(name, topics, answer, { ordered: false, attempts: 1, ...(opts.prefetch === undefined ? {} : { prefetch: opts.prefetch }) });
        },
        async subscribe<K extends keyof Topics & string>(topics: readonly K[], handler: FanoutHandler<Topics, K>): Promise<BusSubscription> {
          open();
          for (const t of topics) checkBusName('topic', t);
          const f: Fanout = { owner, topics: new Set(topics), handler: handler as unknown as Fanout['handler'], onError };
          fanouts.add(f);
          const off = () => void fanouts.delete(f);
          left.add(off);
          return { close: async () => (off(), void left.delete(off)) };
        },
        async consume<K extends keyof Topics & string>(name: string, topics: readonly K[], handler: GroupHandler<Topics, K>, opts: ConsumeOptions = {}): Promise<BusSubscription> {
          return join(name, topics, (e) => handler(e as unknown as BusEvent<Topics, K>), opts);
        },
        status: () => ({ kind: 'in-process', connected: !closed, target: 'in-process' }),
        async close() {
          if (closed) return;
          closed = true;
          for (const off of left) off();
          left.clear();
        },
      };
    },
  };
}

/**
 * The embedded bus: one process, nothing to install. Events reach this process's
 * subscribers and groups only; split roles need RabbitMQ (`createAmqpBus`).
 */
export function createInProcessBus<Topics extends object, Replies extends object = Record<never, never>>(opts: { readonly onError?: BusErrorHandler } = {}): Bus<Topics, Replies> {
  return createInProcessHub().connect<Topics, Replies>(opts);
}
