import Dockerode from 'dockerode';
import type { Logger } from 'pino';
import type { OutboundGuard } from '../auth/index.js';
import type { RondoConfig } from '../config/index.js';
import type { Clock, IdGenerator, OpState, VimAccount, VnfInstance } from '../model/index.js';
import type { DescriptorSource, LifecycleTopics, NsLifecycleService, OpChangedEvent } from '../lifecycle/index.js';
import { wireAutoHeal } from './policy-wiring.js';
import type { AutoHealServices } from './policy-wiring.js';
import {
  AlarmService,
  PmService,
  StatsSampler,
  VesAgent,
  VimWatcher,
  createDockerStatsSource,
  createMonitoringMetrics,
  vimMonitoringPort,
} from '../monitoring/index.js';
import type { MonitoringMetrics, MonitoringTopics, ProbeRunner, VimMonitoringPort } from '../monitoring/index.js';
import { NotificationService, createSubscriptionService } from '../notify/index.js';
import type { Sealer, SubscriptionService } from '../notify/index.js';
import { createEventBus, idempotent } from '../bus/index.js';
import type { Bus, BusEvent, BusSubscription, EventBus, HandledEvents } from '../bus/index.js';
import { BUS_GROUPS } from './bus-wiring.js';
import { alarmRepository, pmRepository, subscriptionRepository, vesConfigRepository } from '../store/index.js';
import type { Store } from '../store/index.js';
import type { VimRegistry } from '../vim/index.js';
import { dockerConnection } from '../vim/docker/docker-vim-driver.js';

