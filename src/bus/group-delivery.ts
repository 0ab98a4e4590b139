import { RondoError } from '../model/index.js';
import { BUS_NAME } from './bus.js';
import type { BusErrorHandler, ConsumeOptions } from './bus.js';

/** {@link ConsumeOptions} with their defaults filled in. */
export interface GroupSettings {
  readonly ordered: boolean;
  readonly prefetch: number;
  readonly attempts: number;
  readonly retryDelayMs: number;
}

/** The defaults of {@link ConsumeOptions}. */
export function groupSettings(opts: ConsumeOptions = {}): GroupSettings {
  return {
    ordered: opts.ordered ?? true,
    prefetch: Math.max(1, Math.floor(opts.prefetch ?? 8)),
    attempts: Math.max(1, Math.floor(opts.attempts ?? 3)),
    retryDelayMs: Math.max(0, opts.retryDelayMs ?? 200),
  };
}

/** Throws RondoError `BUS_INVALID` unless `name` can be a topic, routing key or queue name part. */
export function checkBusName(what: 'topic' | 'group', name: string): void {
  if (!BUS_NAME.test(name)) throw new RondoError('BUS_INVALID', `bus ${what} '${name}': expected letters, digits, '.', '_' or '-' (at most 128)`);
}

/**
 * Runs a group handler on one event: again after a pause (doubling) while it throws, up
 * to `attempts` calls, then reports the last error and gives the event up. Stops early,
 * silently, when `cancelled()` (the member left: the event went back to the group).
 * Never rejects: the caller acknowledges when it resolves.
 */
export async function runGroupHandler(
  run: () => Promise<void>,
  s: GroupSettings,
  cancelled: () => boolean,
  onError: BusErrorHandler,
  context: { readonly topic: string; readonly eventId: string; readonly group: string },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (e) {
      if (cancelled()) return;
      if (attempt >= s.attempts) {
        onError(e, { ...context, what: `handler failed ${attempt} time(s); event given up` });
        return;
      }
      await new Promise((r) => setTimeout(r, s.retryDelayMs * 2 ** (attempt - 1)));
      if (cancelled()) return;
    }
  }
}
