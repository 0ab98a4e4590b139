/**
 * The one descriptor model that every format reader (5GTANGO/SONATA, ETSI SOL001,
 * ETSI SOL006) maps onto. Field names are Rondo's own; each reader keeps the
 * original document in `source` so APIs can return it unchanged.
 */
import type { ValidationIssue } from './result.js';

/** `etsi` = SOL001 (TOSCA), `sol006` = SOL006 (YANG-based YAML/JSON). */
export const DESCRIPTOR_FORMATS = ['tango', 'sonata', 'etsi', 'sol006'] as const;
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
  /** Most instances the VDU may scale to, when the descriptor bounds it. */
  readonly maxInstances?: number;
  /** Images to use instead of `image` on PoPs of one VIM type (`openstack`, `aws`, ...). */
  readonly alternativeImages?: readonly AlternativeImage[];
  /** The image's checksum, to find it in a VIM's image store by content. */
  readonly imageChecksum?: { readonly algorithm: string; readonly hash: string };
  /** First-boot configuration (cloud-init user data) and the package file it came from. */
  readonly userData?: { readonly content: string; readonly file?: string };
}

export interface AlternativeImage {
  readonly vimType: string;
  readonly image: string;
}

export interface VduCp {
  readonly id: string;
  readonly type: CpType;
  /** Fixed address requested by the descriptor, if any. */
  readonly address?: string;
  /** The VNF-internal virtual link the CP attaches to, if any (see {@link Vnfd.internalLinks}). */
  readonly internalLink?: string;
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
  /** The parameter's id when the descriptor gives one (scaling triggers name it). */
  readonly id?: string;
  /** The measured metric (`cpu_utilization`, `packets_sent`, ...). */
  readonly metric?: string;
  /** The VDU it is measured on. */
  readonly vdu?: string;
}

/** Scaling aspect (SOL001 `ScalingAspects` + deltas, SOL006 `scaling-aspect`). */
export interface ScalingAspect {
  readonly id: string;
  readonly name?: string;
  readonly maxScaleLevel: number;
  /** Per VDU: instances added per scale step. */
  readonly deltas: Readonly<Record<string, number>>;
  /** When to scale automatically (stored for day-2 policies; not acted on yet). */
  readonly triggers?: readonly ScalingTrigger[];
}

/** A threshold rule on a monitoring parameter that scales an aspect out or in. */
export interface ScalingTrigger {
  readonly name: string;
  /** Id (or name) of the VNF monitoring parameter it watches. */
  readonly parameter: string;
  /** False when the rule is only advice and an operator scales by hand. */
  readonly automatic: boolean;
  readonly scaleOut?: ThresholdRule;
  readonly scaleIn?: ThresholdRule;
  readonly cooldownSeconds?: number;
  /** How long the threshold must hold before acting. */
  readonly thresholdSeconds?: number;
}

export interface ThresholdRule {
  /** `GT`, `GE`, `LT`, `LE`, `EQ`, `NE`. */
  readonly operator: string;
  readonly threshold: number;
}

/** A VNF-internal virtual link; the VDU CPs on it name it in {@link VduCp.internalLink}. */
export interface VnfInternalLink {
  readonly id: string;
  readonly description?: string;
}

/** A deployment flavour of a VNF: instance bounds per VDU and its instantiation levels. */
export interface DeploymentFlavour {
  readonly id: string;
  readonly description?: string;
  /** Per VDU: the fewest and most instances. */
  readonly vduProfiles: readonly { readonly vdu: string; readonly minInstances: number; readonly maxInstances?: number }[];
  readonly instantiationLevels: readonly InstantiationLevel[];
  readonly defaultInstantiationLevel?: string;
  /** Ids of the scaling aspects of this flavour. */
  readonly scalingAspects: readonly string[];
}

export interface InstantiationLevel {
  readonly id: string;
  readonly description?: string;
  /** Per VDU: instances at this level. */
  readonly vduInstances: Readonly<Record<string, number>>;
}

/**
 * A configuration action the descriptor declares (SOL006 `config-primitive` and
 * `initial-config-primitive`): stored and listed; Rondo does not run the execution
 * environment that implements it (a Juju charm, a Helm chart).
 */
export interface ConfigPrimitive {
  readonly name: string;
  /** `initial`: day-1, once after instantiation, by `order`; `on-demand`: day-2; `terminate`: before termination. */
  readonly stage: 'initial' | 'on-demand' | 'terminate';
  /** The VDU it targets; absent for the VNF as a whole. */
  readonly vdu?: string;
  readonly order?: number;
  readonly parameters: readonly ConfigParameter[];
  /** What implements it, as the descriptor names it (`juju charm x`, `helm chart y`). */
  readonly executionEnvironment?: string;
}

