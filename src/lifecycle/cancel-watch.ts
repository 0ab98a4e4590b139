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
 * Reads the op's row when `wake` says a cancel was asked (the API's notification: at once
 * in this process, through LISTEN/NOTIFY or the bus from others) and, as a safety net,
 * every `everyMs` while it runs, so that a cancel acts within a step, not only between
 * phases: SOL005 §6.4.10 wants no new resource operation started once a cancel is asked,
 * and FORCEFUL to abort the running ones.
 */
export function watchCancel(
  opId: string, opOccs: Pick<OpOccRepository, 'get'>, everyMs: number, onError: (e: unknown) => void = () => {}, wake?: (listener: () => void) => () => void,
): CancelWatch {
  const forceful = new AbortController();
  let mode: CancelMode | null = null;
  let busy = false;
  let again = false;
  const check = (): void => {
    if (mode === 'FORCEFUL') return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    opOccs.get(opId).then(
      (op) => {
        busy = false;
        if (op?.isCancelPending) {
          mode = op.cancelMode ?? 'GRACEFUL';
          if (mode === 'FORCEFUL') forceful.abort(new RondoError('OP_CANCELLED', `operation ${opId} cancelled (FORCEFUL)`));
        }
        if (again) {
          again = false;
          check();
        }
      },
      (e: unknown) => {
        busy = false;
        onError(e);
        if (again) {
          again = false;
          check();
        }
      },
    );
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  const unsubscribe = wake?.(check);
  return {
    get mode() {
      return mode;
    },
    forceful: forceful.signal,
    stop: () => {
      clearInterval(timer);
      unsubscribe?.();
    },
  };
}
