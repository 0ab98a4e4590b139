import type { Nsd, VimAccount, VnfInstance, Vnfd } from '../model/index.js';
import { BadRequestError, ConflictError, RondoError } from '../model/index.js';
import type { NsBuild } from './ns-build.js';
import { isHeatPop } from './heat-plan.js';

/** SOL005 VnfInstanceData (§6.5.3.19), an entry of `addVnfIstance` (the spec's own spelling). */
export interface VnfInstanceData {
  readonly vnfInstanceId: string;
  readonly vnfProfileId: string;
}

/** SOL005 InstantiateVnfData (§6.5.3.24), the fields Rondo reads. */
export interface InstantiateVnfData {
  readonly vnfdId: string;
  readonly vnfFlavourId: string;
  readonly vnfInstantiationLevelId?: string;
  readonly vnfInstanceName?: string;
}

/** The fewest instances the NSD asks of a member: its vnf profile's minimum, 1 when it names none (see NsdVnf.minInstances). */
export const minInstancesOf = (nsd: Nsd, memberId: string): number => nsd.vnfs.find((m) => m.vnfId === memberId)?.minInstances ?? 1;

/**
 * REMOVE_VNF: the NSD members the named VNF instances run as. Each must be a VNF of the NS
 * (422 `VNF_INSTANCE_UNKNOWN`), one the NSD lets go — its vnf profile's minimum is 0 (422
 * `VNF_NOT_REMOVABLE` naming every other one and its minimum) — and crossed by no
 * forwarding path (422 `VNF_NOT_REMOVABLE` naming the paths: its neighbours route the chain's
 * traffic through it, and nothing would carry it once it is gone). 422
 * `NS_UPDATE_NOT_SUPPORTED` for a VNF running as a Heat stack; 400 for an empty list. Pure:
 * everything is checked before anything is stored.
 */
export function resolveRemoveVnf(nsd: Nsd, vnfs: readonly VnfInstance[], build: NsBuild, ids: readonly string[], byIds: (ids: readonly string[]) => VnfInstance[]): string[] {
  if (ids.length === 0) throw new BadRequestError('REMOVE_VNF needs removeVnfInstanceId: the VNF instances to remove');
  const members = byIds(ids);
  const required = members.filter((v) => minInstancesOf(nsd, v.memberId) > 0);
  if (required.length > 0) {
    throw new RondoError('VNF_NOT_REMOVABLE', `${required.map((v) => `${v.memberId} (vnf profile minimum ${minInstancesOf(nsd, v.memberId)})`).join(', ')}: the NSD requires ${required.length === 1 ? 'it' : 'them'}; only a member whose vnf profile allows 0 instances can be removed`, {
      details: { vnfInstanceIds: required.map((v) => v.id), minInstances: Object.fromEntries(required.map((v) => [v.memberId, minInstancesOf(nsd, v.memberId)])) },
    });
  }
  const crossed = members.flatMap((v) => nsd.forwardingGraphs.flatMap((g) => g.paths.filter((p) => p.hops.some((h) => h.kind === 'vnf' && h.vnfId === v.memberId)).map((p) => ({ member: v.memberId, path: `${g.id}/${p.id}` }))));
  if (crossed.length > 0) {
    throw new RondoError('VNF_NOT_REMOVABLE', `${crossed.map((c) => `forwarding path ${c.path} crosses ${c.member}`).join(', ')}: its traffic would stop; remove the path first`, {
      details: { forwardingPaths: crossed },
    });
  }
  const heat = members.filter((v) => v.computeIds.some((id) => !build.computes.has(id)));
  if (heat.length > 0) {
    throw new RondoError('NS_UPDATE_NOT_SUPPORTED', `${heat.map((v) => v.memberId).join(', ')} ${heat.length === 1 ? 'runs' : 'run'} as a Heat stack; REMOVE_VNF of a Heat stack is not supported`, { details: { vnfInstanceIds: heat.map((v) => v.id) } });
  }
  return members.map((v) => v.memberId);
}

/** What ADD_VNF or INSTANTIATE_VNF asks for, as {@link resolveAddVnf} takes it. */
export interface AddVnfRequest {
  readonly addVnfIstance?: readonly VnfInstanceData[];
  readonly instantiateVnfData?: readonly InstantiateVnfData[];
}

