/**
 * The parts of an NSD the topology needs — members, virtual links, forwarding paths —
 * taken from the server's descriptor model (`GET /admin/v1/ns_descriptors/{id}/model`,
 * any descriptor format), or, when that is not available, guessed from the interfaces of
 * the running instances. The browser parses no YAML.
 */
import type { NsdModel, VnfView } from '../api-types.js';

/** One end of a virtual link or hop of a path: a member (VNF or SAP) and its CP. */
export interface MemberCp {
  readonly member: string;
  readonly cp: string | null;
}

/** The link kinds the topology colours. */
export const LINK_KINDS = ['E-Line', 'E-LAN', 'management'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface NsdLink {
  readonly id: string;
  readonly kind: LinkKind;
  readonly ends: readonly MemberCp[];
}

export interface NsdPath {
  readonly id: string;
  readonly hops: readonly MemberCp[];
}

export interface NsdMember {
  readonly id: string;
  readonly kind: 'vnf' | 'sap';
}

/** What the topology is drawn from. */
export interface NsdStructure {
  readonly members: readonly NsdMember[];
  readonly links: readonly NsdLink[];
  readonly paths: readonly NsdPath[];
}

type CpRef = NsdModel['virtualLinks'][number]['cpRefs'][number];

/** A VNF's CP `client:input` → member `client`, CP `input`; a SAP `input` → member `input`. */
const endOf = (r: CpRef): MemberCp => (r.kind === 'vnf' ? { member: r.vnfId, cp: r.cp } : { member: r.sap, cp: null });

/**
 * The structure of an NSD model: VNF members then SAPs; each virtual link with its kind
 * (the management network, an E-Line, or a LAN for E-LAN and E-Tree) and its ends; each
 * forwarding path of each graph with its hops in traffic order.
 */
export function structureFromModel(nsd: NsdModel): NsdStructure {
  const members: NsdMember[] = [...nsd.vnfs.map((v) => ({ id: v.vnfId, kind: 'vnf' as const })), ...nsd.saps.map((s) => ({ id: s.id, kind: 'sap' as const }))];
  const links = nsd.virtualLinks.map((l): NsdLink => ({
    id: l.id,
    kind: l.management ? 'management' : l.type === 'E-Line' ? 'E-Line' : 'E-LAN',
    ends: l.cpRefs.map(endOf),
  }));
  const paths = nsd.forwardingGraphs.flatMap((g) => g.paths.map((p): NsdPath => ({ id: p.id, hops: p.hops.map(endOf) })));
  return { members, links, paths };
}

/**
 * The structure seen from the instances alone: members are the VNF/SAP records, links
 * group interfaces by `linkId` (two ends: E-Line, more: E-LAN, a name with "mgmt":
 * management). No forwarding paths.
 */
export function structureFromInstances(vnfs: readonly VnfView[]): NsdStructure {
  const byLink = new Map<string, MemberCp[]>();
  for (const v of vnfs) {
    for (const i of v.interfaces) {
      if (!i.linkId) continue;
      const ends = byLink.get(i.linkId) ?? [];
      ends.push({ member: v.memberId, cp: v.kind === 'sap' ? null : i.cp });
      byLink.set(i.linkId, ends);
    }
  }
  const links = [...byLink].map(([id, ends]): NsdLink => ({
    id,
    kind: /mgmt|management/i.test(id) ? 'management' : ends.length === 2 ? 'E-Line' : 'E-LAN',
    ends,
  }));
  return { members: vnfs.map((v) => ({ id: v.memberId, kind: v.kind })), links, paths: [] };
}
