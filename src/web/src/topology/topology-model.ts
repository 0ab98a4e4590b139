/**
 * The live topology as plain data: PoPs as compound nodes, VNFs and SAPs inside their PoP,
 * each VNF's VNFC instances (containers) inside it, one hub node per E-LAN, edges typed
 * and flagged when a forwarding path uses them. Pure, so the page, the Cytoscape view and
 * the browser test all read the same thing.
 */
import type { NsView, OpView, VnfView } from '../api-types.js';
import type { LinkKind, MemberCp, NsdLink, NsdStructure } from './nsd-structure.js';

/** Node colours: grey, green, red, dark. */
export const NODE_STATES = ['starting', 'running', 'failed', 'stopped'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export interface TopoNode {
  readonly id: string;
  readonly label: string;
  /** `vnfc`: one VNFC instance of a VNF, drawn inside it. */
  readonly kind: 'pop' | 'vnf' | 'sap' | 'lan' | 'vnfc';
  readonly parent?: string;
  readonly state?: NodeState;
  /** `cp address/prefix` lines (a VNFC: its VDU and compute), shown on hover and tap. */
  readonly addresses: readonly string[];
  readonly position?: { readonly x: number; readonly y: number };
}

export interface TopoEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly linkId: string;
  readonly linkKind: LinkKind;
  readonly onPath: boolean;
  /**
   * The link's members sit on more than one PoP: a link between PoPs (on separate engines,
   * one segment per PoP joined by a VXLAN tunnel), drawn as an inter-PoP edge.
   */
  readonly interPop: boolean;
  readonly label: string;
}

export interface TopologyModel {
  readonly nodes: readonly TopoNode[];
  readonly edges: readonly TopoEdge[];
}

/**
 * Live overrides from events (`vnf.down` → failed, `vnf.up` → running), by member id, and
 * by {@link vnfcKey} for the VNFC instance an event names.
 */
export type StateOverlay = Readonly<Record<string, NodeState>>;

/** The overlay key of one VNFC instance of a member. */
export const vnfcKey = (member: string, computeId: string): string => `${member}#${computeId}`;

const memberNode = (member: string): string => `m:${member}`;
const lanNode = (link: string): string => `lan:${link}`;
const popNode = (pop: string): string => `pop:${pop}`;
const vnfcNode = (member: string, computeId: string): string => `c:${member}:${computeId}`;

/** Vertical distance between stacked VNFC instances. */
const VNFC_STEP = 24;

const stepTargets = (target: string, member: string): boolean =>
  target === member || target.startsWith(`${member}/`) || target.startsWith(`${member}:`) || target.startsWith(`${member}.`);

/**
 * A member's state: an event overlay wins; during a running instantiation, its compute and
 * start steps decide (all done: running); otherwise its record (STARTED, FAILED, STOPPED).
 */
export function memberState(member: string, vnf: VnfView | undefined, activeOp: OpView | undefined, overlay: StateOverlay): NodeState {
  const o = overlay[member];
  if (o) return o;
  if (activeOp) {
    const steps = activeOp.steps.filter((s) => (s.kind === 'compute' || s.kind === 'start') && stepTargets(s.target, member));
    if (activeOp.lcmOperationType === 'INSTANTIATE') {
      if (steps.some((s) => s.state === 'FAILED')) return 'failed';
      if (steps.length > 0 && steps.every((s) => s.state === 'DONE')) return 'running';
      if (steps.length > 0 || !vnf) return 'starting';
    } else if (activeOp.lcmOperationType === 'TERMINATE' && steps.some((s) => s.state === 'DONE')) {
      return 'stopped';
    }
  }
  if (!vnf) return activeOp ? 'starting' : 'stopped';
  if (vnf.state === 'STARTED') return 'running';
  if (vnf.state === 'FAILED') return 'failed';
  if (vnf.state === 'STOPPED') return 'stopped';
  return 'starting';
}

/**
 * A VNFC instance's state: an event about it wins; then the member's state, without the
 * member's own overlay when that came from an event about a sibling (one dead container
 * paints its VNF and itself red, not the instances beside it).
 */
