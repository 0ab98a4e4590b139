import type { ForwardingGraph } from '../model/index.js';
import { ConflictError, formatCpRef } from '../model/index.js';
import { splitSubnet } from '../ipam/index.js';
import type { PlannedRoute } from './ns-plan-types.js';

/** Where a CP reference ended up: its link, subnet, address and compute. */
export interface CpEndpoint {
  readonly linkId: string;
  readonly subnet: string;
  readonly address: string;
  readonly compute: string;
}

/** Routes per compute name, in first-seen order. */
export type ChainRoutes = ReadonlyMap<string, readonly PlannedRoute[]>;

/**
 * Service chaining as routes. A forwarding path's hops are pairs of CPs on one link —
 * `ingress SAP, A:in` | `A:out, B:in` | ... | `X:out, egress SAP` — so each pair is a
 * segment and consecutive segments meet inside one VNF. Every node before the egress gets
 * `egress-subnet via <next node's address on the segment>`, every node after the ingress
 * gets `ingress-subnet via <previous node's address>`; a node directly on the destination
 * subnet needs no route. Traceroute from the ingress SAP to the egress SAP then lists
 * the path's VNFs in order, and replies take the same VNFs back. E-LAN segments work
 * alike (the next hop is the next node's address on the LAN).
 *
 * Routes are `via` only: Linux picks the device, since the next hop is always on a
 * directly connected subnet. Throws ConflictError `PLAN_BAD_FORWARDING_PATH` when a
 * hop is not on any link, a pair is not on one link, or the hop count is odd; and
 * `PLAN_CHAIN_CONFLICT` when two paths need different next hops for one destination in
 * one compute.
 */
export function chainRoutes(graphs: readonly ForwardingGraph[], endpoints: ReadonlyMap<string, CpEndpoint>): ChainRoutes {
  const routes = new Map<string, PlannedRoute[]>();
  const add = (compute: string, route: PlannedRoute, pathId: string): void => {
    const list = routes.get(compute) ?? [];
    const same = list.find((r) => r.dest === route.dest);
    if (same && same.via !== route.via) {
      throw new ConflictError(`forwarding path ${pathId} needs ${route.dest} via ${route.via} in ${compute}, another path via ${same.via}`, {
        code: 'PLAN_CHAIN_CONFLICT',
        details: { pathId, compute, dest: route.dest },
      });
    }
    if (!same) list.push(route);
    routes.set(compute, list);
  };
  for (const fg of graphs) {
    for (const path of fg.paths) {
      const bad = (why: string): ConflictError =>
        new ConflictError(`forwarding path ${fg.id}/${path.id}: ${why}`, { code: 'PLAN_BAD_FORWARDING_PATH', details: { graph: fg.id, path: path.id } });
      if (path.hops.length === 0) continue;
      if (path.hops.length % 2 !== 0) throw bad(`it has ${path.hops.length} hops; hops come in pairs on one link (in, out)`);
      const hops = path.hops.map((h) => {
        const ep = endpoints.get(formatCpRef(h));
        if (!ep) throw bad(`hop ${formatCpRef(h)} is not on any virtual link`);
        return ep;
      });
      const segments: { from: CpEndpoint; to: CpEndpoint }[] = [];
      for (let i = 0; i < hops.length; i += 2) {
        const from = hops[i] as CpEndpoint;
        const to = hops[i + 1] as CpEndpoint;
        if (from.linkId !== to.linkId) throw bad(`hops ${i} and ${i + 1} are on different links (${from.linkId}, ${to.linkId})`);
        segments.push({ from, to });
      }
      const ingress = segments[0] as { from: CpEndpoint; to: CpEndpoint };
      const egress = segments[segments.length - 1] as { from: CpEndpoint; to: CpEndpoint };
      const pathId = `${fg.id}/${path.id}`;
      for (const seg of segments) {
        if (seg.from.linkId !== egress.from.linkId) add(seg.from.compute, { dest: egress.to.subnet, via: seg.to.address, viaLinkId: seg.from.linkId }, pathId);
      }
      for (const seg of [...segments].reverse()) {
        if (seg.to.linkId !== ingress.to.linkId) add(seg.to.compute, { dest: ingress.from.subnet, via: seg.from.address, viaLinkId: seg.to.linkId }, pathId);
      }
    }
  }
  return routes;
}

/** The `ip route` command for a route; `dev` only when the VIM reported the device name. */
export function routeCommand(route: PlannedRoute, ifName?: string): string[] {
  return ['ip', 'route', 'replace', route.dest, 'via', route.via, ...(ifName ? ['dev', ifName] : [])];
}

/** How many blocks a destination is cut into when it is spread over several next hops. */
export const SPREAD_PARTS = 16;

/**
 * The commands that install a route. One next hop: `ip route replace`. Several (the next
 * node is a scaled VNF): the covering route via the first, plus the destination cut into
 * {@link SPREAD_PARTS} blocks (fewer for a small subnet), block `j` via next hop `j mod n`.
 * Not ECMP on purpose: busybox `ip` (the VNF images Rondo ships) has no `nexthop`, and a
 * split by destination needs only `ip route replace`, is deterministic (a test can say
 * which instance a flow crosses), and keeps each flow on one instance. A route planned by
 * a SCALE with one next hop left also deletes the blocks (a missing one is no error), so
 * nothing still points at a removed instance.
 */
export function routeCommands(route: PlannedRoute, ifName?: string): string[][] {
  const dev = ifName ? ['dev', ifName] : [];
  const hops = route.nexthops ?? [];
  const first = ['ip', 'route', 'replace', route.dest, 'via', hops[0] ?? route.via, ...dev];
  if (route.nexthops === undefined) return [first];
  const blocks = splitSubnet(route.dest, SPREAD_PARTS).filter((b) => b !== route.dest);
  if (hops.length <= 1 || blocks.length === 0) {
    if (blocks.length === 0) return [first];
    return [first, ['sh', '-c', `${blocks.map((b) => `ip route del ${b} 2>/dev/null`).join('; ')}; true`]];
  }
  // One exec for all blocks: an exec costs a round trip to the engine.
  return [first, ['sh', '-c', blocks.map((b, j) => ['ip', 'route', 'replace', b, 'via', hops[j % hops.length] as string, ...dev].join(' ')).join(' && ')]];
}
