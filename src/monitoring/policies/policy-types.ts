/** Where an NS instance's policy comes from. */
export const POLICY_SOURCES = ['DESCRIPTOR', 'DEFAULT', 'OVERRIDE'] as const;
export type PolicySource = (typeof POLICY_SOURCES)[number];

/** The kinds of policy Rondo runs. */
export const POLICY_TYPES = ['AUTO_HEAL', 'AUTO_SCALE'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

/** Health probes a descriptor may declare per VDU (Tacker `monitoring_policy` names `ping` and `http_ping`). */
export const PROBE_KINDS = ['ping', 'http'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** A health probe of a VDU: a failure is `retries` failed tries in a row, each given `timeoutSeconds`. */
export interface HealthProbe {
  readonly kind: ProbeKind;
  /** Seconds between two tries (Tacker `interval`). */
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /** Failed tries in a row that make the VDU unhealthy (Tacker `count` / `retry`). */
  readonly retries: number;
  /** Seconds after the VNF starts before the first try (Tacker `monitoring_delay`). */
  readonly delaySeconds: number;
  /** HTTP: the port and path asked (Tacker `http_ping` asks `/` on `port`, default 80). */
  readonly port?: number;
  readonly path?: string;
}

/** An auto-heal declaration found in a VNFD (see `descriptor-policies.ts`). */
export interface DeclaredHealPolicy {
  /** Whether the descriptor asks for automatic healing (Tacker `failure: respawn`, OSM `recovery-type: automatic`). */
  readonly autoHeal: boolean;
  /** The VDU it was declared on, when the descriptor says. */
  readonly vduId?: string;
  /** Seconds to wait between two heals (OSM `cooldown-time`). */
  readonly backoffSeconds?: number;
  readonly maxAttempts?: number;
  readonly probe?: HealthProbe;
  /** Which descriptor field it came from, for people (`tacker monitoring_policy`, `sol006 healing-policy`). */
  readonly origin: string;
}

/** Values of a policy that an NS instance may override (null: take the descriptor's or the default). */
export interface PolicyOverride {
  readonly enabled?: boolean | null;
  readonly maxAttempts?: number | null;
  readonly backoffSeconds?: number | null;
  /** Auto-scale only: the thresholds, window and cooldown (see {@link AutoScalePolicy}). */
  readonly scaleOutThreshold?: number | null;
  readonly scaleInThreshold?: number | null;
  readonly windowSeconds?: number | null;
  readonly cooldownSeconds?: number | null;
}

/** Overridden auto-scale values kept with a policy's row (absent: the descriptor's). */
export interface ScaleParams {
  readonly scaleOutThreshold?: number;
  readonly scaleInThreshold?: number;
  readonly windowSeconds?: number;
  readonly cooldownSeconds?: number;
}

/** One stored row: an override and the firing state of one policy of one NS instance. */
export interface PolicyRow {
  readonly nsInstanceId: string;
  readonly policyId: string;
  readonly vnfId: string;
  readonly enabled: boolean | null;
  readonly maxAttempts: number | null;
  readonly backoffSeconds: number | null;
  /** Heals started in the current run of failures. */
  readonly attempts: number;
  readonly lastFiredAt: Date | null;
  /** Set when the cap was reached: the policy heals no more until it is set again. */
  readonly exhaustedAt: Date | null;
  /** Auto-scale values overridden for this instance. */
  readonly params: ScaleParams;
}

/** The firing state a claim expects and the one it writes. */
export interface FiringState {
  readonly attempts: number;
  readonly lastFiredAt: Date | null;
}

/**
 * Where policy overrides and firing state are kept (one row per NS instance and policy).
 * Every write is guarded: several processes run policy engines over one store, and only
 * the one whose guarded write succeeds acts.
 */
export interface PolicyStore {
  list(nsInstanceId: string): Promise<PolicyRow[]>;
  /** Sets the override; a row that is set again starts a fresh run (attempts 0, not exhausted). */
  setOverride(nsInstanceId: string, policyId: string, vnfId: string, override: PolicyOverride, now: Date): Promise<PolicyRow>;
  /**
   * Moves the firing state from `expected` to `next` (creating the row if it has none);
   * false when another process moved it first (or the policy is exhausted).
   */
  claim(nsInstanceId: string, policyId: string, vnfId: string, expected: FiringState, next: FiringState, now: Date): Promise<boolean>;
  /** Marks the policy exhausted unless it already is; false when another process did. */
  exhaust(nsInstanceId: string, policyId: string, vnfId: string, now: Date): Promise<boolean>;
}

/** An NS instance's auto-heal policy for one VNF, as it applies now. */
export interface AutoHealPolicy {
  readonly policyId: string;
  readonly type: 'AUTO_HEAL';
  readonly nsInstanceId: string;
  /** The VNF member id (NSD `vnfId`) it heals. */
  readonly vnfId: string;
  readonly enabled: boolean;
  readonly maxAttempts: number;
  /** Seconds before the second heal; each further one waits twice as long as the previous. */
  readonly backoffSeconds: number;
  /** Where `enabled` came from. */
  readonly source: PolicySource;
  readonly origin?: string;
  readonly probe?: HealthProbe;
  readonly attempts: number;
  readonly lastFiredAt: Date | null;
  readonly exhaustedAt: Date | null;
}

/** What an enabled policy does when neither the descriptor nor an override says. */
export interface PolicyDefaults {
  /** Whether VNFs without a declaration are healed automatically (default false: opt in). */
  readonly enabled: boolean;
  readonly maxAttempts: number;
  readonly backoffSeconds: number;
  /** A run of failures ends when the last heal is this old: attempts count from 0 again. */
  readonly resetAfterSeconds: number;
}

/** Rondo's defaults: off unless declared; 3 attempts, 5 s then 10 s apart; a run ends after 10 min. */
export const DEFAULT_POLICY_SETTINGS: PolicyDefaults = { enabled: false, maxAttempts: 3, backoffSeconds: 5, resetAfterSeconds: 600 };

/** The id of the auto-heal policy of VNF member `vnfId`. */
export const autoHealPolicyId = (vnfId: string): string => `auto-heal-${vnfId}`;

/** Metrics an auto-scale policy may watch: the VNF's mean over its VNFC instances of the samples Rondo takes. */
export const SCALE_METRICS = ['cpu_utilization', 'memory_utilization'] as const;
export type ScaleMetric = (typeof SCALE_METRICS)[number];

/** An auto-scale declaration found in a VNFD (see `descriptor-scale-policies.ts`). */
export interface DeclaredScalePolicy {
  /** The policy's name in the descriptor (OSM `scaling-policy.name`). */
  readonly name: string;
  /** The scaling aspect it moves. */
  readonly aspectId: string;
  readonly metric: ScaleMetric;
  /** Scale out when the metric stays above this for `windowSeconds` (undefined: never out). */
  readonly scaleOutThreshold?: number;
  /** Scale in when the metric stays below this for `windowSeconds` (undefined: never in). */
  readonly scaleInThreshold?: number;
  readonly windowSeconds: number;
  /** Seconds after a scale before the next one (OSM `cooldown-time`). */
  readonly cooldownSeconds: number;
  /** Whether the descriptor asks for automatic scaling (OSM `scaling-type: automatic`). */
  readonly automatic: boolean;
  readonly origin: string;
}

/** An NS instance's auto-scale policy for one aspect of one VNF, as it applies now. */
export interface AutoScalePolicy {
  readonly policyId: string;
  readonly type: 'AUTO_SCALE';
  readonly nsInstanceId: string;
  readonly vnfId: string;
  readonly aspectId: string;
  readonly metric: ScaleMetric;
  readonly enabled: boolean;
  /** Percent (of one CPU, or of the memory limit); the mean over the VNF's instances is compared. */
  readonly scaleOutThreshold: number | null;
  readonly scaleInThreshold: number | null;
  readonly windowSeconds: number;
  readonly cooldownSeconds: number;
  readonly source: PolicySource;
  readonly origin: string;
  /** Scale operations this policy started since it was last set. */
  readonly firings: number;
  readonly lastFiredAt: Date | null;
}

/** Any policy of an NS instance. */
export type NsPolicy = AutoHealPolicy | AutoScalePolicy;

/** The id of the auto-scale policy `name` of VNF member `vnfId`. */
export const autoScalePolicyId = (vnfId: string, name: string): string => `auto-scale-${vnfId}-${name}`;
