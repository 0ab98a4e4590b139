import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One event the collector accepted. */
export interface ReceivedVesEvent {
  /** performance.now() at receipt (for latency measurements). */
  readonly receivedAt: number;
  readonly path: string;
  readonly batch: boolean;
  readonly event: Record<string, unknown> & { commonEventHeader: Record<string, unknown> };
}

/**
 * A real VES collector on 127.0.0.1 for tests: accepts `POST /eventListener/v7` and
 * `/eventListener/v7/eventBatch`, checks basic auth (401 otherwise), answers 202, and
 * records what it got. It can be stopped and started again on the same port, and told to
 * answer an error status for the next requests.
 */
export class VesCollector {
  readonly events: ReceivedVesEvent[] = [];
  /** Every request, including refused ones. */
  requests = 0;
  #server: Server | null = null;
  #port = 0;
  #failures: number[] = [];
  #waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly auth: { username: string; password: string } | null = null) {}

  /** Base URL (the VES `endpoint`). */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Listens (on the previous port after a stop, else on a free one). */
  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The next `count` requests get `status`. */
  failNext(count: number, status = 500): void {
    for (let i = 0; i < count; i++) this.#failures.push(status);
  }

  /** Resolves when `pred` holds (checked at each receipt), rejects after `timeoutMs`. */
  waitFor(pred: () => boolean, timeoutMs = 60_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`collector: condition not met within ${timeoutMs} ms (have ${this.events.length} events)`)), timeoutMs);
      this.#waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  /** Events whose header matches `fields`. */
  find(fields: Record<string, unknown>): ReceivedVesEvent[] {
    return this.events.filter((e) => Object.entries(fields).every(([k, v]) => e.event.commonEventHeader[k] === v));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (this.auth) {
      const want = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) return void res.writeHead(401).end();
    }
    const fail = this.#failures.shift();
    if (fail !== undefined) return void res.writeHead(fail).end();
    if (req.method !== 'POST' || (path !== '/eventListener/v7' && path !== '/eventListener/v7/eventBatch')) return void res.writeHead(404).end();
    let body: { event?: ReceivedVesEvent['event']; eventList?: ReceivedVesEvent['event'][] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return void res.writeHead(400).end();
    }
    const batch = path.endsWith('/eventBatch');
    const list = batch ? body.eventList : body.event ? [body.event] : undefined;
    if (!Array.isArray(list)) return void res.writeHead(400).end();
    const receivedAt = performance.now();
    for (const event of list) this.events.push({ receivedAt, path, batch, event });
    res.writeHead(202).end();
    this.#waiters = this.#waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
  }
}
