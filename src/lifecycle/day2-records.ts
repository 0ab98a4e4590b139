import type { InterfaceRecord, OpStep, VnfInstance } from '../model/index.js';
import { computeResultOf, isStepOf } from './op-step-view.js';
import type { VnfPatch, VnfInstanceRepository } from './ports.js';

const byMember = <S extends { readonly params: { readonly memberId: string } }>(steps: readonly S[]): Map<string, S[]> => {
  const out = new Map<string, S[]>();
  for (const s of steps) out.set(s.params.memberId, [...(out.get(s.params.memberId) ?? []), s]);
  return out;
};

/**
 * What the DONE `recreate` steps of a HEAL change in the VNF records: each replaced
 * compute id becomes the new one, interfaces take the device names and MACs the VIM
 * reports now (addresses do not change), and a member whose computes were all re-created
 * or still run is STARTED again. Idempotent: a patch applied twice is the same patch.
 */
export function healPatches(vnfs: readonly VnfInstance[], steps: readonly OpStep[]): Map<string, VnfPatch> {
  const out = new Map<string, VnfPatch>();
  for (const [memberId, done] of byMember(steps.filter((s) => isStepOf(s, 'compute', 'recreate')))) {
    const vnf = vnfs.find((v) => v.memberId === memberId);
    const made = done.flatMap((s) => {
      const result = computeResultOf(s);
      return result ? [{ replaces: s.params.replaces, result }] : [];
    });
    if (!vnf || made.length === 0) continue;
    const replaced = new Map(made.map((d) => [d.replaces, d.result.computeId]));
    const realised = made.flatMap((d) => d.result.interfaces);
    const interfaces = vnf.interfaces.map((i): InterfaceRecord => {
      const now = realised.find((r) => r.linkId === i.linkId && r.address === i.address);
      if (!now) return i;
      const { ifName: _i, macAddress: _m, ...rest } = i;
      return { ...rest, ...(now.ifName ? { ifName: now.ifName } : {}), ...(now.macAddress ? { macAddress: now.macAddress } : i.macAddress ? { macAddress: i.macAddress } : {}) };
    });
    const all = done.every((s) => s.state === 'DONE');
    out.set(vnf.id, {
      computeIds: vnf.computeIds.map((id) => replaced.get(id) ?? id), interfaces,
      ...(vnf.vnfcs ? { vnfcs: vnf.vnfcs.map((c) => ({ ...c, computeId: replaced.get(c.computeId) ?? c.computeId })) } : {}),
      ...(all && vnf.state === 'FAILED' ? { state: 'STARTED' as const } : {}) });
  }
  return out;
}

/**
 * What the DONE `stop`/`start` compute steps of an OPERATE_VNF change: a member all of
 * whose computes are stopped is STOPPED, all started STARTED (SOL003 `vnfState`).
 */
export function operatePatches(vnfs: readonly VnfInstance[], steps: readonly OpStep[]): Map<string, VnfPatch> {
  const out = new Map<string, VnfPatch>();
  for (const action of ['stop', 'start'] as const) {
    for (const [memberId, done] of byMember(steps.filter((s) => isStepOf(s, 'compute', action)))) {
      const vnf = vnfs.find((v) => v.memberId === memberId);
      if (!vnf || !done.every((s) => s.state === 'DONE')) continue;
      out.set(vnf.id, { state: action === 'stop' ? 'STOPPED' : 'STARTED' });
    }
  }
  return out;
}

/** Writes the patches of a day-2 operation's compute phase (one statement per VNF touched). */
export async function recordDay2(kind: 'HEAL' | 'UPDATE', nsInstanceId: string, steps: readonly OpStep[], repo: Pick<VnfInstanceRepository, 'listByNs' | 'patch'>): Promise<void> {
  const vnfs = await repo.listByNs(nsInstanceId);
  const patches = kind === 'HEAL' ? healPatches(vnfs, steps) : operatePatches(vnfs, steps);
  for (const [id, patch] of patches) await repo.patch(id, patch);
}

/**
 * REMOVE_VNF: deletes the VNF record of each member all of whose `remove` steps are DONE,
 * so its addresses are free for later operations. A member with a step left keeps its
 * record (a retry finishes it). Idempotent: a record gone already is not looked for.
 */
export async function recordRemoved(nsInstanceId: string, steps: readonly OpStep[], repo: Pick<VnfInstanceRepository, 'deleteMembers'>): Promise<void> {
  const byMemberId = new Map<string, boolean>();
  for (const s of steps) {
    if (!isStepOf(s, 'compute', 'remove')) continue;
    byMemberId.set(s.params.memberId, (byMemberId.get(s.params.memberId) ?? true) && s.state === 'DONE');
  }
  const gone = [...byMemberId].filter(([, done]) => done).map(([m]) => m);
  if (gone.length > 0) await repo.deleteMembers(nsInstanceId, gone);
}
