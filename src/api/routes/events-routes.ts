import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { nsInstanceIdOf } from './event-feed.js';
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
  readonly nsInstanceId: string | undefined;
  readonly topics: ReadonlySet<string> | undefined;
}

const wants = (c: Client, e: StreamedEvent): boolean =>
  (c.nsInstanceId === undefined || e.nsInstanceId === c.nsInstanceId) && (c.topics === undefined || c.topics.has(e.topic));

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
 * auth layer must accept `?access_token=` on this route.
 */
export const eventsRoutes: FastifyPluginAsync<EventsRoutesOptions> = async (app, opts) => {
  const { feed, heartbeatMs = 15_000, replayLimit = 1000, now = Date.now } = opts;
  const clients = new Set<Client>();
  const recent: StreamedEvent[] = [];
  let seq = 0;

  // One subscription for the plugin's life: ids are global, so a reconnect can resume.
  const unsubscribe = feed.subscribe((topic, payload) => {
    const e: StreamedEvent = { id: ++seq, topic, nsInstanceId: nsInstanceIdOf(payload) ?? null, time: new Date(now()).toISOString(), payload };
    recent.push(e);
    if (recent.length > replayLimit) recent.shift();
    let text: string | undefined;
    for (const c of clients) {
      if (!wants(c, e)) continue;
      text ??= frame(e);
      // A slow reader buffers in the socket; events are small and the stream is best effort.
      c.res.write(text);
    }
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
      if (lastId !== undefined) for (const e of recent) if (e.id > lastId && wants(client, e)) reply.raw.write(frame(e));
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
