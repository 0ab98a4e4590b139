import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpState } from '../../src/model/index.js';
import { formatCrashPlan, seededCrashPlan } from '../../src/lifecycle/index.js';
import type { CrashPoint } from '../../src/lifecycle/index.js';
import { LABEL_TUNNEL } from '../../src/vim/index.js';
import type { LabelledResource } from '../../src/vim/index.js';
import { LocalEngine } from '../../src/vim/docker/local-engine.js';
import { dockerAccount, seededRandom } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { openWorkerRuntime } from '../support/worker-runtime.js';
import type { WorkerRuntime } from '../support/worker-runtime.js';

// Three worker processes on one PostgreSQL schema and two Docker PoPs, each PoP an engine
// of this file's own (LocalEngine: own socket, data root and bridge; no other file uses
// them), so the NS instances alternate between staying on one PoP and having their SAP
// pairs split across both: a split pair's E-Line is one segment per engine joined by a
// VXLAN tunnel step (a helper container on each engine). Each of the first CRASHES
// workers started carries a seeded crash plan (src/lifecycle/crash-points.ts) and
// SIGKILLs itself at that point of an operation: after a claim, after a step is recorded
// DONE, or between an op state's commit and its publication. A worker's exit is observed
// and it is replaced at once, the replacement with the next plan; once the plans are used
// up, replacements never crash. No kill depends on a clock: the same seed gives the same
// plans, and every plan fires because its count is reached by the first op the worker runs.
// At the end neither engine may hold a tunnel helper, container or network, and the
// reconciler (dry run over both PoPs) finds no orphan.
const SEED = Number(process.env.CHAOS_SEED ?? 20_251_126);
const CRASHES = 6;
const WORKERS = 3;
const NS_PER_ROUND = 6;
// More rounds only if a planned worker got no work in the first (never seen; a bound, not a budget).
const MAX_ROUNDS = 4;
const POINTS: readonly CrashPoint[] = ['after-claim', 'after-step-done', 'after-commit'];
// Counts every op reaches: a claim, 2 DONE steps (a SAP pair's instantiate has 3, a split
// pair's 5 with its tunnel; a terminate 2 sweeps per PoP), a commit.
const MAX_NTH = { 'after-claim': 1, 'after-step-done': 2, 'after-commit': 1 } as const;
const STUCK: readonly OpState[] = ['PROCESSING', 'ROLLING_BACK', 'FAILED_TEMP'];
// Bridge addresses no other test file (nor `rondo pop up`, 172.31.100-199) uses.
const ENGINES = [1, 2].map((n) => new LocalEngine({ name: `chaos${n}`, bridge: `rondochaos${n}`, bridgeAddress: `172.31.23${n}.1/24` }));
const POPS = ENGINES.map((e) => e.name);
const [POP_A, POP_B] = POPS as [string, string];

/**
 * Where the SAPs of a round's `i`-th NS (`pairs` SAP pairs) go: every third NS on PoP A,
 * every third on PoP B, and the rest split, each pair's two SAPs on different PoPs (the
 * direction alternating by pair), so every link of it crosses the engines.
 */
function pinsOf(i: number, pairs: number): Record<string, string> {
  const pins: Record<string, string> = {};
  for (let k = 0; k < pairs; k++) {
    const [first, second] = i % 3 === 0 ? [POP_A, POP_A] : i % 3 === 2 ? [POP_B, POP_B] : k % 2 === 0 ? [POP_A, POP_B] : [POP_B, POP_A];
    pins[`s${2 * k}`] = first;
    pins[`s${2 * k + 1}`] = second;
  }
  return pins;
}

/** What a COMPLETED instantiate leaves on each PoP: per pair a network where a SAP is, its SAPs, and a tunnel helper when split. */
function expectedOn(pins: Readonly<Record<string, string>>, pairs: number): Record<string, { networks: number; saps: number; tunnels: number }> {
  const out = Object.fromEntries(POPS.map((p) => [p, { networks: 0, saps: 0, tunnels: 0 }]));
  for (let k = 0; k < pairs; k++) {
    const ends = [pins[`s${2 * k}`], pins[`s${2 * k + 1}`]] as string[];
    for (const pop of new Set(ends)) {
      const here = out[pop] as { networks: number; saps: number; tunnels: number };
      here.networks++;
      here.saps += ends.filter((e) => e === pop).length;
      if (ends[0] !== ends[1]) here.tunnels++;
    }
  }
  return out;
}

/** The same counts as found on a PoP (tunnel helpers are computes labelled `rondo.tunnel`). */
const foundOn = (rs: readonly LabelledResource[]): { networks: number; saps: number; tunnels: number } => ({
  networks: rs.filter((r) => r.kind === 'network').length,
  saps: rs.filter((r) => r.kind === 'compute' && r.labels[LABEL_TUNNEL] === undefined).length,
  tunnels: rs.filter((r) => r.kind === 'compute' && r.labels[LABEL_TUNNEL] !== undefined).length,
});

