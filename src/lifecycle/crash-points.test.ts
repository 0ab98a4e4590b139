import { describe, expect, it } from 'vitest';
import { CRASH_POINTS, formatCrashPlan, noCrashPoints, parseCrashPlan, plannedCrashPoints, seededCrashPlan } from './crash-points.js';
import type { CrashPoint } from './crash-points.js';

class Crashed extends Error {}

describe('crash points', () => {
  it('parses and formats plans, naming what is wrong', () => {
    expect(parseCrashPlan('after-step-done:3, after-claim:1')).toEqual([{ point: 'after-step-done', nth: 3 }, { point: 'after-claim', nth: 1 }]);
    expect(parseCrashPlan('')).toEqual([]);
    expect(formatCrashPlan(parseCrashPlan('after-commit:2,after-undo-done:1'))).toBe('after-commit:2,after-undo-done:1');
    expect(() => parseCrashPlan('after-lunch:1')).toThrow(/unknown crash point 'after-lunch'/);
    expect(() => parseCrashPlan('after-claim:0')).toThrow(/not a positive integer/);
    expect(() => parseCrashPlan('after-claim')).toThrow(/not a positive integer/);
  });

  it('crashes at the nth hit of the planned point only', () => {
    const seen: string[] = [];
    const cp = plannedCrashPoints(parseCrashPlan('after-step-done:3'), (point) => {
      throw new Crashed(point);
    }, (point, n) => seen.push(`${point}#${n}`));
    cp.hit('after-step-done', { opId: 'o' });
    cp.hit('after-claim', { opId: 'o' });
    cp.hit('after-step-done', { opId: 'o' });
    expect(() => cp.hit('after-step-done', { opId: 'o' })).toThrow(Crashed);
    expect(seen).toEqual(['after-step-done#1', 'after-claim#1', 'after-step-done#2', 'after-step-done#3']);
  });

  it('an empty plan is the no-op', () => {
    expect(plannedCrashPoints([], () => { throw new Crashed(); })).toBe(noCrashPoints);
    for (const p of CRASH_POINTS) expect(() => noCrashPoints.hit(p, { opId: 'o' })).not.toThrow();
  });

  it('seeded plans are reproducible and stay within the given points', () => {
    const lcg = (seed: number) => () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const points: CrashPoint[] = ['after-claim', 'after-commit'];
    const a = Array.from({ length: 20 }, ((r) => () => seededCrashPlan(r, points))(lcg(7)));
    const b = Array.from({ length: 20 }, ((r) => () => seededCrashPlan(r, points))(lcg(7)));
    expect(a).toEqual(b);
    for (const [e] of a) {
      expect(points).toContain(e!.point);
      expect(e!.nth).toBeGreaterThanOrEqual(1);
      expect(e!.nth).toBeLessThanOrEqual(e!.point === 'after-claim' ? 2 : 3);
    }
  });
});
