import type { OpStep, ProblemDetails } from '../model/index.js';
import { vniOf } from '../ipam/index.js';
import { ConflictError, NotFoundError, RondoError } from '../model/index.js';
import type { Vnfd } from '../model/index.js';
import type { PlannedStep } from './ns-plan-types.js';
import { DAY2_PHASES, INSTANTIATE_PHASES, SCALE_PHASES } from './ns-plan-types.js';
import { planScale } from './scale-planner.js';
import type { ScaleChange } from './scale-requests.js';
import { recordScale } from './scale-records.js';
import { LEVEL_PHASE_OFFSET } from './ns-instantiation-level.js';
import { planHeal, planOperate } from './day2-planner.js';
import type { HealTarget, OperateChange } from './day2-planner.js';
import { recordDay2, recordRemoved } from './day2-records.js';
import { planAddVnf, planRemoveVnf } from './vnf-membership-planner.js';
import { loadNsBuild } from './ns-build.js';
import { forEachInLanes } from './lanes.js';
import type { ComputeInfo } from '../vim/index.js';
import { vduCpu } from './ns-placement.js';
import { problemOf, stepProblem } from './op-problem.js';
import { runGraph } from './phase-runner.js';
import type { StepGraph } from './phase-runner.js';
import { instantiateGraph } from './instantiate-graph.js';
import type { LifecycleRepositories, StoredOpOcc, VnfRecord } from './ports.js';
import { instantiationRecords, moveAddresses, storedRecords, subnetMoves, toOpSteps } from './plan-store.js';
import type { ExecutorDeps, TraceEvent } from './executor-deps.js';
import { moveOp } from './executor-deps.js';
import { runStep } from './step-runner.js';
import { computeResultOf, isStepOf } from './op-step-view.js';
import type { ComputeStepResult } from './step-runner.js';
import { planTerminate } from './terminate-planner.js';
import { rollbackOperation } from './op-rollback.js';
import { watchCancel } from './cancel-watch.js';
import type { CancelWatch } from './cancel-watch.js';
// Heat path (OpenStack PoPs): HOTs for the plan, stack sweeps, VNFRs from stack steps.
import { heatPopIds, loadHots } from './heat-plan.js';
import { recordStackVnfs } from './heat-step-runner.js';
import { isSubnetInUse, subnetsInUseOn } from './vim-subnets.js';
import { managerSpecsOf } from './specific-managers.js';
import type { ManagerScaleChange, ManagerSpec } from './specific-managers.js';

/** How often an INSTANTIATE plans again around subnets found in use at network creation. */
const MAX_REPLANS = 3;
/** The longest planning waits for a PoP to list the subnets it uses. */
const ENGINE_PROBE_MS = 5_000;

/** A stored step's params with its addresses moved; a tunnel's VNI follows its link's new subnet (a VNI is the subnet's, see `vniOf`). */
function readdressed(step: OpStep, moves: Parameters<typeof moveAddresses>[1]): OpStep['params'] {
  const params = moveAddresses(step.params, moves);
  if (step.kind !== 'tunnel') return params;
  const subnet = (params as { subnet?: unknown }).subnet;
  return typeof subnet === 'string' ? { ...params, vni: vniOf(subnet) } : params;
}

/**
 * Runs a claimed operation to its next resting state: PROCESSING → COMPLETED, or
 * FAILED_TEMP (then, for INSTANTIATE unless `autoRollback: false`, ROLLING_BACK →
 * ROLLED_BACK); ROLLING_BACK → ROLLED_BACK. When `signal` aborts (lease lost, worker
 * stopping) it returns early and leaves the op for another run: every step is idempotent.
 * A cancel request (SOL005 §6.4.10) is seen within `cancelPollMs`: no new step starts,
 * FORCEFUL aborts the running ones too, and the op goes to FAILED_TEMP (`OP_CANCELLED`).
 */
export async function executeOperation(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal): Promise<void> {
  if (op.operationState === 'ROLLING_BACK') return void (await rollbackOperation(op, deps, signal));
  if (op.operationState !== 'PROCESSING') return;
  deps.trace?.({ opId: op.id, what: 'run', edge: 'begin', detail: op.lcmOperationType });
  const cancel = watchCancel(op.id, deps.repos.opOccs, deps.cancelPollMs ?? 500, undefined, (wake) => deps.notifier.subscribe((c) => c.opId === op.id && c.cancelMode !== undefined && wake()));
  try {
    await runOperation(op, deps, signal, cancel);
  } finally {
    cancel.stop();
    deps.trace?.({ opId: op.id, what: 'run', edge: 'end' });
  }
}

