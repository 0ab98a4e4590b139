import { BadRequestError } from '../model/index.js';
import type { SubscriptionApi } from './subscription-store.js';

/**
 * SOL005 notification types a subscription may name, per API. `AlarmListRebuiltNotification`
 * (SOL005 §8.5.2.8) is accepted in filters though Rondo never rebuilds its alarm list.
 */
export const LCM_NOTIFICATION_TYPES = ['NsLcmOperationOccurrenceNotification', 'NsIdentifierCreationNotification', 'NsIdentifierDeletionNotification'] as const;
export const FM_NOTIFICATION_TYPES = ['AlarmNotification', 'AlarmClearedNotification', 'AlarmListRebuiltNotification'] as const;
/** SOL005 §5.5.3.2 (NsdmNotificationsFilter): NSD and PNFD notifications. */
export const NSDM_NOTIFICATION_TYPES = [
  'NsdOnBoardingNotification',
  'NsdOnboardingFailureNotification',
  'NsdChangeNotification',
  'NsdDeletionNotification',
  'PnfdOnBoardingNotification',
  'PnfdOnBoardingFailureNotification',
  'PnfdDeletionNotification',
] as const;
/** SOL005 §9.5.3.2 (PkgmNotificationsFilter). */
export const PKGM_NOTIFICATION_TYPES = ['VnfPackageOnboardingNotification', 'VnfPackageChangeNotification'] as const;
/** SOL005 §7.5.3.2 (PmNotificationsFilter). */
export const PM_NOTIFICATION_TYPES = ['ThresholdCrossedNotification', 'PerformanceInformationAvailableNotification'] as const;
export type LcmNotificationType = (typeof LCM_NOTIFICATION_TYPES)[number];
export type FmNotificationType = (typeof FM_NOTIFICATION_TYPES)[number];
export type NsdmNotificationType = (typeof NSDM_NOTIFICATION_TYPES)[number];
export type PkgmNotificationType = (typeof PKGM_NOTIFICATION_TYPES)[number];
export type PmNotificationType = (typeof PM_NOTIFICATION_TYPES)[number];
export type NotificationType = LcmNotificationType | FmNotificationType | NsdmNotificationType | PkgmNotificationType | PmNotificationType;

const TYPES_OF: Record<SubscriptionApi, readonly string[]> = {
  nslcm: LCM_NOTIFICATION_TYPES,
  nsfm: FM_NOTIFICATION_TYPES,
  nsd: NSDM_NOTIFICATION_TYPES,
  vnfpkgm: PKGM_NOTIFICATION_TYPES,
  nspm: PM_NOTIFICATION_TYPES,
};

/**
 * The filter attributes Rondo matches (SOL005 `LifecycleChangeNotificationsFilter`,
 * `FmNotificationsFilter`, `NsdmNotificationsFilter` (`nsdInfoId`, `nsdId`, `pnfdInfoIds`, `pnfdId`) and
 * `PkgmNotificationsFilter` (`vnfPkgId`, `vnfdId`, `operationalState`)). Other attributes
 * are kept as sent and not matched.
 */
export interface SubscriptionFilter {
  readonly nsInstanceSubscriptionFilter?: { readonly nsInstanceIds?: readonly string[] };
  readonly notificationTypes?: readonly string[];
  readonly operationTypes?: readonly string[];
  readonly operationStates?: readonly string[];
  readonly perceivedSeverities?: readonly string[];
  readonly eventTypes?: readonly string[];
  readonly probableCauses?: readonly string[];
  readonly nsdInfoId?: readonly string[];
  readonly nsdId?: readonly string[];
  readonly pnfdInfoIds?: readonly string[];
  readonly pnfdId?: readonly string[];
  readonly vnfPkgId?: readonly string[];
  readonly vnfdId?: readonly string[];
  readonly operationalState?: readonly string[];
  readonly [other: string]: unknown;
}

