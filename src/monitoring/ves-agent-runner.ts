import type { EventBus } from '../bus/index.js';
import type { Clock } from '../model/index.js';
import type { VesBacklogRecord, VesConfigRepository } from '../store/index.js';
import type { MonitoringTopics, VnfEvent } from './monitoring-events.js';
import type { MonitoringMetrics } from './metrics.js';
import type { VesDeliveryOptions } from './ves/ves-delivery.js';
import { VesDelivery } from './ves/ves-delivery.js';
import type { VesEvent } from './ves/ves-event.js';
import { buildFaultClearEvent, buildFaultEvent } from './ves/ves-fault.js';
import type { VnfFault, VnfFaultKind } from './ves/ves-fault.js';
import { buildHeartbeatEvent } from './ves/ves-heartbeat.js';
import type { VesBuildContext } from './ves/ves-header.js';
import { buildMeasurementEvent } from './ves/ves-measurement.js';
import type { ComputeStats, MonitoredCompute } from './watch/stats-source.js';
import type { VimMonitoringPort } from './watch/vim-monitoring-port.js';

/** A VNF of an NS as the VIM labels it: NS instance, NSD member (`rondo.vnf`), compute. */
export interface VnfRef {
  readonly nsId: string;
  readonly vnfId: string;
  readonly computeId: string;
}

/**
 * Resolves the VNF instance behind a compute for `sourceId` (the VNF instance id) and
 * `sourceName` (its name); undefined when unknown: the member id and the compute name
 * stand in.
 */
export type VnfSourceResolver = (ref: VnfRef) => Promise<{ readonly id: string; readonly name: string } | undefined>;

/** Everything a runner needs; built by `VesAgent`. */
export interface VesRunnerDeps {
  readonly vimId: string;
  readonly backlogs: readonly VesBacklogRecord[];
  readonly pollIntervalDefault: number;
  readonly delivery: VesDeliveryOptions;
  /**
   * The VIM's monitoring port, asked at every poll (a PoP registered after the config was
   * posted is picked up once monitoring watches it); undefined while the VIM is unknown.
   */
  readonly port: () => VimMonitoringPort | undefined;
  readonly repo: VesConfigRepository;
  readonly bus: EventBus<MonitoringTopics>;
  readonly clock: Clock;
  readonly build: VesBuildContext;
  readonly metrics?: MonitoringMetrics;
  readonly names?: VnfSourceResolver;
  readonly onError: (error: unknown, what: string) => void;
}

interface Raised {
  readonly fault: VnfFault;
  readonly eventId: string;
}

/** Faults are per VNF of an NS: two NSs of one NSD on one PoP share member ids. */
const vnfKey = (r: { nsId: string; vnfId: string }): string => `${r.nsId}\u0000${r.vnfId}`;

const FAULT_OF: Partial<Record<VnfEvent['type'], VnfFaultKind>> = { 'vnf.down': 'down', 'vnf.oom': 'oom', 'vnf.unhealthy': 'unhealthy' };

/** Docker's short container id (`docker ps`): 12 or more leading hex digits of the full id. */
const SHORT_ID = /^[0-9a-f]{12,}$/;

/**
 * Whether a backlog's `source` names this compute: `*`/empty for all, else the VNF member
 * id, the compute (VM) id or a Docker short id of it, the VM name, or the VNF's name.
 */
const matches = (b: VesBacklogRecord, c: { vnfId: string; computeId: string; computeName?: string; sourceName?: string }): boolean =>
  !b.source || b.source === '*' || [c.vnfId, c.computeId, c.computeName, c.sourceName].includes(b.source) || (SHORT_ID.test(b.source) && c.computeId.startsWith(b.source));

const isWildcard = (b: VesBacklogRecord): boolean => !b.source || b.source === '*';

/**
 * The VES agent of one VIM: its delivery to the collector, one polling chain per backlog
 * (`fault`: reconcile VNF compute states; `measurement`: sample resource use;
 * `heartbeat`), and immediate fault raise/clear events from the watchers' bus events.
 * A poll of one backlog never overlaps the previous one; the first poll after a restart
 * is due `poll_interval` after the stored last poll.
 */
export class VesAgentRunner {
  readonly delivery: VesDelivery;
  readonly #d: VesRunnerDeps;
  readonly #raised = new Map<string, Raised>();
  readonly #previous = new Map<string, ComputeStats>();
  readonly #names = new Map<string, string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #ac = new AbortController();
  readonly #unsubs: (() => void)[] = [];
  #untrack: () => void = () => {};
  #running = new Set<Promise<void>>();
  /** The VNF event handled last: each waits for the one before (see {@link #inOrder}). */
  #lastVnfEvent: Promise<void> = Promise.resolve();

  constructor(deps: VesRunnerDeps) {
    this.#d = deps;
    this.delivery = new VesDelivery({ ...deps.delivery, ...(deps.metrics ? { observer: deps.metrics.vesObserver(deps.vimId) } : {}) });
    this.#restoreRaised();
  }

