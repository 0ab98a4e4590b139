import type { Capacity, Nsd, VimAccount, Vnfd } from '../model/index.js';
import { BadRequestError, ConflictError } from '../model/index.js';
import { placeMembers, PLACEMENT_STRATEGIES } from '../placement/index.js';
import type { Placement, PlacementStrategy } from '../placement/index.js';
import { poolForLink } from '../ipam/index.js';
import type { SubnetRequest } from '../ipam/index.js';

/**
 * CPU a VDU takes from a PoP: its `cpuBw` share when it has a quota (the model keeps
 * cpuBw as CPUs' worth of time in (0, vcpus]), else all its vCPUs.
 */
export const vduCpu = (vdu: { readonly vcpus: number; readonly cpuBw?: number }): number => vdu.cpuBw ?? vdu.vcpus;

/** Sum of a VNFD's VDU demand. */
export function vnfDemand(vnfd: Vnfd): Capacity {
  return vnfd.vdus.reduce((acc, v) => ({ cpu: acc.cpu + vduCpu(v), memoryMiB: acc.memoryMiB + v.memoryMiB }), { cpu: 0, memoryMiB: 0 });
}

/** Validates a strategy name from a request; BadRequestError `PLACEMENT_UNKNOWN_STRATEGY`. */
export function parseStrategy(name: string | undefined, fallback: PlacementStrategy): PlacementStrategy {
  if (name === undefined) return fallback;
  if (!(PLACEMENT_STRATEGIES as readonly string[]).includes(name)) {
    throw new BadRequestError(`placement ${name} is unknown; use one of ${PLACEMENT_STRATEGIES.join(', ')}`, { code: 'PLACEMENT_UNKNOWN_STRATEGY' });
  }
  return name as PlacementStrategy;
}

/**
 * Places the members of an NS over the PoPs with the given strategy, pins and current
 * usage per PoP. Throws what {@link placeMembers} throws, and ConflictError
 * `PLAN_MISSING_VNFD` when a member has no VNFD.
 */
export function placeNs(
  nsd: Nsd,
  vnfds: Readonly<Record<string, Vnfd>>,
  accounts: readonly VimAccount[],
  usage: Readonly<Record<string, Capacity>>,
  strategy: PlacementStrategy,
  pins: Readonly<Record<string, string>> = {},
): Placement {
  const vnfs = nsd.vnfs.map((m) => {
    const vnfd = vnfds[m.vnfId];
    if (!vnfd) throw new ConflictError(`no VNFD for member ${m.vnfId}; on-board its package first`, { code: 'PLAN_MISSING_VNFD', details: { vnfId: m.vnfId } });
    return { id: m.vnfId, demand: vnfDemand(vnfd) };
  });
  return placeMembers(strategy, {
    vnfs,
    saps: nsd.saps.map((s) => s.id),
    links: nsd.virtualLinks,
    pops: accounts.map((a) => ({ id: a.id, capacity: a.capacity, used: usage[a.id] ?? { cpu: 0, memoryMiB: 0 } })),
    pins,
  });
}

/** One subnet request per virtual link, from the link's pool. */
export const subnetRequests = (nsd: Nsd): SubnetRequest[] => nsd.virtualLinks.map((l) => ({ linkId: l.id, pool: poolForLink(l) }));