/** What a notification offers to filters. */
export interface NotificationFacts {
  readonly notificationType: NotificationType;
  /** The NS instance of an NS LCM / NS FM notification. */
  readonly nsInstanceId?: string;
  readonly nsdInfoId?: string;
  /** Absent when the NSD was never on-boarded (an on-boarding failure, a deletion). */
  readonly nsdId?: string;
  readonly pnfdInfoId?: string;
  /** Absent when the PNFD was never on-boarded. */
  readonly pnfdId?: string;
  readonly vnfPkgId?: string;
  readonly vnfdId?: string;
  /** A VNF package's operational state (a change notification's new state). */
  readonly operationalState?: string;
  readonly operationType?: string;
  readonly operationState?: string;
  readonly perceivedSeverity?: string;
  readonly eventType?: string;
  readonly probableCause?: string;
}

const LIST_FIELDS = [
  'notificationTypes',
  'operationTypes',
  'operationStates',
  'perceivedSeverities',
  'eventTypes',
  'probableCauses',
  'nsdInfoId',
  'nsdId',
  'pnfdInfoIds',
  'pnfdId',
  'vnfPkgId',
  'vnfdId',
  'operationalState',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Validates a filter; throws BadRequestError `SUBSCRIPTION_FILTER_INVALID` naming the
 * attribute. A notification type of the other API is refused (it would never match).
 */
export function parseFilter(api: SubscriptionApi, raw: unknown): SubscriptionFilter {
  if (raw === undefined || raw === null) return {};
  const bad = (field: string, why: string) => new BadRequestError(`filter.${field} ${why}`, { code: 'SUBSCRIPTION_FILTER_INVALID', details: { field: `filter.${field}` } });
  if (!isObject(raw)) throw bad('', 'must be an object');
  for (const f of LIST_FIELDS) if (raw[f] !== undefined && !isStringList(raw[f])) throw bad(f, 'must be a list of strings');
  const types = TYPES_OF[api];
  const unknown = (raw.notificationTypes as string[] | undefined)?.find((t) => !types.includes(t));
  if (unknown) throw bad('notificationTypes', `has ${unknown}; this API sends ${types.join(', ')}`);
  const ns = raw.nsInstanceSubscriptionFilter;
  if (ns !== undefined && (!isObject(ns) || (ns.nsInstanceIds !== undefined && !isStringList(ns.nsInstanceIds)))) {
    throw bad('nsInstanceSubscriptionFilter', 'must be an object whose nsInstanceIds is a list of strings');
  }
  return raw as SubscriptionFilter;
}

/** Canonical JSON (sorted keys, sorted string lists): equal filters, equal keys. */
export function filterKey(filter: SubscriptionFilter): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const items = v.map(canon);
      return items.every((x) => typeof x === 'string') ? [...(items as string[])].sort() : items;
    }
    if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
    return v;
  };
  return JSON.stringify(canon(filter));
}

/** Whether a notification passes the filter: every present attribute must contain the fact. */
export function filterMatches(filter: SubscriptionFilter, n: NotificationFacts): boolean {
  const has = (list: readonly string[] | undefined, value: string | undefined): boolean =>
    list === undefined || list.length === 0 || (value !== undefined && list.includes(value));
  return (
    has(filter.nsInstanceSubscriptionFilter?.nsInstanceIds, n.nsInstanceId) &&
    has(filter.nsdInfoId, n.nsdInfoId) &&
    has(filter.nsdId, n.nsdId) &&
    has(filter.pnfdInfoIds, n.pnfdInfoId) &&
    has(filter.pnfdId, n.pnfdId) &&
    has(filter.vnfPkgId, n.vnfPkgId) &&
    has(filter.vnfdId, n.vnfdId) &&
    (n.operationalState === undefined || has(filter.operationalState, n.operationalState)) &&
    has(filter.notificationTypes, n.notificationType) &&
    (n.operationType === undefined || has(filter.operationTypes, n.operationType)) &&
    (n.operationState === undefined || has(filter.operationStates, n.operationState)) &&
    (n.perceivedSeverity === undefined || has(filter.perceivedSeverities, n.perceivedSeverity)) &&
    (n.eventType === undefined || has(filter.eventTypes, n.eventType)) &&
    (n.probableCause === undefined || has(filter.probableCauses, n.probableCause))
  );
}
