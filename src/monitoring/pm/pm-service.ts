import type { EventBus } from '../../bus/index.js';
import { BadRequestError, NotFoundError, RondoError } from '../../model/index.js';
import type { Clock, IdGenerator } from '../../model/index.js';
import type { NotificationService } from '../../notify/index.js';
import type { MonitoringTopics, VnfStatsEvent } from '../monitoring-events.js';
import type { ComputeStats } from '../watch/stats-source.js';
import { aggregate, isPmMeasurement, PM_MEASUREMENT_GROUPS, PM_OBJECT_TYPES, sampleValue } from './pm-measurements.js';
import type { PmMeasurement } from './pm-measurements.js';
import type { CrossingState, PmJobCriteria, PmJobRecord, PmReportEntry, PmReportRecord, PmRepository, ThresholdCriteria, ThresholdRecord } from './pm-store-port.js';
import { toPmJobView, toThresholdView } from './pm-view.js';
import type { PmJobView, ThresholdView } from './pm-view.js';

/** The NS instances PM measures: their tenant, and the VNF instance a bus sample names. */
export interface PmNsPort {
  /** The NS instance's tenant; NotFoundError when missing or outside `scope`. */
  tenantOf(nsId: string, scope: string | undefined): Promise<string>;
  /** The VNF instance id of the VNF the monitoring bus names `vnfId` (its NSD member id) in NS `nsId`. */
  vnfInstanceId(nsId: string, vnfId: string): Promise<string | undefined>;
}

/** Options of {@link PmService}. */
export interface PmServiceOptions {
  readonly repo: PmRepository;
  readonly bus: EventBus<MonitoringTopics>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly ns: PmNsPort;
  readonly notifications?: Pick<NotificationService, 'publishPerformanceInformationAvailable' | 'publishThresholdCrossed'>;
  /** Checks a PATCHed callback (the subscription service's `checkCallback`). */
  readonly checkCallback?: (body: { readonly callbackUri: string; readonly authentication?: unknown }) => Promise<{ callbackUri: string; authSealed: string | null }>;
  readonly apiBase?: string | (() => string);
  readonly onError?: (error: unknown) => void;
}

/** One collection period's values of one measurement of one VNF of one NS. */
interface Bucket {
  readonly nsId: string;
  readonly vnfInstanceId: string;
  readonly metric: PmMeasurement;
  readonly endMs: number;
  readonly values: number[];
}

interface JobState {
  record: PmJobRecord;
  readonly metrics: readonly PmMeasurement[];
  /** End of the reporting period in progress (ms). */
  periodEndMs: number;
  readonly buckets: Map<string, Bucket>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The measurements a job's criteria name (metrics and groups), de-duplicated; throws naming the field. */
function metricsOf(c: PmJobCriteria, bad: (field: string, why: string) => Error): PmMeasurement[] {
  const out = new Set<PmMeasurement>();
  (c.performanceMetric ?? []).forEach((m, i) => {
    if (!isPmMeasurement(m)) throw bad(`criteria.performanceMetric[${i}]`, `is ${m}; Rondo measures ${Object.values(PM_MEASUREMENT_GROUPS).flat().join(', ')}`);
    out.add(m);
  });
  (c.performanceMetricGroup ?? []).forEach((g, i) => {
    const group = PM_MEASUREMENT_GROUPS[g];
    if (!group) throw bad(`criteria.performanceMetricGroup[${i}]`, `is ${g}; the groups are ${Object.keys(PM_MEASUREMENT_GROUPS).join(', ')}`);
    group.forEach((m) => out.add(m));
  });
  if (out.size === 0) throw bad('criteria.performanceMetric', 'or criteria.performanceMetricGroup must name at least one measurement');
  return [...out];
}

/**
 * SOL005 NS performance management over the per-VNF samples monitoring takes (`vnf.stats`
 * on the bus): PM jobs collect their measurements per collection period and, at the end
 * of each reporting period that saw samples, store a PerformanceReport and send a
 * PerformanceInformationAvailableNotification per measured NS; thresholds compare each
 * sample's value and send a ThresholdCrossedNotification when it goes above
 * `thresholdValue + hysteresis` (UP) or, once up, below `thresholdValue - hysteresis`
 * (DOWN). Time is the injected clock's and the samples' own: nothing here runs a timer —
 * the composition root calls {@link tick}, and every sample ticks too. Samples of a
 * period already reported, and those of a job's current period at a restart, are lost.
 * Jobs and thresholds belong to their NS instances' tenant; reads take a scope (a tenant,
 * or undefined for every tenant) and another tenant's answers NotFoundError.
 */
export class PmService {
  readonly #o: PmServiceOptions;
  readonly #jobs = new Map<string, JobState>();
  readonly #thresholds = new Map<string, ThresholdRecord>();
  /** Each compute's previous sample, for the counters. */
  readonly #previous = new Map<string, ComputeStats>();
  #unsubscribe: (() => void) | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(opts: PmServiceOptions) {
    this.#o = opts;
  }

