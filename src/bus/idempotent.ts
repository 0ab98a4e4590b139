/**
 * Which events a consumer has handled, by event id: the memory of an idempotent consumer.
 * In memory ({@link recentEventIds}) for fan-out subscribers, whose events never move to
 * another process; in the store (`consumedEvents` of `src/store`) for consumer groups,
 * whose events a surviving member may get again after another one died.
 */
export interface HandledEvents {
  /** Whether `scope` (a group name) handled event `id`. */
  has(scope: string, id: string): Promise<boolean>;
  /** Records that `scope` handled event `id`. */
  add(scope: string, id: string): Promise<void>;
}

/** The last `capacity` ids per scope, in memory. */
export function recentEventIds(capacity = 10_000): HandledEvents & { hasNow(scope: string, id: string): boolean; addNow(scope: string, id: string): void } {
  const scopes = new Map<string, Set<string>>();
  const hasNow = (scope: string, id: string) => scopes.get(scope)?.has(id) ?? false;
  const addNow = (scope: string, id: string) => {
    let ids = scopes.get(scope);
    if (!ids) scopes.set(scope, (ids = new Set()));
    ids.add(id);
    // A Set iterates in insertion order: the oldest id goes first.
    if (ids.size > capacity) ids.delete(ids.values().next().value as string);
  };
  return { hasNow, addNow, has: async (scope, id) => hasNow(scope, id), add: async (scope, id) => addNow(scope, id) };
}

/**
 * Wraps a handler so each event id is handled once per `scope`: an event already handled
 * is skipped, and one is recorded handled after the handler resolved (a handler that
 * throws leaves it unrecorded, to be handled again). At least once becomes once, except
 * when a process dies between the handler's effect and the record: the effect then
 * happens again, which is why effects that leave the process (a callback POST) carry ids
 * derived from the event id.
 */
export function idempotent<E extends { readonly id: string }>(scope: string, handled: HandledEvents, handler: (event: E) => Promise<void>): (event: E) => Promise<void> {
  return async (event) => {
    if (await handled.has(scope, event.id)) return;
    await handler(event);
    await handled.add(scope, event.id);
  };
}
