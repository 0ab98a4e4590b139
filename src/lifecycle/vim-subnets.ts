import { VimError } from '../model/index.js';
import type { VimAccount } from '../model/index.js';
import type { PopProbe, PopProbeResult } from './ns-placement.js';
import type { DriverRegistry } from './ports.js';
import { engineKey } from './resource-names.js';

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

/** Why a probe error means the PoP is down (its engine does not answer), not just unable to say its capacity. */
const isDown = (e: unknown): boolean => e instanceof VimError && (e.kind === 'CONNECTION' || e.kind === 'TIMEOUT');

/**
 * Asks each engine of `accounts` (once per engine: PoPs on one engine share its answer)
 * for its capacity, bounded by `timeoutMs` like {@link subnetsInUseOn}: an engine that
 * does not answer in time, or whose connection fails, makes its PoPs `up: false` with the
 * reason; any other failure (a VIM that cannot say its capacity) leaves them up with
 * capacity unknown. Never throws.
 */
export async function probePops(drivers: DriverRegistry, accounts: readonly VimAccount[], timeoutMs: number, signal?: AbortSignal): Promise<PopProbe> {
  const bounded = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  const byEngine = new Map<string, VimAccount[]>();
  for (const a of accounts) byEngine.set(engineKey(a), [...(byEngine.get(engineKey(a)) ?? []), a]);
  const out: Record<string, PopProbeResult> = {};
  await Promise.all(
    [...byEngine.values()].map(async (pops) => {
      const first = pops[0] as VimAccount;
      let result: PopProbeResult;
      try {
        const driver = drivers.get(first.id);
        // A driver that ignores the signal still gets no longer than the bound.
        const late = new Promise<never>((_, reject) => {
          const t = setTimeout(() => reject(new VimError('TIMEOUT', first.name, `no answer within ${timeoutMs} ms`)), timeoutMs + 250);
          t.unref?.();
          bounded.addEventListener('abort', () => clearTimeout(t), { once: true });
        });
        result = { up: true, capacity: await Promise.race([driver.capacity(bounded), late]) };
      } catch (e) {
        const reason = bounded.aborted && !signal?.aborted ? `no answer within ${timeoutMs} ms` : e instanceof VimError ? `${e.kind}: ${String(e.details.vimDetail ?? e.message)}` : (e as Error).message;
        result = isDown(e) || bounded.aborted ? { up: false, reason } : { up: true, capacity: null };
      }
      for (const p of pops) out[p.id] = result;
    }),
  );
  return out;
}
