import { createOutboundGuard } from '../auth/outbound-guard.js';
import { DEFAULT_TENANT } from '../auth/roles.js';
import type { OutboundGuard } from '../auth/outbound-guard.js';
import { RondoError } from '../model/index.js';
import type { Clock, IdGenerator, LcmOpOcc } from '../model/index.js';
import type { SubscriptionApi, SubscriptionRecord, SubscriptionRepository } from './subscription-store.js';
import { backoffDelay, sleep } from './retry-backoff.js';
import type { BackoffPolicy, Random } from './retry-backoff.js';
import { DEFAULT_OUTBOUND_LIMITS, sendOutbound } from './outbound-http.js';
import type { BasicAuth, OutboundLimits } from './outbound-http.js';
import { filterMatches } from './subscription-filter.js';
import type { NotificationFacts, NotificationType, SubscriptionFilter } from './subscription-filter.js';
import type { Sealer } from './subscription-service.js';

/** SOL005 `LcmOperationOccurrenceNotificationStatus`. */
export const LCM_NOTIFICATION_STATUSES = ['START', 'RESULT'] as const;
export type LcmNotificationStatus = (typeof LCM_NOTIFICATION_STATUSES)[number];

/** The fields of a SOL005 `Alarm` notifications filter on, plus the rest of it. */
export interface AlarmLike {
  readonly id: string;
  readonly managedObjectId: string;
  readonly perceivedSeverity: string;
  readonly eventType: string;
  readonly probableCause: string;
  readonly alarmClearedTime?: string;
  readonly [field: string]: unknown;
}

/** An NSD as its notifications name it. */
export interface NsdRef {
  readonly nsdInfoId: string;
  readonly nsdId?: string | null;
  readonly tenant: string;
}

/** A PNFD as its notifications name it. */
export interface PnfdRef {
  readonly pnfdInfoId: string;
  readonly pnfdId?: string | null;
  readonly tenant: string;
}

/** A VNF package as its notifications name it. */
export interface VnfPackageRef {
  readonly vnfPkgId: string;
  readonly vnfdId?: string | null;
  readonly tenant: string;
}

/** The measured NS instance of an NS PM notification, and the job's or threshold's own callback. */
export interface PmNotificationRef {
  readonly tenant: string;
  readonly objectType: string;
  readonly objectInstanceId: string;
  readonly callback?: { readonly uri: string; readonly authSealed: string | null } | null;
}

/** SOL013 ProblemDetails (`status` and `detail` required). */
export interface ProblemLike {
  readonly status: number;
  readonly detail: string;
  readonly [field: string]: unknown;
}

/** Options of {@link NotificationService}. */
export interface NotificationServiceOptions {
  readonly repo: SubscriptionRepository;
  readonly sealer: Sealer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /**
   * Absolute base of this API for `_links` (SOL005 callbacks need absolute URIs; the
   * server passes RONDO_PUBLIC_URL), or a function read at each notification (the base
   * is known once the server listens); '' for relative links.
   */
  readonly apiBase?: string | (() => string);
  /** Attempts per notification before it is abandoned; default 8. */
  readonly maxAttempts?: number;
  /** Default 500 ms doubling up to 60 s, full jitter. */
  readonly backoff?: BackoffPolicy;
  readonly random?: Random;
  /** Notifications waiting per subscription; beyond, the oldest is dropped. Default 1000. */
  readonly maxPendingPerSubscription?: number;
  /** Timeout and response size of each POST; default {@link DEFAULT_OUTBOUND_LIMITS}. */
  readonly limits?: OutboundLimits;
  /**
   * Where callbacks may point (the server passes `auth.outbound`); default: an open guard.
   * Every POST's URL and connected address are checked, redirects are not followed.
   */
  readonly guard?: OutboundGuard;
  readonly onError?: (error: unknown, subscriptionId: string) => void;
}

interface Job {
  readonly url: string;
  readonly auth: BasicAuth | null;
  readonly body: Record<string, unknown>;
}

