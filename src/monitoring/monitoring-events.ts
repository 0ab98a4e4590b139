import type { AlarmRecord } from '../store/index.js';
import type { ComputeStats } from './watch/stats-source.js';

/** Internal VNF events the watchers publish (from VIM events). */
export const VNF_EVENT_TYPES = ['vnf.down', 'vnf.up', 'vnf.oom', 'vnf.unhealthy'] as const;
export type VnfEventType = (typeof VNF_EVENT_TYPES)[number];

/** A VNF state change seen on a VIM: one compute of VNF `vnfId` of NS `nsId` on `popId`. */
export interface VnfEvent {
  readonly type: VnfEventType;
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
  readonly computeId: string;
  /** The VM/container name when the VIM's event says it. */
  readonly computeName?: string;
  readonly at: Date;
  readonly exitCode?: number;
  /** Set when a health probe of the descriptor (not the VIM) found the VNF unhealthy or healthy again. */
  readonly probe?: 'ping' | 'http';
}

/** One stats sample of a VNF compute (see `StatsSource`). */
export interface VnfStatsEvent {
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
  readonly computeId: string;
  readonly stats: ComputeStats;
}

/** What an auto-heal policy did about a VNF failure (see `src/monitoring/policies/`). */
export const POLICY_EVENT_TYPES = ['policy.fired', 'policy.waiting', 'policy.skipped', 'policy.exhausted'] as const;
export type PolicyEventType = (typeof POLICY_EVENT_TYPES)[number];

/**
 * `policy.fired`: a HEAL operation `opId` started (heal number `attempt`);
 * `policy.waiting`: it waits (`reason` OPERATION_IN_PROGRESS or BACKOFF, until `until`);
 * `policy.skipped`: it does nothing (`reason` DISABLED, EXHAUSTED, HEALTHY, VNF_STOPPED,
 * NS_NOT_INSTANTIATED, CLAIMED_ELSEWHERE, HEAL_REFUSED); `policy.exhausted`: the cap is reached.
 */
export interface PolicyEvent {
  readonly type: PolicyEventType;
  readonly nsInstanceId: string;
  readonly policyId: string;
  readonly vnfId: string;
  readonly at: string;
  readonly reason?: string;
  readonly opId?: string;
  readonly attempt?: number;
  readonly until?: string;
  /** The failure that triggered it (`vnf.down`, `vnf.unhealthy`). */
  readonly trigger?: string;
}

/** Every topic of the monitoring bus and its payload. */
export interface MonitoringTopics {
  'vnf.down': VnfEvent;
  'vnf.up': VnfEvent;
  'vnf.oom': VnfEvent;
  'vnf.unhealthy': VnfEvent;
  'vnf.stats': VnfStatsEvent;
  'alarm.raised': AlarmRecord;
  'alarm.cleared': AlarmRecord;
  'policy.fired': PolicyEvent;
  'policy.waiting': PolicyEvent;
  'policy.skipped': PolicyEvent;
  'policy.exhausted': PolicyEvent;
}
