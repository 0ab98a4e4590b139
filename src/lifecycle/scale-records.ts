import type { InterfaceRecord, OpStep, ScaleStatusEntry, VnfcRecord, VnfInstance } from '../model/index.js';
import type { PlannedInterface } from './ns-plan-types.js';
import { computeResultOf, isStepOf } from './op-step-view.js';
import type { TypedOpStepWith } from './op-step-view.js';
import type { VnfInstanceRepository, VnfPatch } from './ports.js';
import type { NsBuild } from './ns-build.js';
import { vduCpu } from './ns-placement.js';
import { stackScalePatches } from './heat-scale.js';

const sameItf = (a: { linkId: string; address: string }, b: { linkId: string; address: string }): boolean => a.linkId === b.linkId && a.address === b.address;

/** A SCALE's `compute` steps that add a VNFC instance. */
const isScaleCreate = (s: OpStep): s is TypedOpStepWith<'compute', 'create'> => isStepOf(s, 'compute', 'create') && typeof s.params.aspectId === 'string';

interface Edit {
  add: { computeId: string; interfaces: InterfaceRecord[]; vnfc: VnfcRecord }[];
  drop: { computeId?: string; interfaces: readonly PlannedInterface[] }[];
}

function apply(vnfs: readonly VnfInstance[], edits: Map<string, Edit>, build?: NsBuild): Map<string, VnfPatch> {
  const out = new Map<string, VnfPatch>();
  for (const [memberId, e] of edits) {
    const vnf = vnfs.find((v) => v.memberId === memberId);
    if (!vnf) continue;
    let computeIds = [...vnf.computeIds];
    let interfaces = [...vnf.interfaces];
    // Records from before VNFCs were kept: one per compute, its VDU (and name) from the step that made it, when known.
    let vnfcs: VnfcRecord[] = [...(vnf.vnfcs ?? vnf.computeIds.map((id) => legacyVnfc(id, build)))];
    for (const a of e.add) {
      if (!computeIds.includes(a.computeId)) computeIds.push(a.computeId);
      if (!vnfcs.some((c) => c.computeId === a.computeId)) vnfcs.push(a.vnfc);
      for (const i of a.interfaces) if (!interfaces.some((x) => sameItf(x, i))) interfaces.push(i);
    }
    for (const d of e.drop) {
      if (d.computeId !== undefined) computeIds = computeIds.filter((id) => id !== d.computeId);
      vnfcs = vnfcs.filter((c) => computeIds.includes(c.computeId));
      interfaces = interfaces.filter((x) => !d.interfaces.some((i) => sameItf(x, i)));
    }
    if (computeIds.join() !== vnf.computeIds.join() || interfaces.length !== vnf.interfaces.length) {
      out.set(vnf.id, { computeIds, interfaces, vnfcs, scaleStatus: scaleStatusOf(vnf.scaleStatus ?? [], vnfcs) });
    }
  }
  return out;
}

/** The VNFC record of a compute a record from before VNFCs were kept lists only by id. */
const legacyVnfc = (computeId: string, build: NsBuild | undefined): VnfcRecord => {
  const planned = build?.computes.get(computeId)?.params;
  return { computeId, name: planned?.name ?? computeId, vduId: planned?.vduId ?? null };
};

/** Each aspect's level: the highest level among the VNFC instances added for it (0 with none). */
function scaleStatusOf(before: readonly ScaleStatusEntry[], vnfcs: readonly VnfcRecord[]): ScaleStatusEntry[] {
  const ids = [...new Set([...before.map((s) => s.aspectId), ...vnfcs.flatMap((c) => (c.aspectId === undefined ? [] : [c.aspectId]))])];
  return ids.map((aspectId) => ({ aspectId, scaleLevel: Math.max(0, ...vnfcs.filter((c) => c.aspectId === aspectId).map((c) => c.scaleLevel ?? 0)) }));
}

const editOf = (edits: Map<string, Edit>, memberId: string): Edit => edits.get(memberId) ?? edits.set(memberId, { add: [], drop: [] }).get(memberId) as Edit;

/**
 * What the DONE `compute` steps of a SCALE change in the VNF records: an added VNFC
 * instance's compute id and interfaces (device names and MACs as the VIM reports them) join
 * its VNF's, a removed one's leave. Idempotent: applied twice, the second changes nothing.
 */
export function scalePatches(vnfs: readonly VnfInstance[], steps: readonly OpStep[], build?: NsBuild): Map<string, VnfPatch> {
  const edits = new Map<string, Edit>();
  for (const s of steps) {
    if (s.state !== 'DONE') continue;
    const r = computeResultOf(s);
    if (isScaleCreate(s) && r) {
      const p = s.params;
      const interfaces = r.interfaces.map((i): InterfaceRecord => ({ cp: i.cp, linkId: i.linkId, address: i.address, prefix: i.prefix, ...(i.ifName ? { ifName: i.ifName } : {}), ...(i.macAddress ? { macAddress: i.macAddress } : {}) }));
      const vnfc: VnfcRecord = { computeId: r.computeId, name: p.name, vduId: p.vduId, ...(p.aspectId !== undefined ? { aspectId: p.aspectId } : {}), ...(p.scaleLevel !== undefined ? { scaleLevel: p.scaleLevel } : {}) };
      editOf(edits, p.memberId).add.push({ computeId: r.computeId, interfaces, vnfc });
    } else if (isStepOf(s, 'compute', 'remove')) {
      const p = s.params;
      editOf(edits, p.memberId).drop.push({ computeId: p.computeId, interfaces: p.interfaces });
    }
  }
  return apply(vnfs, edits, build);
}

/** What a rollback of a scale-out undoes in the VNF records: every instance its steps added (or may have) leaves again. */
export function scaleRollbackPatches(vnfs: readonly VnfInstance[], steps: readonly OpStep[], build?: NsBuild): Map<string, VnfPatch> {
  const edits = new Map<string, Edit>();
  for (const s of steps) {
    if (!isScaleCreate(s)) continue;
    const p = s.params;
    const id = s.result?.['computeId'];
    editOf(edits, p.memberId).drop.push({ ...(typeof id === 'string' ? { computeId: id } : {}), interfaces: p.interfaces });
  }
  return apply(vnfs, edits, build);
}

/**
 * Writes the patches of a SCALE (or of its rollback): one statement per VNF touched. With
 * the NS's build, each VNF's demand becomes the sum of its instances' (capacity-aware
 * placement of later NSes sees the scaled VNF).
 */
export async function recordScale(nsInstanceId: string, steps: readonly OpStep[], repo: Pick<VnfInstanceRepository, 'listByNs' | 'patch'>, rollback = false, build?: NsBuild): Promise<void> {
  const vnfs = await repo.listByNs(nsInstanceId);
  const patches = rollback ? scaleRollbackPatches(vnfs, steps, build) : new Map([...scalePatches(vnfs, steps, build), ...stackScalePatches(vnfs, steps)]);
  for (const [id, patch] of patches) {
    const specs = build ? (patch.computeIds ?? []).map((c) => build.computes.get(c)?.params) : [];
    const known = specs.every((s) => s !== undefined) && specs.length > 0;
    const demand = known ? specs.reduce((acc, s) => ({ cpu: acc.cpu + vduCpu(s), memoryMiB: acc.memoryMiB + s.memoryMiB }), { cpu: 0, memoryMiB: 0 }) : undefined;
    await repo.patch(id, { ...patch, ...(demand ? { demand } : {}) });
  }
}
