import type { CancelMode } from '../model/index.js';
import { RondoError } from '../model/index.js';
import type { OpOccRepository } from './ports.js';

/** A cancel request seen while an operation runs. */
export interface CancelWatch {
  /** The mode asked for, once a cancel is pending; null until then. */
  readonly mode: CancelMode | null;
  /** Aborted (reason: RondoError `OP_CANCELLED`) when a FORCEFUL cancel is pending. */
  readonly forceful: AbortSignal;
  stop(): void;
}

/**
 * Reads the op's row every `everyMs` while it runs (the API process that takes the cancel
 * request may not be the worker's), so that a cancel acts within a step, not only between
 * phases: SOL005 §6.4.10 wants no new resource operation started once a cancel is asked,
 * and FORCEFUL to abort the running ones.
 */
export function watchCancel(opId: string, opOccs: Pick<OpOccRepository, 'get'>, everyMs: number, onError: (e: unknown) => void = () => {}): CancelWatch {
  const forceful = new AbortController();
  let mode: CancelMode | null = null;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || mode === 'FORCEFUL') return;
    busy = true;
    opOccs.get(opId).then(
      (op) => {
        busy = false;
        if (!op?.isCancelPending) return;
        mode = op.cancelMode ?? 'GRACEFUL';
        if (mode === 'FORCEFUL') forceful.abort(new RondoError('OP_CANCELLED', `operation ${opId} cancelled (FORCEFUL)`));
      },
      (e: unknown) => {
        busy = false;
        onError(e);
      },
    );
  }, everyMs);
  timer.unref();
  return {
    get mode() {
      return mode;
    },
    forceful: forceful.signal,
    stop: () => clearInterval(timer),
  };
}
