export { PLACEMENT_STRATEGIES } from './placement-types.js';
export type { PlacementStrategy, PlacementPop, PlacementEngine, PlacementVnf, PlacementInput, Placement } from './placement-types.js';
export { placeMembers } from './place-members.js';
export { placeByCapacity, roomOf } from './placement-capacity-aware.js';
export { placeSapsNextToVnfs } from './placement-saps.js';
