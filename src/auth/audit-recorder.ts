import type { Clock, IdGenerator } from '../model/index.js';
import type { AuditEntry, AuditLogRepository } from './auth-store.js';

/** Writes audit entries without holding up responses, and can wait for them. */
export interface AuditRecorder {
  /** Starts writing `entry`; failures go to `onError`, never to the caller. */
  record(entry: Omit<AuditEntry, 'id' | 'at'>): void;
  /** Resolves when every entry started so far is written (tests, graceful shutdown). */
  drain(): Promise<void>;
}

/** HTTP methods that change state, hence are audited. */
export const AUDITED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Creates an {@link AuditRecorder} over the audit log repository. */
export function createAuditRecorder(deps: { log: AuditLogRepository; clock: Clock; ids: IdGenerator; onError: (e: unknown) => void }): AuditRecorder {
  // One write at a time, in call order: concurrent inserts could take their `seq` out of
  // order on PostgreSQL, and the log is read newest first by `seq`.
  let tail: Promise<void> = Promise.resolve();
  return {
    record(entry) {
      const row = { ...entry, id: deps.ids.next(), at: deps.clock.now() };
      tail = tail.then(() => deps.log.append(row)).catch(deps.onError);
    },
    async drain() {
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
  };
}
