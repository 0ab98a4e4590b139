import { recentEventIds } from '../../bus/index.js';
import type { Bus, EventBus } from '../../bus/index.js';

/** Listener of an {@link EventFeed}: the topic name and its payload. */
export type FeedListener = (topic: string, payload: unknown) => void;

/**
 * The narrow shape `GET /api/events` reads from: anything that can tell a listener about
 * events. The composition root adapts the typed bus (and, while the lifecycle still has
 * the lifecycle events of the cross-process bus) with {@link feedFromBus},
 * {@link feedFromMessageBus} and {@link mergeFeeds}.
 */
export interface EventFeed {
  /** The topics this feed can carry (told to clients on connect), when known. */
  readonly topics?: readonly string[];
  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: FeedListener): () => void;
}

/**
 * Adapts a typed {@link EventBus} to an {@link EventFeed} carrying `topics`. Leave
 * high-volume topics (`vnf.stats`) out unless a client needs them: every SSE client gets
 * every event of the feed.
 */
export function feedFromBus<T extends object>(bus: EventBus<T>, topics: readonly (keyof T & string)[]): EventFeed {
  return {
    topics,
    subscribe(listener) {
      const unsubs = topics.map((topic) => bus.subscribe(topic, (payload) => listener(topic, payload)));
      return () => {
        for (const u of unsubs) u();
      };
    },
  };
}

/**
 * Adapts the cross-process {@link Bus} to an {@link EventFeed} carrying `topics`: a fan-out
 * subscription of this process, so every API process streams every process's events.
 * An event the outbox relay published twice (same id) is streamed once.
 */
export function feedFromMessageBus<T extends object>(bus: Bus<T>, topics: readonly (keyof T & string)[]): EventFeed {
  return {
    topics,
    subscribe(listener) {
      const seen = recentEventIds(1000);
      const sub = bus.subscribe(topics, (e) => {
        if (seen.hasNow('feed', e.id)) return;
        seen.addNow('feed', e.id);
        listener(e.topic, e.payload);
      });
      return () => void sub.then((s) => s.close(), () => undefined);
    },
  };
}

/** One feed of several (e.g. the monitoring bus plus the lifecycle events). */
export function mergeFeeds(...feeds: readonly EventFeed[]): EventFeed {
  return {
    topics: [...new Set(feeds.flatMap((f) => f.topics ?? []))],
    subscribe(listener) {
      const unsubs = feeds.map((f) => f.subscribe(listener));
      return () => {
        for (const u of unsubs) u();
      };
    },
  };
}

/**
 * The NS instance an event belongs to, read from the payload's `nsInstanceId` (lifecycle
 * events) or `nsId` (monitoring VNF events); undefined when it names none.
 */
export function nsInstanceIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  // Operations and VNF events name the NS; alarm records name it as their managed object.
  const p = payload as { nsInstanceId?: unknown; nsId?: unknown; managedObjectId?: unknown };
  if (typeof p.nsInstanceId === 'string') return p.nsInstanceId;
  if (typeof p.nsId === 'string') return p.nsId;
  if (typeof p.managedObjectId === 'string') return p.managedObjectId;
  return undefined;
}

/**
 * The tenant an event's payload names itself (alarm records carry theirs); undefined when
 * it names none, and the NS instance's tenant must be looked up.
 */
export function payloadTenantOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const t = (payload as { tenant?: unknown }).tenant;
  return typeof t === 'string' ? t : undefined;
}
