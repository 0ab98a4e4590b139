import type { VnfInstance, Vnfd } from '../model/index.js';
import { RondoError } from '../model/index.js';
import type { ComputeInfo } from '../vim/index.js';
import type { Built, NsBuild } from './ns-build.js';
import type { ComputeStepParams, PlannedStep, UnnumberedStep, PowerStepParams, RecreateStepParams } from './ns-plan-types.js';
import { DAY2_PHASES } from './ns-plan-types.js';
import { stopCommandsByVdu } from './vnf-commands.js';

/** What a HEAL heals: a member (VNF or SAP) and whether every compute of it, or only the dead or sick ones. */
export interface HealTarget {
  readonly memberId: string;
  readonly all: boolean;
}

/** What an OPERATE_VNF changes: one member to STARTED or STOPPED. */
export interface OperateChange {
  readonly memberId: string;
  readonly changeStateTo: 'STARTED' | 'STOPPED';
  readonly stopType: 'FORCEFUL' | 'GRACEFUL';
  /** GRACEFUL: seconds the stop commands get to take the VNF out of service. */
  readonly gracefulStopTimeout?: number;
}

/** Seconds a compute's processes get to exit on a GRACEFUL stop, once the stop commands ran (Docker's own default). */
export const STOP_GRACE_SECONDS = 10;
/** Seconds the stop commands of a sick compute get before it is re-created. */
export const HEAL_STOP_TIMEOUT_SECONDS = 10;

/** Whether a compute needs healing: gone, not running, or failing its health check. */
export const isSick = (c: ComputeInfo | undefined): boolean => !c || c.state !== 'ACTIVE' || c.health === 'unhealthy';

/** Steps of one day-2 plan, gathered per phase and numbered in phase order. */
class Day2Steps {
  readonly #byPhase: UnnumberedStep[][] = [[], [], [], []];

  add(step: UnnumberedStep): void {
    this.#byPhase[step.phase]?.push(step);
  }

  /** Routes and start commands a compute got when it was made, run again once it is (back) up. */
  addInside(name: string, build: NsBuild): void {
    const route = build.routes.get(name);
    if (route) this.add({ phase: DAY2_PHASES.routes, kind: 'route', target: name, popId: route.popId, params: route.params });
    const start = build.starts.get(name);
    if (start) this.add({ phase: DAY2_PHASES.starts, kind: 'start', target: name, popId: start.popId, params: start.params });
  }

  /** Stop commands of the compute's VDU, if it has any. */
  addStops(built: Built<ComputeStepParams>, vnfd: Vnfd | undefined, timeoutSeconds: number): void {
    const commands = vnfd && built.params.vduId ? (stopCommandsByVdu(vnfd).get(built.params.vduId) ?? []) : [];
    if (commands.length === 0) return;
    const name = built.params.name;
    this.add({ phase: DAY2_PHASES.stops, kind: 'stop', target: name, popId: built.popId, params: { compute: name, commands, detach: false, timeoutSeconds } });
  }

  list(): PlannedStep[] {
    return this.#byPhase.flat().map((s, seq) => ({ ...s, seq }));
  }
}

const memberOf = (vnfs: readonly VnfInstance[], memberId: string): VnfInstance => {
  const vnf = vnfs.find((v) => v.memberId === memberId);
  if (!vnf) throw new RondoError('VNF_INSTANCE_UNKNOWN', `the NS instance has no member ${memberId} any more`, { details: { memberId } });
  return vnf;
};

/**
 * The MAC of each network's interface of a compute, as the VNF record holds them: the
 * re-created compute asks for the same ones (where the VIM lets it), so neighbours' ARP
 * entries stay right.
 */
function macsOf(vnf: VnfInstance, spec: ComputeStepParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const itf of spec.interfaces) {
    const mac = vnf.interfaces.find((i) => i.linkId === itf.linkId && i.address === itf.address)?.macAddress;
    if (mac) out[itf.network] = mac;
  }
  return out;
}

/** What {@link planHeal} is made from; no I/O while planning. */
export interface HealPlanInput {
  readonly vnfs: readonly VnfInstance[];
  readonly targets: readonly HealTarget[];
  readonly build: NsBuild;
  /** The state of each compute of the targets by VIM id, as the VIM reports it now (absent: gone). */
  readonly statuses: ReadonlyMap<string, ComputeInfo>;
  /** VNFDs by member id, for stop commands; members without one get none. */
  readonly vnfds: Readonly<Record<string, Vnfd>>;
}

