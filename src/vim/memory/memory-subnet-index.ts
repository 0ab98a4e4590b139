import type { Ipv4Cidr } from '../ipv4-cidr.js';

/**
 * Disjoint subnets kept sorted by start address, so an overlap check is a binary search
 * (Docker refuses overlapping pools on one engine; the fake does the same, cheaply).
 */
export class MemorySubnetIndex {
  readonly #blocks: Ipv4Cidr[] = [];

  /** Index of the first block starting after `start`. */
  #upper(start: number): number {
    let lo = 0;
    let hi = this.#blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#blocks[mid]?.network ?? 0) <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether `cidr` overlaps any indexed block. */
  overlaps(cidr: Ipv4Cidr): boolean {
    const at = this.#upper(cidr.network);
    const before = this.#blocks[at - 1];
    const after = this.#blocks[at];
    return (before !== undefined && before.broadcast >= cidr.network) || (after !== undefined && after.network <= cidr.broadcast);
  }

  /** Adds a block that does not overlap (check {@link overlaps} first). */
  add(cidr: Ipv4Cidr): void {
    this.#blocks.splice(this.#upper(cidr.network), 0, cidr);
  }

  /** Removes the block starting at `cidr.network`, if present. */
  remove(cidr: Ipv4Cidr): void {
    const at = this.#upper(cidr.network) - 1;
    if (this.#blocks[at]?.network === cidr.network) this.#blocks.splice(at, 1);
  }
}
