import type { Clock } from '../model/index.js';
import { RondoError } from '../model/index.js';
import type { OpNotifier, OpOccRepository, StoredOpOcc } from './ports.js';
import { problemOf } from './op-problem.js';
import { nextState } from './op-state-machine.js';
import type { CrashPoints } from './crash-points.js';

/** What the worker needs. */
export interface LifecycleWorkerOptions {
  readonly opOccs: OpOccRepository;
  readonly notifier: OpNotifier;
  readonly clock: Clock;
  /** Runs one claimed operation until it rests or `signal` aborts (usually `executeOperation`). */
  readonly run: (op: StoredOpOcc, signal: AbortSignal) => Promise<void>;
  /** Unique per process, e.g. `<hostname>:<pid>:<random>`. */
  readonly owner: string;
  readonly leaseSeconds: number;
  /** Operations run at once by this worker. */
  readonly concurrency: number;
  /** Safety poll for operations created by other processes (default 2000 ms). */
  readonly pollIntervalMs?: number;
  /** An operation that crashed the executor this many times is parked in FAILED_TEMP (default 5). */
  readonly maxAttempts?: number;
  /** Told about unexpected errors (the op is retried when its lease expires). */
  readonly onError?: (error: unknown, op?: StoredOpOcc) => void;
  /** Fault injection for crash tests (default: none); `after-claim` is hit before a claimed op runs. */
  readonly crashPoints?: CrashPoints;
}

/**
 * Claims runnable operations (PROCESSING, ROLLING_BACK) whose lease is free and runs
 * them, at most `concurrency` at once. Wakes immediately on a notification (this
 * process's changes, and other processes' through the event bus), else every poll interval. While an op runs its lease is renewed at a third of the
 * lease time; losing it aborts the run (another worker owns the op now). After an
 * unexpected error the lease is left to expire, which doubles as back-off.
 */
export class LifecycleWorker {
  readonly #o: LifecycleWorkerOptions;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** The last state heard of each running op (from the notifier: what listeners know already). */
  readonly #heard = new Map<string, StoredOpOcc['operationState']>();
  #stop: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #woken = false;
  #unsubscribe: (() => void) | null = null;

  constructor(options: LifecycleWorkerOptions) {
    this.#o = options;
  }

  /** Operations running now. */
  get active(): number {
    return this.#running.size;
  }

  /** Starts claiming; a second call is a no-op. */
  start(): void {
    if (this.#loop) return;
    this.#stop = new AbortController();
    this.#unsubscribe = this.#o.notifier.subscribe((c) => {
      if (this.#running.has(c.opId)) this.#heard.set(c.opId, c.operationState);
      if ((c.operationState === 'PROCESSING' || c.operationState === 'ROLLING_BACK') && !c.cancelMode) this.#poke();
    });
    this.#loop = this.#claimLoop(this.#stop.signal);
  }

  /** Stops claiming, aborts running operations (they stay resumable) and waits for them. */
  async stop(): Promise<void> {
    if (!this.#loop) return;
    this.#stop?.abort(new RondoError('WORKER_STOPPING', 'worker is stopping'));
    this.#unsubscribe?.();
    this.#poke();
    for (const r of this.#running.values()) r.controller.abort(new RondoError('WORKER_STOPPING', 'worker is stopping'));
    await this.#loop;
    await Promise.all([...this.#running.values()].map((r) => r.done));
    this.#loop = null;
  }

  #poke(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async #claimLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.#woken = false;
      const free = this.#o.concurrency - this.#running.size;
      let claimed: StoredOpOcc[] = [];
      if (free > 0) {
        try {
          claimed = await this.#o.opOccs.claim(this.#o.owner, { limit: free, now: this.#o.clock.now(), leaseSeconds: this.#o.leaseSeconds });
        } catch (e) {
          this.#o.onError?.(e);
        }
      }
      for (const op of claimed) {
        this.#o.crashPoints?.hit('after-claim', { opId: op.id, operationState: op.operationState });
        this.#launch(op);
      }
      if (claimed.length > 0 && claimed.length === free) continue;
      if (this.#woken || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#o.pollIntervalMs ?? 2000);
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = null;
    }
  }

  #launch(op: StoredOpOcc): void {
    const controller = new AbortController();
    const renewMs = Math.max(100, (this.#o.leaseSeconds * 1000) / 3);
    const renew = setInterval(() => {
      const until = new Date(this.#o.clock.now().getTime() + this.#o.leaseSeconds * 1000);
      this.#o.opOccs.renewLease(op.id, this.#o.owner, until).then(
        (held) => {
          if (!held) controller.abort(new RondoError('LEASE_LOST', `lease of operation ${op.id} lost`));
        },
        (e: unknown) => this.#o.onError?.(e, op),
      );
    }, renewMs);
    const done = (async () => {
      let release = true;
      try {
        if (op.attempts > (this.#o.maxAttempts ?? 5)) await this.#park(op);
        else await this.#o.run(op, controller.signal);
      } catch (e) {
        release = false;
        this.#o.onError?.(e, op);
      } finally {
        clearInterval(renew);
        this.#running.delete(op.id);
        if (release) await this.#o.opOccs.releaseLease(op.id, this.#o.owner).catch((e: unknown) => this.#o.onError?.(e, op));
        // Listeners learn where the op rests; not again when the run's own last move told them
        // (a notify wakes waiters and the outbox relay: statements on the one PGlite connection).
        const heard = this.#heard.get(op.id);
        this.#heard.delete(op.id);
        if (heard === undefined || heard === 'PROCESSING' || heard === 'ROLLING_BACK') {
          const after = await this.#o.opOccs.get(op.id).catch(() => undefined);
          if (after) this.#o.notifier.notify({ opId: after.id, nsInstanceId: after.nsInstanceId, operationState: after.operationState, lcmOperationType: after.lcmOperationType });
        }
        this.#poke();
      }
    })();
    this.#running.set(op.id, { controller, done });
  }

  /** An op that keeps crashing the executor goes to FAILED_TEMP so an operator can look. */
  async #park(op: StoredOpOcc): Promise<void> {
    if (op.operationState !== 'PROCESSING' && op.operationState !== 'ROLLING_BACK') return;
    const error = problemOf(new RondoError('OP_ATTEMPTS_EXHAUSTED', `operation ${op.id} was claimed ${op.attempts} times without finishing; inspect its steps, then retry or fail it`));
    const next = nextState(op.operationState, op.operationState === 'PROCESSING' ? 'step-failed' : 'rollback-failed', op.id);
    await this.#o.opOccs.transition(op.id, op.operationState, next, { now: this.#o.clock.now(), error });
  }
}
