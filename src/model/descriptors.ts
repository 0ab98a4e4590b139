/**
 * The one descriptor model that every format reader (5GTANGO/SONATA, ETSI SOL001,
 * later OSM SOL006) maps onto. Field names are Rondo's own; each reader keeps the
 * original document in `source` so APIs can return it unchanged.
 */
import type { ValidationIssue } from './result.js';

export const DESCRIPTOR_FORMATS = ['tango', 'sonata', 'etsi'] as const;
export type DescriptorFormat = (typeof DESCRIPTOR_FORMATS)[number];

export const LINK_TYPES = ['E-Line', 'E-LAN', 'E-Tree'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export const SAP_TYPES = ['external', 'internal', 'management'] as const;
export type SapType = (typeof SAP_TYPES)[number];

export const CP_TYPES = ['internal', 'external', 'management'] as const;
export type CpType = (typeof CP_TYPES)[number];

/** Identity of a descriptor the way 5GTANGO names it: vendor + name + version. */
export interface DescriptorRef {
  readonly vendor: string;
  readonly name: string;
  readonly version: string;
}

/** A connection-point reference inside an NSD: a VNF's external CP, or a SAP. */
export type CpRef =
  | { readonly kind: 'vnf'; readonly vnfId: string; readonly cp: string }
  | { readonly kind: 'sap'; readonly sap: string };

/** One compute unit of a VNF (a container on Docker, a server on OpenStack). */
export interface Vdu {
  readonly id: string;
  readonly image: string;
  /** `docker`, `qcow2`, `raw`, ... */
  readonly imageFormat: string;
  /** Number of virtual CPUs (cpuset size on Docker, flavor vcpus on OpenStack). */
  readonly vcpus: number;
  /** Share of one CPU's time, 0 < cpuBw ≤ vcpus (5GTANGO `cpu_bw`); undefined = no quota. */
  readonly cpuBw?: number;
  readonly memoryMiB: number;
  readonly storageGiB?: number;
  readonly connectionPoints: readonly VduCp[];
  /** Extra environment variables for the compute (not secrets). */
  readonly env?: Readonly<Record<string, string>>;
  /** Number of instances at instantiation (scaling); default 1. */
  readonly initialInstances?: number;
}

export interface VduCp {
  readonly id: string;
  readonly type: CpType;
  /** Fixed address requested by the descriptor, if any. */
  readonly address?: string;
}

/** A VNF's external connection point, realised by one VDU CP. */
export interface VnfCp {
  readonly id: string;
  readonly type: CpType;
  /** The VDU and its CP that realise this external CP. */
  readonly vdu: string;
  readonly vduCp: string;
}

export interface VnfMonitoringParameter {
  readonly name: string;
  readonly unit?: string;
  readonly description?: string;
}

/** Scaling aspect (SOL001 `ScalingAspects` + deltas). */
export interface ScalingAspect {
  readonly id: string;
  readonly name?: string;
  readonly maxScaleLevel: number;
  /** Per VDU: instances added per scale step. */
  readonly deltas: Readonly<Record<string, number>>;
}

export interface Vnfd {
  /** Descriptor id as written in the descriptor (ETSI `descriptor_id`, or vendor.name.version). */
  readonly descriptorId: string;
  readonly ref: DescriptorRef;
  readonly format: DescriptorFormat;
  readonly description?: string;
  readonly provider?: string;
  readonly vdus: readonly Vdu[];
  readonly connectionPoints: readonly VnfCp[];
  readonly monitoringParameters: readonly VnfMonitoringParameter[];
  readonly scalingAspects: readonly ScalingAspect[];
  /** Shell commands run inside the VNF after wiring (5GTANGO start, SON_EMU_CMD). */
  readonly startCommands: readonly string[];
  /** Shell commands run inside the VNF before removal (SON_EMU_CMD_STOP). */
  readonly stopCommands: readonly string[];
  /** The original document, unchanged. */
  readonly source: unknown;
}

/** A VNF member of an NSD. `vnfId` is the member id used in CP references. */
export interface NsdVnf {
  readonly vnfId: string;
  /** Either a 5GTANGO vendor/name/version or an ETSI descriptor id. */
  readonly vnfd: DescriptorRef | { readonly descriptorId: string };
}

export interface Sap {
  readonly id: string;
  readonly type: SapType;
}

export interface VirtualLink {
  readonly id: string;
  readonly type: LinkType;
  readonly cpRefs: readonly CpRef[];
  /** True for the management network (carried by a management SAP or CP type). */
  readonly management: boolean;
}

/** One ordered forwarding path: traffic enters at hops[0] and leaves at the last hop. */
export interface ForwardingPath {
  readonly id: string;
  readonly hops: readonly CpRef[];
}

export interface ForwardingGraph {
  readonly id: string;
  readonly paths: readonly ForwardingPath[];
}

export interface Nsd {
  readonly descriptorId: string;
  readonly ref: DescriptorRef;
  readonly format: DescriptorFormat;
  readonly description?: string;
  readonly vnfs: readonly NsdVnf[];
  readonly saps: readonly Sap[];
  readonly virtualLinks: readonly VirtualLink[];
  readonly forwardingGraphs: readonly ForwardingGraph[];
  readonly source: unknown;
}

/** One file of a package, as read from its archive. */
export interface PackageFile {
  readonly path: string;
  readonly size: number;
  readonly contentType?: string;
  readonly sha256: string;
}

export const PACKAGE_FORMATS = ['tango', 'sonata', 'etsi-csar'] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];

/**
 * A package after it was read and validated: its metadata, descriptors and the list of
 * files (artifacts stay in the archive, read again when needed).
 */
export interface ParsedPackage {
  readonly format: PackageFormat;
  readonly ref: DescriptorRef;
  readonly description?: string;
  readonly nsds: readonly (Nsd & { readonly file: string })[];
  readonly vnfds: readonly (Vnfd & { readonly file: string })[];
  readonly files: readonly PackageFile[];
  /** The package's own metadata document (NAPD, TOSCA.meta fields), unchanged. */
  readonly metadata: unknown;
  /** What the reference tools accept with a warning (a stale SONATA MD5, an ignored reference); absent when none. */
  readonly warnings?: readonly ValidationIssue[];
}

/** Renders a CpRef the way 5GTANGO writes it: `vnf_id:cp` or the SAP name. */
export const formatCpRef = (r: CpRef): string => (r.kind === 'vnf' ? `${r.vnfId}:${r.cp}` : r.sap);
