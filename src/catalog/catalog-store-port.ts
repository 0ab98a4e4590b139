// The store as the catalog uses it: a port the catalog owns, implemented by `src/store`
// (`catalogStore`, `catalogRepositories`) and handed over by the composition root.
import type { DescriptorRef, Nsd, ProblemDetails, Vnfd } from '../model/index.js';
import type { DescriptorContent, NsdContent, NsdRecord, PackageRecord, VnfdRecord } from './catalog-records.js';
import type { OnboardingState, OperationalState } from './catalog-states.js';

/** What a guarded state change returns that the catalog reads: the descriptor's package. */
export interface DescriptorStateRow {
  readonly package_id: string | null;
}

/** Package rows. */
export interface PackageRepository {
  /** Throws ConflictError when vendor/name/version is on-boarded already in the tenant. */
  insert(p: Omit<PackageRecord, 'tenant'> & { tenant?: string }): Promise<PackageRecord>;
  get(id: string): Promise<PackageRecord | undefined>;
  /** One tenant's, or every tenant's (`undefined`). */
  list(tenant: string | undefined): Promise<PackageRecord[]>;
  /** Deletes the package when no descriptor refers to it any more; true if deleted. */
  deleteIfUnreferenced(id: string): Promise<boolean>;
}

/** What VNFD and NSD rows share: SOL005 states, usage counting, reads. */
export interface DescriptorRepository<R> {
  /** Throws NotFoundError, or ConflictError naming the current states and `want`. */
  conflict(id: string, want: string): Promise<never>;
  /** Moves onboardingState from one of `from` to `to`; ConflictError otherwise. */
  moveOnboarding(id: string, from: readonly OnboardingState[], to: OnboardingState, failure?: ProblemDetails): Promise<DescriptorStateRow>;
  setOperational(id: string, next: OperationalState): Promise<DescriptorStateRow>;
  setUserDefinedData(id: string, data: Record<string, unknown>): Promise<DescriptorStateRow>;
  /** One more NS instance uses each (IN_USE); ConflictError unless ONBOARDED and ENABLED. */
  acquire(ids: readonly string[]): Promise<void>;
  /** One fewer; NOT_IN_USE at zero. */
  release(ids: readonly string[]): Promise<void>;
  /** Deletes when NOT_IN_USE (and DISABLED if `requireDisabled`); ConflictError otherwise. */
  deleteGuarded(id: string, requireDisabled: boolean): Promise<DescriptorStateRow>;
  get(id: string): Promise<R | undefined>;
  list(tenant: string | undefined): Promise<R[]>;
  listByPackage(packageId: string): Promise<R[]>;
  /** A SOL005 resource without content (CREATED). */
  create(id: string, userDefinedData: Record<string, unknown>, tenant?: string): Promise<R>;
}

/** VNFD rows (SOL005 VnfPkgInfo). */
export interface VnfdRepository extends DescriptorRepository<VnfdRecord> {
  insertOnboarded(id: string, c: DescriptorContent, vnfd: Vnfd, userDefinedData?: Record<string, unknown>): Promise<VnfdRecord>;
  /** One statement for all (the records in the same order); ConflictError `VNFD_EXISTS` naming the first duplicate. */
  insertOnboardedMany(rows: readonly { readonly id: string; readonly content: DescriptorContent; readonly vnfd: Vnfd }[]): Promise<VnfdRecord[]>;
  completeOnboarding(id: string, c: DescriptorContent, vnfd: Vnfd): Promise<VnfdRecord>;
  /** An ONBOARDED VNFD of the tenant by reference or descriptor id. */
  findOnboarded(tenant: string, ref: DescriptorRef | { descriptorId: string }): Promise<VnfdRecord | undefined>;
  /** Ids of the NSDs that use the VNFD (outside `exceptPackage`). */
  referencingNsds(id: string, exceptPackage?: string): Promise<string[]>;
}

/** NSD rows (SOL005 NsdInfo). */
export interface NsdRepository extends DescriptorRepository<NsdRecord> {
  insertOnboarded(id: string, c: NsdContent, nsd: Nsd, userDefinedData?: Record<string, unknown>): Promise<NsdRecord>;
  /** One statement for all (the records in the same order); ConflictError `NSD_EXISTS` naming the first duplicate. */
  insertOnboardedMany(rows: readonly { readonly id: string; readonly content: NsdContent; readonly nsd: Nsd }[]): Promise<NsdRecord[]>;
  completeOnboarding(id: string, c: NsdContent, nsd: Nsd): Promise<NsdRecord>;
}

/** The catalog's repositories over one connection or transaction. */
export interface CatalogRepositories {
  readonly packages: PackageRepository;
  readonly vnfds: VnfdRepository;
  readonly nsds: NsdRepository;
}

/** The catalog's repositories, and one transaction over all of them. */
export interface CatalogStore extends CatalogRepositories {
  /** Runs `work` in one transaction: it commits when `work` resolves, rolls back when it throws. */
  transaction<T>(work: (repos: CatalogRepositories) => Promise<T>): Promise<T>;
}
