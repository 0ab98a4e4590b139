import type { EventBus } from '../../bus/index.js';
import type { Clock, VnfInstance } from '../../model/index.js';
import type { MonitoringTopics } from '../monitoring-events.js';
import type { PolicyService } from './policy-service.js';
import type { AutoHealPolicy, HealthProbe, NsPolicy } from './policy-types.js';

/** Carries out one probe try: resolves true when the VNF answered within `timeoutMs`. */
export interface ProbeRunner {
  ping(address: string, timeoutMs: number): Promise<boolean>;
  http(url: string, timeoutMs: number): Promise<boolean>;
}

/** What the prober reads of the NS lifecycle. */
export interface ProberNsPort {
  /** The NSDs (NsdInfo ids) that have instantiated NS instances: few, however many instances there are. */
  nsdsInstantiated(): Promise<readonly string[]>;
  /** The instantiated NS instances of these NSDs. */
  instantiatedNsOf(nsdInfoIds: readonly string[]): Promise<readonly { readonly id: string; readonly nsdInfoId: string }[]>;
  listVnfs(nsInstanceId: string): Promise<readonly VnfInstance[]>;
}

/** Options of {@link HealthProber}. */
export interface HealthProberOptions {
  readonly bus: EventBus<MonitoringTopics>;
  readonly policies: Pick<PolicyService, 'list' | 'declaresProbes'>;
  readonly ns: ProberNsPort;
  readonly runner: ProbeRunner;
  readonly clock: Clock;
  /** How often the targets are re-read (ms; default 10 000) and due probes looked at (ms; default 250). Tests call refresh/tick. */
  readonly refreshMs?: number;
  readonly tickMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** One probed compute. */
interface Target {
  readonly nsId: string;
  readonly vnfId: string;
  readonly popId: string;
  readonly computeId: string;
  readonly address: string;
  readonly probe: HealthProbe;
  nextAt: number;
  failures: number;
  unhealthy: boolean;
  busy: boolean;
}

/** The address a VNF is probed on: its management interface (Tacker pings the management IP), else its first. */
export const probeAddressOf = (vnf: Pick<VnfInstance, 'interfaces'>): string | undefined =>
  (vnf.interfaces.find((i) => /mgmt|management/i.test(i.cp) || /mgmt|management/i.test(i.linkId)) ?? vnf.interfaces[0])?.address;

/**
 * Health probes per VDU as the descriptor declares them (Tacker `monitoring_policy` ping /
 * http_ping: interval, timeout, retries, delay): each compute of a VNF with a probe is
 * tried every `intervalSeconds` (the first time `delaySeconds` after it is first seen);
 * `retries` failures in a row publish `vnf.unhealthy` (with `probe`) on the monitoring
 * bus — the alarm service raises an alarm, the auto-heal engine heals — once per run of
 * failures; the first success after it publishes `vnf.up` (the alarm clears).
 */
export class HealthProber {
  readonly #o: HealthProberOptions;
  readonly #targets = new Map<string, Target>();
  readonly #running = new Set<Promise<void>>();
  #timers: NodeJS.Timeout[] = [];

  constructor(opts: HealthProberOptions) {
    this.#o = opts;
  }

  start(): void {
    if (this.#timers.length > 0) return;
    this.#track(this.refresh());
    this.#timers = [setInterval(() => this.#track(this.refresh()), this.#o.refreshMs ?? 10_000), setInterval(() => this.tick(), this.#o.tickMs ?? 250)];
    for (const t of this.#timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.#timers.splice(0)) clearInterval(t);
    await this.settled();
    this.#targets.clear();
  }

  /** Resolves once every probe and refresh started so far is done. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** The computes probed now. */
  targets(): { nsInstanceId: string; vnfId: string; computeId: string; address: string; kind: string; failures: number }[] {
    return [...this.#targets.values()].map((t) => ({ nsInstanceId: t.nsId, vnfId: t.vnfId, computeId: t.computeId, address: t.address, kind: t.probe.kind, failures: t.failures }));
  }

  /** Re-reads which computes have a probe: new ones are added (first try after the delay), gone ones dropped. */
  async refresh(): Promise<void> {
    const seen = new Set<string>();
    const now = this.#o.clock.now().getTime();
    // Most NSDs declare no probe: their instances are not read at all (one descriptor read
    // per NSD; a server with 10,000 NS instances of probe-less NSDs reads none of them).
    const nsds = await this.#o.ns.nsdsInstantiated();
    const withProbes = (await Promise.all(nsds.map(async (id) => ((await this.#o.policies.declaresProbes(id).catch(() => false)) ? [id] : [])))).flat();
    const instances = withProbes.length > 0 ? await this.#o.ns.instantiatedNsOf(withProbes) : [];
    for (const { id: nsId } of instances) {
      const probed = (await this.#o.policies.list(nsId).catch((): NsPolicy[] => [])).filter((p): p is AutoHealPolicy => p.type === 'AUTO_HEAL' && p.probe !== undefined);
      if (probed.length === 0) continue;
      const vnfs = await this.#o.ns.listVnfs(nsId);
      for (const policy of probed) {
        const vnf = vnfs.find((v) => v.kind === 'vnf' && v.memberId === policy.vnfId);
        const address = vnf && probeAddressOf(vnf);
        if (!vnf || !address || !policy.probe || vnf.state === 'STOPPED') continue;
        for (const computeId of vnf.computeIds) {
          const key = `${nsId}\u0000${computeId}`;
          seen.add(key);
          if (!this.#targets.has(key)) {
            this.#targets.set(key, {
              nsId, vnfId: vnf.memberId, popId: vnf.popId, computeId, address, probe: policy.probe,
              nextAt: now + policy.probe.delaySeconds * 1000, failures: 0, unhealthy: false, busy: false,
            });
          }
        }
      }
    }
    for (const key of this.#targets.keys()) if (!seen.has(key)) this.#targets.delete(key);
  }

  /** Runs the probes that are due (the timer calls it; tests call it after moving the clock). */
  tick(): void {
    const now = this.#o.clock.now().getTime();
    for (const t of this.#targets.values()) {
      if (t.busy || t.nextAt > now) continue;
      t.busy = true;
      t.nextAt = now + t.probe.intervalSeconds * 1000;
      this.#track(this.#try(t).finally(() => (t.busy = false)));
    }
  }

  async #try(t: Target): Promise<void> {
    const { runner, bus, clock } = this.#o;
    const timeoutMs = t.probe.timeoutSeconds * 1000;
    const ok =
      t.probe.kind === 'ping'
        ? await runner.ping(t.address, timeoutMs).catch(() => false)
        : await runner.http(`http://${t.address}:${t.probe.port ?? 80}${t.probe.path ?? '/'}`, timeoutMs).catch(() => false);
    const base = { nsId: t.nsId, vnfId: t.vnfId, popId: t.popId, computeId: t.computeId, at: clock.now(), probe: t.probe.kind };
    if (ok) {
      t.failures = 0;
      if (t.unhealthy) {
        t.unhealthy = false;
        bus.publish('vnf.up', { type: 'vnf.up', ...base });
      }
      return;
    }
    t.failures++;
    if (t.failures >= t.probe.retries && !t.unhealthy) {
      t.unhealthy = true;
      bus.publish('vnf.unhealthy', { type: 'vnf.unhealthy', ...base });
    }
  }

  #track(p: Promise<void>): void {
    const w = p.catch((e: unknown) => this.#o.onError?.(e));
    this.#running.add(w);
    void w.finally(() => this.#running.delete(w));
  }
}
