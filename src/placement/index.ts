export { PLACEMENT_STRATEGIES } from './placement-types.js';
export type { PlacementStrategy, PlacementPop, PlacementVnf, PlacementInput, Placement } from './placement-types.js';
export { placeMembers } from './place-members.js';
export { placeByCapacity } from './placement-capacity-aware.js';
export { placeSapsNextToVnfs } from './placement-saps.js';
