import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One event the collector process accepted. */
export interface CollectedVesEvent {
  /** `Date.now()` in the collector process when the POST arrived (same host clock as the test). */
  readonly receivedAt: number;
  readonly path: string;
  readonly batch: boolean;
  readonly event: Record<string, unknown> & { commonEventHeader: Record<string, unknown> };
}

const MAIN = fileURLToPath(new URL('./ves-collector-process.mjs', import.meta.url));

/**
 * A VES collector running as its own Node process (`ves-collector-process.mjs`): a real
 * HTTP server on 127.0.0.1 with basic auth, which reports each accepted event as a JSON
 * line on its stdout; this side parses the lines into {@link events}.
 */
export class VesCollectorProcess {
  readonly events: CollectedVesEvent[] = [];
  /** Status codes of refused requests (wrong auth, bad path or body). */
  readonly refused: number[] = [];
  #child: ChildProcess | null = null;
  #port = 0;
  #stderr = '';
  #waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly auth: { username: string; password: string }) {}

  /** Base URL (the VES `endpoint`). */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Spawns the process; resolves once it listens, rejects with its stderr if it does not within 10 s. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, VES_USERNAME: this.auth.username, VES_PASSWORD: this.auth.password },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stderr!.on('data', (b: Buffer) => (this.#stderr += b.toString()));
    const listening = new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`VES collector process did not listen within 60 s: ${this.#stderr}`)), 60_000);
      child.once('exit', (code, signal) => reject(new Error(`VES collector process exited (${code ?? signal}) before listening: ${this.#stderr}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const fact = JSON.parse(line) as { type: string; port?: number; status?: number } & CollectedVesEvent;
        if (fact.type === 'listening') {
          clearTimeout(t);
          resolve(fact.port!);
        } else if (fact.type === 'event') {
          this.events.push({ receivedAt: fact.receivedAt, path: fact.path, batch: fact.batch, event: fact.event });
          this.#waiters = this.#waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
        } else if (fact.type === 'refused') {
          this.refused.push(fact.status!);
        }
      });
    });
    this.#port = await listening;
  }

  /** SIGTERM, then waits for the exit (SIGKILL after 5 s). */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  }

  /** Resolves when `pred` holds (checked at each receipt), rejects after `timeoutMs` naming `what`. */
  waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.pred !== pred);
        reject(new Error(`collector: no ${what} within ${timeoutMs} ms (have ${this.events.length} events, refused ${JSON.stringify(this.refused)})`));
      }, timeoutMs);
      this.#waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
    });
  }
}
