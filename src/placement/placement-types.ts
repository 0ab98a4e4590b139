import type { Capacity, VirtualLink } from '../model/index.js';

/** The built-in placement strategies (5GTANGO FirstDc, RoundRobin, RoundRobinWithSAPs, plus capacity). */
export const PLACEMENT_STRATEGIES = ['first-pop', 'round-robin', 'round-robin-with-saps', 'capacity-aware'] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];

/** A PoP as placement sees it: total capacity (null = unknown, unlimited) and what is used. */
export interface PlacementPop {
  readonly id: string;
  readonly capacity: Capacity | null;
  readonly used: Capacity;
}

/** A VNF member to place, with the sum of its VDUs' demand. */
export interface PlacementVnf {
  readonly id: string;
  readonly demand: Capacity;
}

/** Everything a strategy needs; lists are in NSD order, PoPs in preference order. */
export interface PlacementInput {
  readonly vnfs: readonly PlacementVnf[];
  readonly saps: readonly string[];
  readonly links: readonly VirtualLink[];
  readonly pops: readonly PlacementPop[];
  /** Explicit member → PoP choices from the request; they win over the strategy. */
  readonly pins?: Readonly<Record<string, string>>;
}

/** Member id (VNF `vnfId` or SAP id) → PoP id. */
export type Placement = Readonly<Record<string, string>>;