/** Moves the op to FAILED_TEMP for a pending cancel, naming where it stopped. */
async function cancelOperation(op: StoredOpOcc, deps: ExecutorDeps, where: string): Promise<void> {
  const mode = op.cancelMode ?? 'GRACEFUL';
  const cancelled = problemOf(new RondoError('OP_CANCELLED', `operation cancelled (${mode}) ${where}; retry, rollback or fail it`));
  await moveOp(deps, op, mode === 'FORCEFUL' ? 'cancel-forceful' : 'cancel-graceful', cancelled);
}

async function runOperation(op: StoredOpOcc, deps: ExecutorDeps, signal: AbortSignal, cancel: CancelWatch, replans = 0): Promise<void> {
  let steps: OpStep[];
  deps.trace?.({ opId: op.id, what: 'plan', edge: 'begin' });
  try {
    steps = await ensurePlan(op, deps);
  } catch (e) {
    return failOperation(op, deps, problemOf(e), signal);
  }
  deps.trace?.({ opId: op.id, what: 'plan', edge: 'end', detail: `${steps.length} steps` });
  const byId = new Map(steps.map((s) => [s.id, s]));
  const computes = computeResults(steps);
  // Computes a route or start step still to run execs into: that exec names their interfaces.
  const namedLater = new Set(steps.flatMap((s) => (s.state === 'DONE' ? [] : isStepOf(s, 'route') || isStepOf(s, 'start') ? [s.params.compute] : [])));
  const stages = stagesOf(op, steps);
  const deadline = op.deadline ? Date.parse(op.deadline) : Number.POSITIVE_INFINITY;
  if (op.lcmOperationType === 'TERMINATE' && deps.managers && !steps.some((s) => s.state !== 'PENDING')) {
    // Each FSM's `stop` per VNF, before any is removed (a retry after teardown began asks no more).
    // The port never throws: a failing, silent or dead FSM is recorded and the termination goes on.
    const specs = await nsManagerSpecs(op.nsInstanceId, deps).catch(() => []);
    if (specs.length > 0) await deps.managers.terminating(op, specs, await deps.repos.vnfInstances.listByNs(op.nsInstanceId));
  }
  // Each network change of a PoP one at a time (an engine serialises them anyway); its other steps `computeConcurrency` at once.
  const slot: StepGraph['slot'] = (s) => (s.kind === 'network' ? { key: `${s.popId}\nnetwork`, limit: 1 } : { key: s.popId, limit: deps.computeConcurrency ?? 8 });
  for (const [at, stage] of stages.entries()) {
    const phase = stage[0] as number;
    if (signal.aborted) return;
    // Read again before the first stage (a cancel may be pending already) and once the watch
    // saw a cancel; between stages the watch (woken at once by a cancel) and the lease suffice.
    const fresh = at === 0 || cancel.mode !== null ? await deps.repos.opOccs.get(op.id) : op;
    if (!fresh || fresh.operationState !== 'PROCESSING') return;
    if (fresh.isCancelPending) return cancelOperation(fresh, deps, `before phase ${phase}`);
    const left = deadline - deps.clock.now().getTime();
    if (left <= 0) {
      return failOperation(fresh, deps, problemOf(new RondoError('OP_DEADLINE_EXCEEDED', `operation passed its deadline ${op.deadline}; retry to continue`)), signal);
    }
    const inStage = steps.filter((s) => stage.includes(s.phase));
    const todo = inStage.filter((s) => byId.get(s.id)?.state !== 'DONE');
    const kinds = [...new Set(todo.map((s) => s.kind))].join('/');
    const named = stage.join('-');
    deps.trace?.({ opId: op.id, what: 'phase', edge: 'begin', detail: `${named}: ${todo.length} ${kinds} steps` });
    const run = (s: OpStep, stepSignal: AbortSignal): Promise<Record<string, unknown>> =>
      runStep(s, { nsInstanceId: op.nsInstanceId, driver: (p) => deps.drivers.get(p), computes, signal: stepSignal, sweepConcurrency: deps.computeConcurrency ?? 8, namedLater });
    const result = await runGraph(todo, {
      concurrency: deps.computeConcurrency ?? 8,
      deadlineMs: Math.min(deps.stepDeadlineSeconds * 1000, left),
      signal,
      now: () => deps.clock.now(),
      finish: async (updates, running) => {
        await deps.repos.opSteps.finish(updates.map((u) => ({ id: u.step.id, outcome: u.outcome })), running.map((r) => ({ id: r.step.id, at: r.at })));
        for (const u of updates) if (u.outcome.state === 'DONE') deps.crashPoints?.hit('after-step-done', { opId: op.id, stepId: u.step.id });
        for (const { step: s, outcome } of updates) {
          const done = { ...s, state: outcome.state, result: outcome.result ?? null, error: outcome.error ?? null };
          byId.set(s.id, done);
          const made = computeResultOf(done);
          if (made) computes.set(made.name, made);
        }
      },
      run: deps.trace ? tracedRun(op.id, run, deps.trace) : run,
      halted: () => cancel.mode !== null,
      cancelSignal: cancel.forceful,
    }, stage.length > 1 ? instantiateGraph(inStage, slot) : { needs: () => [], slot });
    if (op.lcmOperationType === 'INSTANTIATE' && stage.includes(INSTANTIATE_PHASES.computes)) {
      // From what the request read of the catalog: a VNFD changed since does not reach this operation.
      const records = storedRecords(op.internalParams) ?? { vnfPkgIds: {}, scaleAspects: {} };
      await recordVnfs(op, [...byId.values()], deps, records.vnfPkgIds, records.scaleAspects);
      await recordStackVnfs(op, [...byId.values()], deps, records.vnfPkgIds);
    }
    if (op.lcmOperationType === 'INSTANTIATE' && phase === LEVEL_PHASE_OFFSET + SCALE_PHASES.computes) {
      // The VNFC instances that reach the NS instantiation level join the VNF records as a SCALE's do.
      await recordScale(op.nsInstanceId, [...byId.values()], deps.repos.vnfInstances, false, await loadNsBuild(op.nsInstanceId, deps.repos));
    }
    if ((op.lcmOperationType === 'HEAL' || op.lcmOperationType === 'UPDATE') && phase === DAY2_PHASES.computes) {
      // Like the VNFRs of an instantiation: written once the computes are done, whatever the
      // phase's outcome, so a failed or cancelled operation still records what it changed.
      if (op.internalParams['add']) {
        const ns = await deps.repos.nsInstances.get(op.nsInstanceId);
        await recordVnfs(op, [...byId.values()], deps, await vnfPkgIdsOf(op, deps), instantiationRecords(ns ? await vnfdsOrNone(ns.nsdInfoId, deps) : {}, {}).scaleAspects);
      } else if (op.internalParams['remove']) {
        await recordRemoved(op.nsInstanceId, [...byId.values()], deps.repos.vnfInstances);
      } else {
        await recordDay2(op.lcmOperationType, op.nsInstanceId, [...byId.values()], deps.repos.vnfInstances);
      }
    }
    if (op.lcmOperationType === 'SCALE' && phase === SCALE_PHASES.computes) {
      // The same: instances added or removed are in the VNF records whatever the phase's outcome.
      await recordScale(op.nsInstanceId, [...byId.values()], deps.repos.vnfInstances, false, await loadNsBuild(op.nsInstanceId, deps.repos));
    }
    deps.trace?.({ opId: op.id, what: 'phase', edge: 'end', detail: `${named}: ${result.kind}` });
    if (result.kind === 'aborted') return;
    if (result.kind === 'failed' && isSubnetInUse(result.error) && op.lcmOperationType === 'INSTANTIATE' && result.step.kind === 'network' && stage.includes(INSTANTIATE_PHASES.networks) && replans < MAX_REPLANS) {
      // Someone else (another Rondo on this engine, a user) took the subnet after IPAM
      // chose it. Remove what was made (computes on the networks made so far, and those
      // networks), plan again (IPAM now sees the new network on the engine) and start over.
      // A crash in between only repeats this.
      await replanNetworks(op, [...byId.values()], deps, signal);
      return runOperation(op, deps, signal, cancel, replans + 1);
    }
    if (result.kind !== 'done') {
      // A cancel asked while the phase ran wins over a step failure: no automatic rollback.
      const now = await deps.repos.opOccs.get(op.id);
      if (now?.operationState === 'PROCESSING' && now.isCancelPending) return cancelOperation(now, deps, `in phase ${stoppedIn(stage, [...byId.values()])}`);
    }
    if (result.kind === 'failed') return failOperation(fresh, deps, stepProblem(result.step, result.error), signal);
    if (result.kind === 'cancelled') return;
  }
  deps.trace?.({ opId: op.id, what: 'complete', edge: 'begin' });
  if ((op.lcmOperationType === 'INSTANTIATE' || op.lcmOperationType === 'SCALE') && deps.managers) {
    // INSTANTIATE: the NS's FSMs (start, per VNF) and configure SSMs, once every VNF runs;
    // SCALE: the scaled VNFs' FSMs (scale), once their VNFC instances run (docs/plugins.md).
    try {
      const specs = await nsManagerSpecs(op.nsInstanceId, deps);
      const vnfs = specs.length > 0 ? await deps.repos.vnfInstances.listByNs(op.nsInstanceId) : [];
      if (specs.length > 0 && op.lcmOperationType === 'INSTANTIATE') await deps.managers.instantiated(op, specs, vnfs);
      if (specs.length > 0 && op.lcmOperationType === 'SCALE') await deps.managers.scaled(op, specs, vnfs, managerScaleChanges(op));
    } catch (e) {
      if (signal.aborted) return;
      const fresh = await deps.repos.opOccs.get(op.id);
      if (fresh?.operationState === 'PROCESSING') return failOperation(fresh, deps, problemOf(e), signal);
      return;
    }
  }
  await completeOperation(op, deps);
  deps.trace?.({ opId: op.id, what: 'complete', edge: 'end' });
}

