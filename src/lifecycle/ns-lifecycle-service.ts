import type { CancelMode, LcmOpOcc, Nsd, NsInstance, OpState, OpStep, OpType, PlacementAdviceRecord, VimAccount, VnfInstance, Vnfd } from '../model/index.js';
import type { SubnetAllocation } from '../ipam/index.js';
import { BadRequestError, ConflictError, IllegalStateError, NotFoundError, RondoError } from '../model/index.js';
import type { PlacementStrategy } from '../placement/index.js';
import type { ExecutorDeps } from './executor-deps.js';
import { moveOp } from './executor-deps.js';
import type { NsPlan } from './ns-plan-types.js';
import { isStepOf } from './op-step-view.js';
import { planNs } from './ns-planner.js';
import { downPops, parseStrategy, placeNs, subnetRequests } from './ns-placement.js';
import type { PopSkipped } from './ns-placement.js';
import { isFinalOpState } from './op-state-machine.js';
import type { LifecycleRepositories, OpOccFilter, StoredOpOcc } from './ports.js';
import { instantiationRecords, toOpSteps } from './plan-store.js';
import type { HotBundle } from './heat-ports.js';
import type { NsInstanceQuery, OpOccQuery, RecordPage, TenantScope } from './list-query.js';
import { loadHots } from './heat-plan.js';
import { deadComputeSteps } from './retry-recheck.js';
import { probePops, subnetsInUseOn } from './vim-subnets.js';
import { loadNsBuild } from './ns-build.js';
import { assertUpdateType, resolveHeal, resolveUpdate, vnfsByIds } from './day2-requests.js';
import { resolveAddVnf, resolveRemoveVnf } from './vnf-membership-requests.js';
import type { HealRequest, UpdateRequest } from './day2-requests.js';
import { resolveScale } from './scale-requests.js';
import { resolveScaleNs } from './scale-ns-requests.js';
import type { ScaleChange, ScaleRequest } from './scale-requests.js';
import { instantiationLevelChanges, vnfDefaultLevelChanges, withInstantiationLevel } from './ns-instantiation-level.js';
import { assertScaleRollback } from './scale-rollback.js';
import { assertUpdateRollback } from './vnf-membership-rollback.js';
import { managerSpecsOf } from './specific-managers.js';
import { pinsWithAdvice, placementAdviceRequest } from './placement-advice.js';
import { nsDeploymentOf, nsFlavourIds, TANGO_FLAVOUR_ID } from './deployment-flavours.js';
import { completeRecords, recordsIncomplete } from './record-completion.js';
import type { NsDeployment } from './deployment-flavours.js';
import type { PlacementAdvisor } from './placement-advice.js';

/** SOL005 CreateNsRequest, as Rondo takes it. */
export interface CreateNsRequest {
  /** The catalog's NSD id, as {@link DescriptorSource.getNsd} understands it (kept as `nsdInfoId`). */
  readonly nsdId: string;
  readonly nsName: string;
  readonly nsDescription?: string;
  /** Owner of the new instance (default `default`); its operations inherit it. */
  readonly tenant?: string;
}

/** SOL005 InstantiateNsRequest, Rondo's subset plus placement. */
export interface InstantiateRequest {
  /**
   * SOL005 `nsFlavourId`: the NSD deployment flavour to instantiate; default: the NSD's
   * first (a 5GTANGO NSD's one flavour is `default`). 422 `NS_FLAVOUR_UNKNOWN` for another
   * (see {@link nsDeploymentOf}).
   */
  readonly nsFlavourId?: string;
  /** A placement strategy; default `round-robin-with-saps`. */
  readonly placement?: string;
  /** Member (VNF or SAP id) → PoP id. */
  readonly pins?: Readonly<Record<string, string>>;
  /** Roll back automatically when a step fails (default true). */
  readonly autoRollback?: boolean;
  readonly additionalParams?: Readonly<Record<string, unknown>>;
  /** SOL005 `nsInstantiationLevelId`: the NS instantiation level to instantiate at; default: the NSD's default level, if any. */
  readonly nsInstantiationLevelId?: string;
  /**
   * The PoPs the caller may use (its tenant's own and those shared with it); undefined:
   * every PoP. Placement sees only these; a pin to another PoP is NotFoundError
   * `VIM account`, exactly like a pin to a PoP that does not exist. Not stored with the
   * operation.
   */
  readonly allowedPops?: readonly string[];
  /**
   * The SOL005 InstantiateNsRequest as the client sent it, echoed as the operation's
   * `operationParams` (SOL005 §6.5.2.3); default: one built from this request.
   */
  readonly operationParams?: Readonly<Record<string, unknown>>;
}