interface Tracked {
  readonly id: string;
  readonly pairs: number;
  readonly pins: Readonly<Record<string, string>>;
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
    await Promise.all(ENGINES.map(async (e) => {
      await e.start();
      await e.wipe();
      await e.importVnfImages();
    }));
    // The workers read these accounts from the store: each PoP is its engine's unix socket
    // (underlay: the engine's bridge). Why the SAP-pool offset stays: see vitest.config.ts.
    rt = await openWorkerRuntime('chaos-workers.test.ts', ENGINES.map((e) => dockerAccount(e.name, e.endpoint)), { reserveSapSubnets: 2000 });
  });
  afterAll(async () => {
    // Workers first (close crashes them and sweeps the PoPs), then the engines, whatever happened.
    try {
      await rt?.close();
    } finally {
      for (const e of ENGINES) {
        await e.wipe().catch(() => undefined);
        await e.remove();
      }
    }
  });

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

    const drivers = POPS.map((p) => [p, rt.registry.get(p)] as const);
    const tracked: Tracked[] = [];
    const counts = { driven: 0, overlapChecks: 0, rounds: 0, split: 0, tunnelsSeen: 0 };
    const drivenCauses: string[] = [];
    const overlaps: unknown[] = [];
    const wrongResources: string[] = [];
    const startRound = async (): Promise<void> => {
      counts.rounds++;
      for (let i = 0; i < NS_PER_ROUND; i++) {
        const pairs = 1 + (i % 2);
        const pins = pinsOf(i, pairs);
        if (i % 3 === 1) counts.split++;
        const ns = await rt.service.createNs({ nsdId: `sap-pairs-${pairs}`, nsName: `chaos-${counts.rounds}-${i}` });
        tracked.push({ id: ns.id, pairs, pins, phase: 'instantiating', opId: (await rt.service.instantiate(ns.id, { pins })).id });
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
            const expected = expectedOn(t.pins, t.pairs);
            for (const [pop, driver] of drivers) {
              const onVim = await driver.listByLabel({ 'rondo.ns': t.id });
              const found = foundOn(onVim);
              counts.tunnelsSeen += found.tunnels;
              if (JSON.stringify(found) !== JSON.stringify(expected[pop])) {
                wrongResources.push(`${t.id} on ${pop}: expected ${JSON.stringify(expected[pop])}, found ${onVim.map((r) => r.name).join(', ')}`);
              }
            }
            if ((await rt.service.listVnfs(t.id)).length !== t.pairs * 2) wrongResources.push(`${t.id}: not ${t.pairs * 2} SAP records`);
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
    const tunnelSteps = (await rt.service.listStepsOf(ops.map((o) => o.id))).filter((s) => s.kind === 'tunnel');
    const tunnelStepsRun = tunnelSteps.filter((s) => s.state === 'DONE' || s.state === 'UNDONE').length;
    const reconcile = await rt.reconciler.runOnce({ dryRun: true });
    overlaps.push(...(await rt.reconcileRepo.overlappingSubnets()));
    console.log(`chaos seed ${SEED}:`, JSON.stringify({ ...byState, ...counts, tunnelSteps: tunnelSteps.length, tunnelStepsRun, crashes: exits.map((e) => `${e.owner} ${e.point ?? e.signal}`), orphans: reconcile.orphans.length, overlaps: overlaps.length, workersStarted: spawned }), drivenCauses);

    // Every exit was a planned crash, at its planned point, with SIGKILL; each plan fired once.
    const byOwner = [...exits].sort((a, b) => Number(a.owner.slice('chaos-w'.length)) - Number(b.owner.slice('chaos-w'.length)));
    expect(byOwner).toEqual(plans.map((plan, i) => ({ owner: `chaos-w${i + 1}`, plan, signal: 'SIGKILL', point: plan.split(':')[0] })));
    expect(ops.filter((o) => STUCK.includes(o.operationState))).toEqual([]);
    expect(ops.every((o) => ['COMPLETED', 'ROLLED_BACK', 'FAILED'].includes(o.operationState))).toBe(true);
    expect(ops.length).toBeGreaterThanOrEqual(tracked.length + 1);
    expect(wrongResources).toEqual([]);
    expect(overlaps).toEqual([]);
    // The dry run listed both PoPs (an unlistable one would be in `errors`).
    expect(rt.registry.accounts().map((a) => a.id).sort()).toEqual([...POPS].sort());
    expect(reconcile).toMatchObject({ orphans: [], vanished: [], errors: [] });
    // Split pairs made tunnels (steps that ran, then were undone by a rollback or swept by terminate).
    expect(tunnelStepsRun).toBeGreaterThan(0);
    for (const [pop, driver] of drivers) expect(await driver.listByLabel({}), pop).toEqual([]);
    // The engines themselves, past the drivers' PoP label: they are this file's alone, so
    // nothing at all may be left — no tunnel helper, SAP or other container, no network but Docker's own.
    for (const e of ENGINES) {
      expect((await e.client.listContainers({ all: true })).map((c) => `${c.Names.join(',')} ${JSON.stringify(c.Labels)}`), e.name).toEqual([]);
      expect((await e.client.listNetworks()).map((n) => n.Name).sort(), e.name).toEqual(['bridge', 'host', 'none']);
    }
    for (const t of tracked) {
      expect((await rt.service.getNs(t.id)).state).toBe('NOT_INSTANTIATED');
      expect(await rt.repos.subnets.listByNs(t.id)).toEqual([]);
    }
  });
});
