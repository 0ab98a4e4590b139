import type { Capacity, Nsd, PlacementSkippedPop, VimAccount, Vnfd } from '../model/index.js';
import { BadRequestError, ConflictError } from '../model/index.js';
import { placeMembers, PLACEMENT_STRATEGIES } from '../placement/index.js';
import type { Placement, PlacementStrategy } from '../placement/index.js';
import { poolForLink } from '../ipam/index.js';
import type { SubnetRequest } from '../ipam/index.js';
import { engineKey } from './resource-names.js';

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

/** What a bounded probe of a PoP's engine found (see `probePops`). */
export type PopProbeResult = { readonly up: true; readonly capacity: Capacity | null } | { readonly up: false; readonly reason: string };
/** Probe results by PoP id; a PoP absent from it was not probed (taken as up, capacity unknown). */
export type PopProbe = Readonly<Record<string, PopProbeResult>>;

/** A PoP placement left out because it did not answer. */
export type PopSkipped = PlacementSkippedPop;

/** Options of {@link placeNs}. */
export interface PlaceNsOptions {
  /** What the bounded probe found: down PoPs are skipped, engine capacities weighed. */
  readonly probe?: PopProbe;
  /** Every PoP (not only the usable ones): what Rondo placed on an engine counts over all its PoPs. Default `accounts`. */
  readonly allAccounts?: readonly VimAccount[];
}

const ZERO: Capacity = { cpu: 0, memoryMiB: 0 };

/**
 * The PoPs among `accounts` the probe found down, with why: placement skips them. When
 * every PoP is down there is nothing to fall back on, so none is skipped and no pin is
 * refused (empty answer): the operation's first step then says why its engine cannot be
 * used, and it can be retried once the engine is back. Otherwise throws ConflictError
 * `PLACEMENT_POP_DOWN` when a member is pinned to a PoP that is down: the request asked for
 * that PoP and it cannot be used now.
 */
export function downPops(accounts: readonly VimAccount[], probe: PopProbe, pins: Readonly<Record<string, string>> = {}): PopSkipped[] {
  const down: PopSkipped[] = [];
  for (const a of accounts) {
    const r = probe[a.id];
    if (r && !r.up) down.push({ popId: a.id, reason: r.reason });
  }
  if (down.length === accounts.length) return [];
  for (const [member, pop] of Object.entries(pins)) {
    const d = down.find((x) => x.popId === pop);
    if (d) {
      throw new ConflictError(`${member} is pinned to PoP ${pop}, which does not answer (${d.reason}); bring it back, or pin ${member} elsewhere`, {
        code: 'PLACEMENT_POP_DOWN', details: { member, popId: pop, reason: d.reason },
      });
    }
  }
  return down;
}

/**
 * Places the members of an NS over the PoPs with the given strategy, pins and current
 * usage per PoP. With a `probe`, PoPs that are down are left out (a pin to one is
 * ConflictError `PLACEMENT_POP_DOWN`, see {@link downPops}) and each engine's reported
 * capacity, minus what Rondo placed on all its PoPs, bounds the PoPs on it (PoPs on one
 * engine share it). Throws what {@link placeMembers} throws, and ConflictError
 * `PLAN_MISSING_VNFD` when a member has no VNFD.
 */
export function placeNs(
  nsd: Nsd,
  vnfds: Readonly<Record<string, Vnfd>>,
  accounts: readonly VimAccount[],
  usage: Readonly<Record<string, Capacity>>,
  strategy: PlacementStrategy,
  pins: Readonly<Record<string, string>> = {},
  opts: PlaceNsOptions = {},
): Placement {
  const vnfs = nsd.vnfs.map((m) => {
    const vnfd = vnfds[m.vnfId];
    if (!vnfd) throw new ConflictError(`no VNFD for member ${m.vnfId}; on-board its package first`, { code: 'PLAN_MISSING_VNFD', details: { vnfId: m.vnfId } });
    return { id: m.vnfId, demand: vnfDemand(vnfd) };
  });
  const probe = opts.probe ?? {};
  const down = new Set(downPops(accounts, probe, pins).map((d) => d.popId));
  const pops = accounts.filter((a) => !down.has(a.id));
  const engines = new Map<string, { capacity: Capacity; used: Capacity }>();
  for (const a of pops) {
    const r = probe[a.id];
    if (r?.up && r.capacity) engines.set(engineKey(a), { capacity: r.capacity, used: ZERO });
  }
  for (const a of opts.allAccounts ?? accounts) {
    const e = engines.get(engineKey(a));
    const u = usage[a.id];
    if (e && u) engines.set(engineKey(a), { capacity: e.capacity, used: { cpu: e.used.cpu + u.cpu, memoryMiB: e.used.memoryMiB + u.memoryMiB } });
  }
  return placeMembers(strategy, {
    vnfs,
    saps: nsd.saps.map((s) => s.id),
    links: nsd.virtualLinks,
    pops: pops.map((a) => ({ id: a.id, capacity: a.capacity, used: usage[a.id] ?? ZERO, ...(engines.has(engineKey(a)) ? { engine: engineKey(a) } : {}) })),
    engines: [...engines].map(([id, e]) => ({ id, ...e })),
    pins,
  });
}

/** One subnet request per virtual link, from the link's pool. */
export const subnetRequests = (nsd: Nsd): SubnetRequest[] => nsd.virtualLinks.map((l) => ({ linkId: l.id, pool: poolForLink(l) }));