/** SOL005 TerminateNsRequest. */
export interface TerminateRequest {
  readonly terminationType?: 'GRACEFUL' | 'FORCEFUL';
  readonly additionalParams?: Readonly<Record<string, unknown>>;
  /** The SOL005 TerminateNsRequest as sent, echoed as `operationParams`; default: this request. */
  readonly operationParams?: Readonly<Record<string, unknown>>;
}

/**
 * The InstantiateNsRequest a caller without one (CLI, 5GTANGO API) stands for: Rondo's
 * placement knobs in `additionalParamsForNs`, as the SOL005 API takes them.
 */
function instantiateNsRequestOf(req: InstantiateRequest, flavourId: string): Record<string, unknown> {
  const forNs = {
    ...req.additionalParams,
    ...(req.placement !== undefined ? { placement: req.placement } : {}),
    ...(req.pins !== undefined ? { pins: req.pins } : {}),
    ...(req.autoRollback !== undefined ? { autoRollback: req.autoRollback } : {}),
  };
  return {
    nsFlavourId: flavourId,
    ...(req.nsInstantiationLevelId !== undefined ? { nsInstantiationLevelId: req.nsInstantiationLevelId } : {}),
    ...(Object.keys(forNs).length > 0 ? { additionalParamsForNs: forNs } : {}),
  };
}

/**
 * Link bandwidths an instantiation gives (`additionalParams.linkBandwidths`: link id →
 * Mbit/s), over the NSD's; applied on inter-PoP tunnels. Throws BadRequestError for a
 * value that is not a positive number.
 */
export function linkBandwidthsOf(params: Readonly<Record<string, unknown>> | undefined): Map<string, number> {
  const raw = params?.['linkBandwidths'];
  if (raw === undefined) return new Map();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BadRequestError('additionalParams.linkBandwidths must map link ids to Mbit/s');
  return new Map(
    Object.entries(raw as Record<string, unknown>).map(([link, v]) => {
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new BadRequestError(`additionalParams.linkBandwidths.${link} must be a positive number of Mbit/s`);
      return [link, v] as const;
    }),
  );
}

/** What the service needs beyond the executor's dependencies. */
export interface NsLifecycleServiceDeps extends ExecutorDeps {
  readonly opDeadlineSeconds: number;
  readonly defaultPlacement?: PlacementStrategy;
  /** Bound of the probe of the PoPs' engines at placement (down PoPs are skipped), ms; default {@link POP_PROBE_MS}. */
  readonly popProbeMs?: number;
  /** Asks a placement SSM, when one serves `mano.service.place` (default: none is ever asked). */
  readonly placementAdvisor?: PlacementAdvisor;
}

