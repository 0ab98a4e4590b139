import type { NsInstance, VnfcRecord, VnfInstance, Vnfd } from '../model/index.js';
import type { NsBuild } from './ns-build.js';
import { vnfFlavourId } from './deployment-flavours.js';

/**
 * Whether an INSTANTIATED NS's records lack what the API must show and what records
 * written before they were kept do not hold: the NS flavour, a VNF's flavour, or the VDU
 * of a VNFC instance. False for every record written since.
 */
export function recordsIncomplete(ns: NsInstance, vnfs: readonly VnfInstance[]): boolean {
  if (ns.state !== 'INSTANTIATED') return false;
  if (ns.flavourId === undefined) return true;
  return vnfs.some((v) => v.kind === 'vnf' && (ns.vnfFlavours?.[v.memberId] === undefined || vnfcsOf(v).some((c) => c.vduId === null)));
}

/** A VNF's VNFC records, one per compute (VDU unknown for one a record from before does not list). */
const vnfcsOf = (v: VnfInstance): VnfcRecord[] => v.computeIds.map((id) => v.vnfcs?.find((c) => c.computeId === id) ?? { computeId: id, name: id, vduId: null });

/**
 * The VDU of a compute a record does not name: from the `compute` step that made it (its
 * plan named the VDU), else the VNFD's VDU when it has only one. Null when neither tells.
 */
export function derivedVduId(computeId: string, build: NsBuild, vnfd: Vnfd | undefined): string | null {
  const planned = build.computes.get(computeId)?.params;
  if (planned?.vduId) return planned.vduId;
  return vnfd?.vdus.length === 1 ? (vnfd.vdus[0]?.id ?? null) : null;
}

/**
 * Records written before flavours and VNFC VDUs were kept, completed from what they were
 * made of: the NS flavour and each VNF's from the NSD's descriptors (the flavour Rondo
 * deploys them with), each VNFC's VDU from the step that made it or its VNFD
 * ({@link derivedVduId}), never from its position. Pure; only shown, not written back.
 */
export function completeRecords(
  ns: NsInstance, vnfs: readonly VnfInstance[], from: { readonly nsFlavourId: string; readonly vnfds: Readonly<Record<string, Vnfd>>; readonly build: NsBuild },
): { ns: NsInstance; vnfs: VnfInstance[] } {
  const vnfFlavours = { ...ns.vnfFlavours };
  for (const v of vnfs) {
    const vnfd = from.vnfds[v.memberId];
    if (v.kind === 'vnf' && vnfFlavours[v.memberId] === undefined && vnfd) vnfFlavours[v.memberId] = vnfFlavourId(vnfd);
  }
  return {
    ns: { ...ns, flavourId: ns.flavourId ?? from.nsFlavourId, vnfFlavours },
    vnfs: vnfs.map((v) => {
      if (v.kind !== 'vnf' || !vnfcsOf(v).some((c) => c.vduId === null)) return v;
      return { ...v, vnfcs: vnfcsOf(v).map((c) => (c.vduId === null ? { ...c, vduId: derivedVduId(c.computeId, from.build, from.vnfds[v.memberId]) } : c)) };
    }),
  };
}
