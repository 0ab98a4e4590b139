// Public face of the catalog: on-boarding, SOL005 package/NSD resources, usage state.
export { createCatalogService } from './catalog-service.js';
export type { CatalogService, CatalogDeps, UploadInput, PackageView, DescriptorPatch, TenantScope } from './catalog-service.js';
export type { OnboardResult } from './onboarding.js';
export type { PackageReader, ReadPackageOptions } from './package-reader-port.js';
export type { UploadedFile } from './upload-receiver.js';
export { useNsd, releaseNsd } from './descriptor-usage.js';
export { DEFAULT_TENANT, ONBOARDING_STATES, OPERATIONAL_STATES, USAGE_STATES } from './catalog-states.js';
export type { OnboardingState, OperationalState, UsageState } from './catalog-states.js';
export type { DescriptorContent, DescriptorRecordBase, NsdContent, NsdRecord, PackageRecord, VnfdRecord } from './catalog-records.js';
export type {
  CatalogRepositories, CatalogStore, DescriptorRepository, DescriptorStateRow, NsdRepository, PackageRepository, VnfdRepository,
} from './catalog-store-port.js';
export { createCatalogHotSource } from './catalog-hot-source.js';
export type { CatalogHotSourceDeps } from './catalog-hot-source.js';
export { createPnfdService } from './pnfd-service.js';
export type { PnfdService, PnfdServiceDeps } from './pnfd-service.js';
export type { PnfdOnboarding, PnfdRecord, PnfdRepository } from './pnfd-store-port.js';