export interface ConfigParameter {
  readonly name: string;
  readonly dataType?: string;
  /** The value of a day-1 parameter, or the default of a day-2 one. */
  readonly value?: string;
}

/**
 * A specific manager a descriptor ships (SONATA/5GTANGO `service_specific_managers` of an
 * NSD, `function_specific_managers` of a VNFD): a plugin Rondo runs as a container for
 * each NS instance while it lives (docs/plugins.md).
 */
export interface SpecificManager {
  /**
   * The manager's id as Rondo uses it in bus topics, broker users and container names:
   * 1-27 letters, digits, `_` or `-`. The descriptor's own id when it is one, else derived
   * from it (see `descriptorId`).
   */
  readonly id: string;
  /** The id as the descriptor writes it, when it differs from `id` (SONATA ids may be longer or hold dots). */
  readonly descriptorId?: string;
  /** The container image (a local image: Rondo never pulls it). */
  readonly image: string;
  readonly description?: string;
  /** The descriptor's options (SONATA `options: [{ key, value }]`), as text. */
  readonly options: Readonly<Record<string, string>>;
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
  /** VNF-internal virtual links (links between the VNF's own VDUs). */
  readonly internalLinks?: readonly VnfInternalLink[];
  /** Deployment flavours; the VDUs' `initialInstances` follow the first one's default level. */
  readonly deploymentFlavours?: readonly DeploymentFlavour[];
  readonly configPrimitives?: readonly ConfigPrimitive[];
  /** Function-specific managers (FSMs) the VNFD names; absent when none. */
  readonly managers?: readonly SpecificManager[];
  /** The original document, unchanged. */
  readonly source: unknown;
}

/** A VNF member of an NSD. `vnfId` is the member id used in CP references. */
export interface NsdVnf {
  readonly vnfId: string;
  /** Either a 5GTANGO vendor/name/version or an ETSI descriptor id. */
  readonly vnfd: DescriptorRef | { readonly descriptorId: string };
  /**
   * The fewest instances of the member the NS may run (SOL001 `VnfProfile.min_number_of_instances`,
   * SOL006 `vnf-profile/min-number-of-instances`): 0 lets an UPDATE remove it (REMOVE_VNF) and
   * add it back. Absent reads as 1, a member the NS always runs: 5GTANGO has no such field,
   * so its members are never removable, and neither is a SOL001/SOL006 member without a profile.
   */
  readonly minInstances?: number;
  /** The most instances of the member (SOL001 `max_number_of_instances`, SOL006 `max-number-of-instances`); absent when not given. */
  readonly maxInstances?: number;
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
  /** An existing network of the PoP to attach to instead of creating one (by its name in the VIM). */
  readonly externalNetwork?: string;
  /** Bandwidth of the link, Mbit/s (5GTANGO `qos.bandwidth`): applied where the link crosses PoPs (tbf on its tunnel). */
  readonly bandwidthMbps?: number;
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
  /** The NS deployment flavours by id, with their members; `vnfs` and `virtualLinks` are the first one's. */
  readonly deploymentFlavours?: readonly { readonly id: string; readonly vnfIds: readonly string[] }[];
  /** NS scaling aspects of the first flavour (SOL001 `NsScalingAspects`, SOL006 df `scaling-aspect`); absent when none. */
  readonly scalingAspects?: readonly NsScalingAspect[];
  /** NS instantiation levels of the first flavour (SOL001 `NsInstantiationLevels`, SOL006 `ns-instantiation-level`). */
  readonly instantiationLevels?: readonly NsLevel[];
  readonly defaultInstantiationLevel?: string;
  /** Service-specific managers (SSMs) the NSD names; absent when none. */
  readonly managers?: readonly SpecificManager[];
  readonly source: unknown;
}

/**
 * One NS level (a scale level of an NS scaling aspect, or an NS instantiation level): how
 * many instances of each VNF member it asks for (SOL001 `VnfToLevelMapping` /
 * `VnfToInstantiationLevelMapping`, SOL006 `vnf-to-level-mapping`). Members it does not
 * name are not part of the level.
 */
export interface NsLevel {
  readonly id: string;
  readonly description?: string;
  /** Member id (VNF node name, SOL006 vnf-profile id) → number of VNF instances. */
  readonly vnfInstances: Readonly<Record<string, number>>;
}

/** An NS scaling aspect: its levels, lowest first (a step moves to the next one). */
export interface NsScalingAspect {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly levels: readonly NsLevel[];
}

/** One file of a package, as read from its archive. */
export interface PackageFile {
  readonly path: string;
  readonly size: number;
  readonly contentType?: string;
  readonly sha256: string;
}

/** `sol006`: a folder or .tar.gz of one SOL006 descriptor with checksums.txt, cloud_init/, ... (OSM's layout). */
export const PACKAGE_FORMATS = ['tango', 'sonata', 'etsi-csar', 'sol006'] as const;
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