/**
 * The phases of the op's plan, in the groups that run as one: an INSTANTIATE's networks,
 * computes, routes and starts overlap (each step waits only for what it needs, see
 * instantiate-graph.ts); every other phase runs on its own, after the one before.
 */
function stagesOf(op: StoredOpOcc, steps: readonly OpStep[]): number[][] {
  const phases = [...new Set(steps.map((s) => s.phase))].sort((a, b) => a - b);
  if (op.lcmOperationType !== 'INSTANTIATE') return phases.map((p) => [p]);
  const first = phases.filter((p) => p <= INSTANTIATE_PHASES.starts);
  return [...(first.length > 0 ? [first] : []), ...phases.filter((p) => p > INSTANTIATE_PHASES.starts).map((p) => [p])];
}

/** Where a stage stopped: the phase of its first step (in step order) not DONE. */
function stoppedIn(stage: readonly number[], steps: readonly OpStep[]): number {
  return steps.find((s) => stage.includes(s.phase) && s.state !== 'DONE')?.phase ?? (stage[0] as number);
}

/** The specific managers of an NS (none when the NS or its NSD is gone). */
async function nsManagerSpecs(nsInstanceId: string, deps: ExecutorDeps): Promise<ManagerSpec[]> {
  const ns = await deps.repos.nsInstances.get(nsInstanceId);
  return ns ? managerSpecsOf(await deps.descriptors.getNsd(ns.nsdInfoId), await vnfdsOrNone(ns.nsdInfoId, deps)) : [];
}

