import type { EventBus } from '../../bus/index.js';
import { RondoError } from '../../model/index.js';
import type { Clock, VnfInstance } from '../../model/index.js';
import type { AlarmService } from '../alarms/alarm-service.js';
import type { MonitoringTopics, PolicyEvent, PolicyEventType, VnfEvent } from '../monitoring-events.js';
import { decideHeal } from './heal-decision.js';
import type { PolicyService } from './policy-service.js';
import type { AutoHealPolicy, PolicyStore } from './policy-types.js';

/** What the engine reads and starts on the NS lifecycle. */
export interface AutoHealNsPort {
  /** The NS instance's state (`INSTANTIATED`, ...); undefined when it is gone. */
  nsState(nsInstanceId: string): Promise<string | undefined>;
  listVnfs(nsInstanceId: string): Promise<readonly VnfInstance[]>;
  /** The operation running (not final) on the NS, if any. */
  openOperation(nsInstanceId: string): Promise<{ readonly id: string; readonly lcmOperationType: string } | undefined>;
  /**
   * Starts an automatic HEAL (`isAutomaticInvocation: true`) of one VNF instance (`all`:
   * every compute of it, also those the VIM sees running — a failed probe); throws
   * RondoError `NS_OPERATION_IN_PROGRESS` when another operation got there first.
   */
  heal(nsInstanceId: string, req: { readonly vnfInstanceId: string; readonly cause: string; readonly all: boolean; readonly additionalParams: Record<string, unknown> }): Promise<{ readonly id: string }>;
  /** Whether the compute needs healing now: gone, not running, or failing its health check. */
  computeSick(popId: string, computeId: string): Promise<boolean>;
}

/** Options of {@link AutoHealEngine}. */
export interface AutoHealEngineOptions {
  readonly bus: EventBus<MonitoringTopics>;
  readonly policies: PolicyService;
  readonly store: PolicyStore;
  readonly ns: AutoHealNsPort;
  readonly alarms: Pick<AlarmService, 'raise'>;
  readonly clock: Clock;
  /** How often waiting failures are looked at again (ms; default 1000). Tests call {@link AutoHealEngine.tick}. */
  readonly tickMs?: number;
  /** Counts each firing (Prometheus `rondo_policy_firings_total`). */
  readonly onFired?: (policy: AutoHealPolicy) => void;
  readonly onError?: (error: unknown) => void;
}

/** A failure the engine still has to act on. */
interface Pending {
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
  readonly computeId: string;
  readonly trigger: 'vnf.down' | 'vnf.unhealthy';
  /** From a health probe: the VIM sees the compute running, the probe says it is sick. */
  readonly probe: boolean;
  readonly exitCode?: number;
  dueAt?: Date;
  /** The last `policy.waiting` reason told (said once per reason). */
  told?: string;
}

const keyOf = (nsId: string, vnfId: string): string => `${nsId}\u0000${vnfId}`;

/**
 * Auto-heal: a VNF compute that dies (`vnf.down`) or fails its health (`vnf.unhealthy`)
 * on an NS whose auto-heal policy for that VNF is enabled gets a real, durable HEAL
 * operation with `isAutomaticInvocation: true`. A failure waits while another operation
 * runs on the NS (`policy.waiting` OPERATION_IN_PROGRESS, looked at again when an
 * operation settles) and between heals (BACKOFF); once `maxAttempts` heals were made, the
 * next failure raises a CRITICAL alarm (`AUTO_HEAL_EXHAUSTED`) and the policy heals no
 * more until it is set again. Every decision is published on the monitoring bus.
 *
 * Several processes may run an engine over one store (every API process watches the
 * PoPs): each sees the failure, and the guarded firing-state update in the store lets
 * exactly one of them start the HEAL; the others skip (CLAIMED_ELSEWHERE) or, seeing the
 * heal running, wait and then find the VNF healthy.
 */