export function vnfcState(member: string, computeId: string, vnf: VnfView | undefined, activeOp: OpView | undefined, overlay: StateOverlay): NodeState {
  const own = overlay[vnfcKey(member, computeId)];
  if (own) return own;
  const sibling = Object.keys(overlay).some((k) => k.startsWith(`${member}#`));
  if (!sibling) return memberState(member, vnf, activeOp, overlay);
  const { [member]: _fromSibling, ...rest } = overlay;
  return memberState(member, vnf, activeOp, rest);
}

/**
 * One node per VNFC instance, stacked below the top of its VNF (which Cytoscape then draws
 * around them), numbered per VDU: `fw #1`, `fw #2`; with several VDUs `fw/vdu02 #1`.
 * Positions depend on the index only, so an instance keeps its place when others come.
 */
function vnfcNodes(member: string, vnf: VnfView, at: { x: number; y: number }, activeOp: OpView | undefined, overlay: StateOverlay): TopoNode[] {
  const vdus = new Set(vnf.vnfcs.map((c) => c.vduId));
  const seen = new Map<string, number>();
  return vnf.vnfcs.map((c, k) => {
    const n = (seen.get(c.vduId) ?? 0) + 1;
    seen.set(c.vduId, n);
    return {
      id: vnfcNode(member, c.computeId),
      label: `${vdus.size > 1 ? `${member}/${c.vduId}` : member} #${n}`,
      kind: 'vnfc',
      parent: memberNode(member),
      state: vnfcState(member, c.computeId, vnf, activeOp, overlay),
      addresses: [`VDU ${c.vduId}`, c.name ? `${c.name} (${c.computeId.slice(0, 12)})` : c.computeId.slice(0, 12)],
      position: { x: at.x, y: at.y + k * VNFC_STEP },
    };
  });
}

const sameEnd = (a: MemberCp, b: MemberCp): boolean => a.member === b.member && (a.cp === null || b.cp === null || a.cp === b.cp);

/** Pairs of members a forwarding path crosses over `link` (consecutive hops that are both its ends). */
function pathPairs(link: NsdLink, paths: NsdStructure['paths']): Set<string> {
  const pairs = new Set<string>();
  for (const p of paths) {
    p.hops.forEach((h, i) => {
      const next = p.hops[i + 1];
      if (!next || next.member === h.member) return;
      if (link.ends.some((e) => sameEnd(e, h)) && link.ends.some((e) => sameEnd(e, next))) {
        pairs.add(`${h.member}|${next.member}`);
        pairs.add(`${next.member}|${h.member}`);
      }
    });
  }
  return pairs;
}

/**
 * Edges of a link: a direct edge for an E-Line, a star around a hub node otherwise. A
 * link whose ends sit on several PoPs is inter-PoP: every edge of it says so (and its
 * label names the tunnel).
 */
function linkEdges(link: NsdLink, paths: NsdStructure['paths'], addr: (m: string, cp: string | null) => string, popOf: (m: string) => string): TopoEdge[] {
  const ends = link.ends.filter((e, i, all) => all.findIndex((x) => x.member === e.member) === i);
  const pairs = pathPairs(link, paths);
  const interPop = new Set(ends.map((e) => popOf(e.member)).filter((p) => p !== 'unplaced')).size > 1;
  const tunnel = (label: string): string => (interPop ? `${label}${label ? ' ' : ''}(inter-PoP tunnel)` : label);
  if (link.kind === 'E-Line' && ends.length === 2) {
    const [a, b] = ends as [MemberCp, MemberCp];
    return [{
      id: `e:${link.id}`, source: memberNode(a.member), target: memberNode(b.member), linkId: link.id, linkKind: link.kind,
      onPath: pairs.has(`${a.member}|${b.member}`), interPop,
      label: tunnel([addr(a.member, a.cp), addr(b.member, b.cp)].filter(Boolean).join(' ↔ ')),
    }];
  }
  return ends.map((e) => ({
    id: `e:${link.id}:${e.member}`, source: memberNode(e.member), target: lanNode(link.id), linkId: link.id, linkKind: link.kind,
    onPath: ends.some((o) => o.member !== e.member && pairs.has(`${e.member}|${o.member}`)), interPop,
    label: addr(e.member, e.cp),
  }));
}