/** The VNFs a SCALE changed, as its FSMs are told (one per member and aspect). */
function managerScaleChanges(op: StoredOpOcc): ManagerScaleChange[] {
  const seen = new Map<string, ManagerScaleChange>();
  for (const c of (op.internalParams['scale'] ?? []) as ScaleChange[]) {
    seen.set(`${c.memberId}/${c.aspectId}`, { memberId: c.memberId, aspectId: c.aspectId, direction: c.direction === 'in' ? 'SCALE_IN' : 'SCALE_OUT' });
  }
  return [...seen.values()];
}

/** `run` telling `trace` when each step begins and ends. */
function tracedRun(opId: string, run: (s: OpStep, signal: AbortSignal) => Promise<Record<string, unknown>>, trace: (e: TraceEvent) => void) {
  return async (s: OpStep, signal: AbortSignal): Promise<Record<string, unknown>> => {
    const detail = `${s.kind} ${s.target}`;
    trace({ opId, what: 'step', edge: 'begin', detail });
    try {
      return await run(s, signal);
    } finally {
      trace({ opId, what: 'step', edge: 'end', detail });
    }
  };
}

async function failOperation(op: StoredOpOcc, deps: ExecutorDeps, error: ProblemDetails, signal: AbortSignal): Promise<void> {
  const failed = await moveOp(deps, op, 'step-failed', error);
  const auto = failed.lcmOperationType === 'INSTANTIATE' && failed.internalParams['autoRollback'] !== false;
  if (!auto || signal.aborted) return;
  await rollbackOperation(await moveOp(deps, failed, 'rollback'), deps, signal);
}

