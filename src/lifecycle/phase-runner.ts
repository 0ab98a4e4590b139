import type { OpStep } from '../model/index.js';
import { VimError } from '../model/index.js';
import type { StepOutcome } from './ports.js';
import { problemOf } from './op-problem.js';

/** How a phase ended. */
export type PhaseResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly step: OpStep; readonly error: unknown }
  /** The operation's own signal aborted (lease lost, shutdown): steps stay RUNNING for a re-run. */
  | { readonly kind: 'aborted' }
  /** A cancel stopped the phase: steps not started keep their state (RUNNING when marked ahead); FORCEFUL-aborted ones are FAILED. */
  | { readonly kind: 'cancelled' };

/** What running a phase needs. */
export interface PhaseDeps {
  readonly concurrency: number;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  readonly markRunning: (steps: readonly OpStep[]) => Promise<void>;
  readonly finish: (updates: readonly { readonly step: OpStep; readonly outcome: StepOutcome }[]) => Promise<void>;
  readonly run: (step: OpStep, signal: AbortSignal) => Promise<Record<string, unknown>>;
  /** True once a cancel is pending: no further step is started. */
  readonly halted?: () => boolean;
  /** Aborts when a FORCEFUL cancel is pending: running steps are aborted too. */
  readonly cancelSignal?: AbortSignal;
  /** Steps marked RUNNING / recorded per statement (default 64). */
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

/**
 * Runs the steps of one phase, at most `concurrency` at once, each with its own deadline.
 * A failure stops launching new steps but lets running ones finish (their results are
 * real resources that rollback must know about).
 *
 * Persistence is batched without delay: steps are marked RUNNING a batch ahead of
 * dispatch; outcomes are written at once, those that end while a write is in flight
 * together in the next (FAILED ones are waited for, DONE ones not). That is safe because
 * every step is idempotent — a step whose DONE was not yet written when the process died
 * is found RUNNING and simply re-runs, finding what it made by name and label.
 */
export async function runPhase(steps: readonly OpStep[], deps: PhaseDeps): Promise<PhaseResult> {
  const batch = deps.batchSize ?? 64;
  let failure: PhaseResult | undefined;
  let next = 0;
  let marked = 0;
  let marking: Promise<void> | null = null;
  const take = async (): Promise<OpStep | undefined> => {
    for (;;) {
      if (failure || next >= steps.length) return undefined;
      if (deps.halted?.()) {
        failure = { kind: 'cancelled' };
        return undefined;
      }
      if (next < marked) return steps[next++];
      if (!marking) {
        const to = Math.min(steps.length, marked + batch);
        marking = deps.markRunning(steps.slice(marked, to)).then(() => {
          marked = to;
          marking = null;
        });
      }
      await marking;
    }
  };
  // Group commit: an outcome is written on the next turn of the event loop, with every
  // other that ended by then; while a write is in flight, they join the next one, which
  // starts as soon as that write ends. No timer, no waiting for a batch to fill.
  const buffer: { step: OpStep; outcome: StepOutcome }[] = [];
  let writing: Promise<void> = Promise.resolve();
  let queued = false;
  let writeError: unknown;
  const flush = (): Promise<void> => {
    if (!queued && buffer.length > 0) {
      queued = true;
      writing = writing.then(async () => {
        // One turn of the event loop: the outcomes of steps ending in the same turn share the statement.
        await new Promise<void>((resolve) => setImmediate(resolve));
        queued = false;
        const items = buffer.splice(0);
        if (items.length > 0 && writeError === undefined) await deps.finish(items);
      }).catch((e: unknown) => {
        writeError ??= e;
      });
    }
    return writing.then(() => {
      if (writeError !== undefined) throw writeError;
    });
  };
  const record = async (step: OpStep, outcome: StepOutcome): Promise<void> => {
    buffer.push({ step, outcome });
    // DONE is not waited for (a step whose DONE is lost re-runs and finds what it made); FAILED is.
    const written = flush();
    if (outcome.state !== 'DONE' || buffer.length >= batch) await written;
    else written.catch(() => {});
  };
  // One listener on the op's signal fans out to the running steps: AbortSignal.any() plus
  // AbortSignal.timeout() per step costs ~0.25 ms each on Node 20, more than a memory-VIM call.
  const active = new Set<AbortController>();
  const onAbort = (): void => {
    for (const c of active) c.abort(deps.signal.reason);
  };
  deps.signal.addEventListener('abort', onAbort, { once: true });
  const onCancel = (): void => {
    for (const c of active) c.abort(deps.cancelSignal?.reason);
  };
  deps.cancelSignal?.addEventListener('abort', onCancel, { once: true });
  const lane = async (): Promise<void> => {
    for (let step = await take(); step; step = await take()) {
      if (deps.signal.aborted) {
        failure ??= { kind: 'aborted' };
        return;
      }
      const controller = new AbortController();
      active.add(controller);
      const timer = setTimeout(() => controller.abort(new DOMException(`step deadline of ${deps.deadlineMs} ms`, 'TimeoutError')), deps.deadlineMs);
      const { signal } = controller;
      try {
        const result = await raceDeadline(deps.run(step, signal), signal, step, deps.deadlineMs).finally(() => {
          clearTimeout(timer);
          active.delete(controller);
        });
        await record(step, { state: 'DONE', result, error: null, now: deps.now() });
      } catch (e) {
        if (deps.signal.aborted) {
          failure ??= { kind: 'aborted' };
          return;
        }
        if (deps.cancelSignal?.aborted) {
          // Recorded FAILED: a retry runs it again (what it half-made is found by name).
          failure ??= { kind: 'cancelled' };
          await record(step, { state: 'FAILED', error: problemOf(deps.cancelSignal.reason), now: deps.now() });
          return;
        }
        failure ??= { kind: 'failed', step, error: e };
        await record(step, { state: 'FAILED', error: problemOf(e), now: deps.now() });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency, steps.length)) }, lane));
  } finally {
    deps.signal.removeEventListener('abort', onAbort);
    deps.cancelSignal?.removeEventListener('abort', onCancel);
    await flush();
  }
  return failure ?? { kind: 'done' };
}

