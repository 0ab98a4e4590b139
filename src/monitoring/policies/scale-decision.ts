import type { AutoScalePolicy, DeclaredScalePolicy, FiringState, PolicyRow } from './policy-types.js';
import { autoScalePolicyId } from './policy-types.js';

/**
 * The auto-scale policy that applies to one declaration of VNF `vnfId`: the instance's
 * overridden values where set, else the descriptor's. Pure.
 */
export function effectiveScalePolicy(nsInstanceId: string, vnfId: string, declared: DeclaredScalePolicy, row: PolicyRow | undefined): AutoScalePolicy {
  const p = row?.params ?? {};
  const overridden = row?.enabled !== null && row?.enabled !== undefined;
  return {
    policyId: autoScalePolicyId(vnfId, declared.name),
    type: 'AUTO_SCALE',
    nsInstanceId,
    vnfId,
    aspectId: declared.aspectId,
    metric: declared.metric,
    enabled: overridden ? row.enabled === true : declared.automatic,
    scaleOutThreshold: p.scaleOutThreshold ?? declared.scaleOutThreshold ?? null,
    scaleInThreshold: p.scaleInThreshold ?? declared.scaleInThreshold ?? null,
    windowSeconds: p.windowSeconds ?? declared.windowSeconds,
    cooldownSeconds: p.cooldownSeconds ?? declared.cooldownSeconds,
    source: overridden || Object.keys(p).length > 0 ? 'OVERRIDE' : 'DESCRIPTOR',
    origin: declared.origin,
    firings: row?.attempts ?? 0,
    lastFiredAt: row?.lastFiredAt ?? null,
  };
}

/** Since when the watched metric has been above the scale-out and below the scale-in threshold (absent: it is not). */
export interface ScaleWindow {
  readonly above?: Date;
  readonly below?: Date;
}

/** The window after a sample of the metric at `at`: a condition that breaks starts over. Pure. */
export function observeMetric(policy: Pick<AutoScalePolicy, 'scaleOutThreshold' | 'scaleInThreshold'>, window: ScaleWindow, value: number, at: Date): ScaleWindow {
  const above = policy.scaleOutThreshold !== null && value > policy.scaleOutThreshold;
  const below = policy.scaleInThreshold !== null && value < policy.scaleInThreshold;
  return { ...(above ? { above: window.above ?? at } : {}), ...(below ? { below: window.below ?? at } : {}) };
}

export type ScaleDirection = 'out' | 'in';

/** What an auto-scale policy does now. */
export type ScaleDecision =
  /** No condition has held for the whole window. */
  | { readonly kind: 'none' }
  /** Start a scale by one step; `expected` is the firing state to claim it from. */
  | { readonly kind: 'fire'; readonly direction: ScaleDirection; readonly expected: FiringState; readonly next: FiringState }
  /** Too soon after the last scale. */
  | { readonly kind: 'wait'; readonly direction: ScaleDirection; readonly reason: 'COOLDOWN'; readonly until: Date }
  | { readonly kind: 'skip'; readonly direction: ScaleDirection; readonly reason: 'DISABLED' | 'AT_MAX_LEVEL' | 'AT_MIN_LEVEL' };

/**
 * Decides what an auto-scale policy does at `now`: a condition (above the scale-out
 * threshold, or below the scale-in one) that has held for `windowSeconds` asks for one
 * step out or in; it is skipped when the policy is off or the aspect is at its limit
 * (level 0 or `maxLevel`: never past the aspect's limits) and waits out the cooldown after
 * the last scale. Pure: no clock but `now`.
 */
export function decideScale(policy: AutoScalePolicy, window: ScaleWindow, level: { readonly current: number; readonly max: number }, now: Date): ScaleDecision {
  const held = (since: Date | undefined): boolean => since !== undefined && now.getTime() - since.getTime() >= policy.windowSeconds * 1000;
  const direction: ScaleDirection | undefined = held(window.above) ? 'out' : held(window.below) ? 'in' : undefined;
  if (!direction) return { kind: 'none' };
  if (!policy.enabled) return { kind: 'skip', direction, reason: 'DISABLED' };
  if (direction === 'out' && level.current >= level.max) return { kind: 'skip', direction, reason: 'AT_MAX_LEVEL' };
  if (direction === 'in' && level.current <= 0) return { kind: 'skip', direction, reason: 'AT_MIN_LEVEL' };
  if (policy.lastFiredAt) {
    const until = new Date(policy.lastFiredAt.getTime() + policy.cooldownSeconds * 1000);
    if (until.getTime() > now.getTime()) return { kind: 'wait', direction, reason: 'COOLDOWN', until };
  }
  return { kind: 'fire', direction, expected: { attempts: policy.firings, lastFiredAt: policy.lastFiredAt }, next: { attempts: policy.firings + 1, lastFiredAt: now } };
}