async function completeOperation(op: StoredOpOcc, deps: ExecutorDeps): Promise<void> {
  const { nsInstances, vnfInstances, subnets } = deps.repos;
  const now = deps.clock.now();
  const ns = await nsInstances.get(op.nsInstanceId);
  if (!ns) throw new NotFoundError('NS instance', op.nsInstanceId);
  if (op.lcmOperationType === 'INSTANTIATE' && ns.state === 'NOT_INSTANTIATED') await nsInstances.setState(ns.id, 'NOT_INSTANTIATED', 'INSTANTIATED', now);
  if (op.lcmOperationType === 'TERMINATE') {
    await vnfInstances.deleteByNs(ns.id);
    await subnets.release(ns.id);
    await deps.managers?.release(ns.id);
    if (ns.state === 'INSTANTIATED') await nsInstances.setState(ns.id, 'INSTANTIATED', 'NOT_INSTANTIATED', now);
  }
  // PROCESSING under this worker's lease, and the move is guarded on it; an error an earlier attempt left stays.
  await moveOp(deps, op, 'all-done');
}

/**
 * Plans an INSTANTIATE's addresses again after a network met a subnet in use on its PoP:
 * removes the computes, tunnel endpoints and networks made so far, then in one transaction
 * takes new subnets for the NS (skipping what the PoPs use now) and rewrites the stored
 * steps with every address moved to its link's new subnet, all PENDING again. Nothing is
 * read from the catalog: the plan stays the one stored by the request. A crash before the
 * commit only repeats this.
 */
async function replanNetworks(op: StoredOpOcc, steps: readonly OpStep[], deps: ExecutorDeps, signal: AbortSignal): Promise<void> {
  // Computes and tunnel endpoints first (they hold the networks); each delete of a missing one succeeds.
  const made = steps.filter((s) => s.state !== 'PENDING');
  await forEachInLanes(made.filter((s) => s.kind === 'compute' || s.kind === 'tunnel'), deps.computeConcurrency ?? 8, async (s) => {
    if (isStepOf(s, 'tunnel')) for (const e of s.params.endpoints) await deps.drivers.get(e.popId).deleteCompute(e.name, {}, signal);
    else await deps.drivers.get(s.popId).deleteCompute(s.target, {}, signal);
  });
  for (const s of made) {
    if (s.kind === 'network') await deps.drivers.get(s.popId).deleteNetwork(s.target, signal);
  }
  const avoid = await subnetsInUseOn(deps.drivers, steps.filter((s) => s.kind === 'network').map((s) => s.popId), Math.min(deps.stepDeadlineSeconds * 1000, ENGINE_PROBE_MS), signal);
  const rewrite = async (repos: LifecycleRepositories): Promise<void> => {
    const before = await repos.subnets.listByNs(op.nsInstanceId);
    await repos.subnets.release(op.nsInstanceId);
    const after = await repos.subnets.allocate(op.nsInstanceId, before.map((a) => ({ linkId: a.linkId, pool: a.pool })), { avoid });
    const moves = subnetMoves(before, after);
    await repos.opSteps.deleteByOp(op.id);
    await repos.opSteps.insertMany(steps.map((s) => ({ ...s, params: readdressed(s, moves), state: 'PENDING', result: null, error: null, startedAt: null, endedAt: null })));
  };
  await (deps.repos.transaction ? deps.repos.transaction(rewrite) : rewrite(deps.repos));
}

