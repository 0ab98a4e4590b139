import type { OpStep } from '../model/index.js';
import { RondoError, VimError } from '../model/index.js';
import type { StepOutcome } from './ports.js';
import { problemOf } from './op-problem.js';

/** How a phase ended. */
export type PhaseResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly step: OpStep; readonly error: unknown }
  /** The operation's own signal aborted (lease lost, shutdown): steps stay RUNNING or PENDING for a re-run. */
  | { readonly kind: 'aborted' }
  /** A cancel stopped the phase: steps not started keep their state (PENDING); FORCEFUL-aborted ones are FAILED. */
  | { readonly kind: 'cancelled' };

/** What running a phase needs. */
export interface PhaseDeps {
  readonly concurrency: number;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  /**
   * Writes outcomes (`outcome.startedAt` is set for a step whose RUNNING mark was never
   * written) and RUNNING marks (started `at`) of steps launched whose outcome is not known
   * yet, in one write.
   */
  readonly finish: (updates: readonly { readonly step: OpStep; readonly outcome: StepOutcome }[], running: readonly { readonly step: OpStep; readonly at: Date }[]) => Promise<void>;
  /**
   * How long RUNNING marks wait for an outcome write to ride with before they are written
   * alone (default 100 ms): a step that ends first gets one write, and a run whose steps
   * end every few tens of milliseconds writes no statement for marks alone.
   */
  readonly markDelayMs?: number;
  readonly run: (step: OpStep, signal: AbortSignal) => Promise<Record<string, unknown>>;
  /** True once a cancel is pending: no further step is started. */
  readonly halted?: () => boolean;
  /** Aborts when a FORCEFUL cancel is pending: running steps are aborted too. */
  readonly cancelSignal?: AbortSignal;
  /** Outcomes buffered before a DONE step waits for their write (default 64). */
  readonly batchSize?: number;
}

