/**
 * The API shapes the dashboard reads. Where an answer is used as the server sends it, its
 * type comes from `api-schema.d.ts`, generated from the OpenAPI document
 * (scripts/gen-api-types.ts), so a changed route schema breaks the build here, not in a
 * browser. The view types below it are the client's normalised shapes (api-normalize.ts).
 */
import type { paths } from './api-schema.js';

/** Methods of the OpenAPI document that answer with JSON. */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body of the 200 (or else 201) answer of `method path`. */
export type ApiJson<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends { readonly responses: infer R }
  ? R extends { readonly 200: { content: { readonly 'application/json': infer T } } }
    ? T
    : R extends { readonly 201: { content: { readonly 'application/json': infer T } } }
      ? T
      : never
  : never;

/** The JSON request body of `method path`. */
export type ApiBody<P extends keyof paths, M extends Method = 'post'> = paths[P][M] extends { readonly requestBody: { readonly content: { readonly 'application/json': infer T } } }
  ? T
  : never;

/** SOL005 `ScaleNsRequest` as `POST /nslcm/v1/ns_instances/{id}/scale` takes it. */
export type ScaleNsRequest = ApiBody<'/nslcm/v1/ns_instances/{id}/scale'>;

/** One VNF of a {@link ScaleNsRequest}; `scaleVnfType` says which way. */
export type ScaleVnfData = NonNullable<ScaleNsRequest['scaleVnfData']>[number];

/** SOL005 `HealNsRequest` as `POST /nslcm/v1/ns_instances/{id}/heal` takes it. */
export type HealNsRequest = ApiBody<'/nslcm/v1/ns_instances/{id}/heal'>;

/** An on-boarded package with its NSDs and VNFDs (`GET /admin/v1/packages/{id}`). */
export type PackageSummary = ApiJson<'/admin/v1/packages/{id}'>;

/** A descriptor an on-boarded package brought. */
export type DescriptorSummary = PackageSummary['nsds'][number];

/** An NSD and its VNFDs as the server's descriptor model (`GET /admin/v1/ns_descriptors/{nsdInfoId}/model`). */
export type NsdModelAnswer = ApiJson<'/admin/v1/ns_descriptors/{nsdInfoId}/model'>;

/** The NSD part of {@link NsdModelAnswer}: members, SAPs, virtual links, forwarding graphs. */
export type NsdModel = NsdModelAnswer['nsd'];

/** A VNFD of {@link NsdModelAnswer}: VDUs (with `maxInstances`) and scaling aspects. */
export type VnfdModel = NsdModelAnswer['vnfds'][number]['vnfd'];

/** What `POST /packages` (5GTANGO gatekeeper) answers on success. */
export type GatekeeperUpload = ApiJson<'/packages', 'post'>;

/** What `POST /admin/v1/tokens` answers. */
export type TokenAnswer = ApiJson<'/admin/v1/tokens', 'post'>;

/** What `GET /readyz` answers when the server is ready: where its store lives and its event bus. */
export type ReadyAnswer = ApiJson<'/readyz'>;

/** A plugin registered over the event bus (`GET /admin/v1/plugins`). */
export type PluginAnswer = ApiJson<'/admin/v1/plugins'>[number];

/** One validation issue of a rejected upload. */
export interface UploadIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** What `POST /packages` answered. */
export type UploadResult =
  | { readonly ok: true; readonly nsdInfoId: GatekeeperUpload['service_uuid']; readonly size: GatekeeperUpload['size']; readonly sha1: GatekeeperUpload['sha1'] }
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

/** One VNFC instance (a container or server) of a VNF: SOL005 `VnfcResourceInfo`. */
export interface VnfcView {
  readonly id: string;
  readonly vduId: string;
  /** The VIM's id of the compute (`computeResource.resourceId`). */
  readonly computeId: string;
  /** The compute's name on the VIM ('' when the record does not say). */
  readonly name: string;
}

/** A scaling aspect's level (SOL005 `VnfScaleInfo`; 0 is the instantiation). */
export interface ScaleLevelView {
  readonly aspectId: string;
  readonly scaleLevel: number;
}

/** A VNF (or SAP) instance of an NS. */
export interface VnfView {
  readonly id: string;
  readonly memberId: string;
  readonly kind: 'vnf' | 'sap';
  /** The VNFD's `descriptorId` ('' for SAPs). */
  readonly vnfdId: string;
  readonly popId: string;
  readonly state: VnfState | string;
  readonly interfaces: readonly InterfaceView[];
  /** Its VNFC instances, in the order the VIM made them; empty when the record has none (SAPs, not instantiated). */
  readonly vnfcs: readonly VnfcView[];
  readonly scaleStatus: readonly ScaleLevelView[];
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

/** The event bus as the server reports it (`/readyz`). */
export interface BusView {
  /** `in-process` (one process) or `amqp` (RabbitMQ). */
  readonly kind: string;
  readonly connected: boolean;
  /** RabbitMQ: the broker's URL without its credentials; `in-process` otherwise. */
  readonly target: string;
  /** Why it is not connected (the detail of the 503 `BUS_UNAVAILABLE`); null while connected. */
  readonly problem: string | null;
}

/** The server's store and event bus (`GET /readyz`). */
export interface SystemView {
  /** `postgres` or `pglite`; null when the answer did not say. */
  readonly store: string | null;
  /** null when the server does not report its bus. */
  readonly bus: BusView | null;
}
