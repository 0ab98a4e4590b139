import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpState } from '../../src/model/index.js';
import { formatCrashPlan, seededCrashPlan } from '../../src/lifecycle/index.js';
import type { CrashPoint } from '../../src/lifecycle/index.js';
import { dockerAccount, seededRandom } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { openWorkerRuntime } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// Three worker processes on one PostgreSQL schema and one Docker PoP. Each of the first
// CRASHES workers started carries a seeded crash plan (src/lifecycle/crash-points.ts) and
// SIGKILLs itself at that point of an operation: after a claim, after a step is recorded
// DONE, or between an op state's commit and its publication. A worker's exit is observed
// and it is replaced at once, the replacement with the next plan; once the plans are used
// up, replacements never crash. No kill depends on a clock: the same seed gives the same
// plans, and every plan fires because its count is reached by the first op the worker runs.
const SEED = Number(process.env.CHAOS_SEED ?? 20_251_126);
const CRASHES = 6;
const WORKERS = 3;
const NS_PER_ROUND = 6;
// More rounds only if a planned worker got no work in the first (never seen; a bound, not a budget).
const MAX_ROUNDS = 4;
const POINTS: readonly CrashPoint[] = ['after-claim', 'after-step-done', 'after-commit'];
// Counts every op reaches: a claim, 2 DONE steps (a SAP pair's instantiate has 3, a terminate 2 sweeps), a commit.
const MAX_NTH = { 'after-claim': 1, 'after-step-done': 2, 'after-commit': 1 } as const;
const POP = `chaos${process.pid}`;
const STUCK: readonly OpState[] = ['PROCESSING', 'ROLLING_BACK', 'FAILED_TEMP'];

interface Tracked {
  readonly id: string;
  phase: 'instantiating' | 'terminating' | 'done';
  opId: string;
}

interface Exit {
  readonly owner: string;
  readonly plan: string | undefined;
  readonly signal: string;
  /** The crash point the worker printed before dying, if it did. */
  readonly point: string | undefined;
}