/**
 * Sends SOL005 notifications to matching subscriptions' callbacks, POSTing JSON with the
 * subscription's BASIC credentials. A notification goes only to subscriptions of the
 * tenant its NS instance belongs to, and to admins' (which hear every tenant): a tenant
 * never learns about another's NSes. Each subscription has its own FIFO, sent one at a
 * time, so a RESULT never overtakes its START even across retries; a failed POST (network,
 * non-2xx — a 3xx too: redirects are not followed —, a timeout, an oversized answer) is
 * retried with jittered exponential backoff up to `maxAttempts`. Every POST goes through
 * the outbound guard; a callback it refuses is abandoned at once.
 */
export class NotificationService {
  readonly #o: NotificationServiceOptions;
  readonly #guard: OutboundGuard;
  readonly #queues = new Map<string, Job[]>();
  readonly #active = new Map<string, Promise<void>>();
  #ac = new AbortController();
  #delivered = 0;
  #failedAttempts = 0;
  #abandoned = 0;
  #dropped = 0;

  constructor(opts: NotificationServiceOptions) {
    this.#o = opts;
    this.#guard = opts.guard ?? createOutboundGuard();
  }

  /** The API base of `_links`, without a trailing slash. */
  #base(): string {
    const b = this.#o.apiBase;
    return (typeof b === 'function' ? b() : (b ?? '')).replace(/\/+$/, '');
  }

  /** Notifications delivered (2xx). */
  get delivered(): number {
    return this.#delivered;
  }
  /** POSTs that failed (each retried until `maxAttempts`). */
  get failedAttempts(): number {
    return this.#failedAttempts;
  }
  /** Notifications given up after `maxAttempts`. */
  get abandoned(): number {
    return this.#abandoned;
  }
  /** Notifications dropped because a subscription's queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Allows sending again after a stop. */
  start(): void {
    if (this.#ac.signal.aborted) this.#ac = new AbortController();
  }

  /** Aborts sends in progress and discards waiting notifications. */
  async stop(): Promise<void> {
    this.#ac.abort();
    await Promise.allSettled([...this.#active.values()]);
    this.#queues.clear();
  }

  /** Resolves when no notification is waiting or in flight. */
  async idle(): Promise<void> {
    while (this.#active.size > 0) await Promise.allSettled([...this.#active.values()]);
  }

  /**
   * `NsLcmOperationOccurrenceNotification` (START when an operation begins, RESULT at its
   * end), to the subscribers of the operation's tenant (its NS's).
   */
  async publishLcm(op: Pick<LcmOpOcc, 'id' | 'nsInstanceId' | 'lcmOperationType' | 'operationState' | 'isAutomaticInvocation' | 'error' | 'tenant'>, status: LcmNotificationStatus): Promise<void> {
    await this.#publish(
      'nslcm',
      op.tenant,
      { notificationType: 'NsLcmOperationOccurrenceNotification', nsInstanceId: op.nsInstanceId, operationType: op.lcmOperationType, operationState: op.operationState },
      (sub) => ({
        notificationStatus: status,
        operationState: op.operationState,
        nsInstanceId: op.nsInstanceId,
        nsLcmOpOccId: op.id,
        operation: op.lcmOperationType,
        isAutomaticInvocation: op.isAutomaticInvocation,
        ...(status === 'RESULT' && op.error ? { error: op.error } : {}),
        _links: { ...this.#links(sub, op.nsInstanceId), nsLcmOpOcc: { href: `${this.#base()}/nslcm/v1/ns_lcm_op_occs/${op.id}` } },
      }),
    );
  }

  /** `NsIdentifierCreationNotification`, to the subscribers of the NS's `tenant`. */
  async publishNsCreated(nsInstanceId: string, tenant: string = DEFAULT_TENANT): Promise<void> {
    await this.#publish('nslcm', tenant, { notificationType: 'NsIdentifierCreationNotification', nsInstanceId }, (sub) => ({ nsInstanceId, _links: this.#links(sub, nsInstanceId) }));
  }

  /** `NsIdentifierDeletionNotification`, to the subscribers of the NS's `tenant`. */
  async publishNsDeleted(nsInstanceId: string, tenant: string = DEFAULT_TENANT): Promise<void> {
    await this.#publish('nslcm', tenant, { notificationType: 'NsIdentifierDeletionNotification', nsInstanceId }, (sub) => ({ nsInstanceId, _links: this.#links(sub, nsInstanceId) }));
  }

  /** `AlarmNotification` carrying the alarm as the API shows it, to the subscribers of the alarm's (its NS's) `tenant`. */
  async publishAlarm(alarm: AlarmLike, tenant: string = DEFAULT_TENANT): Promise<void> {
    await this.#publish('nsfm', tenant, this.#alarmFacts('AlarmNotification', alarm), (sub) => ({
      alarm,
      _links: { subscription: { href: `${this.#base()}/nsfm/v1/subscriptions/${sub.id}` } },
    }));
  }

  /** `AlarmClearedNotification`, to the subscribers of the alarm's `tenant`. */
  async publishAlarmCleared(alarm: AlarmLike, tenant: string = DEFAULT_TENANT): Promise<void> {
    await this.#publish('nsfm', tenant, this.#alarmFacts('AlarmClearedNotification', alarm), (sub) => ({
      alarmId: alarm.id,
      alarmClearedTime: alarm.alarmClearedTime ?? this.#o.clock.now().toISOString(),
      _links: { subscription: { href: `${this.#base()}/nsfm/v1/subscriptions/${sub.id}` }, alarm: { href: `${this.#base()}/nsfm/v1/alarms/${alarm.id}` } },
    }));
  }

  /** `NsdOnBoardingNotification` (SOL005 §5.5.2.9), to the subscribers of the NSD's `tenant`. */
  async publishNsdOnboarded(n: NsdRef & { readonly nsdId: string }): Promise<void> {
    await this.#publish('nsd', n.tenant, { notificationType: 'NsdOnBoardingNotification', nsdInfoId: n.nsdInfoId, nsdId: n.nsdId }, (sub) => ({
      nsdInfoId: n.nsdInfoId,
      nsdId: n.nsdId,
      _links: this.#nsdLinks(sub, n.nsdInfoId),
    }));
  }

  /**
   * `NsdOnboardingFailureNotification` (SOL005 §5.5.2.10) with the failure as ProblemDetails;
   * `nsdId` only when the NSD was read before on-boarding failed (cardinality 0..1).
   */
  async publishNsdOnboardingFailure(n: NsdRef, details: ProblemLike): Promise<void> {
    await this.#publish('nsd', n.tenant, { notificationType: 'NsdOnboardingFailureNotification', nsdInfoId: n.nsdInfoId, ...(n.nsdId ? { nsdId: n.nsdId } : {}) }, (sub) => ({
      nsdInfoId: n.nsdInfoId,
      ...(n.nsdId ? { nsdId: n.nsdId } : {}),
      onboardingFailureDetails: details,
      _links: this.#nsdLinks(sub, n.nsdInfoId),
    }));
  }

  /** `PnfdOnBoardingNotification` (SOL005 §5.5.2.13), to the NSD management subscribers of the PNFD's tenant. */
  async publishPnfdOnboarded(n: PnfdRef & { readonly pnfdId: string }): Promise<void> {
    await this.#publish('nsd', n.tenant, { notificationType: 'PnfdOnBoardingNotification', pnfdInfoId: n.pnfdInfoId, pnfdId: n.pnfdId }, (sub) => ({
      pnfdInfoId: n.pnfdInfoId,
      pnfdId: n.pnfdId,
      _links: this.#pnfdLinks(sub, n.pnfdInfoId),
    }));
  }

  /** `PnfdOnBoardingFailureNotification` (SOL005 §5.5.2.14); `pnfdId` only when known (0..1). */
  async publishPnfdOnboardingFailure(n: PnfdRef, details: ProblemLike): Promise<void> {
    const id = n.pnfdId ? { pnfdId: n.pnfdId } : {};
    await this.#publish('nsd', n.tenant, { notificationType: 'PnfdOnBoardingFailureNotification', pnfdInfoId: n.pnfdInfoId, ...id }, (sub) => ({
      pnfdInfoId: n.pnfdInfoId,
      ...id,
      onboardingFailureDetails: details,
      _links: this.#pnfdLinks(sub, n.pnfdInfoId),
    }));
  }

  /** `PnfdDeletionNotification` (SOL005 §5.5.2.15); `pnfdId` left out for a PNFD never on-boarded. */
  async publishPnfdDeleted(n: PnfdRef): Promise<void> {
    const id = n.pnfdId ? { pnfdId: n.pnfdId } : {};
    await this.#publish('nsd', n.tenant, { notificationType: 'PnfdDeletionNotification', pnfdInfoId: n.pnfdInfoId, ...id }, (sub) => ({
      pnfdInfoId: n.pnfdInfoId,
      ...id,
      _links: this.#pnfdLinks(sub, n.pnfdInfoId),
    }));
  }

  /** SOL005 `PnfdmLinks` (§5.5.3.4). */
  #pnfdLinks(sub: SubscriptionRecord, pnfdInfoId: string) {
    return {
      pnfdInfo: { href: `${this.#base()}/nsd/v1/pnf_descriptors/${pnfdInfoId}` },
      subscription: { href: `${this.#base()}/nsd/v1/subscriptions/${sub.id}` },
    };
  }

  /** `NsdChangeNotification` (SOL005 §5.5.2.11): the NSD's operational state changed. */
  async publishNsdChanged(n: NsdRef, nsdOperationalState: string): Promise<void> {
    await this.#publish('nsd', n.tenant, { notificationType: 'NsdChangeNotification', nsdInfoId: n.nsdInfoId, ...(n.nsdId ? { nsdId: n.nsdId } : {}) }, (sub) => ({
      nsdInfoId: n.nsdInfoId,
      nsdOperationalState,
      _links: this.#nsdLinks(sub, n.nsdInfoId),
    }));
  }

  /** `NsdDeletionNotification` (SOL005 §5.5.2.12). */
  async publishNsdDeleted(n: NsdRef): Promise<void> {
    await this.#publish('nsd', n.tenant, { notificationType: 'NsdDeletionNotification', nsdInfoId: n.nsdInfoId, ...(n.nsdId ? { nsdId: n.nsdId } : {}) }, (sub) => ({
      nsdInfoId: n.nsdInfoId,
      _links: this.#nsdLinks(sub, n.nsdInfoId),
    }));
  }

  /** `VnfPackageOnboardingNotification` (SOL005 §9.5.2.8), to the subscribers of the package's `tenant`. */
  async publishVnfPackageOnboarded(p: VnfPackageRef & { readonly vnfdId: string }): Promise<void> {
    await this.#publish('vnfpkgm', p.tenant, { notificationType: 'VnfPackageOnboardingNotification', vnfPkgId: p.vnfPkgId, vnfdId: p.vnfdId }, (sub) => ({
      vnfPkgId: p.vnfPkgId,
      vnfdId: p.vnfdId,
      _links: this.#pkgLinks(sub, p.vnfPkgId),
    }));
  }

  /**
   * `VnfPackageChangeNotification` (SOL005 §9.5.2.9): `OP_STATE_CHANGE` with the new
   * `operationalState`, or `PKG_DELETE`. The clause gives `vnfdId` cardinality 1, but a
   * package deleted before it was ever on-boarded has no VNFD: it is left out then.
   */
  async publishVnfPackageChanged(p: VnfPackageRef, change: { readonly changeType: 'OP_STATE_CHANGE'; readonly operationalState: string } | { readonly changeType: 'PKG_DELETE' }): Promise<void> {
    const state = change.changeType === 'OP_STATE_CHANGE' ? { operationalState: change.operationalState } : {};
    const vnfd = p.vnfdId ? { vnfdId: p.vnfdId } : {};
    await this.#publish('vnfpkgm', p.tenant, { notificationType: 'VnfPackageChangeNotification', vnfPkgId: p.vnfPkgId, ...vnfd, ...state }, (sub) => ({
      vnfPkgId: p.vnfPkgId,
      ...vnfd,
      changeType: change.changeType,
      ...state,
      _links: this.#pkgLinks(sub, p.vnfPkgId),
    }));
  }

  /**
   * `PerformanceInformationAvailableNotification` (SOL005 §7.5.2.5) for one measured NS
   * instance of a PM job's new report, to the `nspm` subscribers of the job's tenant and to
   * the job's own callback when PATCH gave it one.
   */
  async publishPerformanceInformationAvailable(n: PmNotificationRef & { readonly pmJobId: string; readonly reportId: string; readonly subObjectInstanceIds?: readonly string[] }): Promise<void> {
    const pmJob = { href: `${this.#base()}/nspm/v1/pm_jobs/${n.pmJobId}` };
    const links = {
      objectInstance: { href: `${this.#base()}/nslcm/v1/ns_instances/${n.objectInstanceId}` },
      pmJob,
      performanceReport: { href: `${pmJob.href}/reports/${n.reportId}` },
    };
    const body = {
      pmJobId: n.pmJobId,
      objectType: n.objectType,
      objectInstanceId: n.objectInstanceId,
      ...(n.subObjectInstanceIds?.length ? { subObjectInstanceIds: n.subObjectInstanceIds } : {}),
    };
    const facts = { notificationType: 'PerformanceInformationAvailableNotification', nsInstanceId: n.objectInstanceId } as const;
    await this.#publish('nspm', n.tenant, facts, (sub) => ({ ...body, _links: { subscription: { href: `${this.#base()}/nspm/v1/subscriptions/${sub.id}` }, ...links } }));
    this.#direct(n.callback, facts.notificationType, { ...body, _links: links });
  }

  /** `ThresholdCrossedNotification` (SOL005 §7.5.2.6), to the `nspm` subscribers of the threshold's tenant and its own callback. */
  async publishThresholdCrossed(
    n: PmNotificationRef & { readonly thresholdId: string; readonly crossingDirection: 'UP' | 'DOWN'; readonly subObjectInstanceId?: string; readonly performanceMetric: string; readonly performanceValue: number },
  ): Promise<void> {
    const links = {
      objectInstance: { href: `${this.#base()}/nslcm/v1/ns_instances/${n.objectInstanceId}` },
      threshold: { href: `${this.#base()}/nspm/v1/thresholds/${n.thresholdId}` },
    };
    const body = {
      thresholdId: n.thresholdId,
      crossingDirection: n.crossingDirection,
      objectType: n.objectType,
      objectInstanceId: n.objectInstanceId,
      ...(n.subObjectInstanceId ? { subObjectInstanceId: n.subObjectInstanceId } : {}),
      performanceMetric: n.performanceMetric,
      performanceValue: n.performanceValue,
    };
    const facts = { notificationType: 'ThresholdCrossedNotification', nsInstanceId: n.objectInstanceId } as const;
    await this.#publish('nspm', n.tenant, facts, (sub) => ({ ...body, _links: { subscription: { href: `${this.#base()}/nspm/v1/subscriptions/${sub.id}` }, ...links } }));
    this.#direct(n.callback, facts.notificationType, { ...body, _links: links });
  }

  /** Queues a notification for a resource's own callback (a PM job's, a threshold's), in its own FIFO. */
  #direct(callback: PmNotificationRef['callback'], notificationType: NotificationType, body: Record<string, unknown>): void {
    if (!callback || this.#ac.signal.aborted) return;
    const auth = callback.authSealed ? (JSON.parse(this.#o.sealer.open(callback.authSealed)) as BasicAuth) : null;
    const timeStamp = this.#o.clock.now().toISOString();
    this.#enqueue(`callback:${callback.uri}`, { url: callback.uri, auth, body: { id: this.#o.ids.next(), notificationType, timeStamp, ...body } });
  }

  /** SOL005 `NsdmLinks` (§5.5.3.3). */
  #nsdLinks(sub: SubscriptionRecord, nsdInfoId: string) {
    return {
      nsdInfo: { href: `${this.#base()}/nsd/v1/ns_descriptors/${nsdInfoId}` },
      subscription: { href: `${this.#base()}/nsd/v1/subscriptions/${sub.id}` },
    };
  }

  /** SOL005 `PkgmLinks` (§9.5.3.5). */
  #pkgLinks(sub: SubscriptionRecord, vnfPkgId: string) {
    return {
      vnfPackage: { href: `${this.#base()}/vnfpkgm/v1/vnf_packages/${vnfPkgId}` },
      subscription: { href: `${this.#base()}/vnfpkgm/v1/subscriptions/${sub.id}` },
    };
  }

  #alarmFacts(notificationType: NotificationType, a: AlarmLike): NotificationFacts {
    return { notificationType, nsInstanceId: a.managedObjectId, perceivedSeverity: a.perceivedSeverity, eventType: a.eventType, probableCause: a.probableCause };
  }

  #links(sub: SubscriptionRecord, nsInstanceId: string) {
    return {
      nsInstance: { href: `${this.#base()}/nslcm/v1/ns_instances/${nsInstanceId}` },
      subscription: { href: `${this.#base()}/nslcm/v1/subscriptions/${sub.id}` },
    };
  }

  async #publish(api: SubscriptionApi, tenant: string, facts: NotificationFacts, body: (sub: SubscriptionRecord) => Record<string, unknown>): Promise<void> {
    if (this.#ac.signal.aborted) return;
    const subs = await this.#o.repo.listeners(api, tenant);
    const now = this.#o.clock.now().toISOString();
    // SOL005 v2.6.1 spells it `timestamp` in the NS LCM notifications (§6.5.2.5–6.5.2.7)
    // and `timeStamp` in the NS FM (§8.5.2.5–8.5.2.7), NSD management (§5.5.2.9–5.5.2.12)
    // and VNF package management (§9.5.2.8–9.5.2.9) ones.
    const stamp = api === 'nslcm' ? { timestamp: now } : { timeStamp: now };
    for (const sub of subs) {
      if (!filterMatches(sub.filter as SubscriptionFilter, facts)) continue;
      const auth = sub.authSealed ? (JSON.parse(this.#o.sealer.open(sub.authSealed)) as BasicAuth) : null;
      this.#enqueue(sub.id, {
        url: sub.callbackUri,
        auth,
        // SOL005 v2.6.1 gives the NS PM notifications no `subscriptionId` (§7.5.2.5–7.5.2.6): `_links.subscription` names it.
        body: { id: this.#o.ids.next(), notificationType: facts.notificationType, ...(api === 'nspm' ? {} : { subscriptionId: sub.id }), ...stamp, ...body(sub) },
      });
    }
  }

  #enqueue(subscriptionId: string, job: Job): void {
    const q = this.#queues.get(subscriptionId) ?? [];
    if (q.length >= (this.#o.maxPendingPerSubscription ?? 1000)) {
      q.shift();
      this.#dropped++;
    }
    q.push(job);
    this.#queues.set(subscriptionId, q);
    if (!this.#active.has(subscriptionId)) {
      const run = this.#drain(subscriptionId).finally(() => this.#active.delete(subscriptionId));
      this.#active.set(subscriptionId, run);
    }
  }

  async #drain(subscriptionId: string): Promise<void> {
    const q = this.#queues.get(subscriptionId);
    const signal = this.#ac.signal;
    while (q && q.length > 0 && !signal.aborted) {
      await this.#send(subscriptionId, q[0]!, signal);
      q.shift();
    }
    this.#queues.delete(subscriptionId);
  }

  async #send(subscriptionId: string, job: Job, signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const max = o.maxAttempts ?? 8;
    for (let attempt = 0; attempt < max && !signal.aborted; attempt++) {
      try {
        const res = await sendOutbound(this.#guard, { method: 'POST', url: job.url, json: job.body, auth: job.auth, signal }, o.limits ?? DEFAULT_OUTBOUND_LIMITS);
        if (res.status >= 200 && res.status < 300) {
          this.#delivered++;
          return;
        }
        o.onError?.(new Error(`callback answered ${res.status}`), subscriptionId);
      } catch (e) {
        if (signal.aborted) return;
        o.onError?.(e, subscriptionId);
        // A callback the guard refuses (stored before RONDO_OUTBOUND_ALLOW changed) never becomes deliverable.
        if (e instanceof RondoError && e.status === 400) {
          this.#failedAttempts++;
          this.#abandoned++;
          return;
        }
      }
      this.#failedAttempts++;
      if (attempt + 1 < max) await sleep(backoffDelay(attempt, o.backoff ?? { initialMs: 500, maxMs: 60_000 }, o.random), signal);
    }
    if (!signal.aborted) this.#abandoned++;
  }
}