/**
 * Builds the topology of an NS from its structure, its instance records, its active
 * operation and the event overlay. Positions: members left to right in forwarding-path
 * order, grouped by PoP; members off the path below; E-LAN hubs between.
 */
export function buildTopology(structure: NsdStructure, ns: NsView, activeOp: OpView | undefined, overlay: StateOverlay): TopologyModel {
  const vnfBy = new Map(ns.vnfs.map((v) => [v.memberId, v]));
  const rank = new Map<string, number>();
  for (const p of structure.paths) for (const h of p.hops) if (!rank.has(h.member)) rank.set(h.member, rank.size);
  const addr = (member: string, cp: string | null): string => {
    const v = vnfBy.get(member);
    const i = v?.interfaces.find((x) => cp === null || x.cp === cp) ?? undefined;
    return i?.address ? `${i.address}${i.prefix !== null ? `/${i.prefix}` : ''}` : '';
  };

  const members = [...structure.members];
  for (const v of ns.vnfs) if (!members.some((m) => m.id === v.memberId)) members.push({ id: v.memberId, kind: v.kind });
  const popOf = (m: string): string => vnfBy.get(m)?.popId || 'unplaced';
  const order = (m: string): number => rank.get(m) ?? 1000 + members.findIndex((x) => x.id === m);
  const pops = [...new Set(members.map((m) => popOf(m.id)))].sort((a, b) =>
    Math.min(...members.filter((m) => popOf(m.id) === a).map((m) => order(m.id))) - Math.min(...members.filter((m) => popOf(m.id) === b).map((m) => order(m.id))));

  const nodes: TopoNode[] = pops.map((p) => ({ id: popNode(p), label: p === 'unplaced' ? 'not placed yet' : p, kind: 'pop', addresses: [] }));
  const pos = new Map<string, { x: number; y: number }>();
  let x = 0;
  for (const p of pops) {
    const inPop = members.filter((m) => popOf(m.id) === p).sort((a, b) => order(a.id) - order(b.id));
    const onChain = inPop.filter((m) => rank.has(m.id));
    const off = inPop.filter((m) => !rank.has(m.id));
    const width = Math.max(onChain.length, off.length, 1);
    onChain.forEach((m, i) => pos.set(m.id, { x: x + i * 150, y: 0 }));
    off.forEach((m, i) => pos.set(m.id, { x: x + i * 150, y: onChain.length > 0 ? 200 : 0 }));
    x += width * 150 + 90;
  }
  const instances: TopoNode[] = [];
  for (const m of members) {
    const v = vnfBy.get(m.id);
    const at = pos.get(m.id) ?? { x: 0, y: 0 };
    const count = m.kind === 'vnf' ? (v?.vnfcs.length ?? 0) : 0;
    nodes.push({
      id: memberNode(m.id),
      label: count > 1 ? `${m.id} ×${count}` : m.id,
      kind: m.kind,
      parent: popNode(popOf(m.id)),
      state: memberState(m.id, v, activeOp, overlay),
      addresses: (v?.interfaces ?? []).map((i) => `${i.cp || i.linkId}: ${i.address}${i.prefix !== null ? `/${i.prefix}` : ''}`),
      position: at,
    });
    if (v && count > 0) instances.push(...vnfcNodes(m.id, v, at, activeOp, overlay));
  }
  // After every member: a compound parent must exist before its children are added.
  nodes.push(...instances);

  const edges: TopoEdge[] = [];
  for (const link of structure.links) {
    const ends = link.ends.filter((e) => members.some((m) => m.id === e.member));
    const useHub = !(link.kind === 'E-Line' && new Set(ends.map((e) => e.member)).size === 2);
    if (useHub) {
      const xs = ends.map((e) => pos.get(e.member)?.x ?? 0);
      const y = link.kind === 'management' ? 110 : -100;
      nodes.push({
        id: lanNode(link.id), label: link.id, kind: 'lan', addresses: [],
        position: { x: xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : 0, y },
      });
    }
    edges.push(...linkEdges({ ...link, ends }, structure.paths, addr, popOf));
  }
  return { nodes, edges };
}