  /** Starts delivery, bus subscriptions and the backlog timers. */
  start(): void {
    const d = this.#d;
    this.delivery.start();
    if (d.metrics) this.#untrack = d.metrics.trackVesQueue(d.vimId, () => this.delivery.queueDepth);
    if (d.backlogs.some((b) => b.domain === 'fault')) {
      for (const t of ['vnf.down', 'vnf.oom', 'vnf.unhealthy', 'vnf.up'] as const) {
        this.#unsubs.push(d.bus.subscribe(t, (e) => this.#track(this.#inOrder(e))));
      }
    }
    const now = d.clock.now().getTime();
    for (const b of d.backlogs) {
      const every = this.#interval(b);
      const due = b.lastPollAt ? Math.max(0, b.lastPollAt.getTime() + every - now) : 0;
      this.#schedule(b, due);
    }
  }

  /** Stops polling and delivery; waits for a poll in progress. */
  async stop(): Promise<void> {
    this.#ac.abort();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const u of this.#unsubs.splice(0)) u();
    this.#untrack();
    await Promise.allSettled([...this.#running]);
    await this.delivery.stop();
  }

  #interval(b: VesBacklogRecord): number {
    return (b.pollInterval ?? this.#d.pollIntervalDefault) * 1000;
  }

  #schedule(b: VesBacklogRecord, delayMs: number): void {
    if (this.#ac.signal.aborted) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      const started = Date.now();
      // Fixed rate: the next poll is due one interval after this one started (a slow VIM
      // answer, e.g. Docker's ~1 s stats, does not stretch the period), never overlapping.
      this.#track(this.#poll(b)).finally(() => this.#schedule(b, Math.max(0, this.#interval(b) - (Date.now() - started))));
    }, delayMs);
    this.#timers.add(t);
  }

