import type { IpamPool } from './ipam-pools.js';

/** One subnet held by one virtual link of one NS instance. */
export interface SubnetAllocation {
  readonly nsInstanceId: string;
  readonly linkId: string;
  readonly pool: IpamPool;
  readonly subnet: string;
  /** Position of the subnet in its pool. */
  readonly index: number;
}

/** A link asking for a subnet from a pool. */
export interface SubnetRequest {
  readonly linkId: string;
  readonly pool: IpamPool;
}

/** Options of {@link SubnetAllocator.allocate} and {@link SubnetAllocator.preview}. */
export interface AllocateOptions {
  /**
   * Subnets (CIDR text) the VIMs of the NS already use, whoever made them: a new subnet
   * overlapping one is never handed out. Subnets the NS already holds are kept.
   */
  readonly avoid?: readonly string[];
}

/**
 * The IPAM port. The store implements it with a UNIQUE (pool, subnet) constraint, so
 * concurrent allocators can never hand out one subnet twice.
 */
export interface SubnetAllocator {
  /**
   * Allocates one subnet per request for the NS; idempotent per (NS, link): a link that
   * already holds a subnet keeps it. Throws ConflictError `IPAM_POOL_EXHAUSTED` when a
   * pool has no free subnet left (what was allocated in this call is released again).
   */
  allocate(nsInstanceId: string, requests: readonly SubnetRequest[], opts?: AllocateOptions): Promise<SubnetAllocation[]>;
  /** What {@link allocate} would most likely return now, without allocating (dry runs). */
  preview(nsInstanceId: string, requests: readonly SubnetRequest[], opts?: AllocateOptions): Promise<SubnetAllocation[]>;
  /** Releases every subnet of the NS; idempotent. */
  release(nsInstanceId: string): Promise<number>;
  listByNs(nsInstanceId: string): Promise<SubnetAllocation[]>;
}

/**
 * The first `count` indexes in [0, total) missing from `usedSorted` (ascending, unique),
 * skipping the first `skip` free ones. O(used + count): one merge-walk, no rescans.
 */
export function pickFreeIndexes(usedSorted: readonly number[], count: number, total: number, skip = 0): number[] {
  const out: number[] = [];
  let u = 0;
  let skipped = 0;
  for (let i = 0; i < total && out.length < count; i++) {
    while (u < usedSorted.length && (usedSorted[u] as number) < i) u++;
    if (u < usedSorted.length && usedSorted[u] === i) continue;
    if (skipped < skip) skipped++;
    else out.push(i);
  }
  return out;
}

/** Two ascending lists of indexes as one (ascending, unique). */
export function mergeIndexes(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return [...a];
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