/**
 * Runs a phase as one {@link runPhase} per key (the step's PoP), side by side, each with the
 * whole `concurrency`: a PoP is its own engine or cloud, so one PoP's serialised network
 * changes or busy container slots never hold back another's. One PoP gives exactly
 * runPhase. A failure on one PoP stops every PoP launching new steps (as one phase would);
 * what was launched finishes. Merged: aborted, else the first failure in step order, else
 * a cancel, else done.
 */
export async function runPhaseByKey(steps: readonly OpStep[], deps: PhaseDeps, keyOf: (step: OpStep) => string): Promise<PhaseResult> {
  const groups = new Map<string, OpStep[]>();
  for (const s of steps) {
    const g = groups.get(keyOf(s));
    if (g) g.push(s);
    else groups.set(keyOf(s), [s]);
  }
  if (groups.size <= 1) return runPhase(steps, deps);
  // Set as a step fails (before its outcome is written, as runPhase's own failure is), and
  // by the FAILED outcome of one that timed out while its request still ran.
  let failed = false;
  const results = await Promise.all([...groups.values()].map((group) => runPhase(group, {
    ...deps,
    run: (step, signal) => deps.run(step, signal).catch((e: unknown) => {
      failed = true;
      throw e;
    }),
    finish: async (updates) => {
      if (updates.some((u) => u.outcome.state === 'FAILED')) failed = true;
      await deps.finish(updates);
    },
    halted: () => failed || (deps.halted?.() ?? false),
  })));
  if (results.some((r) => r.kind === 'aborted')) return { kind: 'aborted' };
  const order = new Map(steps.map((s, i) => [s.id, i]));
  const failures = results.filter((r): r is Extract<PhaseResult, { kind: 'failed' }> => r.kind === 'failed');
  failures.sort((a, b) => (order.get(a.step.id) ?? 0) - (order.get(b.step.id) ?? 0));
  if (failures[0]) return failures[0];
  if (results.some((r) => r.kind === 'cancelled')) return { kind: 'cancelled' };
  return { kind: 'done' };
}
