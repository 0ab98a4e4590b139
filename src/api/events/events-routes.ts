import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthContext } from '../../auth/index.js';
import { callerOf } from '../http/caller.js';
import { nsInstanceIdOf, payloadTenantOf } from './event-feed.js';
import type { EventFeed } from './event-feed.js';

/** Options of {@link eventsRoutes}. */
export interface EventsRoutesOptions {
  /** Where events come from (see `feedFromBus`). */
  readonly feed: EventFeed;
  /** Interval of `: heartbeat` comments; default 15 s (proxies drop silent streams). */
  readonly heartbeatMs?: number;
  /** Events kept for `Last-Event-ID` replay; default 1000. */
  readonly replayLimit?: number;
  /** Wall clock for the `time` field; default `Date.now`. */
  readonly now?: () => number;
  /**
   * The tenant of an NS instance (`nsTenantResolver(deps)`), for events whose payload
   * names an NS but no tenant. Without it such events reach admins only.
   */
  readonly tenantOf?: (nsInstanceId: string) => Promise<string | undefined>;
}

/** One event as written on the stream (the `data:` line, JSON). */
export interface StreamedEvent {
  readonly id: number;
  readonly topic: string;
  /** The NS instance the event belongs to, when it names one. */
  readonly nsInstanceId: string | null;
  /** When the server saw the event (ISO 8601). */
  readonly time: string;
  readonly payload: unknown;
}

interface Client {
  readonly res: ServerResponse;
  readonly ctx: AuthContext;
  readonly nsInstanceId: string | undefined;
  readonly topics: ReadonlySet<string> | undefined;
}

/** An event with the tenant it belongs to (null: none known, admins only); the tenant is not streamed. */
interface KeptEvent {
  readonly event: StreamedEvent;
  readonly tenant: string | null;
}

const wants = (c: Client, { event: e, tenant }: KeptEvent): boolean =>
  (c.ctx.isAdmin || (tenant !== null && tenant === c.ctx.tenant)) &&
  (c.nsInstanceId === undefined || e.nsInstanceId === c.nsInstanceId) &&
  (c.topics === undefined || c.topics.has(e.topic));

const parseEventId = (raw: string | undefined): number | undefined => (raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined);

/** SSE frame: `id:`, `event:` (the topic) and one `data:` line of JSON. */
const frame = (e: StreamedEvent): string => `id: ${e.id}\nevent: ${e.topic}\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * `GET /api/events`: a Server-Sent Events stream of every event of the feed, shared by the
 * dashboard and `rondo events --follow`. Query: `nsInstanceId` (only that NS's events),
 * `topics` (comma-separated topic names). Each event is `id: <n>`, `event: <topic>`,
 * `data: <StreamedEvent JSON>`; the first frame, `event: rondo.hello`, lists the feed's
 * topics (browsers must add one listener per event type). A reconnecting client's `Last-Event-ID` header (or
 * `lastEventId` query) replays the newer events still in memory — best effort: ids restart
 * with the process and only the last `replayLimit` events are kept. Comments
 * (`: heartbeat`) keep idle streams open. Browsers' EventSource cannot send headers, so the
 * auth layer must accept `?access_token=` on this route. Each caller receives only events
 * of its tenant's NS instances (admins: every event); events naming no NS reach admins only.
 */
export const eventsRoutes: FastifyPluginAsync<EventsRoutesOptions> = async (app, opts) => {
  const { feed, heartbeatMs = 15_000, replayLimit = 1000, now = Date.now, tenantOf } = opts;
  const clients = new Set<Client>();
  const recent: KeptEvent[] = [];
  let seq = 0;

  const deliver = (kept: KeptEvent): void => {
    recent.push(kept);
    if (recent.length > replayLimit) recent.shift();
    let text: string | undefined;
    for (const c of clients) {
      if (!wants(c, kept)) continue;
      text ??= frame(kept.event);
      // A slow reader buffers in the socket; events are small and the stream is best effort.
      c.res.write(text);
    }
  };
  const tenantFor = (payload: unknown, nsInstanceId: string | null): Promise<string | null> => {
    const named = payloadTenantOf(payload);
    if (named !== undefined) return Promise.resolve(named);
    if (nsInstanceId === null || !tenantOf) return Promise.resolve(null);
    return tenantOf(nsInstanceId).then(
      (t) => t ?? null,
      () => null,
    );
  };

  // Tenants resolve concurrently, events go out in arrival order (a chain of deliveries).
  let delivering: Promise<void> = Promise.resolve();
  // One subscription for the plugin's life: ids are global, so a reconnect can resume.
  const unsubscribe = feed.subscribe((topic, payload) => {
    const nsInstanceId = nsInstanceIdOf(payload) ?? null;
    const time = new Date(now()).toISOString();
    const tenant = tenantFor(payload, nsInstanceId);
    delivering = delivering
      .then(() => tenant)
      .then((t) => deliver({ event: { id: ++seq, topic, nsInstanceId, time, payload }, tenant: t }))
      .catch((e: unknown) => app.log.warn({ err: e }, 'events: an event could not be streamed'));
  });

  const heartbeat = setInterval(() => {
    for (const c of clients) c.res.write(': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  // Open streams would keep `app.close()` waiting forever: end them first.
  app.addHook('preClose', async () => {
    for (const c of clients) c.res.end();
    clients.clear();
  });
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    unsubscribe();
  });

  app.get<{ Querystring: { nsInstanceId?: string; topics?: string; lastEventId?: string; access_token?: string } }>(
    '/api/events',
    {
      config: { action: 'events:read' },
      schema: {
        tags: ['events'],
        summary: 'Server-Sent Events: lifecycle, VNF and alarm events (text/event-stream)',
        querystring: {
          type: 'object',
          properties: {
            nsInstanceId: { type: 'string', description: 'only events of this NS instance' },
            topics: { type: 'string', description: 'comma-separated topics, e.g. vnf.down,vnf.up' },
            lastEventId: { type: 'string', description: 'resume after this event id (same as the Last-Event-ID header)' },
            access_token: { type: 'string', description: 'bearer token, for clients that cannot send headers (EventSource)' },
          },
        },
      },
      logLevel: 'warn',
    },
    async (request, reply) => {
      const q = request.query;
      const topicList = q.topics?.split(',').map((t) => t.trim()).filter((t) => t !== '');
      const client: Client = {
        res: reply.raw,
        ctx: callerOf(request),
        nsInstanceId: q.nsInstanceId || undefined,
        topics: topicList && topicList.length > 0 ? new Set(topicList) : undefined,
      };
      const lastHeader = request.headers['last-event-id'];
      const lastId = parseEventId((Array.isArray(lastHeader) ? lastHeader[0] : lastHeader) ?? q.lastEventId);

      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx buffers responses unless told otherwise.
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      // `rondo.hello` names the topics: EventSource has no wildcard listener for `event:` types.
      reply.raw.write(`retry: 2000\nevent: rondo.hello\ndata: ${JSON.stringify({ topics: feed.topics ?? [], lastEventId: seq })}\n\n`);
      if (lastId !== undefined) for (const e of recent) if (e.event.id > lastId && wants(client, e)) reply.raw.write(frame(e.event));
      clients.add(client);
      request.raw.socket.setKeepAlive(true);
      const drop = (): void => {
        clients.delete(client);
      };
      request.raw.on('close', drop);
      reply.raw.on('close', drop);
      reply.raw.on('error', drop);
    },
  );
};
