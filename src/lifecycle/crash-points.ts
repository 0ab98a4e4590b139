/**
 * Fault injection for the lifecycle: named points where a process may die, so crash tests
 * kill a worker at a chosen moment of an operation instead of on a wall-clock tick.
 * Production wiring passes nothing (the no-op); a test worker builds a plan from a seeded
 * string and crashes itself (SIGKILL) when the plan says so. No I/O here.
 */

/** Where the lifecycle offers to crash, in the order an operation meets them. */
export const CRASH_POINTS = [
  /** An operation was claimed (lease and attempt committed), before it runs. */
  'after-claim',
  /** A step's DONE outcome was committed (one hit per DONE step of the batch written). */
  'after-step-done',
  /** A rollback batch's UNDONE outcomes were committed. */
  'after-undo-done',
  /** An op state change (and its outbox event) was committed, before the relay is told. */
  'after-commit',
  /** The outbox relay read a batch of unsent events, before it published them. */
  'outbox-claimed',
  /** The bus confirmed a batch of outbox events, before the relay marked them sent. */
  'outbox-published',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** What a crash point knows about the moment it is hit (for logs and plans). */
export interface CrashContext {
  /** The operation at hand; none at the outbox points. */
  readonly opId?: string;
  /** The op's state at that moment, after the committed change for `after-commit`. */
  readonly operationState?: string;
  readonly stepId?: string;
  /** The outbox events of the batch, at the outbox points. */
  readonly eventIds?: readonly string[];
}

/** The fault-injection port: `hit` returns normally unless the plan says the process dies there. */
export interface CrashPoints {
  hit(point: CrashPoint, ctx: CrashContext): void;
}

/** Never crashes: the default everywhere. */
export const noCrashPoints: CrashPoints = { hit: () => undefined };

/** One entry of a crash plan: die at the `nth` hit (1-based) of `point` in this process. */
export interface CrashPlanEntry {
  readonly point: CrashPoint;
  readonly nth: number;
}

const isCrashPoint = (s: string): s is CrashPoint => (CRASH_POINTS as readonly string[]).includes(s);

/**
 * Parses `point:n[,point:n…]` (e.g. `after-step-done:3`); an empty string is an empty
 * plan. Throws on an unknown point or a count that is not a positive integer, naming it.
 */
export function parseCrashPlan(text: string): CrashPlanEntry[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const [point = '', n = ''] = item.split(':');
      const nth = Number(n);
      if (!isCrashPoint(point)) throw new Error(`unknown crash point '${point}' in '${item}'; one of ${CRASH_POINTS.join(', ')}`);
      if (!Number.isInteger(nth) || nth < 1) throw new Error(`crash point count '${n}' in '${item}' is not a positive integer`);
      return { point, nth };
    });
}

/** Formats a plan back to the `point:n,…` form `parseCrashPlan` reads. */
export function formatCrashPlan(plan: readonly CrashPlanEntry[]): string {
  return plan.map((e) => `${e.point}:${e.nth}`).join(',');
}

/**
 * Counts hits per point and calls `crash` (which must not return, e.g. SIGKILL of the
 * own process) at the first entry whose count is reached. `onHit` sees every hit first
 * (logging which point killed the process).
 */
export function plannedCrashPoints(plan: readonly CrashPlanEntry[], crash: (point: CrashPoint, ctx: CrashContext) => never, onHit?: (point: CrashPoint, n: number, ctx: CrashContext) => void): CrashPoints {
  if (plan.length === 0) return noCrashPoints;
  const hits = new Map<CrashPoint, number>();
  return {
    hit(point, ctx) {
      const n = (hits.get(point) ?? 0) + 1;
      hits.set(point, n);
      onHit?.(point, n, ctx);
      if (plan.some((e) => e.point === point && e.nth === n)) crash(point, ctx);
    },
  };
}

/**
 * A reproducible plan of one crash drawn from a seeded random source in [0, 1): one of
 * `points` and its count, 1..`maxNth[point]` (defaults: 2 for claims, undo records and the outbox points, 3
 * for commits, 4 for step records, so a crash lands inside an operation rather than
 * always at its first step).
 */
export function seededCrashPlan(rand: () => number, points: readonly CrashPoint[] = CRASH_POINTS, maxNth: Partial<Record<CrashPoint, number>> = {}): CrashPlanEntry[] {
  const limits: Record<CrashPoint, number> = { 'after-claim': 2, 'after-step-done': 4, 'after-undo-done': 2, 'after-commit': 3, 'outbox-claimed': 2, 'outbox-published': 2, ...maxNth };
  const point = points[Math.floor(rand() * points.length)] ?? 'after-claim';
  return [{ point, nth: 1 + Math.floor(rand() * limits[point]) }];
}
