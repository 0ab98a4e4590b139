/**
 * The parts of an NSD the topology needs — members, virtual links, forwarding paths —
 * read from the descriptor text the catalog returns (5GTANGO/SONATA YAML), or, when the
 * descriptor is in another format, guessed from the interfaces of the running instances.
 */
import { parse } from 'yaml';
import type { VnfView } from '../api-types.js';

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

type Raw = Record<string, unknown>;
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((x): x is Raw => typeof x === 'object' && x !== null) : []);

/** `client:mgmt` → member `client`, CP `mgmt`; `input` (a SAP) → member `input`. */
export function parseCpRef(ref: string): MemberCp {
  const i = ref.indexOf(':');
  return i < 0 ? { member: ref, cp: null } : { member: ref.slice(0, i), cp: ref.slice(i + 1) };
}

/**
 * Reads a 5GTANGO/SONATA NSD (`network_functions`, `connection_points`, `virtual_links`,
 * `forwarding_graphs`); null when the text is not one (e.g. ETSI TOSCA).
 */
export function parseTangoNsd(text: string): NsdStructure | null {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as Raw;
  if (!Array.isArray(d.network_functions) || !Array.isArray(d.virtual_links)) return null;
  const sapTypes = new Map(list(d.connection_points).map((c) => [String(c.id), String(c.type ?? 'external')]));
  const members: NsdMember[] = [
    ...list(d.network_functions).map((f) => ({ id: String(f.vnf_id), kind: 'vnf' as const })),
    ...[...sapTypes.keys()].map((id) => ({ id, kind: 'sap' as const })),
  ];
  const links = list(d.virtual_links).map((l): NsdLink => {
    const ends = (Array.isArray(l.connection_points_reference) ? l.connection_points_reference : []).map((r) => parseCpRef(String(r)));
    const management = ends.some((e) => (e.cp === null ? sapTypes.get(e.member) === 'management' : false)) || /mgmt|management/i.test(String(l.id));
    const kind: LinkKind = management ? 'management' : String(l.connectivity_type) === 'E-Line' ? 'E-Line' : 'E-LAN';
    return { id: String(l.id), kind, ends };
  });
  const paths = list(d.forwarding_graphs).flatMap((g) =>
    list(g.network_forwarding_paths).map((p): NsdPath => ({
      id: String(p.fp_id ?? g.fg_id),
      hops: list(p.connection_points)
        .slice()
        .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
        .map((c) => parseCpRef(String(c.connection_point_ref))),
    })),
  );
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
