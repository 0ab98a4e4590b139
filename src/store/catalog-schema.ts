import type { ColumnType, Generated } from 'kysely';
import type { PackageFormat, DescriptorFormat } from '../model/index.js';
import type { OnboardingState, OperationalState, UsageState } from './catalog-states.js';

/** jsonb: written as a JSON string (so arrays are not taken for SQL arrays), read parsed. */
export type Jsonb<T> = ColumnType<T, string, string>;
/** timestamptz: read as Date, written as Date. */
export type Timestamp = ColumnType<Date, Date, Date>;
/** bigint: pg returns a string, PGlite a number; repositories convert. */
export type BigIntColumn = ColumnType<string | number, number, number>;

/** One on-boarded package file (`dataDir/packages/<id>.pkg`). Exists only when on-boarded. */
export interface PackagesTable {
  id: string;
  tenant: Generated<string>;
  format: PackageFormat;
  vendor: string;
  name: string;
  version: string;
  description: string | null;
  file_name: string | null;
  content_type: string | null;
  size: BigIntColumn;
  sha1: string;
  sha256: string;
  files: Jsonb<unknown>;
  metadata: Jsonb<unknown>;
  created_at: Timestamp;
}

/** Columns shared by NSD and VNFD rows: the SOL005 resource states. */
export interface DescriptorStateColumns {
  id: string;
  tenant: Generated<string>;
  /** Null until content is on-boarded (SOL005 resources exist from creation on). */
  package_id: string | null;
  onboarding_state: OnboardingState;
  operational_state: OperationalState;
  usage_state: Generated<UsageState>;
  /** Number of NS instances using it; usage_state is IN_USE iff > 0. */
  usage_count: Generated<number>;
  user_defined_data: Jsonb<Record<string, unknown>>;
  failure_details: Jsonb<unknown> | null;
  vendor: string | null;
  name: string | null;
  version: string | null;
  format: DescriptorFormat | null;
  /** Path of the descriptor inside the package. */
  file: string | null;
  /** The model (Vnfd / Nsd, incl. the original document in `source`). */
  descriptor: Jsonb<unknown> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** VNF descriptors; each row is also a SOL005 VnfPkgInfo. */
export interface VnfdsTable extends DescriptorStateColumns {
  vnfd_id: string | null;
  provider: string | null;
}

/** NS descriptors; each row is also a SOL005 NsdInfo. */
export interface NsdsTable extends DescriptorStateColumns {
  nsd_id: string | null;
  designer: string | null;
  invariant_id: string | null;
  /** Catalog ids of the VNFDs the NSD uses (its own package's and external ones). */
  vnfd_ids: Jsonb<string[]>;
}

/** Tables of the catalog (packages, NSDs, VNFDs). */
export interface CatalogTables {
  packages: PackagesTable;
  vnfds: VnfdsTable;
  nsds: NsdsTable;
}
