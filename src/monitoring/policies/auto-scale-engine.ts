import type { EventBus } from '../../bus/index.js';
import { RondoError } from '../../model/index.js';
import type { Clock, VnfInstance } from '../../model/index.js';
import type { ComputeStats } from '../watch/stats-source.js';
import type { MonitoringTopics, PolicyEventType, VnfStatsEvent } from '../monitoring-events.js';
import { decideScale, observeMetric } from './scale-decision.js';
import type { ScaleDirection, ScaleWindow } from './scale-decision.js';
import type { PolicyService } from './policy-service.js';
import type { AutoScalePolicy, PolicyStore, ScaleMetric } from './policy-types.js';

/** What the engine reads and starts on the NS lifecycle. */
export interface AutoScaleNsPort {
  listVnfs(nsInstanceId: string): Promise<readonly VnfInstance[]>;
  /** The operation running (not final) on the NS, if any. */
  openOperation(nsInstanceId: string): Promise<{ readonly id: string; readonly lcmOperationType: string } | undefined>;
  /** The highest level aspect `aspectId` of VNF member `vnfId` may reach (undefined: the VNF has no such aspect). */
  maxScaleLevel(nsInstanceId: string, vnfId: string, aspectId: string): Promise<number | undefined>;
  /**
   * Starts an automatic SCALE (`isAutomaticInvocation: true`) of one step of the aspect;
   * throws RondoError `NS_OPERATION_IN_PROGRESS` when another operation got there first.
   */
  scale(nsInstanceId: string, req: { readonly vnfInstanceId: string; readonly aspectId: string; readonly direction: ScaleDirection; readonly additionalParams: Record<string, unknown> }): Promise<{ readonly id: string }>;
}

/** Options of {@link AutoScaleEngine}. */
export interface AutoScaleEngineOptions {
  readonly bus: EventBus<MonitoringTopics>;
  readonly policies: Pick<PolicyService, 'scalePolicies'>;
  readonly store: Pick<PolicyStore, 'claim'>;
  readonly ns: AutoScaleNsPort;
  readonly clock: Clock;
  /** How long an NS instance's policies are used before they are read again (ms; default 5000): overrides made by another process show within it. */
  readonly policyTtlMs?: number;
  /** Counts each firing (Prometheus `rondo_policy_firings_total`). */
  readonly onFired?: (policy: AutoScalePolicy, direction: ScaleDirection) => void;
  readonly onError?: (error: unknown) => void;
}

/** The value of a metric in one sample, in percent; undefined when the sample does not say. */
export function metricValue(metric: ScaleMetric, s: ComputeStats): number | undefined {
  switch (metric) {
    case 'cpu_utilization':
      return s.cpuPercent;
    case 'memory_utilization':
      return s.memoryLimitBytes !== null && s.memoryLimitBytes > 0 ? (s.memoryBytes / s.memoryLimitBytes) * 100 : undefined;
  }
}

/** The samples of one VNF of one NS, and each of its policies' windows. */
interface Series {
  /** The last sample of each VNFC instance (compute). */
  readonly samples: Map<string, ComputeStats>;
  readonly windows: Map<string, ScaleWindow>;
  /** The last skip or wait reason published per policy (said once per reason). */
  readonly told: Map<string, string>;
  /** The VNF instance and its aspects' levels as last read (they change only by an operation, which starts the series afresh). */
  vnf?: { readonly instance: VnfInstance; readonly maxLevels: Map<string, number | undefined> };
}

const keyOf = (nsId: string, vnfId: string): string => `${nsId}\u0000${vnfId}`;

/**
 * Auto-scale: every `vnf.stats` sample of a VNF whose NS has auto-scale policies updates
 * the VNF's mean (over its VNFC instances) of each watched metric; a policy whose
 * scale-out (scale-in) condition has held for its window starts a real, durable SCALE of
 * one step with `isAutomaticInvocation: true`. It never leaves the aspect's limits, waits
 * out the cooldown after a scale, and never fires beside another operation on the NS: it
 * skips with a `policy.skipped` event that says why (OPERATION_IN_PROGRESS, AT_MAX_LEVEL,
 * ...), once per reason, and the condition must hold again afterwards. The VNF's samples
 * and windows start afresh whenever an operation on the NS settles (its instances changed).
 *
 * Several processes may run an engine over one store: the guarded firing-state update
 * (the same claim auto-heal uses) lets one of them start each scale.
 */
