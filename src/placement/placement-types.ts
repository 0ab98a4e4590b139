import type { Capacity, VirtualLink } from '../model/index.js';

/** The built-in placement strategies (5GTANGO FirstDc, RoundRobin, RoundRobinWithSAPs, plus capacity). */
export const PLACEMENT_STRATEGIES = ['first-pop', 'round-robin', 'round-robin-with-saps', 'capacity-aware'] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];

/**
 * A PoP as placement sees it: its own capacity limit (null = none: the engine's, or
 * unlimited), what is used on it, and the engine it runs on.
 */
export interface PlacementPop {
  readonly id: string;
  readonly capacity: Capacity | null;
  readonly used: Capacity;
  /** Id of the {@link PlacementEngine} it shares with other PoPs (label mode); absent: none known. */
  readonly engine?: string;
}

/**
 * An engine (a Docker daemon, an OpenStack project, a memory engine) as placement sees
 * it: the capacity it reports and what Rondo placed on it, over every PoP on it. PoPs
 * on one engine share its capacity.
 */
export interface PlacementEngine {
  readonly id: string;
  readonly capacity: Capacity;
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
  /** The engines the PoPs run on, with their real capacity (capacity-aware placement). */
  readonly engines?: readonly PlacementEngine[];
  /** Explicit member → PoP choices from the request; they win over the strategy. */
  readonly pins?: Readonly<Record<string, string>>;
}

/** Member id (VNF `vnfId` or SAP id) → PoP id. */
export type Placement = Readonly<Record<string, string>>;