/** The NS lifecycle as the API and the CLI call it. */
export interface NsLifecycleService {
  createNs(req: CreateNsRequest): Promise<NsInstance>;
  /**
   * The NsdInfo id a CreateNsRequest `nsdId` names: the NSD identifier first (the one
   * ONBOARDED+ENABLED NsdInfo within `scope` carrying it), else an NsdInfo id. ConflictError
   * `NSD_ID_AMBIGUOUS` or `STATE_CONFLICT` when NsdInfos carry it but not exactly one is usable.
   */
  resolveNsdInfoId(nsdId: string, scope?: TenantScope): Promise<string>;
  /** 202-style: returns the PROCESSING op; the worker runs it. */
  instantiate(nsId: string, req?: InstantiateRequest): Promise<LcmOpOcc>;
  terminate(nsId: string, req?: TerminateRequest): Promise<LcmOpOcc>;
  /**
   * SOL005 Heal NS: a HEAL operation re-creating the dead or sick computes of the named
   * VNFs (or of every member) with their addresses, routes and start commands. 409
   * `NS_STATE_CONFLICT` unless INSTANTIATED; see {@link resolveHeal} for the rest.
   */
  heal(nsId: string, req: HealRequest): Promise<LcmOpOcc>;
  /**
   * SOL005 Update NS: an UPDATE operation stopping or starting VNFs (OPERATE_VNF), taking
   * NSD members out (REMOVE_VNF) or bringing them back (ADD_VNF, INSTANTIATE_VNF). 409
   * `NS_STATE_CONFLICT` unless INSTANTIATED; see {@link resolveUpdate}, `resolveRemoveVnf`
   * and `resolveAddVnf` for the rest.
   */
  update(nsId: string, req: UpdateRequest): Promise<LcmOpOcc>;
  /**
   * SOL005 Scale NS: a SCALE operation adding or removing VNFC instances, for SCALE_VNF
   * (see {@link resolveScale}) or SCALE_NS (NS aspects and levels of the NSD turned into VNF
   * levels, see {@link resolveScaleNs}). 409 `NS_STATE_CONFLICT` unless INSTANTIATED
   * (limits are checked here: past them nothing is stored and no VIM is asked).
   */
  scale(nsId: string, req: ScaleRequest): Promise<LcmOpOcc>;
  deleteNs(nsId: string): Promise<void>;
  dryRun(target: { readonly nsInstanceId: string } | { readonly nsdId: string }, req?: InstantiateRequest): Promise<NsPlan>;
  /** The NS instance; NotFoundError when missing or outside `scope` (another tenant's). */
  getNs(nsId: string, scope?: TenantScope): Promise<NsInstance>;
  listNs(filter?: { readonly tenant?: string }): Promise<NsInstance[]>;
  /** One page of NS instances, filtered and paged by the store (one query). */
  pageNs(query: NsInstanceQuery): Promise<RecordPage<NsInstance>>;
  listVnfs(nsId: string): Promise<VnfInstance[]>;
  /**
   * An NS and its members as the API shows them. Records from before flavours and VNFC
   * VDUs were kept are completed from the catalog and the NS's steps (`completeRecords`),
   * shown only, not written back; others come back as they are, without a read.
   */
  shownRecords(ns: NsInstance, vnfs: readonly VnfInstance[]): Promise<{ ns: NsInstance; vnfs: VnfInstance[] }>;
  /** VNFs and SAPs of several NS instances within `scope`, in one query (no check that the instances exist). */
  listVnfsOf(nsIds: readonly string[], scope?: TenantScope): Promise<VnfInstance[]>;
  /** The operation; NotFoundError when missing or outside `scope` (another tenant's). */
  getOp(opId: string, scope?: TenantScope): Promise<LcmOpOcc>;
  listOps(filter?: OpOccFilter): Promise<LcmOpOcc[]>;
  /** One page of operations, filtered and paged by the store (one query). */
  pageOps(query: OpOccQuery): Promise<RecordPage<LcmOpOcc>>;
  listSteps(opId: string): Promise<OpStep[]>;
  /** The steps of several operations in one query (no check that the operations exist). */
  listStepsOf(opIds: readonly string[]): Promise<OpStep[]>;
  retry(opId: string): Promise<LcmOpOcc>;
  rollback(opId: string): Promise<LcmOpOcc>;
  fail(opId: string): Promise<LcmOpOcc>;
  cancel(opId: string, mode?: CancelMode): Promise<LcmOpOcc>;
  waitForOp(opId: string, opts?: { readonly timeoutMs?: number; readonly until?: (op: LcmOpOcc) => boolean }): Promise<LcmOpOcc>;
}

/**
 * The PoPs a request may place on: all, or those of `allowedPops`. With `allowedPops`, a
 * pin to any other PoP (hidden or missing alike, so a hidden one's existence never shows)
 * is NotFoundError; without, placement reports unknown pins (400 `PLACEMENT_UNKNOWN_POP`).
 */
function usablePops(all: readonly VimAccount[], req: InstantiateRequest): readonly VimAccount[] {
  if (req.allowedPops === undefined) return all;
  const allowed = new Set(req.allowedPops);
  const usable = all.filter((a) => allowed.has(a.id));
  for (const pop of Object.values(req.pins ?? {})) {
    if (!usable.some((a) => a.id === pop)) throw new NotFoundError('VIM account', pop);
  }
  return usable;
}

/**
 * Bound of the capacity probe of the PoPs' engines at placement, ms: as long as a VIM
 * account's connectivity check, so a slow cloud (a Keystone token, then its placement
 * API) is not taken for a PoP that is down; an engine that is really gone refuses at once.
 */
const POP_PROBE_MS = 10_000;

/** What planning an NS takes, read and decided once per request. */
interface PlanInputs {
  readonly nsInstanceId: string;
  readonly nsd: Nsd;
  readonly vnfds: Readonly<Record<string, Vnfd>>;
  readonly accounts: readonly VimAccount[];
  readonly placement: Readonly<Record<string, string>>;
  /** Subnets the PoPs already use (IPAM skips them). */
  readonly avoid: readonly string[];
  readonly hots: Readonly<Record<string, HotBundle>>;
  readonly advice: PlacementAdviceRecord | undefined;
  /** PoPs placement skipped because their engine did not answer. */
  readonly skipped: readonly PopSkipped[];
  /** Inter-PoP link rates the request gives (`additionalParams.linkBandwidths`), Mbit/s. */
  readonly linkBandwidths: ReadonlyMap<string, number>;
  /** The NS and VNF flavours it is instantiated with. */
  readonly deployment: NsDeployment;
}

