import type { OpChange, OpNotifier } from './ports.js';

/**
 * The in-process {@link OpNotifier}: synchronous fan-out to listeners; a listener that
 * throws does not stop the others. A change repeating the state last published for the
 * same operation is dropped (the worker re-publishes an operation's state when it lets go
 * of it, which is usually the state the executor just published; the bus delivers this
 * process's own changes again). The composition root feeds it the `op.changed` events of
 * every process from the event bus; without a broker between processes, the worker's
 * poll interval covers the others' changes.
 */
export function createOpNotifier({ remember = 10_000 }: { readonly remember?: number } = {}): OpNotifier {
  const listeners = new Set<(c: OpChange) => void>();
  const lastState = new Map<string, string>();
  return {
    notify(change) {
      // A cancel request is news although the state stays: it is part of what is compared.
      const state = change.cancelMode ? `${change.operationState}|cancel:${change.cancelMode}` : change.operationState;
      if (lastState.get(change.opId) === state) return;
      lastState.delete(change.opId);
      lastState.set(change.opId, state);
      // Insertion order is age: the oldest operation is forgotten first.
      if (lastState.size > remember) lastState.delete(lastState.keys().next().value as string);
      for (const l of [...listeners]) {
        try {
          l(change);
        } catch {
          // A broken listener must not block state propagation to the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