/** Rejects with VimError TIMEOUT when `signal` aborts, even if `work` ignores the signal. */
function raceDeadline<T>(work: Promise<T>, signal: AbortSignal, step: OpStep, deadlineMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      const timedOut = signal.reason instanceof Error && signal.reason.name === 'TimeoutError';
      reject(new VimError('TIMEOUT', step.popId, timedOut ? `step exceeded its deadline of ${deadlineMs / 1000} s` : 'step was aborted', { cause: signal.reason, retryable: timedOut }));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/** Where a step runs and how many steps of that place may run at once. */
export interface StepSlot {
  readonly key: string;
  readonly limit: number;
}

/** The order of a run: what each step waits for and where it runs. */
export interface StepGraph {
  /** Ids of the steps this one waits for: it starts once they are DONE and written. Ids not in the run were DONE before it. */
  readonly needs: (step: OpStep) => readonly string[];
  readonly slot: (step: OpStep) => StepSlot;
}

/**
 * Runs `steps`, each as soon as the steps it needs are DONE and written and its slot has
 * room (lower `seq` first among the ready ones), each with its own deadline. A failure
 * stops launching new steps in every slot but lets running ones finish (their results
 * are real resources that rollback must know about). A step never starts before what it
 * needs is durably DONE, so the store never shows a step ahead of its prerequisites.
 *
 * Persistence is batched without delay (group commit): a step's outcome goes in the next
 * write after it happens, with everything else that happened by then, in one statement;
 * while a write is in flight, it joins the one after. A RUNNING mark rides in the next
 * outcome write, or is written alone after `markDelayMs` when none comes. A step whose outcome is
 * known before its mark was written gets one write, its outcome with its start time (a
 * memory-VIM or no-op step is never shown RUNNING). A FAILED step waits for its write; a
 * DONE one does not, only what needs it does. That is safe because every step is
 * idempotent and found by name and label: a step found PENDING or RUNNING after the
 * process died may have acted, and simply re-runs (rollback undoes what a step of those
 * states may have made, and sweeps by label).
 *
 * Result: aborted (the op's signal), else the first failure in step order, else a cancel,
 * else done.
 */
export async function runGraph(steps: readonly OpStep[], deps: PhaseDeps, graph: StepGraph): Promise<PhaseResult> {
  const batch = deps.batchSize ?? 64;
  const order = new Map(steps.map((s, i) => [s.id, i]));
  const byId = new Map(steps.map((s) => [s.id, s]));
  // How many steps each one still waits for, and which steps wait for it.
  const waitsOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const s of steps) {
    const needs = [...new Set(graph.needs(s))].filter((id) => byId.has(id) && id !== s.id);
    waitsOn.set(s.id, needs.length);
    for (const n of needs) {
      const d = dependents.get(n);
      if (d) d.push(s.id);
      else dependents.set(n, [s.id]);
    }
  }
  // The ready steps of each slot, in step order (they mostly become ready in that order).
  const slots = new Map(steps.map((s) => [s.id, graph.slot(s)]));
  const slotOf = (s: OpStep): StepSlot => slots.get(s.id) as StepSlot;
  const ready = new Map<string, OpStep[]>();
  let readyCount = 0;
  const becomeReady = (s: OpStep): void => {
    const key = slotOf(s).key;
    let q = ready.get(key);
    if (!q) ready.set(key, (q = []));
    const at = order.get(s.id) ?? 0;
    let i = q.length;
    while (i > 0 && (order.get((q[i - 1] as OpStep).id) ?? 0) > at) i--;
    q.splice(i, 0, s);
    readyCount++;
  };
  for (const s of steps) if (waitsOn.get(s.id) === 0) becomeReady(s);
  const busy = new Map<string, number>();
  const release = (s: OpStep): void => {
    const key = slotOf(s).key;
    busy.set(key, (busy.get(key) ?? 1) - 1);
  };
  // Steps launched whose RUNNING mark is not written yet, and when each started.
  const unmarked = new Map<string, { step: OpStep; at: Date }>();
  let started = 0;
  let active = 0;
  let unwritten = 0;
  let aborted = false;
  let cancelled = false;
  const failures: { step: OpStep; error: unknown }[] = [];
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));

  // Group commit: an outcome is written on the next turn of the event loop, with every
  // other that ended by then; while a write is in flight, they join the next one, which
  // starts as soon as that write ends. No timer, no waiting for a batch to fill.
  const buffer: { step: OpStep; outcome: StepOutcome }[] = [];
  let writing: Promise<void> = Promise.resolve();
  let queued = false;
  let writeError: unknown;
  // Marks waiting for an outcome write to ride with (see PhaseDeps.markDelayMs).
  let markTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): Promise<void> => {
    if (!queued && (buffer.length > 0 || unmarked.size > 0)) {
      queued = true;
      writing = writing.then(async () => {
        // One turn of the event loop: the marks and outcomes of the same turn share the statement.
        await new Promise<void>((resolve) => setImmediate(resolve));
        queued = false;
        clearTimeout(markTimer);
        markTimer = undefined;
        const items = buffer.splice(0).map((u) => {
          // Ended before its mark was written: one write, the outcome with the start time.
          const m = unmarked.get(u.step.id);
          return m ? { step: u.step, outcome: { ...u.outcome, startedAt: m.at } } : u;
        });
        const ending = new Set(items.map((u) => u.step.id));
        const marks = [...unmarked.values()].filter((m) => !ending.has(m.step.id));
        unmarked.clear();
        try {
          if ((items.length > 0 || marks.length > 0) && writeError === undefined) await deps.finish(items, marks);
        } finally {
          unwritten -= items.length;
        }
        // Written DONE: what needs these steps may start.
        for (const { step, outcome } of items) {
          if (outcome.state !== 'DONE') continue;
          for (const id of dependents.get(step.id) ?? []) {
            const left = (waitsOn.get(id) ?? 1) - 1;
            waitsOn.set(id, left);
            if (left === 0) becomeReady(byId.get(id) as OpStep);
          }
        }
      }).catch((e: unknown) => {
        writeError ??= e;
      }).finally(pump);
    }
    return writing.then(() => {
      if (writeError !== undefined) throw writeError;
    });
  };
  const record = async (step: OpStep, outcome: StepOutcome): Promise<void> => {
    buffer.push({ step, outcome });
    unwritten++;
    const written = flush();
    if (outcome.state !== 'DONE' || buffer.length >= batch) await written;
    else written.catch(() => {});
  };

  // One listener on the op's signal fans out to the running steps: AbortSignal.any() plus
  // AbortSignal.timeout() per step costs ~0.25 ms each on Node 20, more than a memory-VIM call.
  const controllers = new Set<AbortController>();
  const onAbort = (): void => {
    for (const c of controllers) c.abort(deps.signal.reason);
  };
  deps.signal.addEventListener('abort', onAbort, { once: true });
  const onCancel = (): void => {
    for (const c of controllers) c.abort(deps.cancelSignal?.reason);
  };
  deps.cancelSignal?.addEventListener('abort', onCancel, { once: true });

  const execute = async (step: OpStep): Promise<void> => {
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(new DOMException(`step deadline of ${deps.deadlineMs} ms`, 'TimeoutError')), deps.deadlineMs);
    const { signal } = controller;
    try {
      const result = await raceDeadline(deps.run(step, signal), signal, step, deps.deadlineMs).finally(() => {
        clearTimeout(timer);
        controllers.delete(controller);
      });
      await record(step, { state: 'DONE', result, error: null, now: deps.now() });
    } catch (e) {
      if (deps.signal.aborted) {
        aborted = true;
        return;
      }
      if (deps.cancelSignal?.aborted) {
        // Recorded FAILED: a retry runs it again (what it half-made is found by name).
        cancelled = true;
        await record(step, { state: 'FAILED', error: problemOf(deps.cancelSignal.reason), now: deps.now() }).catch(() => {});
        return;
      }
      failures.push({ step, error: e });
      await record(step, { state: 'FAILED', error: problemOf(e), now: deps.now() }).catch(() => {});
    }
  };
  /** True once nothing more may start: aborted, a failure, a failed write, or a cancel pending. */
  const stopped = (): boolean => {
    if (deps.signal.aborted) aborted = true;
    if (!aborted && failures.length === 0 && writeError === undefined && !cancelled && deps.halted?.()) cancelled = true;
    return aborted || cancelled || failures.length > 0 || writeError !== undefined;
  };
  const launch = (steps: readonly OpStep[]): void => {
    for (const s of steps) {
      active++;
      started++;
      unmarked.set(s.id, { step: s, at: deps.now() });
      void execute(s).finally(() => {
        active--;
        release(s);
        pump();
      });
    }
    // Their RUNNING marks: in the next outcome write, or alone after markDelayMs (a failed
    // write stops the run like a failed outcome write).
    if (steps.length > 0 && markTimer === undefined && !queued) {
      markTimer = setTimeout(() => {
        markTimer = undefined;
        flush().catch(() => {});
      }, deps.markDelayMs ?? 100);
    }
  };
  function pump(): void {
    const take: OpStep[] = [];
    if (readyCount > 0 && !stopped()) {
      for (const [key, q] of ready) {
        let n = busy.get(key) ?? 0;
        const limit = q[0] ? slotOf(q[0]).limit : 0;
        while (q.length > 0 && n < limit) {
          take.push(q.shift() as OpStep);
          n++;
          readyCount--;
        }
        busy.set(key, n);
      }
    }
    launch(take);
    if (active === 0 && unwritten === 0 && (readyCount === 0 || stopped())) settle();
  }
  try {
    pump();
    await settled;
  } finally {
    deps.signal.removeEventListener('abort', onAbort);
    deps.cancelSignal?.removeEventListener('abort', onCancel);
    clearTimeout(markTimer);
  }
  await flush();
  if (aborted || deps.signal.aborted) return { kind: 'aborted' };
  failures.sort((a, b) => (order.get(a.step.id) ?? 0) - (order.get(b.step.id) ?? 0));
  const first = failures[0];
  if (first) return { kind: 'failed', step: first.step, error: first.error };
  if (cancelled) return { kind: 'cancelled' };
  if (started < steps.length) {
    // Only a plan whose steps wait on each other in a circle gets here.
    const stuck = steps.find((s) => (waitsOn.get(s.id) ?? 0) > 0) ?? (steps[0] as OpStep);
    return { kind: 'failed', step: stuck, error: new RondoError('INTERNAL', `step ${stuck.seq} (${stuck.kind} ${stuck.target}) waits for steps that never ran`) };
  }
  return { kind: 'done' };
}

/**
 * Runs the steps of one phase, at most `concurrency` at once, in step order (a
 * {@link runGraph} where no step waits for another).
 */
export function runPhase(steps: readonly OpStep[], deps: PhaseDeps): Promise<PhaseResult> {
  const slot = { key: '', limit: Math.max(1, deps.concurrency) };
  return runGraph(steps, deps, { needs: () => [], slot: () => slot });
}

/**
 * Runs a phase with one slot per key (the step's PoP), side by side, each with the whole
 * `concurrency`: a PoP is its own engine or cloud, so one PoP's serialised network
 * changes or busy container slots never hold back another's. A failure on one PoP stops
 * every PoP launching new steps; what was launched finishes.
 */
export function runPhaseByKey(steps: readonly OpStep[], deps: PhaseDeps, keyOf: (step: OpStep) => string): Promise<PhaseResult> {
  const limit = Math.max(1, deps.concurrency);
  return runGraph(steps, deps, { needs: () => [], slot: (s) => ({ key: keyOf(s), limit }) });
}
