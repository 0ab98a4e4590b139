import type { VnfInstance } from '../model/index.js';
import { BadRequestError, ConflictError, RondoError } from '../model/index.js';
import { stopComputeOf, startComputeOf } from '../vim/index.js';
import type { HealTarget, OperateChange } from './day2-planner.js';
import type { NsBuild } from './ns-build.js';
import type { DriverRegistry } from './ports.js';
import type { InstantiateVnfData, VnfInstanceData } from './vnf-membership-requests.js';

/** SOL005 HealNsRequest as the lifecycle takes it: either some VNFs, or the whole NS. */
export interface HealRequest {
  /**
   * SOL005 `healVnfData`: the VNF instances to heal. Their dead or sick computes are
   * re-created; with `all`, every compute of the VNF is (Tacker's `additionalParams.all`).
   */
  readonly vnfs?: readonly { readonly vnfInstanceId: string; readonly cause?: string; readonly all?: boolean }[];
  /**
   * SOL005 `healNsData.degreeHealing`, to heal every member (VNFs and SAPs): HEAL_RESTORE
   * re-creates the dead or sick computes, HEAL_RESET every compute.
   */
  readonly degree?: string;
  /** The SOL005 HealNsRequest as sent, echoed as `operationParams`; default: this request. */
  readonly operationParams?: Readonly<Record<string, unknown>>;
  /** Started by a policy, not a person: the operation's `isAutomaticInvocation` (default false). */
  readonly automatic?: boolean;
}

/** SOL005 OperateVnfData. */
export interface OperateVnfData {
  readonly vnfInstanceId: string;
  readonly changeStateTo: 'STARTED' | 'STOPPED';
  /** Default FORCEFUL (SOL003: an absent stopType reads as FORCEFUL). */
  readonly stopType?: 'FORCEFUL' | 'GRACEFUL';
  /** Seconds the VNF gets to be taken out of service on a GRACEFUL stop. */
  readonly gracefulStopTimeout?: number;
}

/** The SOL005 update types Rondo carries out. */
export const UPDATE_TYPES_DONE = ['OPERATE_VNF', 'REMOVE_VNF', 'ADD_VNF', 'INSTANTIATE_VNF'] as const;

/** SOL005 UpdateNsRequest as the lifecycle takes it: OPERATE_VNF, REMOVE_VNF, ADD_VNF and INSTANTIATE_VNF are carried out. */
export interface UpdateRequest {
  readonly updateType: string;
  readonly operateVnfData?: readonly OperateVnfData[];
  /** REMOVE_VNF: the VNF instances to take out of the NS. */
  readonly removeVnfInstanceId?: readonly string[];
  /** ADD_VNF (SOL005 spells it so): the NSD members, by vnf profile, to add back. */
  readonly addVnfIstance?: readonly VnfInstanceData[];
  /** INSTANTIATE_VNF: the NSD members, by VNFD, to instantiate again. */
  readonly instantiateVnfData?: readonly InstantiateVnfData[];
  /** The SOL005 UpdateNsRequest as sent, echoed as `operationParams`; default: this request. */
  readonly operationParams?: Readonly<Record<string, unknown>>;
}

/** The degrees of SOL005 `HealNsData.degreeHealing` Rondo carries out. */
export const HEAL_DEGREES = ['HEAL_RESTORE', 'HEAL_RESET'] as const;

/** The VNFs of the NS by VNF instance id; 422 `VNF_INSTANCE_UNKNOWN` naming every id that is not one (a SAP's id neither). */
export function vnfsByIds(vnfs: readonly VnfInstance[], ids: readonly string[]): VnfInstance[] {
  const byId = new Map(vnfs.map((v) => [v.id, v]));
  const unknown = ids.filter((id) => byId.get(id)?.kind !== 'vnf');
  if (unknown.length > 0) {
    const saps = unknown.filter((id) => byId.get(id)?.kind === 'sap');
    const hint = saps.length > 0 ? `; ${saps.join(', ')} ${saps.length === 1 ? 'is a SAP' : 'are SAPs'} (heal the whole NS with healNsData to restore SAPs)` : '';
    throw new RondoError('VNF_INSTANCE_UNKNOWN', `the NS instance has no VNF instance ${unknown.join(', ')}${hint}`, { details: { vnfInstanceIds: unknown } });
  }
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new BadRequestError(`VNF instance ${dup} is named twice; name each VNF once`, { details: { vnfInstanceId: dup } });
  return ids.map((id) => byId.get(id) as VnfInstance);
}

/** 422 `HEAL_NOT_SUPPORTED` for members with a compute no step made (a Heat stack). */
function assertHealable(members: readonly VnfInstance[], build: NsBuild): void {
  const heat = members.filter((v) => v.computeIds.some((id) => !build.computes.has(id)));
  if (heat.length === 0) return;
  throw new RondoError('HEAL_NOT_SUPPORTED', `${heat.map((v) => `${v.memberId} (PoP ${v.popId})`).join(', ')} ${heat.length === 1 ? 'runs' : 'run'} as a Heat stack; healing a Heat stack is not supported`, {
    details: { vnfInstanceIds: heat.map((v) => v.id) },
  });
}

