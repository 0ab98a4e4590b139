import { createOutboundGuard } from '../auth/outbound-guard.js';
import type { OutboundGuard } from '../auth/outbound-guard.js';
import type { EventBus } from '../bus/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { VesConfigRepository } from '../store/index.js';
import type { MonitoringTopics } from './monitoring-events.js';
import type { MonitoringMetrics } from './metrics.js';
import { parseVesAgentConfig, toVesAgentView } from './ves-agent-config.js';
import type { VesAgentView } from './ves-agent-config.js';
import { VesAgentRunner } from './ves-agent-runner.js';
import type { VnfSourceResolver } from './ves-agent-runner.js';
import type { VesDeliveryOptions } from './ves/ves-delivery.js';
import { createSequenceCounter } from './ves/ves-header.js';
import type { VesBuildContext } from './ves/ves-header.js';
import type { VimMonitoringPort } from './watch/vim-monitoring-port.js';

/** Delivery tuning shared by every VIM's collector (endpoint and auth come from the config, the guard from the agent). */
export type VesDeliveryTuning = Omit<VesDeliveryOptions, 'endpoint' | 'auth' | 'observer' | 'guard'>;

/** Options of {@link VesAgent}. */
export interface VesAgentOptions {
  readonly repo: VesConfigRepository;
  /** Seals the collector password at rest (the auth module's secret box). */
  readonly secrets: { seal(plain: string): string; open(sealed: string): string };
  readonly bus: EventBus<MonitoringTopics>;
  /**
   * The monitoring port of a VIM (PoP) id; undefined for an unknown VIM (fault/measurement
   * backlogs then only record polls). Asked at every poll, not once per config.
   */
  readonly vims: (vimId: string) => VimMonitoringPort | undefined;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** This Rondo instance's name, the events' `reportingEntityName`. */
  readonly reportingEntityName: string;
  readonly metrics?: MonitoringMetrics;
  readonly names?: VnfSourceResolver;
  readonly delivery?: VesDeliveryTuning;
  /**
   * Where collectors may be (the server passes `auth.outbound`, built from
   * RONDO_OUTBOUND_ALLOW): checked when a config is posted and on every delivery POST.
   * Default: an open guard (http/https, no credentials in the URL, no link-local address).
   */
  readonly guard?: OutboundGuard;
  readonly onError?: (error: unknown, what: string) => void;
}

/**
 * The VES agent (seed 001's per-VIM controller): durable configuration per VIM, with the
 * collector password sealed at rest, and one {@link VesAgentRunner} per configured VIM.
 * `start()` resumes every stored configuration (after a restart polling continues where
 * the stored last-poll times say); `configure` replaces a VIM's config and restarts its
 * runner; `remove` stops it and deletes the config.
 */
export class VesAgent {
  readonly #o: VesAgentOptions;
  readonly #guard: OutboundGuard;
  readonly #build: VesBuildContext;
  readonly #runners = new Map<string, VesAgentRunner>();
  /** Serialises config changes per VIM so a POST racing a DELETE ends consistent. */
  readonly #locks = new Map<string, Promise<unknown>>();
  #started = false;

  constructor(opts: VesAgentOptions) {
    this.#o = opts;
    this.#guard = opts.guard ?? createOutboundGuard();
    this.#build = { reportingEntityName: opts.reportingEntityName, ids: opts.ids, sequences: createSequenceCounter() };
  }

  /** Starts a runner for every stored configuration. */
  async start(): Promise<void> {
    this.#started = true;
    for (const c of await this.#o.repo.list()) await this.#locked(c.vimId, () => this.#restart(c.vimId));
  }

  /** Stops every runner (configurations stay stored). */
  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#runners.values()].map((r) => r.stop()));
    this.#runners.clear();
  }

  /** The running runner of a VIM (tests and metrics read its delivery counters). */
  runner(vimId: string): VesAgentRunner | undefined {
    return this.#runners.get(vimId);
  }

  /**
   * Validates and stores `body` (`{"vesagent_config": …}`) as the VIM's configuration and
   * (re)starts its polling. Throws BadRequestError `VESAGENT_CONFIG_MISSING` /
   * `VESAGENT_CONFIG_INVALID` / `OUTBOUND_URL_INVALID` / `OUTBOUND_NOT_ALLOWED` (the
   * guard refuses the endpoint; nothing is stored).
   */
  async configure(vimId: string, body: unknown): Promise<VesAgentView> {
    const input = parseVesAgentConfig(body, this.#guard);
    return this.#locked(vimId, async () => {
      const saved = await this.#o.repo.put({
        vimId,
        endpoint: input.endpoint,
        username: input.username,
        passwordSealed: input.password === null ? null : this.#o.secrets.seal(input.password),
        pollIntervalDefault: input.pollIntervalDefault,
        updatedAt: this.#o.clock.now(),
        backlogs: input.backlogs.map((b, position) => ({ ...b, id: this.#o.ids.next(), position })),
      });
      if (this.#started) await this.#restart(vimId);
      return toVesAgentView(saved);
    });
  }

  /** The VIM's configuration with each backlog's last poll, or undefined. */
  async get(vimId: string): Promise<VesAgentView | undefined> {
    const c = await this.#o.repo.get(vimId);
    return c && toVesAgentView(c);
  }

  /** Stops the VIM's polling and deletes its configuration; true if there was one. */
  async remove(vimId: string): Promise<boolean> {
    return this.#locked(vimId, async () => {
      await this.#runners.get(vimId)?.stop();
      this.#runners.delete(vimId);
      return this.#o.repo.delete(vimId);
    });
  }

  async #restart(vimId: string): Promise<void> {
    await this.#runners.get(vimId)?.stop();
    this.#runners.delete(vimId);
    const c = await this.#o.repo.get(vimId);
    if (!c) return;
    const o = this.#o;
    try {
      // A stored endpoint the guard refuses now (RONDO_OUTBOUND_ALLOW changed since): told, not polled.
      this.#guard.check(c.endpoint, 'vesagent_config.ves_subscription.endpoint');
    } catch (e) {
      (o.onError ?? (() => {}))(e, `VES agent of VIM ${vimId} not started: its collector endpoint is refused`);
      return;
    }
    const runner = new VesAgentRunner({
      vimId,
      backlogs: c.backlogs,
      pollIntervalDefault: c.pollIntervalDefault,
      delivery: {
        ...o.delivery,
        guard: this.#guard,
        endpoint: c.endpoint,
        auth: c.username === null ? null : { username: c.username, password: c.passwordSealed === null ? '' : o.secrets.open(c.passwordSealed) },
      },
      port: () => o.vims(vimId),
      repo: o.repo,
      bus: o.bus,
      clock: o.clock,
      build: this.#build,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      ...(o.names ? { names: o.names } : {}),
      onError: o.onError ?? (() => {}),
    });
    this.#runners.set(vimId, runner);
    runner.start();
  }

  #locked<T>(vimId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(vimId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.#locks.set(vimId, next);
    void next.finally(() => {
      if (this.#locks.get(vimId) === next) this.#locks.delete(vimId);
    }).catch(() => undefined);
    return next;
  }
}