describe(`chaos: workers crash at seeded points mid-operation (seed ${SEED})`, () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    rt = await openWorkerRuntime('chaos-workers.test.ts', [dockerAccount(POP)], { reserveSapSubnets: 2000 });
  });
  afterAll(async () => rt?.close());

  it('every operation ends COMPLETED, ROLLED_BACK or FAILED; nothing orphaned; no subnet held twice', async () => {
    const rand = seededRandom(SEED);
    const plans = Array.from({ length: CRASHES }, () => formatCrashPlan(seededCrashPlan(rand, POINTS, MAX_NTH)));
    const exits: Exit[] = [];
    const spawning: Promise<unknown>[] = [];
    let spawned = 0;
    let closing = false;
    const spawn = async (): Promise<WorkerProcess> => {
      const plan = plans[spawned];
      const w = await rt.spawnWorker(`chaos-w${++spawned}`, { leaseSeconds: 3, concurrency: 2, ...(plan ? { crashPoints: plan } : {}) });
      // Replaced as soon as it is seen gone (an observed event, not a tick).
      void w.exited.then((signal) => {
        if (closing) return;
        const crash = /\{"crash":"([a-z-]+)"/.exec(w.output())?.[1];
        exits.push({ owner: w.owner, plan, signal, point: crash });
        track(spawn());
      });
      return w;
    };
    // Awaited at the end (a failed spawn fails the test there), never left unhandled.
    const spawnErrors: unknown[] = [];
    const track = (p: Promise<unknown>): void => {
      p.catch((e: unknown) => spawnErrors.push(e));
      spawning.push(p);
    };
    for (let i = 0; i < WORKERS; i++) track(spawn());
    await Promise.all(spawning);

    const driver = rt.registry.get(POP);
    const tracked: Tracked[] = [];
    const counts = { driven: 0, overlapChecks: 0, rounds: 0 };
    const drivenCauses: string[] = [];
    const overlaps: unknown[] = [];
    const wrongResources: string[] = [];
    const startRound = async (): Promise<void> => {
      counts.rounds++;
      for (let i = 0; i < NS_PER_ROUND; i++) {
        const ns = await rt.service.createNs({ nsdId: `sap-pairs-${1 + (i % 2)}`, nsName: `chaos-${counts.rounds}-${i}` });
        tracked.push({ id: ns.id, phase: 'instantiating', opId: (await rt.service.instantiate(ns.id)).id });
      }
    };
    await startRound();
    // A bounded poll of the operations' states (the bound only catches a hang).
    const end = Date.now() + 240_000;
    try {
      for (let poll = 0; ; poll++) {
        if (spawnErrors.length > 0) throw new Error(`a replacement worker did not start: ${String(spawnErrors[0])}`);
        if (Date.now() > end) throw new Error(`chaos did not settle: ${JSON.stringify({ exits, ops: await rt.repos.opOccs.list() })}`);
        for (const t of tracked.filter((x) => x.phase !== 'done')) {
          const op = await rt.repos.opOccs.get(t.opId);
          if (!op) throw new Error(`operation ${t.opId} vanished`);
          if (op.operationState === 'FAILED_TEMP' && op.owner === null) {
            // Drive it out of FAILED_TEMP: instantiate rolls back, terminate retries.
            counts.driven++;
            drivenCauses.push(`${op.lcmOperationType}: ${String(op.error?.code)} ${String(op.error?.detail).slice(0, 160)}`);
            await (t.phase === 'instantiating' ? rt.service.rollback(op.id) : rt.service.retry(op.id));
          } else if (t.phase === 'instantiating' && op.operationState === 'COMPLETED') {
            const onVim = await driver.listByLabel({ 'rondo.ns': t.id });
            const pairs = (await rt.service.listVnfs(t.id)).length / 2;
            if (onVim.filter((r) => r.kind === 'compute').length !== pairs * 2 || onVim.filter((r) => r.kind === 'network').length !== pairs) {
              wrongResources.push(`${t.id}: ${onVim.map((r) => r.name).join(', ')}`);
            }
            t.phase = 'terminating';
            t.opId = (await rt.service.terminate(t.id)).id;
          } else if (op.operationState === 'ROLLED_BACK' || op.operationState === 'FAILED' || (t.phase === 'terminating' && op.operationState === 'COMPLETED')) {
            t.phase = 'done';
          }
        }
        if (poll % 3 === 0) {
          counts.overlapChecks++;
          overlaps.push(...(await rt.reconcileRepo.overlappingSubnets()));
        }
        if (tracked.every((t) => t.phase === 'done')) {
          if (exits.length >= CRASHES) break;
          if (counts.rounds >= MAX_ROUNDS) throw new Error(`only ${exits.length} of ${CRASHES} planned crashes after ${counts.rounds} rounds: ${JSON.stringify(exits)} plans ${JSON.stringify(plans)}`);
          await startRound();
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      // Also when the loop fails: no replacement may start after this (close() sweeps the PoP).
      closing = true;
    }
    await Promise.all(spawning);

    const ops = await rt.repos.opOccs.list();
    const byState: Record<string, number> = {};
    for (const o of ops) byState[`${o.lcmOperationType} ${o.operationState}`] = (byState[`${o.lcmOperationType} ${o.operationState}`] ?? 0) + 1;
    const reconcile = await rt.reconciler.runOnce({ dryRun: true });
    overlaps.push(...(await rt.reconcileRepo.overlappingSubnets()));
    console.log(`chaos seed ${SEED}:`, JSON.stringify({ ...byState, ...counts, crashes: exits.map((e) => `${e.owner} ${e.point ?? e.signal}`), orphans: reconcile.orphans.length, overlaps: overlaps.length, workersStarted: spawned }), drivenCauses);

    // Every exit was a planned crash, at its planned point, with SIGKILL; each plan fired once.
    const byOwner = [...exits].sort((a, b) => Number(a.owner.slice('chaos-w'.length)) - Number(b.owner.slice('chaos-w'.length)));
    expect(byOwner).toEqual(plans.map((plan, i) => ({ owner: `chaos-w${i + 1}`, plan, signal: 'SIGKILL', point: plan.split(':')[0] })));
    expect(ops.filter((o) => STUCK.includes(o.operationState))).toEqual([]);
    expect(ops.every((o) => ['COMPLETED', 'ROLLED_BACK', 'FAILED'].includes(o.operationState))).toBe(true);
    expect(ops.length).toBeGreaterThanOrEqual(tracked.length + 1);
    expect(wrongResources).toEqual([]);
    expect(overlaps).toEqual([]);
    expect(reconcile).toMatchObject({ orphans: [], vanished: [], errors: [] });
    expect(await driver.listByLabel({})).toEqual([]);
    for (const t of tracked) {
      expect((await rt.service.getNs(t.id)).state).toBe('NOT_INSTANTIATED');
      expect(await rt.repos.subnets.listByNs(t.id)).toEqual([]);
    }
  });
});