/**
 * What a HEAL heals. Named VNFs: each must be a VNF of the NS (422 naming the others),
 * not STOPPED by OPERATE_VNF (409 `VNF_STATE_CONFLICT`: start it instead). The whole NS:
 * every member not STOPPED. Throws 400 for neither or both, 422 `HEAL_NOT_SUPPORTED` for a
 * degree other than RESTORE/RESET and for Heat stacks.
 */
export function resolveHeal(vnfs: readonly VnfInstance[], build: NsBuild, req: HealRequest): HealTarget[] {
  const named = req.vnfs ?? [];
  if ((named.length > 0) === (req.degree !== undefined)) {
    throw new BadRequestError('give either healVnfData (some VNFs) or healNsData (the whole NS), not both nor neither (SOL005 HealNsRequest)');
  }
  if (req.degree !== undefined) {
    if (!(HEAL_DEGREES as readonly string[]).includes(req.degree)) {
      throw new RondoError('HEAL_NOT_SUPPORTED', `degreeHealing ${req.degree} is not supported; use ${HEAL_DEGREES.join(' or ')}`, { details: { degreeHealing: req.degree } });
    }
    const members = vnfs.filter((v) => v.state !== 'STOPPED');
    assertHealable(members, build);
    return members.map((v) => ({ memberId: v.memberId, all: req.degree === 'HEAL_RESET' }));
  }
  const members = vnfsByIds(vnfs, named.map((n) => n.vnfInstanceId));
  const stopped = members.filter((v) => v.state === 'STOPPED');
  if (stopped.length > 0) {
    throw new ConflictError(`${stopped.map((v) => v.memberId).join(', ')} ${stopped.length === 1 ? 'was' : 'were'} stopped by OPERATE_VNF; start ${stopped.length === 1 ? 'it' : 'them'} instead of healing`, {
      code: 'VNF_STATE_CONFLICT', details: { vnfInstanceIds: stopped.map((v) => v.id) },
    });
  }
  assertHealable(members, build);
  return members.map((v, i) => ({ memberId: v.memberId, all: named[i]?.all === true }));
}

/** 422 `NS_UPDATE_NOT_SUPPORTED` for an update type other than those of {@link UPDATE_TYPES_DONE}. */
export function assertUpdateType(req: Pick<UpdateRequest, 'updateType'>): void {
  if ((UPDATE_TYPES_DONE as readonly string[]).includes(req.updateType)) return;
  throw new RondoError('NS_UPDATE_NOT_SUPPORTED', `updateType ${req.updateType} is not supported; Rondo carries out ${UPDATE_TYPES_DONE.join(', ')} (use heal to restore VNFs)`, { details: { updateType: req.updateType } });
}

/**
 * What an OPERATE_VNF does (REMOVE_VNF, ADD_VNF and INSTANTIATE_VNF: see
 * vnf-membership-requests.ts): each named VNF of the NS (422 naming unknown ones) goes to its new state;
 * 409 `VNF_STATE_CONFLICT` for one already there; 422 `VIM_NOT_SUPPORTED` when its VIM
 * cannot stop and start computes. A GRACEFUL stop without a timeout gets 10 s.
 */
export function resolveUpdate(vnfs: readonly VnfInstance[], drivers: DriverRegistry, req: UpdateRequest): OperateChange[] {
  assertUpdateType(req);
  if (req.updateType !== 'OPERATE_VNF') throw new RondoError('NS_UPDATE_NOT_SUPPORTED', `resolveUpdate carries out OPERATE_VNF, not ${req.updateType}`, { details: { updateType: req.updateType } });
  const data = req.operateVnfData ?? [];
  if (data.length === 0) throw new BadRequestError('OPERATE_VNF needs operateVnfData: the VNF instances and the state to change them to');
  const members = vnfsByIds(vnfs, data.map((d) => d.vnfInstanceId));
  const already = members.filter((v, i) => v.state === data[i]?.changeStateTo);
  if (already.length > 0) {
    throw new ConflictError(`${already.map((v) => `${v.memberId} is already ${v.state}`).join(', ')}`, { code: 'VNF_STATE_CONFLICT', details: { vnfInstanceIds: already.map((v) => v.id) } });
  }
  for (const v of members) {
    const driver = drivers.get(v.popId);
    stopComputeOf(driver);
    startComputeOf(driver);
  }
  return members.map((v, i) => {
    const d = data[i] as OperateVnfData;
    const stopType = d.stopType ?? 'FORCEFUL';
    return {
      memberId: v.memberId, changeStateTo: d.changeStateTo, stopType,
      ...(d.changeStateTo === 'STOPPED' && stopType === 'GRACEFUL' ? { gracefulStopTimeout: d.gracefulStopTimeout ?? 10 } : {}),
    };
  });
}
