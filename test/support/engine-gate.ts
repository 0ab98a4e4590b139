import { rm } from 'node:fs/promises';
import net from 'node:net';

/** A request the gate holds: `held` settles once it arrives; `release()` sends it on, `refuse()` drops its connection unsent. */
export interface HeldRequest {
  readonly held: Promise<void>;
  release(): void;
  refuse(): void;
}

/**
 * A transparent Unix-socket proxy in front of a Docker engine that can hold the nth request
 * matching a pattern (e.g. the second `POST /containers/create`). A test that must stop the
 * engine at an exact point of an operation holds that request, stops the engine, then
 * releases it: the request meets the stopped engine as it would have, with no race against
 * how fast the machine makes the containers before it.
 * Bytes pass unchanged both ways; a connection whose other end fails is destroyed, so the
 * client sees the engine's failure as a connection error (ECONNRESET), never a hang.
 */
export class EngineGate {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  #rule: { pattern: RegExp; left: number; arrived: () => void; released: Promise<boolean> } | undefined;

  constructor(readonly upstream: string, readonly path: string) {}

  /** `unix://` endpoint of the gate (a Docker VIM account's endpoint). */
  get endpoint(): string {
    return `unix://${this.path}`;
  }

  /** Listens on `path` (again after close()). */
  async open(): Promise<void> {
    if (this.#server) return;
    await rm(this.path, { force: true });
    const server = net.createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    this.#server = server;
  }

  /** Holds the `nth` (1-based) request whose first bytes match `pattern`, counting from now. */
  hold(pattern: RegExp, nth: number): HeldRequest {
    let arrived!: () => void;
    let settle!: (send: boolean) => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<boolean>((resolve) => (settle = resolve));
    this.#rule = { pattern, left: nth, arrived, released };
    return { held, release: () => settle(true), refuse: () => settle(false) };
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #pipe(client: net.Socket): void {
    const up = net.connect(this.upstream);
    this.#sockets.add(client).add(up);
    const drop = (): void => {
      client.destroy();
      up.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(up);
    };
    client.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
    up.on('data', (d: Buffer) => client.write(d));
    // Chunks after a held one wait behind it, in order; a refused one takes its connection down.
    let waiting: Promise<boolean> = Promise.resolve(true);
    client.on('data', (d: Buffer) => {
      const rule = this.#rule;
      if (rule && rule.pattern.test(d.toString('latin1')) && --rule.left === 0) {
        this.#rule = undefined;
        rule.arrived();
        waiting = waiting.then((send) => send && rule.released);
      }
      void waiting.then((send) => {
        if (send && !up.destroyed) up.write(d);
        else drop();
      });
    });
  }
}