/** Strips the worker's bookkeeping from a stored operation. */
const toOp = ({ owner: _o, leaseExpiresAt: _l, attempts: _a, deadline: _d, internalParams: internal, ...op }: StoredOpOcc): LcmOpOcc => {
  // The one part of the worker's inputs the API shows: what a placement SSM said (docs/plugins.md).
  const advice = internal['placementAdvice'] as PlacementAdviceRecord | undefined;
  const skipped = internal['placementSkipped'] as PopSkipped[] | undefined;
  return { ...op, ...(advice ? { placementAdvice: advice } : {}), ...(skipped ? { placementSkipped: skipped } : {}) };
};

/** Settled: final, or FAILED_TEMP with no worker holding it (auto-rollback would hold it). */
const settled = (op: StoredOpOcc): boolean => isFinalOpState(op.operationState) || (op.operationState === 'FAILED_TEMP' && op.owner === null);

/**
 * Builds the NS lifecycle service. Every method throws NotFoundError for unknown ids;
 * state conflicts are 409s: `NS_OPERATION_IN_PROGRESS`, `NS_STATE_CONFLICT`,
 * `OP_ILLEGAL_STATE` (retry/rollback/fail outside FAILED_TEMP, cancel outside
 * PROCESSING/ROLLING_BACK), `PLACEMENT_NO_CAPACITY`, `PLAN_CROSS_VIM_LINK`.
 */
