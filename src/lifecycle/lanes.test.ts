import { describe, expect, it } from 'vitest';
import { forEachInLanes } from './lanes.js';

describe('forEachInLanes', () => {
  it('runs every item, at most `lanes` at once, starting them in list order', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await forEachInLanes([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5 + (n % 3)));
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('rejects with the error of an item once the lanes stop; the other lanes finish their items', async () => {
    const done: number[] = [];
    await expect(
      forEachInLanes([1, 2, 3, 4], 2, async (n) => {
        if (n === 1) throw new Error('one failed');
        await new Promise((r) => setTimeout(r, 2));
        done.push(n);
      }),
    ).rejects.toThrow('one failed');
    expect(done).toEqual([2, 3, 4]);
  });

  it('does nothing for no items', async () => {
    await expect(forEachInLanes([], 4, async () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
