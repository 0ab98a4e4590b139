import { afterEach, describe, expect, it, vi } from 'vitest';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createEventBus } from '../../src/bus/index.js';
import { eventsRoutes } from '../../src/api/events/events-routes.js';
import { feedFromBus } from '../../src/api/events/event-feed.js';
import { insecureModePlugin } from '../../src/api/http/auth-route-plugins.js';

interface Topics {
  'vnf.down': { nsId: string; vnfId: string };
  'op.changed': { opId: string; nsInstanceId: string; operationState: string };
}

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE frames from a fetch body until `count` frames (comments included) arrived. */
async function readFrames(res: Response, count: number, timeoutMs = 5000): Promise<Frame[]> {
  const stream = frameStream(res);
  const frames = await stream.next(count, timeoutMs);
  await stream.cancel();
  return frames;
}

/** An SSE frame reader that hands out frames as they come (`next`), then is cancelled. */
function frameStream(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const pending: Frame[] = [];
  let buf = '';
  return {
    /** The next `count` frames. */
    async next(count: number, timeoutMs = 5000): Promise<Frame[]> {
      const deadline = Date.now() + timeoutMs;
      await fill(pending, count, deadline);
      return pending.splice(0, count);
    },
    cancel: () => reader.cancel(),
  };
  async function fill(frames: Frame[], count: number, deadline: number): Promise<void> {
    while (frames.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${frames.length} frames: ${JSON.stringify(frames)}`);
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f: Frame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) f.comment = line.slice(1).trim();
          else if (line.startsWith('id: ')) f.id = line.slice(4);
          else if (line.startsWith('event: ')) f.event = line.slice(7);
          else if (line.startsWith('data: ')) f.data = line.slice(6);
        }
        if (f.comment !== undefined || f.data !== undefined) frames.push(f);
      }
    }
  }
}

describe('GET /api/events (SSE)', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(heartbeatMs = 60_000) {
    const bus = createEventBus<Topics>();
    app = Fastify();
    // No auth plugin: every caller is an admin, so every event streams.
    await app.register(insecureModePlugin);
    await app.register(eventsRoutes, { feed: feedFromBus(bus, ['vnf.down', 'op.changed']), heartbeatMs });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { bus, url, app };
  }

  it('streams each bus event as id/event/data, says hello with the topics, filters by NS', async () => {
    const { bus, url } = await start();
    const res = await fetch(`${url}/api/events?nsInstanceId=ns-1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = frameStream(res);
    // The server registers a client as it writes its hello: publish once that arrived.
    const [hello] = await stream.next(1);
    bus.publish('vnf.down', { nsId: 'ns-2', vnfId: 'other' });
    bus.publish('vnf.down', { nsId: 'ns-1', vnfId: 'firewall' });
    bus.publish('op.changed', { opId: 'op-1', nsInstanceId: 'ns-1', operationState: 'COMPLETED' });
    const [down, op] = await stream.next(2);
    await stream.cancel();
    expect(hello?.event).toBe('rondo.hello');
    expect(JSON.parse(hello?.data ?? '{}')).toMatchObject({ topics: ['vnf.down', 'op.changed'] });
    expect(down).toMatchObject({ id: '2', event: 'vnf.down' });
    expect(JSON.parse(down?.data ?? '{}')).toMatchObject({ id: 2, topic: 'vnf.down', nsInstanceId: 'ns-1', payload: { vnfId: 'firewall' } });
    expect(op).toMatchObject({ id: '3', event: 'op.changed' });
  });

  it('replays what a client missed after Last-Event-ID, and sends heartbeats', async () => {
    const { bus, url } = await start(100);
    bus.publish('vnf.down', { nsId: 'ns-1', vnfId: 'a' });
    bus.publish('vnf.down', { nsId: 'ns-1', vnfId: 'b' });
    bus.publish('vnf.down', { nsId: 'ns-1', vnfId: 'c' });
    const res = await fetch(`${url}/api/events`, { headers: { 'last-event-id': '1' } });
    const frames = await readFrames(res, 4);
    expect(frames.slice(1, 3).map((f) => JSON.parse(f.data ?? '{}').payload.vnfId)).toEqual(['b', 'c']);
    expect(frames[3]?.comment).toBe('heartbeat');
  });

  it('forgets a client that disconnects, and closes with clients still connected', async () => {
    const { bus, url } = await start();
    const ac = new AbortController();
    const res = await fetch(`${url}/api/events`, { signal: ac.signal });
    await readFrames(res, 1).catch(() => []);
    ac.abort();
    // Until the server has seen the connection close (the stream's close handler drops the client).
    const connections = () => new Promise<number>((resolve, reject) => app?.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    await vi.waitFor(async () => expect(await connections()).toBe(0), { timeout: 10_000, interval: 5 });
    expect(() => bus.publish('vnf.down', { nsId: 'ns-1', vnfId: 'x' })).not.toThrow();
    // A second client stays connected; close() must not hang on it.
    const open = await fetch(`${url}/api/events`);
    expect(open.status).toBe(200);
    const closing = app?.close();
    app = undefined;
    await expect(Promise.race([closing, new Promise((_, no) => setTimeout(() => no(new Error('close hung')), 3000))])).resolves.toBeUndefined();
  });
});