export class AutoHealEngine {
  readonly #o: AutoHealEngineOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #running = new Map<string, Promise<void>>();
  #unsubs: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: AutoHealEngineOptions) {
    this.#o = opts;
  }

  /** Listens to VNF failures and looks at waiting ones every `tickMs`. */
  start(): void {
    if (this.#unsubs.length > 0) return;
    this.#unsubs = [
      this.#o.bus.subscribe('vnf.down', (e) => this.trigger(e)),
      this.#o.bus.subscribe('vnf.unhealthy', (e) => this.trigger(e, { probe: e.probe !== undefined })),
    ];
    this.#timer = setInterval(() => this.tick(), this.#o.tickMs ?? 1000);
    this.#timer.unref();
  }

  /** Stops listening and waits for decisions in progress; waiting failures are dropped. */
  async stop(): Promise<void> {
    for (const u of this.#unsubs.splice(0)) u();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.settled();
    this.#pending.clear();
  }

  /** Takes a VNF failure; `probe` when a health probe (not the VIM) found it. */
  trigger(e: VnfEvent, opts: { readonly probe?: boolean } = {}): void {
    if (e.type !== 'vnf.down' && e.type !== 'vnf.unhealthy') return;
    const key = keyOf(e.nsId, e.vnfId);
    if (!this.#pending.has(key)) {
      this.#pending.set(key, {
        nsId: e.nsId, vnfId: e.vnfId, popId: e.popId, computeId: e.computeId, trigger: e.type, probe: opts.probe === true,
        ...(e.exitCode === undefined ? {} : { exitCode: e.exitCode }),
      });
    }
    this.#evaluate(key);
  }

  /** Looks again at every waiting failure that is due (the timer calls it; tests call it after moving the clock). */
  tick(): void {
    const now = this.#o.clock.now().getTime();
    for (const [key, p] of this.#pending) if (!p.dueAt || p.dueAt.getTime() <= now) this.#evaluate(key);
  }

  /** An operation on the NS settled: its waiting failures are looked at again. */
  operationSettled(nsId: string): void {
    for (const [key, p] of this.#pending) if (p.nsId === nsId) this.#evaluate(key);
  }

  /** Failures still waiting (NS, VNF, why). */
  waiting(): { nsInstanceId: string; vnfId: string; reason?: string; until?: string }[] {
    return [...this.#pending.values()].map((p) => ({ nsInstanceId: p.nsId, vnfId: p.vnfId, ...(p.told ? { reason: p.told } : {}), ...(p.dueAt ? { until: p.dueAt.toISOString() } : {}) }));
  }

  /** Resolves once every decision started so far is made. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** One decision per failure at a time: a trigger during one runs after it. */
  #evaluate(key: string): void {
    const before = this.#running.get(key) ?? Promise.resolve();
    const run = before
      .then(() => this.#decide(key))
      .catch((e: unknown) => this.#o.onError?.(e))
      .finally(() => {
        if (this.#running.get(key) === run) this.#running.delete(key);
      });
    this.#running.set(key, run);
  }

  #emit(type: PolicyEventType, p: Pending, policyId: string, extra: Partial<PolicyEvent> = {}): void {
    this.#o.bus.publish(type, { type, nsInstanceId: p.nsId, policyId, vnfId: p.vnfId, at: this.#o.clock.now().toISOString(), trigger: p.trigger, ...extra });
  }

  #drop(key: string, p: Pending, policyId: string, reason?: string): void {
    this.#pending.delete(key);
    if (reason) this.#emit('policy.skipped', p, policyId, { reason });
  }

  #wait(p: Pending, policyId: string, reason: string, until?: Date): void {
    if (until) p.dueAt = until;
    else delete p.dueAt;
    if (p.told === reason) return;
    p.told = reason;
    this.#emit('policy.waiting', p, policyId, { reason, ...(until ? { until: until.toISOString() } : {}) });
  }

  async #decide(key: string): Promise<void> {
    const p = this.#pending.get(key);
    if (!p) return;
    const { ns, store, clock } = this.#o;
    const policy = await this.#o.policies.forVnf(p.nsId, p.vnfId).catch(() => undefined);
    if (!policy) return void this.#pending.delete(key); // not a VNF of the NS (a SAP), or the NS is gone
    if (!policy.enabled) return this.#drop(key, p, policy.policyId, 'DISABLED');
    if (policy.exhaustedAt) return this.#drop(key, p, policy.policyId, 'EXHAUSTED');
    if ((await ns.nsState(p.nsId)) !== 'INSTANTIATED') return this.#drop(key, p, policy.policyId, 'NS_NOT_INSTANTIATED');
    const vnf = (await ns.listVnfs(p.nsId)).find((v) => v.kind === 'vnf' && v.memberId === p.vnfId);
    if (!vnf) return this.#drop(key, p, policy.policyId, 'NS_NOT_INSTANTIATED');
    if (vnf.state === 'STOPPED') return this.#drop(key, p, policy.policyId, 'VNF_STOPPED');
    // Never two operations on one NS: wait for the one running (it may be a heal of this very VNF).
    const open = await ns.openOperation(p.nsId);
    if (open) return this.#wait(p, policy.policyId, 'OPERATION_IN_PROGRESS');
    // A probe's failure stands for the compute it probed: one healed meanwhile is a new compute, probed afresh.
    if (p.probe ? !vnf.computeIds.includes(p.computeId) : !(await this.#sick(vnf))) return this.#drop(key, p, policy.policyId, 'HEALTHY');
    const now = clock.now();
    const d = decideHeal(policy, now, this.#o.policies.defaults.resetAfterSeconds);
    switch (d.kind) {
      case 'skip':
        return this.#drop(key, p, policy.policyId, d.reason);
      case 'wait':
        return this.#wait(p, policy.policyId, d.reason, d.until);
      case 'exhaust':
        return this.#exhaust(key, p, policy, vnf);
      case 'fire':
        break;
    }
    if (!(await store.claim(p.nsId, policy.policyId, p.vnfId, d.expected, d.next, now))) return this.#drop(key, p, policy.policyId, 'CLAIMED_ELSEWHERE');
    const cause = `auto-heal policy ${policy.policyId}: ${p.trigger}${p.exitCode === undefined ? '' : ` (exit ${p.exitCode})`}${p.probe ? ' (health probe)' : ''}`;
    try {
      // A probe's failure is not the VIM's: the VIM sees the compute running, so every compute of the VNF is re-created (Tacker's respawn).
      const op = await ns.heal(p.nsId, { vnfInstanceId: vnf.id, cause, all: p.probe, additionalParams: { policyId: policy.policyId, attempt: d.next.attempts, trigger: p.trigger, ...(p.probe ? { all: true } : {}) } });
      this.#pending.delete(key);
      this.#o.onFired?.(policy);
      this.#emit('policy.fired', p, policy.policyId, { opId: op.id, attempt: d.next.attempts });
    } catch (e) {
      // The heal did not start: the attempt is given back.
      await store.claim(p.nsId, policy.policyId, p.vnfId, d.next, d.expected, clock.now());
      if (e instanceof RondoError && e.code === 'NS_OPERATION_IN_PROGRESS') return this.#wait(p, policy.policyId, 'OPERATION_IN_PROGRESS');
      this.#drop(key, p, policy.policyId, 'HEAL_REFUSED');
      throw e;
    }
  }

  async #sick(vnf: VnfInstance): Promise<boolean> {
    for (const id of vnf.computeIds) if (await this.#o.ns.computeSick(vnf.popId, id)) return true;
    return false;
  }

  async #exhaust(key: string, p: Pending, policy: AutoHealPolicy, vnf: VnfInstance): Promise<void> {
    this.#pending.delete(key);
    if (!(await this.#o.store.exhaust(p.nsId, policy.policyId, p.vnfId, this.#o.clock.now()))) return;
    await this.#o.alarms.raise(
      { nsId: p.nsId, vnfId: p.vnfId, popId: vnf.popId, computeId: p.computeId, at: this.#o.clock.now(), ...(p.exitCode === undefined ? {} : { exitCode: p.exitCode }) },
      { probableCause: 'AUTO_HEAL_EXHAUSTED', severity: 'CRITICAL', eventType: 'PROCESSING_ERROR_ALARM', faultType: `VNF still failing after ${policy.maxAttempts} automatic heals; healing stopped` },
    );
    this.#emit('policy.exhausted', p, policy.policyId, { attempt: policy.attempts, reason: 'MAX_ATTEMPTS' });
  }
}
