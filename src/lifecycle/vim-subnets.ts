import { VimError } from '../model/index.js';
import type { DriverRegistry } from './ports.js';

/**
 * The subnets that the PoPs already use, whoever made them (another Rondo on the same
 * engine, a user's own networks), for IPAM to skip. A PoP that cannot answer within
 * `timeoutMs` (down, or hung) adds nothing and never holds planning up: its first step
 * will say why it cannot be used, and an overlap met at network creation is planned
 * around then ({@link isSubnetInUse}).
 */
export async function subnetsInUseOn(drivers: DriverRegistry, popIds: Iterable<string>, timeoutMs: number, signal?: AbortSignal): Promise<string[]> {
  const bounded = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  const lists = await Promise.all(
    [...new Set(popIds)].map(async (popId) => {
      try {
        return await drivers.get(popId).subnetsInUse(bounded);
      } catch {
        return [];
      }
    }),
  );
  return lists.flat();
}

/** Whether a step failed because its network's subnet overlaps one the VIM already has. */
export const isSubnetInUse = (error: unknown): boolean => error instanceof VimError && error.kind === 'SUBNET_IN_USE';