/**
 * ADD_VNF and INSTANTIATE_VNF: the NSD members to bring back. Rondo has no VNF instance
 * outside an NS, so both name an NSD member the NS does not run now: ADD_VNF by
 * `vnfProfileId` (the member id: SOL001 VNF node name, SOL006 vnf-profile id; its
 * `vnfInstanceId` is kept in `operationParams` only), INSTANTIATE_VNF by `vnfdId` (the first
 * such member using that VNFD, in NSD order; `vnfFlavourId` must be one of the VNFD's
 * flavours when it declares any). The member goes back to the PoP the NS placed it on.
 *
 * Throws 400 for no entry, 422 `VNF_PROFILE_UNKNOWN` for a profile or VNFD the NSD does not
 * have (or a flavour the VNFD does not), 409 `VNF_STATE_CONFLICT` for a member the NS runs
 * already, 409 `PLAN_UNPLACED` when the NS's placement does not name it, 422
 * `NS_UPDATE_NOT_SUPPORTED` for a member placed on a Heat PoP. Pure.
 */
export function resolveAddVnf(nsd: Nsd, vnfds: Readonly<Record<string, Vnfd>>, vnfs: readonly VnfInstance[], req: AddVnfRequest & { readonly updateType: string }, placement: Readonly<Record<string, string>>, accounts: readonly VimAccount[]): string[] {
  const running = new Map(vnfs.filter((v) => v.kind === 'vnf').map((v) => [v.memberId, v]));
  const chosen: string[] = [];
  const take = (memberId: string): void => {
    const now = running.get(memberId);
    if (now) throw new ConflictError(`${memberId} runs already as VNF instance ${now.id}`, { code: 'VNF_STATE_CONFLICT', details: { vnfProfileId: memberId, vnfInstanceId: now.id } });
    if (chosen.includes(memberId)) throw new BadRequestError(`${memberId} is named twice; name each VNF profile once`, { details: { vnfProfileId: memberId } });
    chosen.push(memberId);
  };
  if (req.updateType === 'ADD_VNF') {
    const data = req.addVnfIstance ?? [];
    if (data.length === 0) throw new BadRequestError('ADD_VNF needs addVnfIstance: the VNF profiles (NSD members) to add back');
    for (const d of data) {
      if (!nsd.vnfs.some((m) => m.vnfId === d.vnfProfileId)) {
        throw new RondoError('VNF_PROFILE_UNKNOWN', `the NSD has no vnf profile ${d.vnfProfileId}; its members are ${nsd.vnfs.map((m) => m.vnfId).join(', ')}`, { details: { vnfProfileId: d.vnfProfileId } });
      }
      take(d.vnfProfileId);
    }
  } else {
    const data = req.instantiateVnfData ?? [];
    if (data.length === 0) throw new BadRequestError('INSTANTIATE_VNF needs instantiateVnfData: the VNFDs (and flavours) of the NSD members to instantiate');
    for (const d of data) {
      const users = nsd.vnfs.filter((m) => vnfds[m.vnfId]?.descriptorId === d.vnfdId);
      if (users.length === 0) throw new RondoError('VNF_PROFILE_UNKNOWN', `no member of the NSD uses VNFD ${d.vnfdId}`, { details: { vnfdId: d.vnfdId } });
      const flavours = vnfds[users[0]?.vnfId ?? '']?.deploymentFlavours ?? [];
      if (flavours.length > 0 && !flavours.some((f) => f.id === d.vnfFlavourId)) {
        throw new RondoError('VNF_PROFILE_UNKNOWN', `VNFD ${d.vnfdId} has no flavour ${d.vnfFlavourId}; its flavours are ${flavours.map((f) => f.id).join(', ')}`, { details: { vnfdId: d.vnfdId, vnfFlavourId: d.vnfFlavourId } });
      }
      const free = users.find((m) => !running.has(m.vnfId) && !chosen.includes(m.vnfId));
      if (!free) throw new ConflictError(`every member using VNFD ${d.vnfdId} (${users.map((m) => m.vnfId).join(', ')}) runs already`, { code: 'VNF_STATE_CONFLICT', details: { vnfdId: d.vnfdId } });
      take(free.vnfId);
    }
  }
  const byId = new Map(accounts.map((a) => [a.id, a]));
  for (const m of chosen) {
    const pop = placement[m];
    if (pop === undefined || !byId.has(pop)) throw new ConflictError(`the NS's placement names no known PoP for ${m}`, { code: 'PLAN_UNPLACED', details: { member: m } });
    if (isHeatPop(byId.get(pop))) throw new RondoError('NS_UPDATE_NOT_SUPPORTED', `${m} is placed on Heat PoP ${pop}; adding a VNF as a Heat stack is not supported`, { details: { vnfProfileId: m, popId: pop } });
  }
  return chosen;
}
