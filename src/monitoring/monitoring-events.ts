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
}

/** One stats sample of a VNF compute (see `StatsSource`). */
export interface VnfStatsEvent {
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
  readonly computeId: string;
  readonly stats: ComputeStats;
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
}