/** The plan of the op: loaded when persisted, else made and persisted in one statement. */
async function ensurePlan(op: StoredOpOcc, deps: ExecutorDeps): Promise<OpStep[]> {
  const handed = deps.handOff?.take(op);
  if (handed) return handed;
  const existing = await deps.repos.opSteps.listByOp(op.id);
  if (existing.length > 0) return existing;
  const ns = await deps.repos.nsInstances.get(op.nsInstanceId);
  if (!ns) throw new NotFoundError('NS instance', op.nsInstanceId);
  let planned: PlannedStep[];
  if (op.lcmOperationType === 'INSTANTIATE') {
    // Planned once, by the request, in the transaction that stored the operation.
    throw new ConflictError(`operation ${op.id} has no stored plan; fail it and instantiate again`, { code: 'PLAN_NOT_STORED', details: { opId: op.id } });
  } else if (op.lcmOperationType === 'TERMINATE') {
    const vnfs = await deps.repos.vnfInstances.listByNs(ns.id);
    let vnfds: Readonly<Record<string, Vnfd>> = {};
    try {
      vnfds = await deps.descriptors.getVnfds(ns.nsdInfoId);
    } catch (e) {
      // A VNFD gone from the catalog only costs its stop commands; termination goes on.
      if (!(e instanceof NotFoundError)) throw e;
    }
    const popIds = [...new Set([...(await deps.repos.opSteps.popIdsForNs(ns.id)), ...vnfs.map((v) => v.popId)])];
    planned = planTerminate({ nsInstanceId: ns.id, vnfs, vnfds, popIds, heatPopIds: heatPopIds(deps.drivers.accounts()) });
  } else if (op.lcmOperationType === 'HEAL' || op.lcmOperationType === 'UPDATE') {
    planned = await planDay2(op, ns.id, ns.nsdInfoId, deps);
  } else if (op.lcmOperationType === 'SCALE') {
    const [vnfs, build, vnfds] = await Promise.all([deps.repos.vnfInstances.listByNs(ns.id), loadNsBuild(ns.id, deps.repos), vnfdsOrNone(ns.nsdInfoId, deps)]);
    planned = planScale({ nsInstanceId: ns.id, vnfs, changes: (op.internalParams['scale'] ?? []) as ScaleChange[], build, vnfds });
  } else {
    throw new RondoError('OP_NOT_SUPPORTED', `${op.lcmOperationType} is not supported yet`);
  }
  const steps = toOpSteps(op.id, planned, deps.ids);
  await deps.repos.opSteps.insertMany(steps);
  return steps;
}

/** VNFDs by member, or none when the catalog no longer has them (they only add stop commands). */
async function vnfdsOrNone(nsdInfoId: string, deps: ExecutorDeps): Promise<Readonly<Record<string, Vnfd>>> {
  try {
    return await deps.descriptors.getVnfds(nsdInfoId);
  } catch (e) {
    if (e instanceof NotFoundError) return {};
    throw e;
  }
}

/**
 * The plan of a HEAL or an UPDATE (OPERATE_VNF, REMOVE_VNF, ADD_VNF/INSTANTIATE_VNF), from what the operation's request was
 * resolved to (`internalParams`), the VNF records and how their computes were made. A
 * HEAL asks every PoP involved for the state of the computes first: the plan re-creates
 * those found dead or sick then (a PoP that does not answer fails the planning; retry).
 */
async function planDay2(op: StoredOpOcc, nsId: string, nsdInfoId: string, deps: ExecutorDeps): Promise<PlannedStep[]> {
  const [vnfs, build, vnfds] = await Promise.all([deps.repos.vnfInstances.listByNs(nsId), loadNsBuild(nsId, deps.repos), vnfdsOrNone(nsdInfoId, deps)]);
  const remove = op.internalParams['remove'] as string[] | undefined;
  if (remove) return planRemoveVnf({ vnfs, memberIds: remove, build, vnfds });
  const add = op.internalParams['add'] as string[] | undefined;
  if (add) {
    const placement = (op.internalParams['placement'] ?? {}) as Record<string, string>;
    const [nsd, allocated] = await Promise.all([deps.descriptors.getNsd(nsdInfoId), deps.repos.subnets.listByNs(nsId)]);
    const hots = await loadHots(deps.hots, nsdInfoId, nsd, placement, deps.drivers.accounts());
    return planAddVnf({
      nsInstanceId: nsId, nsd, vnfds: await deps.descriptors.getVnfds(nsdInfoId), accounts: deps.drivers.accounts(), placement, subnets: new Map(allocated.map((a) => [a.linkId, a.subnet])),
      vnfs, memberIds: add, hots, ...(deps.sapImage ? { sapImage: deps.sapImage } : {}),
    });
  }
  if (op.lcmOperationType === 'UPDATE') {
    const changes = (op.internalParams['operate'] ?? []) as OperateChange[];
    return planOperate({ vnfs, changes, build, vnfds });
  }
  const targets = (op.internalParams['heal'] ?? []) as HealTarget[];
  const computes = targets.flatMap((t) => vnfs.find((v) => v.memberId === t.memberId)?.computeIds ?? []);
  const statuses = new Map<string, ComputeInfo>();
  await forEachInLanes(computes, deps.computeConcurrency ?? 8, async (id) => {
    const built = build.computes.get(id);
    if (!built) return;
    const info = await deps.drivers.get(built.popId).status(id, AbortSignal.timeout(deps.stepDeadlineSeconds * 1000));
    if (info.state !== 'DELETED') statuses.set(id, info);
  });
  return planHeal({ vnfs, targets, build, statuses, vnfds });
}

