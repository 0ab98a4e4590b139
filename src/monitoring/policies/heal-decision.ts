import type { AutoHealPolicy, DeclaredHealPolicy, FiringState, PolicyDefaults, PolicyRow } from './policy-types.js';
import { autoHealPolicyId } from './policy-types.js';

/** Longest wait between two heals, however many came before. */
const MAX_BACKOFF_SECONDS = 3600;

/**
 * The policy that applies to VNF `vnfId` of an NS instance: the override's values where it
 * sets them, else the descriptor's, else the defaults. Pure.
 */
export function effectivePolicy(nsInstanceId: string, vnfId: string, declared: DeclaredHealPolicy | undefined, row: PolicyRow | undefined, defaults: PolicyDefaults): AutoHealPolicy {
  const overridden = row?.enabled !== null && row?.enabled !== undefined;
  return {
    policyId: autoHealPolicyId(vnfId),
    type: 'AUTO_HEAL',
    nsInstanceId,
    vnfId,
    enabled: overridden ? row.enabled === true : (declared?.autoHeal ?? defaults.enabled),
    maxAttempts: row?.maxAttempts ?? declared?.maxAttempts ?? defaults.maxAttempts,
    backoffSeconds: row?.backoffSeconds ?? declared?.backoffSeconds ?? defaults.backoffSeconds,
    source: overridden || row?.maxAttempts != null || row?.backoffSeconds != null ? 'OVERRIDE' : declared ? 'DESCRIPTOR' : 'DEFAULT',
    ...(declared ? { origin: declared.origin } : {}),
    ...(declared?.probe ? { probe: declared.probe } : {}),
    attempts: row?.attempts ?? 0,
    lastFiredAt: row?.lastFiredAt ?? null,
    exhaustedAt: row?.exhaustedAt ?? null,
  };
}

/** What a policy does with a failure of its VNF now. */
export type HealDecision =
  /** Start heal number `next.attempts`; `expected` is the state to claim it from. */
  | { readonly kind: 'fire'; readonly expected: FiringState; readonly next: FiringState }
  /** Too soon after the previous heal: try again at `until`. */
  | { readonly kind: 'wait'; readonly reason: 'BACKOFF'; readonly until: Date }
  /** The cap is reached by this failure: raise the alarm, heal no more. */
  | { readonly kind: 'exhaust' }
  | { readonly kind: 'skip'; readonly reason: 'DISABLED' | 'EXHAUSTED' };

/** Seconds to wait after heal number `attempts` before the next: `backoff`, doubled after each further heal. */
export const backoffAfter = (backoffSeconds: number, attempts: number): number => Math.min(MAX_BACKOFF_SECONDS, backoffSeconds * 2 ** Math.max(0, attempts - 1));

/**
 * Decides what an auto-heal policy does about a failure at `now`: skip when disabled or
 * exhausted; a run of failures whose last heal is older than `resetAfterSeconds` starts
 * again from attempt 1; the first heal fires at once, each later one after
 * {@link backoffAfter}; a failure once `maxAttempts` heals were made exhausts the policy.
 * Pure: no clock but `now`.
 */
export function decideHeal(policy: AutoHealPolicy, now: Date, resetAfterSeconds: number): HealDecision {
  if (!policy.enabled) return { kind: 'skip', reason: 'DISABLED' };
  if (policy.exhaustedAt) return { kind: 'skip', reason: 'EXHAUSTED' };
  const expected: FiringState = { attempts: policy.attempts, lastFiredAt: policy.lastFiredAt };
  const last = policy.lastFiredAt?.getTime();
  const fresh = last === undefined || now.getTime() - last >= resetAfterSeconds * 1000;
  const done = fresh ? 0 : policy.attempts;
  if (done >= policy.maxAttempts) return { kind: 'exhaust' };
  if (done > 0 && last !== undefined) {
    const until = new Date(last + backoffAfter(policy.backoffSeconds, done) * 1000);
    if (until.getTime() > now.getTime()) return { kind: 'wait', reason: 'BACKOFF', until };
  }
  return { kind: 'fire', expected, next: { attempts: done + 1, lastFiredAt: now } };
}
