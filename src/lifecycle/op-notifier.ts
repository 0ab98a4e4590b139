import type { OpChange, OpNotifier } from './ports.js';

/**
 * The in-process {@link OpNotifier}: synchronous fan-out to listeners; a listener that
 * throws does not stop the others. Processes sharing PostgreSQL do not see each other's
 * notifications; the worker's poll interval covers that.
 */
export function createOpNotifier(): OpNotifier {
  const listeners = new Set<(c: OpChange) => void>();
  return {
    notify(change) {
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
