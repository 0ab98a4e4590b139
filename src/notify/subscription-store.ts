// The store as notify uses it: a port notify owns, implemented by `src/store`
// (`subscriptionRepository`) and handed over by the composition root.

/**
 * The SOL005 APIs that take subscriptions: NS lifecycle (NsLcm), NS fault management (NsFm),
 * NSD management (Nsdm), VNF package management (Pkgm) and NS performance management (Pm).
 * The SQL CHECK is migration 015's.
 */
export const SUBSCRIPTION_APIS = ['nslcm', 'nsfm', 'nsd', 'vnfpkgm', 'nspm'] as const;
export type SubscriptionApi = (typeof SUBSCRIPTION_APIS)[number];

/** A stored SOL005 subscription. `authSealed` holds the sealed `authentication` block. */
export interface SubscriptionRecord {
  readonly id: string;
  readonly tenant: string;
  readonly api: SubscriptionApi;
  readonly callbackUri: string;
  readonly filter: unknown;
  readonly filterKey: string;
  readonly authSealed: string | null;
  /** Hears about every tenant's NS instances (an admin's), not only `tenant`'s. */
  readonly allTenants: boolean;
  readonly createdAt: Date;
}

/** Subscriptions as the subscription and notification services read and write them. */
export interface SubscriptionRepository {
  /** The subscription of the same tenant, API, callback and filter, if any (SOL005: 303 to it). */
  findDuplicate(s: Pick<SubscriptionRecord, 'tenant' | 'api' | 'callbackUri' | 'filterKey'>): Promise<SubscriptionRecord | undefined>;
  /** Inserts, or returns the duplicate that won a race (`created: false`). */
  insert(s: SubscriptionRecord): Promise<{ subscription: SubscriptionRecord; created: boolean }>;
  get(api: SubscriptionApi, id: string): Promise<SubscriptionRecord | undefined>;
  /** One tenant's, or every tenant's without `tenant`. */
  list(api: SubscriptionApi, tenant?: string): Promise<SubscriptionRecord[]>;
  /** Who hears about `tenant`'s resources: its own subscriptions and all-tenant ones. */
  listeners(api: SubscriptionApi, tenant: string): Promise<SubscriptionRecord[]>;
  delete(api: SubscriptionApi, id: string): Promise<boolean>;
}
