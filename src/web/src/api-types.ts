/**
 * The API shapes the dashboard reads, written from the browser's point of view (server
 * types pull in Node). Only the fields the dashboard uses; the client normalises what the
 * server sends into these.
 */

/** A descriptor an on-boarded package brought (`/admin/v1/packages`). */
export interface DescriptorSummary {
  readonly id: string;
  readonly descriptorId: string;
  readonly vendor: string;
  readonly name: string;
  readonly version: string;
  readonly file: string;
  readonly onboardingState: string;
  readonly operationalState: string;
  readonly usageState: string;
}

/** An on-boarded package with its NSDs and VNFDs. */
export interface PackageSummary {
  readonly id: string;
  readonly format: string;
  readonly vendor: string;
  readonly name: string;
  readonly version: string;
  readonly description: string | null;
  readonly fileName: string | null;
  readonly size: number;
  readonly createdAt: string;
  readonly nsds: readonly DescriptorSummary[];
  readonly vnfds: readonly DescriptorSummary[];
}

/** One validation issue of a rejected upload. */
export interface UploadIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** What `POST /packages` answered. */
export type UploadResult =
  | { readonly ok: true; readonly nsdInfoId: string; readonly size: number; readonly sha1: string }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly detail: string; readonly issues: readonly UploadIssue[] };

/** One interface of a VNF or SAP. */
export interface InterfaceView {
  readonly cp: string;
  readonly linkId: string;
  readonly address: string;
  readonly prefix: number | null;
}

export const VNF_STATES = ['STARTED', 'STOPPED', 'FAILED'] as const;
export type VnfState = (typeof VNF_STATES)[number];

/** A VNF (or SAP) instance of an NS. */
export interface VnfView {
  readonly id: string;
  readonly memberId: string;
  readonly kind: 'vnf' | 'sap';
  readonly popId: string;
  readonly state: VnfState | string;
  readonly interfaces: readonly InterfaceView[];
}

/** An NS instance. */
export interface NsView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** The catalog's NsdInfo id (for `nsd_content`). */
  readonly nsdInfoId: string;
  readonly nsdId: string;
  readonly state: 'NOT_INSTANTIATED' | 'INSTANTIATED' | string;
  readonly vnfs: readonly VnfView[];
}

export const OP_STATES = ['PROCESSING', 'COMPLETED', 'PARTIALLY_COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLING_BACK', 'ROLLED_BACK'] as const;
export type OpState = (typeof OP_STATES)[number];

/** One step of an operation (Rondo extension of `NsLcmOpOcc`). */
export interface StepView {
  readonly id: string;
  readonly phase: number;
  readonly kind: string;
  readonly target: string;
  readonly popId: string;
  readonly state: string;
  readonly error: ProblemView | null;
}

/** RFC 7807 problem as the API sends it. */
export interface ProblemView {
  readonly status?: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
}

/** An NS LCM operation occurrence. */
export interface OpView {
  readonly id: string;
  readonly nsInstanceId: string;
  readonly lcmOperationType: string;
  readonly operationState: OpState | string;
  readonly startTime: string;
  readonly statusEnteredTime: string;
  readonly error: ProblemView | null;
  readonly isCancelPending: boolean;
  readonly steps: readonly StepView[];
}

/** Actions on a stopped or running operation (SOL005 §6.4.11–6.4.15). */
export const OP_ACTIONS = ['retry', 'rollback', 'fail', 'cancel'] as const;
export type OpAction = (typeof OP_ACTIONS)[number];

/** An alarm (`/nsfm/v1/alarms`). */
export interface AlarmView {
  readonly id: string;
  readonly managedObjectId: string;
  readonly perceivedSeverity: string;
  readonly ackState: string;
  readonly eventType: string;
  readonly probableCause: string;
  readonly alarmRaisedTime: string;
  readonly alarmClearedTime: string | null;
  readonly faultDetails: readonly string[];
}

/** A PoP with its capacity and current use (cpu in vCPUs, memory in MiB). */
export interface PopView {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly endpoint: string;
  readonly capacity: { readonly cpu: number; readonly memoryMiB: number } | null;
  readonly usage: { readonly cpu: number; readonly memoryMiB: number } | null;
}

/** One event of `/api/events` (the `data:` JSON). */
export interface RondoEvent {
  readonly id: number;
  readonly topic: string;
  readonly nsInstanceId: string | null;
  readonly time: string;
  readonly payload: Record<string, unknown>;
}
