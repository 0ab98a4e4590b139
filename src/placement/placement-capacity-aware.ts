import type { Capacity } from '../model/index.js';
import { ConflictError } from '../model/index.js';
import type { PlacementEngine, PlacementPop, PlacementVnf } from './placement-types.js';

const ZERO: Capacity = { cpu: 0, memoryMiB: 0 };
const UNLIMITED: Capacity = { cpu: Number.POSITIVE_INFINITY, memoryMiB: Number.POSITIVE_INFINITY };
const minus = (a: Capacity, b: Capacity): Capacity => ({ cpu: a.cpu - b.cpu, memoryMiB: a.memoryMiB - b.memoryMiB });
const plus = (a: Capacity, b: Capacity): Capacity => ({ cpu: a.cpu + b.cpu, memoryMiB: a.memoryMiB + b.memoryMiB });
const fits = (demand: Capacity, room: Capacity): boolean => demand.cpu <= room.cpu + 1e-9 && demand.memoryMiB <= room.memoryMiB + 1e-9;

/**
 * Free room of a PoP: the smaller, per resource, of its own limit (capacity minus its
 * use minus `addedPop`) and its engine's (the engine's capacity minus what every PoP on
 * it uses minus `addedEngine`). A PoP with neither limit is unlimited.
 */
export function roomOf(pop: PlacementPop, engine: PlacementEngine | undefined, addedPop: Capacity = ZERO, addedEngine: Capacity = ZERO): Capacity {
  const own = pop.capacity === null ? UNLIMITED : minus(minus(pop.capacity, pop.used), addedPop);
  const shared = engine === undefined ? UNLIMITED : minus(minus(engine.capacity, engine.used), addedEngine);
  return { cpu: Math.min(own.cpu, shared.cpu), memoryMiB: Math.min(own.memoryMiB, shared.memoryMiB) };
}

/**
 * First fit in PoP order: each VNF (NSD order) goes to the first PoP whose room
 * ({@link roomOf}: its own limit and its engine's real capacity, minus what is used and
 * what this NS already put there) holds the VNF's demand. PoPs on one engine share its
 * capacity: what this NS puts on one is gone for the other. First fit rather than
 * spreading keeps a chain on few PoPs (fewer cross-PoP links). A PoP with no limit and no
 * known engine always fits. `pinned` VNFs are charged to their PoP first and must fit
 * too. Throws ConflictError `PLACEMENT_NO_CAPACITY` naming the VNF and the PoP with the
 * most free CPU.
 */
export function placeByCapacity(
  vnfs: readonly PlacementVnf[],
  pops: readonly PlacementPop[],
  pinned: Readonly<Record<string, string>>,
  engines: readonly PlacementEngine[] = [],
): Record<string, string> {
  const engineById = new Map(engines.map((e) => [e.id, e]));
  const addedPop = new Map<string, Capacity>();
  const addedEngine = new Map<string, Capacity>();
  const engineOf = (pop: PlacementPop): PlacementEngine | undefined => (pop.engine === undefined ? undefined : engineById.get(pop.engine));
  const room = (pop: PlacementPop): Capacity => roomOf(pop, engineOf(pop), addedPop.get(pop.id), pop.engine === undefined ? undefined : addedEngine.get(pop.engine));
  const charge = (pop: PlacementPop, d: Capacity): void => {
    addedPop.set(pop.id, plus(addedPop.get(pop.id) ?? ZERO, d));
    if (pop.engine !== undefined) addedEngine.set(pop.engine, plus(addedEngine.get(pop.engine) ?? ZERO, d));
  };
  const out: Record<string, string> = {};
  const ordered = [...vnfs.filter((v) => pinned[v.id] !== undefined), ...vnfs.filter((v) => pinned[v.id] === undefined)];
  for (const vnf of ordered) {
    const pin = pinned[vnf.id];
    const candidates = pin === undefined ? pops : pops.filter((p) => p.id === pin);
    const pop = candidates.find((p) => fits(vnf.demand, room(p)));
    if (!pop) throw noCapacity(vnf, pops, room);
    out[vnf.id] = pop.id;
    charge(pop, vnf.demand);
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
