import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpState } from '../../src/model/index.js';
import { dockerAccount, seededRandom } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { openWorkerRuntime } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// Three worker processes on one PostgreSQL schema and one Docker PoP; workers are
// SIGKILLed at seeded-random moments while they hold operations, and replaced.
const SEED = Number(process.env.CHAOS_SEED ?? 20_251_126);
const NS_COUNT = 6;
const MAX_KILLS = 6;
// Kills are seeded-random, but how many ticks a run has depends on the machine's speed: a
// worker holding an op is killed anyway once 2 ticks pass without a kill, until 3 are done.
const MIN_KILLS = 3;
const FORCE_AFTER_TICKS = 2;
const POP = `chaos${process.pid}`;
const STUCK: readonly OpState[] = ['PROCESSING', 'ROLLING_BACK', 'FAILED_TEMP'];

interface Tracked {
  readonly id: string;
  phase: 'instantiating' | 'terminating' | 'done';
  opId: string;
}

describe(`chaos: workers killed mid-operation (seed ${SEED})`, () => {
  let rt: WorkerRuntime;
  beforeAll(async () => {
    rt = await openWorkerRuntime('chaos-workers.test.ts', [dockerAccount(POP)], { reserveSapSubnets: 2000 });
  });
  afterAll(async () => rt?.close());

  it('every operation ends COMPLETED, ROLLED_BACK or FAILED; nothing orphaned; no subnet held twice', async () => {
    const rand = seededRandom(SEED);
    let spawned = 0;
    const spawn = () => rt.spawnWorker(`chaos-w${++spawned}`, { leaseSeconds: 3, concurrency: 2 });
    const workers: WorkerProcess[] = await Promise.all([spawn(), spawn(), spawn()]);
    const driver = rt.registry.get(POP);
    const tracked: Tracked[] = [];
    for (let i = 0; i < NS_COUNT; i++) {
      const ns = await rt.service.createNs({ nsdId: `sap-pairs-${1 + (i % 2)}`, nsName: `chaos-${i}` });
      tracked.push({ id: ns.id, phase: 'instantiating', opId: (await rt.service.instantiate(ns.id)).id });
    }
    const counts = { kills: 0, driven: 0, overlapChecks: 0 };
    let lastKillTick = 0;
    const drivenCauses: string[] = [];
    const overlaps: unknown[] = [];
    const wrongResources: string[] = [];
    const end = Date.now() + 150_000;
    for (let tick = 0; tracked.some((t) => t.phase !== 'done'); tick++) {
      if (Date.now() > end) throw new Error(`chaos did not settle: ${JSON.stringify(await rt.repos.opOccs.list())}`);
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
      // Kill a worker that holds an operation right now, at a seeded-random moment.
      const forced = counts.kills < MIN_KILLS && tick - lastKillTick >= FORCE_AFTER_TICKS;
      if (counts.kills < MAX_KILLS && (rand() < 0.25 || forced)) {
        const owners = new Set((await rt.repos.opOccs.list()).filter((o) => o.owner && STUCK.includes(o.operationState)).map((o) => o.owner));
        const holders = workers.filter((w) => owners.has(w.owner));
        const victim = holders[Math.floor(rand() * holders.length)];
        if (victim) {
          await victim.crash();
          counts.kills++;
          lastKillTick = tick;
          workers.splice(workers.indexOf(victim), 1, await spawn());
        }
      }
      if (tick % 3 === 0) {
        counts.overlapChecks++;
        overlaps.push(...(await rt.reconcileRepo.overlappingSubnets()));
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    const ops = await rt.repos.opOccs.list();
    const byState: Record<string, number> = {};
    for (const o of ops) byState[`${o.lcmOperationType} ${o.operationState}`] = (byState[`${o.lcmOperationType} ${o.operationState}`] ?? 0) + 1;
    const reconcile = await rt.reconciler.runOnce({ dryRun: true });
    overlaps.push(...(await rt.reconcileRepo.overlappingSubnets()));
    console.log(`chaos seed ${SEED}:`, JSON.stringify({ ...byState, ...counts, orphans: reconcile.orphans.length, overlaps: overlaps.length, workersStarted: spawned }), drivenCauses);

    expect(ops.filter((o) => STUCK.includes(o.operationState))).toEqual([]);
    expect(ops.every((o) => ['COMPLETED', 'ROLLED_BACK', 'FAILED'].includes(o.operationState))).toBe(true);
    expect(ops.length).toBeGreaterThanOrEqual(NS_COUNT + 1);
    expect(counts.kills).toBeGreaterThanOrEqual(MIN_KILLS);
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