  #base(): string {
    const b = this.#o.apiBase;
    return (typeof b === 'function' ? b() : (b ?? '')).replace(/\/+$/, '');
  }

  /** Loads the jobs and thresholds and listens to the samples. */
  async start(): Promise<void> {
    if (this.#unsubscribe) return;
    for (const j of await this.#o.repo.listJobs()) this.#track(j);
    for (const t of await this.#o.repo.listThresholds()) this.#thresholds.set(t.id, t);
    this.#unsubscribe = this.#o.bus.subscribe('vnf.stats', (e) => void this.#serial(() => this.onSample(e)));
  }

  /** Stops listening and waits for the samples in progress. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.settled();
  }

  /** Resolves once every sample and tick so far has been handled. */
  async settled(): Promise<void> {
    let c;
    do {
      c = this.#chain;
      await c;
    } while (c !== this.#chain);
  }

  /** Runs `f` after everything queued before (samples and ticks never interleave). */
  #serial(f: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(f).catch((e: unknown) => this.#o.onError?.(e));
    this.#chain = next;
    return next;
  }

  #track(j: PmJobRecord): void {
    const rp = j.criteria.reportingPeriod * 1000;
    const now = this.#o.clock.now().getTime();
    const start = j.createdAt.getTime();
    // The period in progress; a restarted server starts collecting from it.
    const periodEndMs = start + (Math.floor(Math.max(0, now - start) / rp) + 1) * rp;
    this.#jobs.set(j.id, { record: j, metrics: metricsOf(j.criteria, (f, w) => new Error(`${f} ${w}`)), periodEndMs, buckets: new Map() });
  }

  // ---- PM jobs -------------------------------------------------------------------------

  /**
   * Creates a PM job from a SOL005 CreatePmJobRequest. Throws BadRequestError
   * `PM_JOB_INVALID` naming the field (unknown objectType or measurement, periods that are
   * not positive whole seconds or a reporting period that is not a multiple of the
   * collection period), RondoError `PM_OBJECT_NOT_FOUND` (422) when an NS instance is missing or outside `scope`,
   * and BadRequestError when the NS instances belong to several tenants.
   */
  async createJob(body: unknown, scope: string | undefined): Promise<PmJobView> {
    const bad = (field: string, why: string) => new BadRequestError(`${field} ${why}`, { code: 'PM_JOB_INVALID', details: { field } });
    if (!isObject(body)) throw bad('', 'must be a CreatePmJobRequest object');
    if (typeof body.objectType !== 'string' || !(PM_OBJECT_TYPES as readonly string[]).includes(body.objectType)) throw bad('objectType', `must be one of ${PM_OBJECT_TYPES.join(', ')} (the NS instances Rondo measures)`);
    if (!isStringList(body.objectInstanceIds) || body.objectInstanceIds.length === 0) throw bad('objectInstanceIds', 'must be a non-empty list of NS instance ids');
    if (body.subObjectInstanceIds !== undefined && !isStringList(body.subObjectInstanceIds)) throw bad('subObjectInstanceIds', 'must be a list of VNF instance ids');
    const c = body.criteria;
    if (!isObject(c)) throw bad('criteria', 'must be a PmJobCriteria object');
    if (!isPositiveInt(c.collectionPeriod)) throw bad('criteria.collectionPeriod', 'must be a positive whole number of seconds');
    if (!isPositiveInt(c.reportingPeriod)) throw bad('criteria.reportingPeriod', 'must be a positive whole number of seconds');
    if (c.reportingPeriod % c.collectionPeriod !== 0) throw bad('criteria.reportingPeriod', `must be a multiple of collectionPeriod (${c.collectionPeriod})`);
    if (c.performanceMetric !== undefined && !isStringList(c.performanceMetric)) throw bad('criteria.performanceMetric', 'must be a list of measurement names');
    if (c.performanceMetricGroup !== undefined && !isStringList(c.performanceMetricGroup)) throw bad('criteria.performanceMetricGroup', 'must be a list of measurement group names');
    if (c.reportingBoundary !== undefined && (typeof c.reportingBoundary !== 'string' || Number.isNaN(Date.parse(c.reportingBoundary)))) throw bad('criteria.reportingBoundary', 'must be a date-time');
    const criteria: PmJobCriteria = {
      ...(c.performanceMetric ? { performanceMetric: c.performanceMetric as string[] } : {}),
      ...(c.performanceMetricGroup ? { performanceMetricGroup: c.performanceMetricGroup as string[] } : {}),
      collectionPeriod: c.collectionPeriod,
      reportingPeriod: c.reportingPeriod,
      ...(c.reportingBoundary ? { reportingBoundary: c.reportingBoundary as string } : {}),
    };
    metricsOf(criteria, bad);
    const tenant = await this.#tenantOfAll(body.objectInstanceIds, scope, bad);
    const record = await this.#o.repo.insertJob({
      id: this.#o.ids.next(),
      tenant,
      objectType: body.objectType,
      objectInstanceIds: [...new Set(body.objectInstanceIds)],
      subObjectInstanceIds: (body.subObjectInstanceIds as string[] | undefined) ?? [],
      criteria,
      callbackUri: null,
      authSealed: null,
      createdAt: this.#o.clock.now(),
    });
    this.#track(record);
    return toPmJobView(record, [], this.#base());
  }

  async #tenantOfAll(nsIds: readonly string[], scope: string | undefined, bad: (field: string, why: string) => Error): Promise<string> {
    const tenants = new Set<string>();
    for (const [i, id] of nsIds.entries()) tenants.add(await this.#tenantOf(id, scope, `objectInstanceIds[${i}]`));
    if (tenants.size > 1) throw bad('objectInstanceIds', 'names NS instances of several tenants; make one job per tenant');
    return [...tenants][0]!;
  }

  /** The NS instance's tenant; RondoError `PM_OBJECT_NOT_FOUND` (422) naming `field` when it is missing or outside `scope`. */
  async #tenantOf(nsId: string, scope: string | undefined, field: string): Promise<string> {
    try {
      return await this.#o.ns.tenantOf(nsId, scope);
    } catch (e) {
      if (e instanceof NotFoundError) throw new RondoError('PM_OBJECT_NOT_FOUND', `${field}: NS instance ${nsId} not found; name an NS instance of yours`, { cause: e, details: { field } });
      throw e;
    }
  }

  async #job(id: string, scope: string | undefined): Promise<PmJobRecord> {
    const j = await this.#o.repo.getJob(id);
    if (!j || (scope !== undefined && j.tenant !== scope)) throw new NotFoundError('PM job', id);
    return j;
  }

  /** Every PM job (of `scope`'s tenant when given). */
  async listJobs(scope: string | undefined): Promise<PmJobView[]> {
    const jobs = await this.#o.repo.listJobs(scope);
    return Promise.all(jobs.map(async (j) => toPmJobView(j, await this.#o.repo.listReports(j.id), this.#base())));
  }

  /** One PM job; NotFoundError when missing or outside `scope`. */
  async getJob(id: string, scope: string | undefined): Promise<PmJobView> {
    const j = await this.#job(id, scope);
    return toPmJobView(j, await this.#o.repo.listReports(j.id), this.#base());
  }

  /** One report of a job (SOL005 PerformanceReport); NotFoundError when either is missing. */
  async getReport(jobId: string, reportId: string, scope: string | undefined): Promise<{ entries: (Omit<PmReportEntry, 'performanceValues'> & { performanceValues: { timeStamp: string; value: number }[] })[] }> {
    await this.#job(jobId, scope);
    const r = await this.#o.repo.getReport(jobId, reportId);
    if (!r) throw new NotFoundError('performance report', reportId);
    return { entries: r.entries.map((e) => ({ ...e, performanceValues: e.performanceValues.map((v) => ({ ...v })) })) };
  }

  /**
   * PmJobModifications: gives the job its own callback (checked as a subscription's:
   * the outbound guard, then a test GET answering 204, else 422 CALLBACK_UNREACHABLE).
   * Resolves the modifications as SOL005 returns them (no credentials).
   */
  async modifyJob(id: string, body: unknown, scope: string | undefined): Promise<{ callbackUri: string }> {
    const j = await this.#job(id, scope);
    const cb = await this.#callback(body, 'PM_JOB_INVALID');
    const updated = await this.#o.repo.setJobCallback(j.id, cb.callbackUri, cb.authSealed);
    if (!updated) throw new NotFoundError('PM job', id);
    const state = this.#jobs.get(id);
    if (state) state.record = updated;
    return { callbackUri: cb.callbackUri };
  }

  /** Deletes a job and its reports; NotFoundError when missing or outside `scope`. */
  async deleteJob(id: string, scope: string | undefined): Promise<void> {
    await this.#job(id, scope);
    if (!(await this.#o.repo.deleteJob(id))) throw new NotFoundError('PM job', id);
    this.#jobs.delete(id);
  }

  async #callback(body: unknown, code: 'PM_JOB_INVALID' | 'PM_THRESHOLD_INVALID'): Promise<{ callbackUri: string; authSealed: string | null }> {
    if (!isObject(body) || typeof body.callbackUri !== 'string' || body.callbackUri.length === 0) {
      throw new BadRequestError('callbackUri is required (the one modification SOL005 allows)', { code, details: { field: 'callbackUri' } });
    }
    if (!this.#o.checkCallback) throw new RondoError('INTERNAL', 'no callback checker configured');
    return this.#o.checkCallback({ callbackUri: body.callbackUri, authentication: body.authentication });
  }

  // ---- Thresholds ----------------------------------------------------------------------

  /**
   * Creates a threshold from a SOL005 CreateThresholdRequest. Throws BadRequestError
   * `PM_THRESHOLD_INVALID` naming the field, `PM_OBJECT_NOT_FOUND` for an NS outside `scope`.
   */
  async createThreshold(body: unknown, scope: string | undefined): Promise<ThresholdView> {
    const bad = (field: string, why: string) => new BadRequestError(`${field} ${why}`, { code: 'PM_THRESHOLD_INVALID', details: { field } });
    if (!isObject(body)) throw bad('', 'must be a CreateThresholdRequest object');
    if (typeof body.objectType !== 'string' || !(PM_OBJECT_TYPES as readonly string[]).includes(body.objectType)) throw bad('objectType', `must be one of ${PM_OBJECT_TYPES.join(', ')}`);
    if (typeof body.objectInstanceId !== 'string' || body.objectInstanceId.length === 0) throw bad('objectInstanceId', 'must be an NS instance id');
    if (body.subObjectInstanceIds !== undefined && !isStringList(body.subObjectInstanceIds)) throw bad('subObjectInstanceIds', 'must be a list of VNF instance ids');
    const c = body.criteria;
    if (!isObject(c)) throw bad('criteria', 'must be a ThresholdCriteria object');
    if (typeof c.performanceMetric !== 'string' || !isPmMeasurement(c.performanceMetric)) throw bad('criteria.performanceMetric', `must be one of ${Object.values(PM_MEASUREMENT_GROUPS).flat().join(', ')}`);
    if (c.thresholdType !== 'SIMPLE') throw bad('criteria.thresholdType', 'must be SIMPLE');
    const d = c.simpleThresholdDetails;
    if (!isObject(d)) throw bad('criteria.simpleThresholdDetails', 'is required for a SIMPLE threshold');
    if (typeof d.thresholdValue !== 'number' || !Number.isFinite(d.thresholdValue)) throw bad('criteria.simpleThresholdDetails.thresholdValue', 'must be a number');
    if (typeof d.hysteresis !== 'number' || !(d.hysteresis >= 0)) throw bad('criteria.simpleThresholdDetails.hysteresis', 'must be a number ≥ 0');
    const tenant = await this.#tenantOf(body.objectInstanceId, scope, 'objectInstanceId');
    const criteria: ThresholdCriteria = { performanceMetric: c.performanceMetric, thresholdType: 'SIMPLE', simpleThresholdDetails: { thresholdValue: d.thresholdValue, hysteresis: d.hysteresis } };
    const record = await this.#o.repo.insertThreshold({
      id: this.#o.ids.next(),
      tenant,
      objectType: body.objectType,
      objectInstanceId: body.objectInstanceId,
      subObjectInstanceIds: (body.subObjectInstanceIds as string[] | undefined) ?? [],
      criteria,
      callbackUri: null,
      authSealed: null,
      crossing: {},
      createdAt: this.#o.clock.now(),
    });
    this.#thresholds.set(record.id, record);
    return toThresholdView(record, this.#base());
  }

  async #threshold(id: string, scope: string | undefined): Promise<ThresholdRecord> {
    const t = await this.#o.repo.getThreshold(id);
    if (!t || (scope !== undefined && t.tenant !== scope)) throw new NotFoundError('threshold', id);
    return t;
  }

  async listThresholds(scope: string | undefined): Promise<ThresholdView[]> {
    return (await this.#o.repo.listThresholds(scope)).map((t) => toThresholdView(t, this.#base()));
  }

  async getThreshold(id: string, scope: string | undefined): Promise<ThresholdView> {
    return toThresholdView(await this.#threshold(id, scope), this.#base());
  }

  /** ThresholdModifications: the threshold's own callback, checked as {@link modifyJob}'s. */
  async modifyThreshold(id: string, body: unknown, scope: string | undefined): Promise<{ callbackUri: string }> {
    const t = await this.#threshold(id, scope);
    const cb = await this.#callback(body, 'PM_THRESHOLD_INVALID');
    const updated = await this.#o.repo.setThresholdCallback(t.id, cb.callbackUri, cb.authSealed);
    if (!updated) throw new NotFoundError('threshold', id);
    this.#thresholds.set(id, { ...updated, crossing: this.#thresholds.get(id)?.crossing ?? updated.crossing });
    return { callbackUri: cb.callbackUri };
  }

  async deleteThreshold(id: string, scope: string | undefined): Promise<void> {
    await this.#threshold(id, scope);
    if (!(await this.#o.repo.deleteThreshold(id))) throw new NotFoundError('threshold', id);
    this.#thresholds.delete(id);
  }

  // ---- Collection ----------------------------------------------------------------------

  /** Takes one sample into the jobs and thresholds that measure its VNF, then {@link tick}s. */
  async onSample(e: VnfStatsEvent): Promise<void> {
    const previous = this.#previous.get(e.computeId);
    this.#previous.set(e.computeId, e.stats);
    const jobs = [...this.#jobs.values()].filter((j) => j.record.objectInstanceIds.includes(e.nsId));
    const thresholds = [...this.#thresholds.values()].filter((t) => t.objectInstanceId === e.nsId);
    if (jobs.length + thresholds.length > 0) {
      const vnfInstanceId = (await this.#o.ns.vnfInstanceId(e.nsId, e.vnfId)) ?? e.vnfId;
      const at = e.stats.at.getTime();
      for (const j of jobs) {
        if (j.record.subObjectInstanceIds.length > 0 && !j.record.subObjectInstanceIds.includes(vnfInstanceId)) continue;
        if (at < j.periodEndMs - j.record.criteria.reportingPeriod * 1000) continue; // a period already reported
        const cp = j.record.criteria.collectionPeriod * 1000;
        const start = j.record.createdAt.getTime();
        const endMs = start + (Math.floor((at - start) / cp) + 1) * cp;
        for (const metric of j.metrics) {
          const v = sampleValue(metric, e.stats, previous);
          if (v === undefined) continue;
          const key = `${e.nsId}|${vnfInstanceId}|${metric}|${endMs}`;
          const b = j.buckets.get(key) ?? { nsId: e.nsId, vnfInstanceId, metric, endMs, values: [] };
          b.values.push(v);
          j.buckets.set(key, b);
        }
      }
      for (const t of thresholds) {
        if (t.subObjectInstanceIds.length > 0 && !t.subObjectInstanceIds.includes(vnfInstanceId)) continue;
        const metric = t.criteria.performanceMetric as PmMeasurement;
        const v = sampleValue(metric, e.stats, previous);
        if (v !== undefined) await this.#evaluate(t, vnfInstanceId, v);
      }
    }
    await this.#report();
  }

  async #evaluate(t: ThresholdRecord, vnfInstanceId: string, value: number): Promise<void> {
    const { thresholdValue, hysteresis } = t.criteria.simpleThresholdDetails;
    const side = t.crossing[vnfInstanceId];
    let next: 'UP' | 'DOWN' | undefined;
    if (value > thresholdValue + hysteresis && side !== 'UP') next = 'UP';
    else if (value < thresholdValue - hysteresis && side !== 'DOWN') next = 'DOWN';
    if (!next) return;
    const crossing: CrossingState = { ...t.crossing, [vnfInstanceId]: next };
    await this.#o.repo.setCrossing(t.id, crossing);
    const current = this.#thresholds.get(t.id);
    if (current) this.#thresholds.set(t.id, { ...current, crossing });
    // The first sample below the threshold only records the side: nothing was crossed.
    if (next === 'DOWN' && side === undefined) return;
    await this.#o.notifications?.publishThresholdCrossed({
      tenant: t.tenant,
      objectType: t.objectType,
      objectInstanceId: t.objectInstanceId,
      callback: current?.callbackUri ? { uri: current.callbackUri, authSealed: current.authSealed } : null,
      thresholdId: t.id,
      crossingDirection: next,
      subObjectInstanceId: vnfInstanceId,
      performanceMetric: t.criteria.performanceMetric,
      performanceValue: value,
    });
  }

  /** Closes every reporting period that has ended by the clock: stores its report and notifies. */
  tick(): Promise<void> {
    return this.#serial(() => this.#report());
  }

  async #report(): Promise<void> {
    const now = this.#o.clock.now().getTime();
    for (const j of this.#jobs.values()) {
      const boundary = j.record.criteria.reportingBoundary ? Date.parse(j.record.criteria.reportingBoundary) : Infinity;
      while (now >= j.periodEndMs) {
        const end = j.periodEndMs;
        j.periodEndMs += j.record.criteria.reportingPeriod * 1000;
        const due = [...j.buckets.entries()].filter(([, b]) => b.endMs <= end);
        for (const [k] of due) j.buckets.delete(k);
        if (due.length === 0 || end > boundary) continue;
        await this.#store(j.record, due.map(([, b]) => b), new Date(end));
      }
    }
  }

  async #store(job: PmJobRecord, buckets: readonly Bucket[], readyTime: Date): Promise<void> {
    const entries = new Map<string, { nsId: string; vnfInstanceId: string; metric: string; values: Bucket[] }>();
    for (const b of buckets) {
      const k = `${b.nsId}|${b.vnfInstanceId}|${b.metric}`;
      const e = entries.get(k) ?? { nsId: b.nsId, vnfInstanceId: b.vnfInstanceId, metric: b.metric, values: [] };
      e.values.push(b);
      entries.set(k, e);
    }
    const list: PmReportEntry[] = [...entries.values()].map((e) => ({
      objectType: job.objectType,
      objectInstanceId: e.nsId,
      subObjectInstanceId: e.vnfInstanceId,
      performanceMetric: e.metric,
      performanceValues: e.values.sort((a, b) => a.endMs - b.endMs).map((b) => ({ timeStamp: new Date(b.endMs).toISOString(), value: aggregate(b.metric, b.values) })),
    }));
    const report: PmReportRecord = { id: this.#o.ids.next(), pmJobId: job.id, entries: list, readyTime, fileSize: Buffer.byteLength(JSON.stringify({ entries: list })) };
    await this.#o.repo.insertReport(report);
    const current = this.#jobs.get(job.id)?.record ?? job;
    for (const nsId of new Set(list.map((e) => e.objectInstanceId))) {
      await this.#o.notifications?.publishPerformanceInformationAvailable({
        tenant: job.tenant,
        objectType: job.objectType,
        objectInstanceId: nsId,
        subObjectInstanceIds: [...new Set(list.filter((e) => e.objectInstanceId === nsId).map((e) => e.subObjectInstanceId as string))],
        callback: current.callbackUri ? { uri: current.callbackUri, authSealed: current.authSealed } : null,
        pmJobId: job.id,
        reportId: report.id,
      });
    }
  }
}
