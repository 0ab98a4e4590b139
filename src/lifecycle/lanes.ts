/**
 * Runs `fn` on every item, at most `lanes` at once, taking items in list order. A lane
 * whose item throws stops; the others go on taking items (what they do is real work the
 * caller records or undoes). Rejects with the first error once every lane has stopped, so
 * nothing still runs when the caller records the outcome.
 */
export async function forEachInLanes<T>(items: readonly T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lane = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  const ended = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(lanes, queue.length)) }, lane));
  const failed = ended.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