function computeResults(steps: readonly OpStep[]): Map<string, ComputeStepResult> {
  const out = new Map<string, ComputeStepResult>();
  for (const s of steps) {
    const made = computeResultOf(s);
    if (made) out.set(made.name, made);
  }
  return out;
}

/**
 * The VNF package (VnfPkgInfo id) of each member's VNFD, for SOL005 `VnfInstance.vnfPkgId`;
 * empty when the descriptor source cannot say (a VNFD gone from the catalog costs only that).
 */
async function vnfPkgIdsOf(op: StoredOpOcc, deps: ExecutorDeps): Promise<Readonly<Record<string, string>>> {
  const ns = deps.descriptors.getVnfPkgIds ? await deps.repos.nsInstances.get(op.nsInstanceId) : undefined;
  if (!ns || !deps.descriptors.getVnfPkgIds) return {};
  try {
    return await deps.descriptors.getVnfPkgIds(ns.nsdInfoId);
  } catch (e) {
    if (e instanceof RondoError) return {};
    throw e;
  }
}

/**
 * VNFRs from the op's DONE compute steps, one per member (VDUs merged), written in one
 * batch; each VNF with its VNFC instances and, from its VNFD, every scaling aspect at level 0.
 */
export async function recordVnfs(
  op: StoredOpOcc, steps: readonly OpStep[], deps: ExecutorDeps, pkgIds: Readonly<Record<string, string>> = {}, scaleAspects: Readonly<Record<string, readonly string[]>> = {},
): Promise<void> {
  const byMember = new Map<string, VnfRecord>();
  const createdAt = deps.clock.now().toISOString();
  for (const s of steps) {
    // Instances added for the NS instantiation level (an aspect and level) are recorded by recordScale.
    const r = computeResultOf(s);
    if (!r || !isStepOf(s, 'compute', 'create') || typeof s.params.aspectId === 'string') continue;
    const p = s.params;
    const prev = byMember.get(p.memberId);
    byMember.set(p.memberId, {
      id: prev?.id ?? deps.ids.next(), nsInstanceId: op.nsInstanceId, memberId: p.memberId, kind: p.memberKind, vnfdId: p.vnfdId, vnfdRef: p.vnfdRef,
      vnfPkgId: p.memberKind === 'vnf' ? (pkgIds[p.memberId] ?? null) : null, popId: s.popId, computeIds: [...(prev?.computeIds ?? []), r.computeId],
      interfaces: [...(prev?.interfaces ?? []), ...r.interfaces.map((i) => ({ cp: i.cp, linkId: i.linkId, address: i.address, prefix: i.prefix, ...(i.ifName ? { ifName: i.ifName } : {}), ...(i.macAddress ? { macAddress: i.macAddress } : {}) }))],
      state: 'STARTED', createdAt,
      vnfcs: [...(prev?.vnfcs ?? []), { computeId: r.computeId, name: r.name, vduId: p.vduId }],
      ...(p.memberKind === 'vnf' ? { scaleStatus: (scaleAspects[p.memberId] ?? []).map((aspectId) => ({ aspectId, scaleLevel: 0 })) } : {}),
      demand: { cpu: (prev?.demand.cpu ?? 0) + vduCpu(p), memoryMiB: (prev?.demand.memoryMiB ?? 0) + p.memoryMiB },
    });
  }
  if (byMember.size > 0) await deps.repos.vnfInstances.upsertMany([...byMember.values()]);
}