/** The watch path: bus, metrics, VES agent, alarms, SOL005 subscriptions and notifications. */
export interface MonitoringServices {
  readonly bus: EventBus<MonitoringTopics>;
  readonly metrics: MonitoringMetrics;
  readonly vesAgent: VesAgent;
  readonly alarms: AlarmService;
  readonly notifications: NotificationService;
  readonly subscriptions: SubscriptionService;
  /** SOL005 NS performance management: PM jobs, reports, thresholds over the `vnf.stats` samples. */
  readonly pm: PmService;
  /** Per-NS policies (descriptor, default, overrides), the auto-heal engine and the VDU health probes. */
  readonly policies: AutoHealServices;
  /** Starts watchers for every PoP (and keeps them in step with the accounts), sampling, alarms, VES polling. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What {@link wireMonitoring} is built from. */
export interface MonitoringServicesDeps {
  readonly config: RondoConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger?: Logger;
  readonly vimRegistry: VimRegistry;
  /**
   * The lifecycle events of every process: SOL005 LCM and NS identifier notifications and
   * the operation metrics are consumer groups on it (one API process handles each event),
   * the VNF name cache listens to every event.
   */
  readonly events: Bus<LifecycleTopics>;
  /** Which events the groups handled (`consumedEvents` of the store): a redelivered one is not handled twice. */
  readonly handled: HandledEvents;
  readonly lifecycle: Pick<NsLifecycleService, 'listVnfs' | 'getNs' | 'heal' | 'scale' | 'listOps' | 'listNs'>;
  /** VNFDs of the NS instances, for the policies they declare. */
  readonly descriptors: Pick<DescriptorSource, 'getVnfds'>;
  readonly sealer: Sealer;
  /**
   * The one outbound guard (`auth.outbound`, from RONDO_OUTBOUND_ALLOW) every SOL005
   * callback and VES collector call goes through; default: an open guard.
   */
  readonly outbound?: OutboundGuard;
  /**
   * The public base URL of the API, read when a link is made: SOL005 notifications,
   * subscriptions and alarms carry absolute `_links` under it.
   */
  readonly publicUrl: () => string;
  /** Also export process metrics (CPU, memory, event loop); default true. */
  readonly processMetrics?: boolean;
  /** How often the PoP list is re-read to start/stop watchers (ms); default 10 s. */
  readonly syncIntervalMs?: number;
  /** How VDU health probes are tried (default from this host). */
  readonly probeRunner?: ProbeRunner;
  /** How often ended PM reporting periods are closed (ms); default 1 s. */
  readonly pmTickMs?: number;
}

/**
 * Wires monitoring: one {@link VimWatcher} per PoP (VIM events → `vnf.*` on the bus),
 * Docker stats sampling into Prometheus gauges, the alarm service (faults → SOL005 alarms),
 * the VES agent (per-VIM configs, resumed from the store), and, from the lifecycle events
 * on the bus, SOL005 LCM notifications (START when an operation begins or resumes,
 * RESULT when it settles), NS identifier notifications and the operation metrics.
 */
export function wireMonitoring(deps: MonitoringServicesDeps): MonitoringServices {
  const { config, store, clock, ids, logger, vimRegistry } = deps;
  const onError = (what: string) => (e: unknown, pop?: string) => logger?.warn({ err: e, pop }, `monitoring: ${what}`);
  const bus = createEventBus<MonitoringTopics>({ onHandlerError: (e) => logger?.warn({ err: e }, 'monitoring: bus handler failed') });
  const metrics = createMonitoringMetrics({ processMetrics: deps.processMetrics ?? true });
  // SOL005 callbacks need absolute URIs: links are made under the public URL.
  const apiBase = deps.publicUrl;
  const subRepo = subscriptionRepository(store.db);
  const guard = deps.outbound ? { guard: deps.outbound } : {};
  const notifications = new NotificationService({ repo: subRepo, sealer: deps.sealer, clock, ids, apiBase, ...guard });
  const subscriptions = createSubscriptionService({ repo: subRepo, sealer: deps.sealer, clock, ids, apiBase, ...guard });
  const alarms = new AlarmService({ repo: alarmRepository(store.db), bus, clock, ids, notifications, apiBase, onError: onError('alarm') });
  const pm = new PmService({
    repo: pmRepository(store.db),
    bus,
    clock,
    ids,
    notifications,
    checkCallback: (body) => subscriptions.checkCallback(body),
    apiBase,
    onError: onError('NS performance management'),
    ns: {
      tenantOf: async (nsId, scope) => (await deps.lifecycle.getNs(nsId, { tenant: scope })).tenant,
      vnfInstanceId: async (nsId, vnfId) => (await deps.lifecycle.listVnfs(nsId).catch(() => [])).find((v) => v.memberId === vnfId || v.id === vnfId)?.id,
    },
  });

  // One watcher and one monitoring port per PoP; Docker PoPs sharing an engine share a client.
  const watchers = new Map<string, { key: string; watcher: VimWatcher; port: VimMonitoringPort }>();
  const dockers = new Map<string, Dockerode>();
  const accountKey = (a: VimAccount) => `${a.type}|${a.endpoint}`;
  const statsFor = (a: VimAccount) => {
    if (a.type !== 'docker') return undefined;
    let d = dockers.get(a.endpoint);
    if (!d) dockers.set(a.endpoint, (d = new Dockerode(dockerConnection(a.name, a.endpoint))));
    const client = d;
    // dockerode types `stats()` as a stream-or-object union; with `stream: false` it resolves to the JSON document.
    return createDockerStatsSource({ getContainer: (id) => ({ stats: (o) => client.getContainer(id).stats(o) as Promise<never> }) }, clock);
  };
  // VNF instances of an NS, for VES sourceId/sourceName; refreshed when an operation settles.
  const vnfsOfNs = new Map<string, Promise<readonly VnfInstance[]>>();
  const vnfSource = async (ref: { nsId: string; vnfId: string }) => {
    let vnfs = vnfsOfNs.get(ref.nsId);
    if (!vnfs) vnfsOfNs.set(ref.nsId, (vnfs = deps.lifecycle.listVnfs(ref.nsId).catch(() => [])));
    const v = (await vnfs).find((x) => x.memberId === ref.vnfId);
    if (!v) vnfsOfNs.delete(ref.nsId); // not known yet (instantiating): ask again next time
    return v ? { id: v.id, name: v.memberId } : undefined;
  };
  const vesAgent = new VesAgent({
    repo: vesConfigRepository(store.db),
    secrets: deps.sealer,
    bus,
    vims: (vimId) => watchers.get(vimId)?.port,
    clock,
    ids,
    reportingEntityName: `rondo@${config.host}:${config.port}`,
    metrics,
    names: vnfSource,
    ...guard,
    onError: onError('VES agent'),
  });
  const policies = wireAutoHeal({
    store, bus, clock, alarms, metrics, vimRegistry, lifecycle: deps.lifecycle, descriptors: deps.descriptors,
    ...(deps.probeRunner ? { probeRunner: deps.probeRunner } : {}),
    onError: onError('auto-heal'),
  });
  const sampler = new StatsSampler({ vims: () => [...watchers.values()].map((w) => w.port), metrics, bus, intervalMs: config.statsIntervalSeconds * 1000, onError: onError('stats') });

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let pmTimer: NodeJS.Timeout | undefined;
  // Follows the registry: every reload (the 10 s timer, or a PoP added or removed through
  // the API) starts and stops watchers, so a new PoP is watched at once.
  const sync = async () => {
    if (!running) return;
    await vimRegistry.refresh().catch(onError('refresh PoPs'));
  };
  const syncWatchers = async () => {
    if (!running) return;
    const accounts = vimRegistry.accounts();
    for (const [id, w] of watchers) {
      const a = accounts.find((x) => x.id === id);
      if (!a || accountKey(a) !== w.key) {
        watchers.delete(id);
        await w.watcher.stop();
      }
    }
    for (const a of accounts) {
      if (watchers.has(a.id)) continue;
      let driver;
      try {
        driver = vimRegistry.get(a.id);
      } catch (e) {
        onError('driver')(e, a.id);
        continue;
      }
      const port = vimMonitoringPort(a.id, driver, statsFor(a));
      const watcher = new VimWatcher({ popId: a.id, driver, bus, onError: onError('watch'), sweep: port, clock });
      watchers.set(a.id, { key: accountKey(a), watcher, port });
      if (driver.capabilities.watch) watcher.start();
    }
  };

  // SOL005 notifications and metrics follow the lifecycle events: each is a consumer
  // group, so with several API processes one of them sends (counts) each event, and a
  // redelivered or republished event (same id) is skipped.
  const onNotification = idempotent(BUS_GROUPS.notifications, deps.handled, async (e: BusEvent<LifecycleTopics, 'op.changed' | 'ns.created' | 'ns.deleted'>) => {
    switch (e.topic) {
      case 'op.changed': {
        const op = opOf(e.payload);
        if (begins(e.payload)) await notifications.publishLcm(op, 'START');
        if (settles(e.payload.operationState)) await notifications.publishLcm(op, 'RESULT');
        return;
      }
      case 'ns.created':
        return notifications.publishNsCreated(e.payload.nsInstanceId, e.payload.tenant);
      case 'ns.deleted':
        return notifications.publishNsDeleted(e.payload.nsInstanceId, e.payload.tenant);
    }
  });
  const onOperationMetric = idempotent(BUS_GROUPS.operationMetrics, deps.handled, async (e: BusEvent<LifecycleTopics, 'op.changed'>) => {
    const op = e.payload;
    if (settles(op.operationState)) metrics.recordOperation(op.lcmOperationType, op.operationState, Math.max(0, Date.parse(op.statusEnteredTime) - Date.parse(op.startTime)) / 1000);
  });
  let subscriptions_: BusSubscription[] = [];
  let unsubscribeVims = (): void => undefined;

  return {
    bus,
    metrics,
    vesAgent,
    alarms,
    notifications,
    subscriptions,
    pm,
    policies,
    async start() {
      if (running) return;
      running = true;
      notifications.start();
      subscriptions_ = [
        await deps.events.consume(BUS_GROUPS.notifications, ['op.changed', 'ns.created', 'ns.deleted'], onNotification),
        await deps.events.consume(BUS_GROUPS.operationMetrics, ['op.changed'], onOperationMetric),
        // Every API process keeps its own VNF name cache: a settled operation refreshes it.
        await deps.events.subscribe(['op.changed'], (e) => void (settles(e.payload.operationState) && vnfsOfNs.delete(e.payload.nsInstanceId))),
        // Every process's engines look again at the failures waiting for an operation to end, and start the NS's scale windows afresh.
        await deps.events.subscribe(['op.changed'], (e) => {
          if (!settles(e.payload.operationState)) return;
          policies.engine.operationSettled(e.payload.nsInstanceId);
          policies.scaleEngine.operationSettled(e.payload.nsInstanceId);
        }),
      ];
      unsubscribeVims = vimRegistry.onRefresh(() => void syncWatchers().catch(onError('watch PoPs')));
      alarms.start();
      policies.start();
      await sync();
      await syncWatchers(); // the registry may have been loaded before we listened
      sampler.start();
      await vesAgent.start();
      await pm.start();
      timer = setInterval(() => void sync(), deps.syncIntervalMs ?? 10_000);
      timer.unref();
      // PM reporting periods end by the clock even when no sample comes to close them.
      pmTimer = setInterval(() => void pm.tick(), deps.pmTickMs ?? 1000);
      pmTimer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (pmTimer) clearInterval(pmTimer);
      timer = undefined;
      pmTimer = undefined;
      if (!running) return;
      // Leaving the groups hands unfinished events to another API process (or to the next start).
      await Promise.all(subscriptions_.map((sub) => sub.close()));
      subscriptions_ = [];
      unsubscribeVims();
      running = false;
      await vesAgent.stop();
      await sampler.stop();
      await pm.stop();
      await policies.stop();
      await Promise.all([...watchers.values()].map((w) => w.watcher.stop()));
      watchers.clear();
      await alarms.stop();
      await notifications.stop();
    },
  };
}

/** States an operation rests in (for now): its RESULT notification goes out, its duration is counted. */
const SETTLED_STATES: readonly OpState[] = ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'FAILED_TEMP', 'PARTIALLY_COMPLETED'];
const RUNNING_STATES: readonly OpState[] = ['PROCESSING', 'ROLLING_BACK'];
const settles = (state: OpState): boolean => SETTLED_STATES.includes(state);
/** The operation starts running: created, or resumed from FAILED_TEMP (retry, rollback): a START notification. */
const begins = (e: OpChangedEvent): boolean => RUNNING_STATES.includes(e.operationState) && (e.previousState === null || !RUNNING_STATES.includes(e.previousState));
/** The operation as its notification names it. */
const opOf = (e: OpChangedEvent) => ({
  id: e.opId, nsInstanceId: e.nsInstanceId, lcmOperationType: e.lcmOperationType, operationState: e.operationState,
  isAutomaticInvocation: e.isAutomaticInvocation, error: e.error, tenant: e.tenant,
});
