import { BadRequestError, ConflictError } from '../model/index.js';
import { placeByCapacity } from './placement-capacity-aware.js';
import { placeSapsNextToVnfs } from './placement-saps.js';
import type { Placement, PlacementInput, PlacementStrategy } from './placement-types.js';

/**
 * Places every VNF and SAP of an NS on a PoP. Pins from the request win; the strategy
 * places the rest:
 * - `first-pop`: everything on the first PoP;
 * - `round-robin`: VNFs then SAPs over the PoPs in turn (5GTANGO RoundRobin treats SAP
 *   containers as VNFs);
 * - `round-robin-with-saps`: VNFs in turn, each SAP next to the VNF it is wired to;
 * - `capacity-aware`: first fit by CPU and memory (see {@link placeByCapacity}), SAPs
 *   next to their VNF.
 * Throws BadRequestError `PLACEMENT_UNKNOWN_POP` / `PLACEMENT_UNKNOWN_MEMBER` for a bad
 * pin, ConflictError `PLACEMENT_NO_POPS` without PoPs and `PLACEMENT_NO_CAPACITY` when
 * capacity-aware placement finds no room.
 */
export function placeMembers(strategy: PlacementStrategy, input: PlacementInput): Placement {
  const { vnfs, saps, links, pops } = input;
  const pins = input.pins ?? {};
  const first = pops[0];
  if (!first) throw new ConflictError('no PoP (VIM account) is registered; add one with `rondo vim add`', { code: 'PLACEMENT_NO_POPS' });
  const popIds = new Set(pops.map((p) => p.id));
  const members = new Set([...vnfs.map((v) => v.id), ...saps]);
  for (const [member, pop] of Object.entries(pins)) {
    if (!members.has(member)) throw new BadRequestError(`pin names ${member}, which is neither a VNF nor a SAP of the NSD`, { code: 'PLACEMENT_UNKNOWN_MEMBER', details: { member } });
    if (!popIds.has(pop)) throw new BadRequestError(`pin ${member} → ${pop}: no such PoP; list PoPs with \`rondo vim list\``, { code: 'PLACEMENT_UNKNOWN_POP', details: { member, pop } });
  }
  const free = (ids: readonly string[]): string[] => ids.filter((id) => pins[id] === undefined);
  const roundRobin = (ids: readonly string[], start = 0): Record<string, string> =>
    Object.fromEntries(ids.map((id, i) => [id, pops[(start + i) % pops.length]?.id ?? first.id]));

  let vnfPops: Record<string, string>;
  if (strategy === 'capacity-aware') {
    vnfPops = placeByCapacity(vnfs, pops, pins, input.engines);
  } else if (strategy === 'first-pop') {
    vnfPops = Object.fromEntries(free(vnfs.map((v) => v.id)).map((id) => [id, first.id]));
  } else {
    vnfPops = roundRobin(free(vnfs.map((v) => v.id)));
  }
  for (const v of vnfs) if (pins[v.id] !== undefined) vnfPops[v.id] = pins[v.id] as string;

  const unpinnedSaps = free(saps);
  const sapPops =
    strategy === 'round-robin'
      ? roundRobin(unpinnedSaps, free(vnfs.map((v) => v.id)).length)
      : strategy === 'first-pop'
        ? Object.fromEntries(unpinnedSaps.map((id) => [id, first.id]))
        : placeSapsNextToVnfs(unpinnedSaps, links, vnfPops, first.id);
  for (const s of saps) if (pins[s] !== undefined) sapPops[s] = pins[s] as string;
  return { ...vnfPops, ...sapPops };
}
