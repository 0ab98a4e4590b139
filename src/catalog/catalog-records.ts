import type { DescriptorFormat, Nsd, PackageFile, PackageFormat, ProblemDetails, Vnfd } from '../model/index.js';
import type { OnboardingState, OperationalState, UsageState } from './catalog-states.js';

/** An on-boarded package file, as the catalog keeps it. */
export interface PackageRecord {
  readonly id: string;
  readonly tenant: string;
  readonly format: PackageFormat;
  readonly vendor: string;
  readonly name: string;
  readonly version: string;
  readonly description: string | null;
  readonly fileName: string | null;
  readonly contentType: string | null;
  readonly size: number;
  readonly sha1: string;
  readonly sha256: string;
  readonly files: readonly PackageFile[];
  readonly metadata: unknown;
  readonly createdAt: Date;
}

/** What NSD and VNFD records share: the SOL005 resource states and identity. */
export interface DescriptorRecordBase {
  readonly id: string;
  readonly tenant: string;
  readonly packageId: string | null;
  readonly onboardingState: OnboardingState;
  readonly operationalState: OperationalState;
  readonly usageState: UsageState;
  readonly usageCount: number;
  readonly userDefinedData: Record<string, unknown>;
  readonly failureDetails: ProblemDetails | null;
  readonly vendor: string | null;
  readonly name: string | null;
  readonly version: string | null;
  readonly format: DescriptorFormat | null;
  readonly file: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A VNFD (and SOL005 VnfPkgInfo). `descriptor` is null until on-boarded. */
export interface VnfdRecord extends DescriptorRecordBase {
  readonly vnfdId: string | null;
  readonly provider: string | null;
  readonly descriptor: Vnfd | null;
}

/** An NSD (and SOL005 NsdInfo). `descriptor` is null until on-boarded. */
export interface NsdRecord extends DescriptorRecordBase {
  readonly nsdId: string | null;
  readonly designer: string | null;
  readonly invariantId: string | null;
  readonly vnfdIds: readonly string[];
  readonly descriptor: Nsd | null;
}

/** The descriptor fields written when content is on-boarded. */
export interface DescriptorContent {
  readonly packageId: string;
  readonly vendor: string;
  readonly name: string;
  readonly version: string;
  readonly format: DescriptorFormat;
  readonly file: string;
  /** Owner of a descriptor inserted on-boarded (its package's tenant); default `default`. */
  readonly tenant?: string;
}

/** The NSD fields written with content, beyond {@link DescriptorContent}. */
export interface NsdContent extends DescriptorContent {
  readonly vnfdIds: readonly string[];
}