/**
 * HEAL: every compute of the targets that is gone, not running or unhealthy (every one for
 * a target with `all`) is re-created from the spec it was made with — same name, image,
 * addresses, interface order, MACs — then its chaining routes and start commands run
 * again. Phase 0 runs the stop commands of computes that still run (a reset, or a failing
 * health check), best effort; phase 1 re-creates; phase 2 routes; phase 3 start commands.
 * Neighbours need nothing: their routes point at addresses that do not change. A plan
 * with no step means nothing needed healing. Pure and deterministic.
 *
 * Throws RondoError `HEAL_NOT_SUPPORTED` for a compute no step made (a Heat stack's server).
 */
export function planHeal(input: HealPlanInput): PlannedStep[] {
  const out = new Day2Steps();
  for (const target of input.targets) {
    const vnf = memberOf(input.vnfs, target.memberId);
    for (const computeId of vnf.computeIds) {
      const built = input.build.computes.get(computeId);
      if (!built) {
        throw new RondoError('HEAL_NOT_SUPPORTED', `${vnf.memberId} runs as a Heat stack on PoP ${vnf.popId}; healing a Heat stack is not supported`, { details: { memberId: vnf.memberId, computeId } });
      }
      const status = input.statuses.get(computeId);
      if (!target.all && !isSick(status)) continue;
      if (status?.state === 'ACTIVE') out.addStops(built, input.vnfds[vnf.memberId], HEAL_STOP_TIMEOUT_SECONDS);
      const params: RecreateStepParams = { ...built.params, action: 'recreate', replaces: computeId, macs: macsOf(vnf, built.params) };
      out.add({ phase: DAY2_PHASES.computes, kind: 'compute', target: built.params.name, popId: built.popId, params });
      out.addInside(built.params.name, input.build);
    }
  }
  return out.list();
}

/** What {@link planOperate} is made from; no I/O while planning. */
export interface OperatePlanInput {
  readonly vnfs: readonly VnfInstance[];
  readonly changes: readonly OperateChange[];
  readonly build: NsBuild;
  readonly vnfds: Readonly<Record<string, Vnfd>>;
}

/**
 * OPERATE_VNF. To STOPPED: a GRACEFUL stop first runs the VNF's stop commands (phase 0,
 * best effort, `gracefulStopTimeout` for all of them), then stops each compute (phase 1)
 * keeping it — its processes get {@link STOP_GRACE_SECONDS}, none on a FORCEFUL stop. To
 * STARTED: each compute starts again (phase 1), then its chaining routes (phase 2; they
 * went with the stopped compute's network namespace) and start commands (phase 3) run
 * again. A Heat stack's servers are stopped and started by id, without commands. Pure.
 */
export function planOperate(input: OperatePlanInput): PlannedStep[] {
  const out = new Day2Steps();
  for (const change of input.changes) {
    const vnf = memberOf(input.vnfs, change.memberId);
    for (const computeId of vnf.computeIds) {
      const built = input.build.computes.get(computeId);
      const name = built?.params.name ?? computeId;
      const popId = built?.popId ?? vnf.popId;
      const base = { name, computeId, memberId: vnf.memberId, memberKind: vnf.kind, interfaces: built?.params.interfaces ?? [] };
      if (change.changeStateTo === 'STOPPED') {
        const graceful = change.stopType === 'GRACEFUL';
        if (graceful && built) out.addStops(built, input.vnfds[vnf.memberId], change.gracefulStopTimeout ?? STOP_GRACE_SECONDS);
        const params: PowerStepParams = { ...base, action: 'stop', graceSeconds: graceful ? STOP_GRACE_SECONDS : 0 };
        out.add({ phase: DAY2_PHASES.computes, kind: 'compute', target: name, popId, params });
      } else {
        const params: PowerStepParams = { ...base, action: 'start' };
        out.add({ phase: DAY2_PHASES.computes, kind: 'compute', target: name, popId, params });
        out.addInside(name, input.build);
      }
    }
  }
  return out.list();
}