  #track(p: Promise<void>): Promise<void> {
    const wrapped = p.catch((e) => this.#d.onError(e, 'ves agent'));
    this.#running.add(wrapped);
    void wrapped.finally(() => this.#running.delete(wrapped));
    return wrapped;
  }

  async #poll(b: VesBacklogRecord): Promise<void> {
    const d = this.#d;
    const signal = this.#ac.signal;
    // Asked at each poll: the VIM may have become known (or been replaced) since the last one.
    const port = d.port();
    let last: VesEvent | undefined;
    if (b.domain === 'heartbeat') {
      last = buildHeartbeatEvent(d.build, { source: { sourceId: d.vimId, sourceName: d.vimId }, at: d.clock.now(), intervalSeconds: this.#interval(b) / 1000 });
      this.delivery.enqueue(last);
    } else if (port) {
      const computes = (await port.listComputes(signal)).filter((c) => matches(b, c));
      for (const c of computes) this.#names.set(vnfKey(c), c.computeName);
      // Computes are asked concurrently: a stats call may take a second per compute.
      const events = await Promise.all(computes.map((c) => (b.domain === 'fault' ? this.#reconcile(port, c, signal) : this.#measure(port, b, c, signal))));
      last = events.filter((e) => e !== undefined).at(-1);
    }
    if (!signal.aborted) await d.repo.recordPoll(b.id, d.clock.now(), last);
  }

  async #reconcile(port: VimMonitoringPort, c: MonitoredCompute, signal: AbortSignal): Promise<VesEvent | undefined> {
    const state = await port.computeState(c.computeId, signal);
    const at = this.#d.clock.now();
    // Running again clears down/OOM faults; an unhealthy fault waits for a healthy check.
    if (state === 'ACTIVE') return this.#clear(c, at, ['down', 'oom']).at(-1);
    if (state === 'BUILD') return undefined;
    return this.#raise({ kind: 'down', ...c, at });
  }

  async #measure(port: VimMonitoringPort, b: VesBacklogRecord, c: MonitoredCompute, signal: AbortSignal): Promise<VesEvent | undefined> {
    const d = this.#d;
    const stats = await port.stats?.sample(c.computeId, signal);
    if (!stats) return undefined;
    d.metrics?.recordStats(c, stats);
    d.bus.publish('vnf.stats', { nsId: c.nsId, vnfId: c.vnfId, popId: c.popId, computeId: c.computeId, stats });
    const e = buildMeasurementEvent(d.build, {
      source: await this.#source(c),
      intervalSeconds: this.#interval(b) / 1000,
      stats,
      previous: this.#previous.get(c.computeId) ?? null,
    });
    this.#previous.set(c.computeId, stats);
    this.delivery.enqueue(e);
    return e;
  }

  /**
   * Handles VNF events one after another, in the order the bus gave them: handling awaits
   * the VIM (names), so a restart's clear could otherwise overtake the death's raise and
   * leave the fault raised.
   */
  #inOrder(e: VnfEvent): Promise<void> {
    const handled = this.#lastVnfEvent.then(() => this.#onVnfEvent(e));
    this.#lastVnfEvent = handled.catch(() => undefined);
    return handled;
  }

  async #onVnfEvent(e: VnfEvent): Promise<void> {
    const d = this.#d;
    if (e.popId !== d.vimId) return;
    const { sourceId, sourceName } = await this.#source(e);
    const faults = d.backlogs.filter((b) => b.domain === 'fault');
    const named = (computeName: string | undefined) => faults.filter((b) => matches(b, { ...e, computeName, sourceName }) || b.source === sourceId);
    // A backlog naming the VM matches on its name, which the event may lack (a VIM that
    // does not say it): then the name learnt by a poll, else one look at the VIM, so the
    // fault is sent now rather than at the next fault poll.
    let computeName = e.computeName ?? this.#names.get(vnfKey(e));
    if (computeName === undefined && faults.some((b) => !isWildcard(b)) && named(undefined).length < faults.length) computeName = await this.#lookupName(e);
    if (computeName !== undefined) this.#names.set(vnfKey(e), computeName);
    const backlogs = named(computeName);
    if (backlogs.length === 0) return;
    const kind = FAULT_OF[e.type];
    const events = kind ? [await this.#raise({ kind, ...e }, { sourceId, sourceName })].filter((x) => x !== undefined) : this.#clear(e, e.at);
    const last = events.at(-1);
    if (last) for (const b of backlogs) await d.repo.recordPoll(b.id, d.clock.now(), last);
  }

  /** Raises `f` once (until cleared); `source` when the caller already resolved it. */
  async #raise(
    f: { kind: VnfFaultKind; vnfId: string; nsId: string; computeId: string; popId: string; at: Date; exitCode?: number },
    source?: { sourceId: string; sourceName: string },
  ): Promise<VesEvent | undefined> {
    const key = `${vnfKey(f)}\u0000${f.kind}`;
    if (this.#raised.has(key)) return undefined;
    const fault: VnfFault = {
      kind: f.kind,
      source: source ?? (await this.#source(f)),
      nsId: f.nsId,
      vnfId: f.vnfId,
      computeId: f.computeId,
      popId: f.popId,
      raisedAt: f.at,
      at: f.at,
      ...(f.exitCode === undefined ? {} : { exitCode: f.exitCode }),
    };
    const e = buildFaultEvent(this.#d.build, fault);
    this.#raised.set(key, { fault, eventId: e.commonEventHeader.eventId });
    this.delivery.enqueue(e);
    return e;
  }

  #clear(ref: { nsId: string; vnfId: string }, at: Date, kinds?: readonly VnfFaultKind[]): VesEvent[] {
    const out: VesEvent[] = [];
    for (const [key, r] of this.#raised) {
      if (r.fault.nsId !== ref.nsId || r.fault.vnfId !== ref.vnfId || (kinds && !kinds.includes(r.fault.kind))) continue;
      this.#raised.delete(key);
      const e = buildFaultClearEvent(this.#d.build, { ...r.fault, at }, r.eventId);
      this.delivery.enqueue(e);
      out.push(e);
    }
    return out;
  }

  /** The compute's name as the VIM lists it; undefined when the VIM is unknown, fails or lists no such compute. */
  async #lookupName(ref: VnfRef): Promise<string | undefined> {
    const port = this.#d.port();
    const listed = await port?.listComputes(this.#ac.signal).catch(() => undefined);
    return listed?.find((c) => c.computeId === ref.computeId)?.computeName;
  }

  async #source(ref: VnfRef): Promise<{ sourceId: string; sourceName: string }> {
    const found = await this.#d.names?.(ref).catch(() => undefined);
    return found ? { sourceId: found.id, sourceName: found.name } : { sourceId: ref.vnfId, sourceName: this.#names.get(vnfKey(ref)) ?? ref.vnfId };
  }

  /** After a restart: a fault backlog whose last event was a raise still has it open. */
  #restoreRaised(): void {
    for (const b of this.#d.backlogs) {
      const e = b.lastEvent as VesEvent | null;
      const f = e?.faultFields;
      if (b.domain !== 'fault' || !e || !f || f.eventSeverity === 'NORMAL') continue;
      const info = f.alarmAdditionalInformation ?? {};
      const kind = (Object.entries({ vnfDown: 'down', vnfOutOfMemory: 'oom', vnfUnhealthy: 'unhealthy' }) as [string, VnfFaultKind][]).find(([c]) => c === f.alarmCondition)?.[1];
      const sourceId = e.commonEventHeader.sourceId;
      if (!kind || !sourceId) continue;
      const raisedAt = new Date(e.commonEventHeader.startEpochMicrosec / 1000);
      const ref = { nsId: info.nsInstanceId ?? '', vnfId: info.vnfId ?? sourceId };
      this.#raised.set(`${vnfKey(ref)}\u0000${kind}`, {
        eventId: e.commonEventHeader.eventId,
        fault: {
          kind,
          source: { sourceId, sourceName: e.commonEventHeader.sourceName },
          nsId: ref.nsId,
          vnfId: ref.vnfId,
          computeId: info.computeId ?? '',
          popId: info.popId ?? this.#d.vimId,
          raisedAt,
          at: raisedAt,
          ...(info.exitCode === undefined ? {} : { exitCode: Number(info.exitCode) }),
        },
      });
    }
  }
}