export function createNsLifecycleService(deps: NsLifecycleServiceDeps): NsLifecycleService {
  const { repos, clock, ids, notifier } = deps;
  const ns = async (id: string, scope?: TenantScope): Promise<NsInstance> => {
    const found = await repos.nsInstances.get(id, scope);
    if (!found) throw new NotFoundError('NS instance', id);
    return found;
  };
  const op = async (id: string, scope?: TenantScope): Promise<StoredOpOcc> => {
    const found = await repos.opOccs.get(id, scope);
    if (!found) throw new NotFoundError('NS LCM operation occurrence', id);
    return found;
  };
  /** A new PROCESSING operation of `n` (not stored yet). */
  const newOp = (n: NsInstance, type: OpType, params: Record<string, unknown>, automatic = false): { op: LcmOpOcc; deadline: Date } => {
    const now = clock.now();
    return {
      op: {
        id: ids.next(), nsInstanceId: n.id, lcmOperationType: type, operationState: 'PROCESSING', statusEnteredTime: now.toISOString(),
        startTime: now.toISOString(), isAutomaticInvocation: automatic, operationParams: params, isCancelPending: false, cancelMode: null, error: null, tenant: n.tenant,
      },
      deadline: new Date(now.getTime() + deps.opDeadlineSeconds * 1000),
    };
  };
  const started = (created: StoredOpOcc): LcmOpOcc => {
    notifier.notify({ opId: created.id, nsInstanceId: created.nsInstanceId, operationState: created.operationState, lcmOperationType: created.lcmOperationType });
    return toOp(created);
  };
  const startOp = async (n: NsInstance, type: OpType, params: Record<string, unknown>, internal: Record<string, unknown> = {}, automatic = false): Promise<LcmOpOcc> => {
    const { op: o, deadline } = newOp(n, type, params, automatic);
    return started(await repos.opOccs.create(o, deadline, internal));
  };
  /** `work` in one transaction over the repositories (or on them as they are, when they have none). */
  const inTransaction = <T>(work: (r: LifecycleRepositories) => Promise<T>): Promise<T> => (repos.transaction ? repos.transaction(work) : work(repos));
  /**
   * What planning an NS needs beyond its subnets: descriptors, placement, the PoPs' own
   * subnets (asked, bounded to 5 s) and the HOT translations of VNFs on OpenStack PoPs.
   *
   * A live placement SSM is asked here, at request time, because this is where placement
   * is decided: the placement it leads to is stored with the operation (`internalParams`,
   * with the advice itself) and its plan with it, so an operation never asks twice nor
   * changes PoPs between runs. Its answer becomes pins, under the request's own; members
   * it leaves out keep Rondo's placement.
   */
  const prepare = async (nsInstanceId: string, nsdInfoId: string, req: InstantiateRequest, startManagers = false): Promise<PlanInputs> => {
    const all = deps.drivers.accounts();
    const accounts = usablePops(all, req);
    const [nsd, vnfds, usage, probe] = await Promise.all([
      deps.descriptors.getNsd(nsdInfoId), deps.descriptors.getVnfds(nsdInfoId), repos.vnfInstances.usageByPop(), probePops(deps.drivers, accounts, deps.popProbeMs ?? POP_PROBE_MS),
    ]);
    // A flavour the NSD cannot be instantiated with is refused before anything starts.
    const deployment = nsDeploymentOf(nsd, vnfds, req.nsFlavourId);
    // The package's specific managers run before placement is asked: a placement SSM is one of them.
    const specs = startManagers && deps.managers ? managerSpecsOf(nsd, vnfds) : [];
    if (specs.length > 0) await deps.managers?.prepare(nsInstanceId, specs);
    const strategy = parseStrategy(req.placement, deps.defaultPlacement ?? 'round-robin-with-saps');
    // PoPs that do not answer are skipped (a pin to one is 409 PLACEMENT_POP_DOWN), and not offered to a placement SSM.
    const skipped = downPops(accounts, probe, req.pins);
    const live = accounts.filter((a) => !skipped.some((d) => d.popId === a.id));
    const asked = placementAdviceRequest(nsInstanceId, nsd, vnfds, live);
    const advice = deps.placementAdvisor ? await deps.placementAdvisor.advise(asked) : undefined;
    const placement = placeNs(nsd, vnfds, accounts, usage, strategy, pinsWithAdvice(asked, advice, req.pins), { probe, allAccounts: all });
    const [avoid, hots] = await Promise.all([
      subnetsInUseOn(deps.drivers, Object.values(placement), 5_000),
      // Heat path: VNFs placed on OpenStack PoPs plan from their VNFD's HOT translation.
      loadHots(deps.hots, nsdInfoId, nsd, placement, accounts),
    ]);
    return { nsInstanceId, nsd, vnfds, accounts, placement, avoid, hots, advice, skipped, linkBandwidths: linkBandwidthsOf(req.additionalParams), deployment };
  };
  /** The plan of prepared inputs over `subnets` (held or previewed): pure, so a dry run shows what instantiate stores. */
  const planWith = (i: PlanInputs, subnets: readonly SubnetAllocation[], req: InstantiateRequest): { plan: NsPlan; levelScale: ScaleChange[] } => {
    const p = planNs({
      nsInstanceId: i.nsInstanceId, nsd: i.nsd, vnfds: i.vnfds, accounts: i.accounts, placement: i.placement, subnets: new Map(subnets.map((a) => [a.linkId, a.subnet])), hots: i.hots,
      linkBandwidths: i.linkBandwidths, ...(deps.sapImage ? { sapImage: deps.sapImage } : {}),
    });
    // The NS instantiation level: the scale-outs that reach it are planned now, so what cannot be reached is refused before anything is stored.
    const nsLevel = instantiationLevelChanges(i.nsd, req.nsInstantiationLevelId, i.vnfds);
    // The VNFs no NS level sets start at their own VNFD's instantiation level.
    const levelScale = [...nsLevel, ...vnfDefaultLevelChanges(p.steps, i.vnfds, new Set(nsLevel.map((c) => c.memberId)))];
    const steps = withInstantiationLevel(i.nsInstanceId, p.steps, levelScale, i.vnfds);
    const computes = steps.flatMap((s) => (isStepOf(s, 'compute', 'create') ? [s.params] : []));
    return { plan: { ...p, steps, computes, ...(i.skipped.length > 0 ? { skippedPops: [...i.skipped] } : {}) }, levelScale };
  };
  /** The VNF packages of the NSD's members (none when the source cannot say), kept with the operation for its VNF records. */
  const pkgIdsOf = async (nsdInfoId: string): Promise<Readonly<Record<string, string>>> => {
    if (!deps.descriptors.getVnfPkgIds) return {};
    try {
      return await deps.descriptors.getVnfPkgIds(nsdInfoId);
    } catch (e) {
      if (e instanceof RondoError) return {};
      throw e;
    }
  };
  const fromFailedTemp = async (opId: string, event: 'retry' | 'rollback' | 'fail'): Promise<LcmOpOcc> => {
    const current = await op(opId);
    if (current.operationState !== 'FAILED_TEMP') {
      // SOL005 §6.4.7–6.4.9: retry, rollback and fail answer 409 unless FAILED_TEMP.
      throw new IllegalStateError(`${event} needs FAILED_TEMP; operation ${opId} is ${current.operationState}`, { details: { opId, state: current.operationState } });
    }
    if (event === 'rollback' && current.lcmOperationType === 'SCALE') assertScaleRollback(current.internalParams);
    else if (event === 'rollback' && current.lcmOperationType === 'UPDATE') assertUpdateRollback(current.internalParams);
    else if (event === 'rollback' && current.lcmOperationType !== 'INSTANTIATE') {
      throw new IllegalStateError(`rollback of ${current.lcmOperationType} is not supported; retry or fail it`, { code: 'OP_ROLLBACK_NOT_SUPPORTED' });
    }
    if (event === 'retry') {
      // What the engine lost while it was away is made again, not taken as done. A PoP that
      // does not answer within 5 s keeps its steps: the retry meets it again anyway.
      const redo = current.lcmOperationType !== 'TERMINATE' ? await deadComputeSteps(await repos.opSteps.listByOp(opId), deps.drivers, AbortSignal.timeout(5000)) : [];
      await repos.opSteps.resetUnfinished(opId, redo);
    }
    return toOp(await moveOp(deps, current, event, event === 'retry' ? null : undefined));
  };

  return {
    async createNs(req) {
      const nsd = await deps.descriptors.getNsd(req.nsdId);
      const now = clock.now().toISOString();
      return repos.nsInstances.insert({
        id: ids.next(), name: req.nsName, description: req.nsDescription ?? '', nsdId: nsd.descriptorId, nsdInfoId: req.nsdId,
        state: 'NOT_INSTANTIATED', tenant: req.tenant ?? 'default', createdAt: now, updatedAt: now,
      });
    },
    resolveNsdInfoId: async (nsdId, scope = {}) => (deps.descriptors.resolveNsdInfoId ? deps.descriptors.resolveNsdInfoId(nsdId, scope.tenant) : nsdId),
    async instantiate(nsId, req = {}) {
      const n = await ns(nsId);
      if (n.state !== 'NOT_INSTANTIATED') throw new ConflictError(`NS instance ${nsId} is ${n.state}; terminate it first`, { code: 'NS_STATE_CONFLICT' });
      const { op: asked, deadline } = newOp(n, 'INSTANTIATE', {});
      try {
        deps.trace?.({ opId: asked.id, what: 'request', edge: 'begin', detail: 'place, read descriptors, ask PoPs' });
        const [inputs, pkgIds] = await Promise.all([prepare(n.id, n.nsdInfoId, req, true), pkgIdsOf(n.nsdInfoId)]);
        // SOL005 §6.5.2.3: operationParams is the request (naming the flavour chosen for it); the worker's own inputs are kept apart.
        const o = { ...asked, operationParams: { ...(req.operationParams ?? instantiateNsRequestOf(req, inputs.deployment.flavourId)) } };
        deps.trace?.({ opId: o.id, what: 'request', edge: 'end', detail: 'prepared' });
        deps.trace?.({ opId: o.id, what: 'plan', edge: 'begin', detail: 'IPAM, plan, store: one transaction' });
        // Planned once, here: subnets, operation and plan commit together; the worker runs the stored steps.
        const created = await inTransaction(async (r) => {
          // The state read above may be stale: an operation of this NS that was still running
          // then may have instantiated it since. Checked again here, first, holding the NS's row
          // to the commit: an operation ending now waits, and is still open when ours is stored
          // (NS_OPERATION_IN_PROGRESS).
          await r.nsInstances.setDeployment(n.id, inputs.deployment);
          deps.trace?.({ opId: o.id, what: 'ipam', edge: 'begin' });
          const subnets = await r.subnets.allocate(n.id, subnetRequests(inputs.nsd), { avoid: inputs.avoid });
          deps.trace?.({ opId: o.id, what: 'ipam', edge: 'end', detail: `${subnets.length} subnets` });
          const { plan: p } = planWith(inputs, subnets, req);
          deps.trace?.({ opId: o.id, what: 'store', edge: 'begin', detail: `${p.steps.length} steps` });
          const stored = await r.opOccs.create(o, deadline, {
            placement: p.placement, autoRollback: req.autoRollback ?? true, ...(inputs.advice ? { placementAdvice: inputs.advice } : {}),
            ...(inputs.skipped.length > 0 ? { placementSkipped: inputs.skipped } : {}),
            records: instantiationRecords(inputs.vnfds, pkgIds),
          });
          const steps = toOpSteps(stored.id, p.steps, ids);
          await r.opSteps.insertMany(steps);
          deps.trace?.({ opId: o.id, what: 'store', edge: 'end' });
          return { stored, steps };
        });
        // Committed: this process's worker may take the plan as it is instead of reading it back.
        deps.handOff?.put(created.stored, created.steps);
        deps.trace?.({ opId: o.id, what: 'plan', edge: 'end', detail: 'committed' });
        return started(created.stored);
      } catch (e) {
        // A refused request leaves no specific manager running (they started for it), unless
        // it met another operation or instantiation of the NS: the managers are theirs.
        const collided = e instanceof RondoError && (e.code === 'NS_OPERATION_IN_PROGRESS' || e.code === 'NS_STATE_CONFLICT');
        if (!collided) await deps.managers?.release(n.id).catch(() => undefined);
        throw e;
      }
    },
    async terminate(nsId, req = {}) {
      const n = await ns(nsId);
      if (n.state !== 'INSTANTIATED') {
        const leftovers = (await repos.vnfInstances.listByNs(nsId)).length + (await repos.subnets.listByNs(nsId)).length;
        if (leftovers === 0) throw new ConflictError(`NS instance ${nsId} is NOT_INSTANTIATED and holds nothing`, { code: 'NS_STATE_CONFLICT' });
      }
      const { operationParams, ...request } = req;
      return startOp(n, 'TERMINATE', { ...(operationParams ?? request) });
    },
    async heal(nsId, req) {
      const n = await ns(nsId);
      if (n.state !== 'INSTANTIATED') throw new ConflictError(`NS instance ${nsId} is ${n.state}; only an instantiated NS can be healed`, { code: 'NS_STATE_CONFLICT' });
      const [vnfs, build] = await Promise.all([repos.vnfInstances.listByNs(nsId), loadNsBuild(nsId, repos)]);
      const targets = resolveHeal(vnfs, build, req);
      const { operationParams, automatic, ...request } = req;
      return startOp(n, 'HEAL', { ...(operationParams ?? request) }, { heal: targets }, automatic === true);
    },
    async update(nsId, req) {
      const n = await ns(nsId);
      assertUpdateType(req);
      if (n.state !== 'INSTANTIATED') throw new ConflictError(`NS instance ${nsId} is ${n.state}; only an instantiated NS can be updated`, { code: 'NS_STATE_CONFLICT' });
      const { operationParams, ...request } = req;
      const params = { ...(operationParams ?? request) };
      const vnfs = await repos.vnfInstances.listByNs(nsId);
      if (req.updateType === 'REMOVE_VNF') {
        const [nsd, build] = await Promise.all([deps.descriptors.getNsd(n.nsdInfoId), loadNsBuild(nsId, repos)]);
        return startOp(n, 'UPDATE', params, { remove: resolveRemoveVnf(nsd, vnfs, build, req.removeVnfInstanceId ?? [], (ids) => vnfsByIds(vnfs, ids)) });
      }
      if (req.updateType === 'ADD_VNF' || req.updateType === 'INSTANTIATE_VNF') {
        const [nsd, vnfds] = await Promise.all([deps.descriptors.getNsd(n.nsdInfoId), deps.descriptors.getVnfds(n.nsdInfoId)]);
        // Where the instantiation placed each member: an added member goes back there, next to its links' networks.
        const instantiations = (await repos.opOccs.list({ nsInstanceId: nsId })).filter((o) => o.lcmOperationType === 'INSTANTIATE' && o.operationState === 'COMPLETED');
        const last = instantiations.sort((a, b) => b.startTime.localeCompare(a.startTime))[0];
        const placement = (last?.internalParams['placement'] ?? {}) as Record<string, string>;
        const add = resolveAddVnf(nsd, vnfds, vnfs, req, placement, deps.drivers.accounts());
        return startOp(n, 'UPDATE', params, { add, placement });
      }
      return startOp(n, 'UPDATE', params, { operate: resolveUpdate(vnfs, deps.drivers, req) });
    },
    async scale(nsId, req) {
      const n = await ns(nsId);
      if (n.state !== 'INSTANTIATED') throw new ConflictError(`NS instance ${nsId} is ${n.state}; only an instantiated NS can be scaled`, { code: 'NS_STATE_CONFLICT' });
      const [vnfs, build, vnfds] = await Promise.all([repos.vnfInstances.listByNs(nsId), loadNsBuild(nsId, repos), deps.descriptors.getVnfds(n.nsdInfoId)]);
      const changes = req.scaleType === 'SCALE_NS' ? resolveScaleNs(await deps.descriptors.getNsd(n.nsdInfoId), vnfs, vnfds, build, req) : resolveScale(vnfs, vnfds, build, req);
      const { operationParams, automatic, ...request } = req;
      return startOp(n, 'SCALE', { ...(operationParams ?? request) }, { scale: changes }, automatic === true);
    },
    async deleteNs(nsId) {
      const n = await ns(nsId);
      if (n.state !== 'NOT_INSTANTIATED') throw new ConflictError(`NS instance ${nsId} is ${n.state}; terminate it first`, { code: 'NS_STATE_CONFLICT' });
      const open = (await repos.opOccs.list({ nsInstanceId: nsId })).filter((o) => !isFinalOpState(o.operationState));
      if (open.length > 0) throw new ConflictError(`NS instance ${nsId} has operation ${open[0]?.id} in ${open[0]?.operationState}`, { code: 'NS_OPERATION_IN_PROGRESS' });
      await repos.subnets.release(nsId);
      await repos.nsInstances.delete(nsId, 'NOT_INSTANTIATED');
    },
    async dryRun(target, req = {}) {
      const nsInstanceId = 'nsInstanceId' in target ? (await ns(target.nsInstanceId)).id : `dry-run-${target.nsdId}`;
      const nsdInfoId = 'nsInstanceId' in target ? (await ns(target.nsInstanceId)).nsdInfoId : target.nsdId;
      // The same inputs and planning as instantiate; only the subnets are previewed, not allocated.
      const inputs = await prepare(nsInstanceId, nsdInfoId, req);
      return planWith(inputs, await repos.subnets.preview(nsInstanceId, subnetRequests(inputs.nsd), { avoid: inputs.avoid }), req).plan;
    },
    getNs: (nsId, scope) => ns(nsId, scope),
    listNs: (filter) => repos.nsInstances.list(filter),
    pageNs: (query) => repos.nsInstances.page(query),
    async listVnfs(nsId) {
      await ns(nsId);
      return repos.vnfInstances.listByNs(nsId);
    },
    listVnfsOf: (nsIds, scope) => repos.vnfInstances.listByNsIds(nsIds, scope),
    async shownRecords(n, vnfs) {
      if (!recordsIncomplete(n, vnfs)) return { ns: n, vnfs: [...vnfs] };
      try {
        const [nsd, vnfds, build] = await Promise.all([deps.descriptors.getNsd(n.nsdInfoId), deps.descriptors.getVnfds(n.nsdInfoId), loadNsBuild(n.id, repos)]);
        return completeRecords(n, vnfs, { nsFlavourId: nsFlavourIds(nsd)[0] ?? TANGO_FLAVOUR_ID, vnfds, build });
      } catch (e) {
        // A catalog that cannot say any more (an NSD or VNFD gone) costs only the completion.
        if (e instanceof RondoError) return { ns: n, vnfs: [...vnfs] };
        throw e;
      }
    },
    getOp: async (opId, scope) => toOp(await op(opId, scope)),
    listOps: async (filter) => (await repos.opOccs.list(filter)).map(toOp),
    async pageOps(query) {
      const page = await repos.opOccs.page(query);
      return { items: page.items.map(toOp), next: page.next };
    },
    async listSteps(opId) {
      await op(opId);
      return repos.opSteps.listByOp(opId);
    },
    listStepsOf: (opIds) => repos.opSteps.listByOps(opIds),
    retry: (opId) => fromFailedTemp(opId, 'retry'),
    rollback: (opId) => fromFailedTemp(opId, 'rollback'),
    fail: (opId) => fromFailedTemp(opId, 'fail'),
    async cancel(opId, mode = 'GRACEFUL') {
      await op(opId);
      // SOL005 §6.4.10: cancel answers 409 unless PROCESSING or ROLLING_BACK; the executor
      // is woken by the notification (its poll is a safety net): no new step starts (FORCEFUL aborts running ones).
      const asked = await repos.opOccs.requestCancel(opId, mode, ['PROCESSING', 'ROLLING_BACK'] satisfies OpState[]);
      notifier.notify({ opId, nsInstanceId: asked.nsInstanceId, operationState: asked.operationState, lcmOperationType: asked.lcmOperationType, cancelMode: mode });
      return toOp(asked);
    },
    async waitForOp(opId, opts = {}) {
      const until = opts.until ? (o: StoredOpOcc) => opts.until?.(toOp(o)) === true : settled;
      const first = await op(opId);
      if (until(first)) return toOp(first);
      return new Promise<LcmOpOcc>((resolve, reject) => {
        let checking = Promise.resolve();
        const check = (): void => {
          checking = checking.then(async () => {
            const o = await repos.opOccs.get(opId);
            if (o && until(o)) finish(() => resolve(toOp(o)));
          }).catch((e: unknown) => finish(() => reject(e)));
        };
        const unsubscribe = notifier.subscribe((c) => c.opId === opId && check());
        // Safety net: a worker in another process notifies this one only through a broker (RONDO_AMQP_URL).
        const poll = setInterval(check, 1000);
        const timer = setTimeout(() => finish(() => reject(new RondoError('OP_WAIT_TIMEOUT', `operation ${opId} did not settle within ${opts.timeoutMs} ms; it goes on, poll it later`))), opts.timeoutMs ?? 600_000);
        const finish = (then: () => void): void => {
          unsubscribe();
          clearInterval(poll);
          clearTimeout(timer);
          then();
        };
        check();
      });
    },
  };
}