export class AutoScaleEngine {
  readonly #o: AutoScaleEngineOptions;
  readonly #series = new Map<string, Series>();
  readonly #policies = new Map<string, { readonly at: number; readonly list: Promise<AutoScalePolicy[]>; none: boolean }>();
  readonly #running = new Map<string, Promise<void>>();
  #unsubscribe: (() => void) | undefined;

  constructor(opts: AutoScaleEngineOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#unsubscribe ??= this.#o.bus.subscribe('vnf.stats', (e) => this.sample(e));
  }

  /** Stops listening and waits for decisions in progress. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.settled();
    this.#series.clear();
    this.#policies.clear();
  }

  /** Takes one sample of one VNFC instance. */
  sample(e: VnfStatsEvent): void {
    const key = keyOf(e.nsId, e.vnfId);
    const before = this.#running.get(key) ?? Promise.resolve();
    const run = before
      .then(() => this.#onSample(key, e))
      .catch((err: unknown) => this.#o.onError?.(err))
      .finally(() => {
        if (this.#running.get(key) === run) this.#running.delete(key);
      });
    this.#running.set(key, run);
  }

  /** An operation on the NS settled: its VNFs' instances may have changed, so their samples and windows start afresh. */
  operationSettled(nsId: string): void {
    for (const key of this.#series.keys()) if (key.startsWith(`${nsId}\u0000`)) this.#series.delete(key);
    this.#policies.delete(nsId);
  }

  /** A policy of the NS was set: read its policies again at the next sample. */
  policiesChanged(nsId: string): void {
    this.#policies.delete(nsId);
  }

  /** Resolves once every decision started so far is made. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  #policiesOf(nsId: string): Promise<AutoScalePolicy[]> {
    const now = this.#o.clock.now().getTime();
    const cached = this.#policies.get(nsId);
    const ttl = this.#o.policyTtlMs ?? 5000;
    // An NS without auto-scale policies has none until its NSD changes (never, in Rondo): asked again rarely.
    if (cached && now - cached.at < (cached.none ? ttl * 60 : ttl)) return cached.list;
    // A gone NS (or one whose NSD cannot be read) has no policies until the next read.
    const list = this.#o.policies.scalePolicies(nsId).catch((): AutoScalePolicy[] => []);
    const entry = { at: now, list, none: false };
    this.#policies.set(nsId, entry);
    void list.then((l) => void (entry.none = l.length === 0));
    return list;
  }

  #emit(type: PolicyEventType, p: AutoScalePolicy, extra: { reason?: string; opId?: string; attempt?: number; until?: string; trigger?: string } = {}): void {
    this.#o.bus.publish(type, { type, nsInstanceId: p.nsInstanceId, policyId: p.policyId, vnfId: p.vnfId, at: this.#o.clock.now().toISOString(), ...extra });
  }

  /** Publishes a skip or wait once per reason and policy. */
  #tell(series: Series, p: AutoScalePolicy, type: 'policy.skipped' | 'policy.waiting', reason: string, trigger: string, until?: Date): void {
    if (series.told.get(p.policyId) === reason) return;
    series.told.set(p.policyId, reason);
    this.#emit(type, p, { reason, trigger, ...(until ? { until: until.toISOString() } : {}) });
  }

  async #onSample(key: string, e: VnfStatsEvent): Promise<void> {
    const mine = (await this.#policiesOf(e.nsId)).filter((p) => p.vnfId === e.vnfId && p.enabled);
    if (mine.length === 0) return;
    let series = this.#series.get(key);
    if (!series) this.#series.set(key, (series = { samples: new Map(), windows: new Map(), told: new Map() }));
    series.samples.set(e.computeId, e.stats);
    // One clock for observing and deciding (the sample's own time is the engine's clock in Rondo, but need not be in a test).
    const at = this.#o.clock.now();
    for (const p of mine) {
      const values = [...series.samples.values()].flatMap((s) => {
        const v = metricValue(p.metric, s);
        return v === undefined ? [] : [v];
      });
      if (values.length === 0) continue;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const window = observeMetric(p, series.windows.get(p.policyId) ?? {}, mean, at);
      series.windows.set(p.policyId, window);
      if (!window.above && !window.below) series.told.delete(p.policyId);
      await this.#decide(series, p, window, mean);
    }
  }

  async #decide(series: Series, p: AutoScalePolicy, window: ScaleWindow, mean: number): Promise<void> {
    const { ns, clock } = this.#o;
    const now = clock.now();
    // Cheap first: no condition held for the window means no VIM or store work at all.
    if (decideScale(p, window, { current: 0, max: Number.MAX_SAFE_INTEGER }, now).kind === 'none') return;
    // Read once per series: levels change only by an operation, and a settled one starts the series afresh.
    if (!series.vnf) {
      const instance = (await ns.listVnfs(p.nsInstanceId)).find((v) => v.kind === 'vnf' && v.memberId === p.vnfId);
      if (!instance) return;
      series.vnf = { instance, maxLevels: new Map() };
    }
    const vnf = series.vnf.instance;
    if (!series.vnf.maxLevels.has(p.aspectId)) series.vnf.maxLevels.set(p.aspectId, await ns.maxScaleLevel(p.nsInstanceId, p.vnfId, p.aspectId));
    const max = series.vnf.maxLevels.get(p.aspectId);
    if (max === undefined) return;
    const current = vnf.scaleStatus?.find((s) => s.aspectId === p.aspectId)?.scaleLevel ?? 0;
    const d = decideScale(p, window, { current, max }, now);
    const threshold = d.kind === 'none' ? null : d.direction === 'out' ? `> ${p.scaleOutThreshold}` : `< ${p.scaleInThreshold}`;
    const trigger = `${p.metric} ${mean.toFixed(1)} ${threshold} for ${p.windowSeconds} s`;
    switch (d.kind) {
      case 'none':
        return;
      case 'skip':
        return this.#tell(series, p, 'policy.skipped', d.reason, trigger);
      case 'wait':
        return this.#tell(series, p, 'policy.waiting', d.reason, trigger, d.until);
      case 'fire':
        break;
    }
    if (vnf.state !== 'STARTED') return this.#tell(series, p, 'policy.skipped', 'VNF_NOT_STARTED', trigger);
    if (await ns.openOperation(p.nsInstanceId)) return this.#tell(series, p, 'policy.skipped', 'OPERATION_IN_PROGRESS', trigger);
    if (!(await this.#o.store.claim(p.nsInstanceId, p.policyId, p.vnfId, d.expected, d.next, now))) {
      this.#policies.delete(p.nsInstanceId); // another process fired: read its firing state
      return this.#tell(series, p, 'policy.skipped', 'CLAIMED_ELSEWHERE', trigger);
    }
    try {
      const op = await ns.scale(p.nsInstanceId, {
        vnfInstanceId: vnf.id, aspectId: p.aspectId, direction: d.direction,
        additionalParams: { policyId: p.policyId, metric: p.metric, value: Number(mean.toFixed(2)), trigger, firedAt: now.toISOString() },
      });
      // The window starts over: the next scale needs the condition to hold again, after the cooldown; the levels are read again.
      delete series.vnf;
      series.windows.delete(p.policyId);
      series.told.delete(p.policyId);
      this.#policies.delete(p.nsInstanceId);
      this.#o.onFired?.(p, d.direction);
      this.#emit('policy.fired', p, { opId: op.id, attempt: d.next.attempts, reason: d.direction === 'out' ? 'SCALE_OUT' : 'SCALE_IN', trigger });
    } catch (err) {
      // The scale did not start: the firing is given back (and what was read may be stale).
      delete series.vnf;
      await this.#o.store.claim(p.nsInstanceId, p.policyId, p.vnfId, d.next, d.expected, clock.now());
      this.#policies.delete(p.nsInstanceId);
      if (err instanceof RondoError && ['NS_OPERATION_IN_PROGRESS', 'SCALE_LIMIT_EXCEEDED', 'NS_STATE_CONFLICT', 'VNF_STATE_CONFLICT'].includes(err.code)) {
        return this.#tell(series, p, 'policy.skipped', err.code === 'NS_OPERATION_IN_PROGRESS' ? 'OPERATION_IN_PROGRESS' : err.code, trigger);
      }
      this.#tell(series, p, 'policy.skipped', 'SCALE_REFUSED', trigger);
      throw err;
    }
  }
}
