import type { VesEvent, VesSeverity, VesVfStatus } from './ves-event.js';
import { buildHeader } from './ves-header.js';
import type { VesBuildContext, VesSource } from './ves-header.js';

/** Faults Rondo reports about a VNF. */
export const VNF_FAULT_KINDS = ['down', 'oom', 'unhealthy'] as const;
export type VnfFaultKind = (typeof VNF_FAULT_KINDS)[number];

interface FaultProfile {
  readonly eventName: string;
  readonly alarmCondition: string;
  readonly severity: VesSeverity;
  readonly vfStatus: VesVfStatus;
  readonly problem: (exitCode: number | undefined) => string;
}

const PROFILES: Record<VnfFaultKind, FaultProfile> = {
  down: {
    eventName: 'Fault_Rondo_VnfDown',
    alarmCondition: 'vnfDown',
    severity: 'CRITICAL',
    vfStatus: 'Idle',
    problem: (code) => (code === undefined ? 'VNF compute stopped' : `VNF compute stopped with exit code ${code}`),
  },
  oom: {
    eventName: 'Fault_Rondo_VnfOutOfMemory',
    alarmCondition: 'vnfOutOfMemory',
    severity: 'MAJOR',
    vfStatus: 'Idle',
    problem: () => 'VNF compute killed: out of memory',
  },
  unhealthy: {
    eventName: 'Fault_Rondo_VnfUnhealthy',
    alarmCondition: 'vnfUnhealthy',
    severity: 'MAJOR',
    vfStatus: 'Active',
    problem: () => 'VNF health check failing',
  },
};

/** The fault to report, or to clear. */
export interface VnfFault {
  readonly kind: VnfFaultKind;
  readonly source: VesSource;
  readonly nsId: string;
  /** The NSD member id (`rondo.vnf` label) of the VNF. */
  readonly vnfId: string;
  readonly computeId: string;
  readonly popId: string;
  /** When the fault started. */
  readonly raisedAt: Date;
  /** When this event happened (= raisedAt for a raise, the recovery for a clear). */
  readonly at: Date;
  readonly exitCode?: number;
}

/** The VES alarm condition of a fault kind (stable: collectors correlate on it). */
export const alarmConditionOf = (kind: VnfFaultKind): string => PROFILES[kind].alarmCondition;

/**
 * A fault event raising `f` (priority High, eventSeverity CRITICAL for down, MAJOR for
 * OOM and unhealthy) with `eventSourceType` virtualNetworkFunction.
 */
export function buildFaultEvent(ctx: VesBuildContext, f: VnfFault): VesEvent {
  const p = PROFILES[f.kind];
  return {
    commonEventHeader: buildHeader(ctx, { domain: 'fault', eventName: p.eventName, priority: 'High', source: f.source, start: f.raisedAt, last: f.at }),
    faultFields: {
      alarmAdditionalInformation: details(f),
      alarmCondition: p.alarmCondition,
      eventCategory: 'vnf',
      eventSeverity: p.severity,
      eventSourceType: 'virtualNetworkFunction',
      faultFieldsVersion: '4.0',
      specificProblem: p.problem(f.exitCode),
      vfStatus: p.vfStatus,
    },
  };
}

/**
 * The clear of a fault raised earlier: same eventName, alarmCondition and
 * specificProblem, eventSeverity NORMAL, vfStatus Active. `raiseEventId` reuses the
 * raise's eventId so a collector can pair them.
 */
export function buildFaultClearEvent(ctx: VesBuildContext, f: VnfFault, raiseEventId?: string): VesEvent {
  const p = PROFILES[f.kind];
  return {
    commonEventHeader: buildHeader(ctx, {
      domain: 'fault',
      eventName: p.eventName,
      priority: 'Normal',
      source: f.source,
      start: f.raisedAt,
      last: f.at,
      ...(raiseEventId ? { eventId: raiseEventId } : {}),
    }),
    faultFields: {
      alarmAdditionalInformation: details(f),
      alarmCondition: p.alarmCondition,
      eventCategory: 'vnf',
      eventSeverity: 'NORMAL',
      eventSourceType: 'virtualNetworkFunction',
      faultFieldsVersion: '4.0',
      specificProblem: p.problem(f.exitCode),
      vfStatus: 'Active',
    },
  };
}

function details(f: VnfFault): Record<string, string> {
  return {
    nsInstanceId: f.nsId,
    vnfId: f.vnfId,
    computeId: f.computeId,
    popId: f.popId,
    ...(f.exitCode === undefined ? {} : { exitCode: String(f.exitCode) }),
  };
}
