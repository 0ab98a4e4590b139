import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the callback server got. */
export interface CallbackRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown> | null;
}

/**
 * A real SOL005 notification endpoint on 127.0.0.1: answers the subscription test GET with
 * `getStatus` (204 by default) and notification POSTs with 204, or with the statuses queued
 * by `failNext`. Records every request.
 */
export class CallbackServer {
  readonly requests: CallbackRequest[] = [];
  getStatus = 204;
  #server: Server | null = null;
  #fail: number[] = [];
  #waiters: { pred: () => boolean; resolve: () => void }[] = [];

  get url(): string {
    return `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}`;
  }

  /** POSTs received. */
  get notifications(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === 'POST').map((r) => r.body ?? {});
  }

  async start(): Promise<void> {
    this.#server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = req.method === 'GET' ? this.getStatus : (this.#fail.shift() ?? 204);
      const entry = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
      // Only successful POSTs count as received notifications; refused ones are still logged.
      this.requests.push(status < 300 || req.method === 'GET' ? entry : { ...entry, method: `REFUSED-${req.method}` });
      res.writeHead(status).end();
      this.#waiters = this.#waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', () => r()));
  }

  async stop(): Promise<void> {
    const s = this.#server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  failNext(count: number, status = 500): void {
    for (let i = 0; i < count; i++) this.#fail.push(status);
  }

  waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`callback server: condition not met within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
    });
  }
}
