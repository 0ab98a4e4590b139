import type { Capacity } from '../model/index.js';
import { ConflictError } from '../model/index.js';
import type { PlacementPop, PlacementVnf } from './placement-types.js';

const free = (pop: PlacementPop, extra: Capacity): Capacity =>
  pop.capacity === null
    ? { cpu: Number.POSITIVE_INFINITY, memoryMiB: Number.POSITIVE_INFINITY }
    : { cpu: pop.capacity.cpu - pop.used.cpu - extra.cpu, memoryMiB: pop.capacity.memoryMiB - pop.used.memoryMiB - extra.memoryMiB };

const fits = (demand: Capacity, room: Capacity): boolean => demand.cpu <= room.cpu + 1e-9 && demand.memoryMiB <= room.memoryMiB + 1e-9;

/**
 * First fit in PoP order: each VNF (NSD order) goes to the first PoP whose capacity minus
 * its current use minus what this NS already put there holds the VNF's demand. First fit
 * rather than spreading keeps a chain on few PoPs (fewer cross-PoP links). PoPs with
 * unknown capacity always fit. `pinned` VNFs are charged to their PoP first and must fit
 * too. Throws ConflictError `PLACEMENT_NO_CAPACITY` naming the VNF and the PoP with the
 * most free CPU.
 */
export function placeByCapacity(
  vnfs: readonly PlacementVnf[],
  pops: readonly PlacementPop[],
  pinned: Readonly<Record<string, string>>,
): Record<string, string> {
  const added = new Map<string, Capacity>(pops.map((p) => [p.id, { cpu: 0, memoryMiB: 0 }]));
  const charge = (popId: string, d: Capacity): void => {
    const a = added.get(popId) ?? { cpu: 0, memoryMiB: 0 };
    added.set(popId, { cpu: a.cpu + d.cpu, memoryMiB: a.memoryMiB + d.memoryMiB });
  };
  const room = (pop: PlacementPop): Capacity => free(pop, added.get(pop.id) ?? { cpu: 0, memoryMiB: 0 });
  const out: Record<string, string> = {};
  const ordered = [...vnfs.filter((v) => pinned[v.id] !== undefined), ...vnfs.filter((v) => pinned[v.id] === undefined)];
  for (const vnf of ordered) {
    const pin = pinned[vnf.id];
    const candidates = pin === undefined ? pops : pops.filter((p) => p.id === pin);
    const pop = candidates.find((p) => fits(vnf.demand, room(p)));
    if (!pop) throw noCapacity(vnf, pops, room);
    out[vnf.id] = pop.id;
    charge(pop.id, vnf.demand);
  }
  return out;
}

function noCapacity(vnf: PlacementVnf, pops: readonly PlacementPop[], room: (p: PlacementPop) => Capacity): ConflictError {
  const best = [...pops].sort((a, b) => room(b).cpu - room(a).cpu || room(b).memoryMiB - room(a).memoryMiB)[0];
  const bestFree = best ? room(best) : { cpu: 0, memoryMiB: 0 };
  return new ConflictError(
    `no PoP has room for VNF ${vnf.id} (needs ${vnf.demand.cpu} CPU, ${vnf.demand.memoryMiB} MiB); ` +
      (best ? `the PoP with the most free capacity is ${best.id} (${bestFree.cpu} CPU, ${bestFree.memoryMiB} MiB free)` : 'there is no PoP') +
      '; add capacity, terminate other services or shrink the VDUs',
    {
      code: 'PLACEMENT_NO_CAPACITY',
      details: { vnfId: vnf.id, demand: vnf.demand, biggestFreePop: best ? { id: best.id, free: bestFree } : null },
    },
  );
}
