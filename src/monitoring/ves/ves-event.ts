/**
 * VES 7.2.1 event shapes (Common Event Format 30.2.1), the subset Rondo emits. Field
 * names are the standard's; see `test/fixtures/ves/CommonEventFormat_30.2.1_ONAP.json`.
 */

/** Header `version` and `vesEventListenerVersion` Rondo writes. */
export const VES_HEADER_VERSION = '4.1';
export const VES_LISTENER_VERSION = '7.2.1';

export const VES_PRIORITIES = ['High', 'Medium', 'Normal', 'Low'] as const;
export type VesPriority = (typeof VES_PRIORITIES)[number];

export const VES_SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'NORMAL'] as const;
export type VesSeverity = (typeof VES_SEVERITIES)[number];

export const VES_VF_STATUSES = ['Active', 'Idle', 'Preparing to terminate', 'Ready to terminate', 'Requesting termination'] as const;
export type VesVfStatus = (typeof VES_VF_STATUSES)[number];

/** The domains Rondo emits. */
export const VES_DOMAINS = ['fault', 'measurement', 'heartbeat'] as const;
export type VesDomain = (typeof VES_DOMAINS)[number];

export interface VesCommonEventHeader {
  domain: VesDomain;
  eventId: string;
  eventName: string;
  eventType?: string;
  lastEpochMicrosec: number;
  priority: VesPriority;
  reportingEntityName: string;
  reportingEntityId?: string;
  sequence: number;
  sourceId?: string;
  sourceName: string;
  startEpochMicrosec: number;
  nfVendorName?: string;
  timeZoneOffset?: string;
  version: typeof VES_HEADER_VERSION;
  vesEventListenerVersion: typeof VES_LISTENER_VERSION;
}

export interface VesFaultFields {
  alarmAdditionalInformation?: Record<string, string>;
  alarmCondition: string;
  alarmInterfaceA?: string;
  eventCategory?: string;
  eventSeverity: VesSeverity;
  eventSourceType: string;
  faultFieldsVersion: '4.0';
  specificProblem: string;
  vfStatus: VesVfStatus;
}

export interface VesCpuUsage {
  cpuIdentifier: string;
  percentUsage: number;
}

export interface VesMemoryUsage {
  vmIdentifier: string;
  memoryUsed: number;
  memoryFree: number;
  memoryConfigured?: number;
  percentMemoryUsage?: number;
}

export interface VesNicPerformance {
  nicIdentifier: string;
  valuesAreSuspect: 'true' | 'false';
  operationalState?: 'inService' | 'outOfService';
  receivedOctetsAccumulated?: number;
  transmittedOctetsAccumulated?: number;
  receivedTotalPacketsAccumulated?: number;
  transmittedTotalPacketsAccumulated?: number;
  receivedErrorPacketsAccumulated?: number;
  transmittedErrorPacketsAccumulated?: number;
  receivedDiscardedPacketsAccumulated?: number;
  transmittedDiscardedPacketsAccumulated?: number;
  receivedOctetsDelta?: number;
  transmittedOctetsDelta?: number;
  receivedTotalPacketsDelta?: number;
  transmittedTotalPacketsDelta?: number;
}

export interface VesMeasurementFields {
  additionalFields?: Record<string, string>;
  cpuUsageArray?: VesCpuUsage[];
  measurementFieldsVersion: '4.0';
  measurementInterval: number;
  memoryUsageArray?: VesMemoryUsage[];
  nicPerformanceArray?: VesNicPerformance[];
}

export interface VesHeartbeatFields {
  additionalFields?: Record<string, string>;
  heartbeatFieldsVersion: '3.0';
  heartbeatInterval: number;
}

/** One VES event (the value of `{"event": …}` or an item of `{"eventList": […]}`). */
export interface VesEvent {
  commonEventHeader: VesCommonEventHeader;
  faultFields?: VesFaultFields;
  measurementFields?: VesMeasurementFields;
  heartbeatFields?: VesHeartbeatFields;
}
