import type { Selectable } from 'kysely';
import type { Nsd, PackageFile, ProblemDetails, Vnfd } from '../model/index.js';
import type { DescriptorStateColumns, NsdsTable, PackagesTable, VnfdsTable } from './catalog-schema.js';
import type { DescriptorRecordBase, NsdRecord, PackageRecord, VnfdRecord } from './catalog-records.js';

/** Maps a `packages` row to its record (bigint arrives as string on pg). */
export function toPackageRecord(r: Selectable<PackagesTable>): PackageRecord {
  return {
    id: r.id,
    tenant: r.tenant,
    format: r.format,
    vendor: r.vendor,
    name: r.name,
    version: r.version,
    description: r.description,
    fileName: r.file_name,
    contentType: r.content_type,
    size: Number(r.size),
    sha1: r.sha1,
    sha256: r.sha256,
    files: r.files as PackageFile[],
    metadata: r.metadata,
    createdAt: new Date(r.created_at),
  };
}

function toBase(r: Selectable<DescriptorStateColumns>): DescriptorRecordBase {
  return {
    id: r.id,
    tenant: r.tenant,
    packageId: r.package_id,
    onboardingState: r.onboarding_state,
    operationalState: r.operational_state,
    usageState: r.usage_state,
    usageCount: r.usage_count,
    userDefinedData: r.user_defined_data ?? {},
    failureDetails: (r.failure_details as ProblemDetails | null) ?? null,
    vendor: r.vendor,
    name: r.name,
    version: r.version,
    format: r.format,
    file: r.file,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Maps a `vnfds` row to its record. */
export function toVnfdRecord(r: Selectable<VnfdsTable>): VnfdRecord {
  return { ...toBase(r), vnfdId: r.vnfd_id, provider: r.provider, descriptor: (r.descriptor as Vnfd | null) ?? null };
}

/** Maps an `nsds` row to its record. */
export function toNsdRecord(r: Selectable<NsdsTable>): NsdRecord {
  return {
    ...toBase(r),
    nsdId: r.nsd_id,
    designer: r.designer,
    invariantId: r.invariant_id,
    vnfdIds: r.vnfd_ids ?? [],
    descriptor: (r.descriptor as Nsd | null) ?? null,
  };
}

/** JSON for a jsonb column (a string, so pg never takes an array for a SQL array). */
export const jsonb = (v: unknown): string => JSON.stringify(v ?? null);

/** PostgreSQL unique_violation, the same code on pg and PGlite. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
