import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RondoConfig } from '../config/index.js';
import type { Clock, IdGenerator, VnfInstance } from '../model/index.js';
import type { PlacementStrategy } from '../placement/index.js';
import type { HotTranslateOptions } from '../descriptors/etsi/hot/index.js';
import { OutboxRelay } from '../bus/index.js';
import type { Bus } from '../bus/index.js';
import { createCatalogHotSource, releaseNsd, useNsd } from '../catalog/index.js';
import { readPackageEntry } from '../packages/index.js';
import { LifecycleWorker, Reconciler, createNsLifecycleService, createPlanHandOff, createOpNotifier, executeOperation } from '../lifecycle/index.js';
import type { DescriptorSource, ExecutorDeps, LifecycleTopics, TraceEvent, LifecycleWorkerOptions, NsLifecycleService, NsLifecycleServiceDeps, OpChange, OpNotifier, PlacementAdvisor, SpecificManagers } from '../lifecycle/index.js';
import { catalogDescriptorSource, catalogRepositories, createRuntimeRepositories, outboxStore, SqlReconcileRepository, SqlVimAccountRepository } from '../store/index.js';
import type { Store } from '../store/index.js';
import { VimRegistry, createVimAccountService, driverFactoryOf } from '../vim/index.js';
import type { VimAccountService, VimAccountSource, VimDriverTypes } from '../vim/index.js';

/**
 * The executor's and the worker's crash-point port (`src/lifecycle/crash-points.ts`),
 * taken from their option types so this file follows that port; `never` while the
 * lifecycle has none.
 */
export type CrashPointsPort = 'crashPoints' extends keyof ExecutorDeps ? (ExecutorDeps extends { readonly crashPoints?: infer C } ? NonNullable<C> : never) : never;

/** The NS lifecycle part of the services: lifecycle API, PoPs, driver registry, worker. */
export interface RuntimeServices {
  readonly lifecycle: NsLifecycleService;
  readonly vims: VimAccountService;
  readonly vimRegistry: VimRegistry;
  /** Not started: the composition's `start()` starts it for roles worker and all. */
  readonly lifecycleWorker: LifecycleWorker;
  /**
   * Wakes the worker and `waitForOp`: at once for this process's changes, and for other
   * processes' through the bus's `op.changed` (fed by the composition root).
   */
  readonly opNotifier: OpNotifier;
  /** The event bus: lifecycle events of every process (SSE, SOL005 notifications and metrics hook in here). */
  readonly bus: Bus<LifecycleTopics>;
  /** Publishes the outbox on the bus (started by the composition root, poked after each change). */
  readonly outboxRelay: OutboxRelay;
  /** Orphan/vanished-compute reconciliation (not started: started with the worker). */
  readonly reconciler: Reconciler;
  /** Where NSDs and VNFDs are read (the catalog, or a test's fixed source): policies read VNFDs here. */
  readonly descriptors: DescriptorSource;
}

/** Lifecycle settings beyond the config that tests, benches and the crash-test worker set. */
export interface LifecycleOptions {
  /** A fixed descriptor source instead of the catalog (tests); NS creation then counts no catalog usage. */
  readonly descriptors?: DescriptorSource;
  /** Where VIM accounts are read; default the `vim_accounts` table. */
  readonly vimAccounts?: VimAccountSource;
  readonly defaultPlacement?: PlacementStrategy;
  /** Computes created at once per operation (executor default 8). */
  readonly computeConcurrency?: number;
  readonly sapImage?: string;
  /** Options of the VNFD → HOT translation for OpenStack PoPs (default: the catalog HOT source's). */
  readonly hotTranslate?: HotTranslateOptions;
  /** How often a running op's row is read for a cancel request (executor default 500 ms). */
  readonly cancelPollMs?: number;
  /** Worker identity (default `<hostname>:<pid>:<random>`) and safety poll (worker default 2000 ms). */
  readonly workerOwner?: string;
  readonly workerPollMs?: number;
  /** Time between reconciliation passes (ms, default 60 000). */
  readonly reconcileIntervalMs?: number;
  /** Periodic passes also remove orphans (default false: they report; `POST /admin/v1/reconcile` removes). */
  readonly reconcileRemoveOrphans?: boolean;
  /** Told about each VNF reconciliation marked FAILED because its computes vanished (alarms hook in here). */
  readonly onVnfVanished?: (vnf: VnfInstance) => void | Promise<void>;
  /** The outbox relay's safety poll (ms, default 1000): how soon events another process left behind go out. */
  readonly relayPollMs?: number;
  /**
   * Wraps the worker's run of one claimed operation (the chaos bench simulates a crash:
   * it aborts the run and throws, so the lease is kept until it expires).
   */
  readonly wrapRun?: (run: LifecycleWorkerOptions['run']) => LifecycleWorkerOptions['run'];
  /**
   * Told each mark of an operation's timeline with its time (ms since the epoch, sub-ms);
   * default: logged (info, `+ms` since the operation's first mark) when `RONDO_TRACE=1`.
   */
  readonly trace?: (event: TraceEvent, at: number) => void;
}

/** The trace of {@link LifecycleOptions.trace}, or the logging one when `env` has `RONDO_TRACE=1`, or none. */
function traceSink(deps: { readonly trace?: (event: TraceEvent, at: number) => void; readonly env?: NodeJS.ProcessEnv }, logger: Logger): ((event: TraceEvent) => void) | undefined {
  const now = (): number => performance.timeOrigin + performance.now();
  if (deps.trace) {
    const sink = deps.trace;
    return (e) => sink(e, now());
  }
  if ((deps.env ?? process.env)['RONDO_TRACE'] !== '1') return undefined;
  const first = new Map<string, number>();
  return (e) => {
    const at = now();
    if (!first.has(e.opId)) {
      first.set(e.opId, at);
      if (first.size > 1000) first.delete(first.keys().next().value as string);
    }
    const since = at - (first.get(e.opId) ?? at);
    logger.info({ trace: e, at: new Date(at).toISOString(), sinceMs: Number(since.toFixed(2)) }, `trace ${e.opId} +${since.toFixed(1)} ms ${e.what} ${e.edge}${e.detail ? ` ${e.detail}` : ''}`);
  };
}

/** What {@link wireLifecycle} is built from. */
export interface LifecycleWiringDeps extends LifecycleOptions {
  readonly config: RondoConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** VIM drivers by type: the registry's, and those of connectivity checks of new accounts. */
  readonly drivers: VimDriverTypes;
  readonly checkDrivers: VimDriverTypes;
  /** The event bus the outbox is relayed to. */
  readonly bus: Bus<LifecycleTopics>;
  /** Seals VIM credentials at rest and opens them when a driver is built (the auth service's secret box). */
  readonly secrets: { seal(plain: string): string; open(sealed: string): string };
  readonly crashPoints?: CrashPointsPort;
  /** Asks a placement SSM at INSTANTIATE (plugin-wiring.ts `createPlacementAdvisor`); default: none is asked. */
  readonly placementAdvisor?: PlacementAdvisor;
  /** The NSs' specific managers (manager-wiring.ts); default: none is ever started. */
  readonly managers?: SpecificManagers;
  /** Where `RONDO_TRACE` is read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Wires the lifecycle: runtime repositories, the catalog as descriptor source (and HOT
 * source for OpenStack PoPs), the VIM registry over the accounts, the outbox relay and
 * the op notifier, the service, the worker and the reconciler (none started). NS creation
 * and deletion also move the NSD's usage state in the same transaction. State changes
 * write their events to the outbox (the repositories do); the relay is poked after each.
 * `hear` is for the composition root: the changes other processes made, from the bus.
 */
export function wireLifecycle(deps: LifecycleWiringDeps): { readonly services: RuntimeServices; readonly hear: (change: OpChange) => void } {
  const { config, store, clock, ids, logger, secrets } = deps;
  const vimRepo = new SqlVimAccountRepository(store.db, secrets);
  const vimRegistry = new VimRegistry(deps.vimAccounts ?? { list: () => vimRepo.list() }, {
    factory: driverFactoryOf(deps.drivers),
    openSecret: (s: string) => secrets.open(s),
  });
  const relayCrash = deps.crashPoints;
  const outboxRelay = new OutboxRelay({
    store: outboxStore(store.db),
    bus: deps.bus as unknown as Bus<Record<string, unknown>>,
    ...(deps.relayPollMs ? { pollMs: deps.relayPollMs } : {}),
    onError: (e) => logger.warn({ err: e }, 'outbox relay: a pass failed; it goes on with back-off'),
    ...(relayCrash ? { crashPoints: { hit: (point, ctx) => relayCrash.hit(point, { eventIds: ctx.eventIds }) } } : {}),
  });
  // Local listeners hear this process's changes at once; the relay publishes them for the others.
  const localOps = createOpNotifier();
  const opNotifier: OpNotifier = {
    notify(change) {
      localOps.notify(change);
      outboxRelay.poke();
      // Other processes on the store (pg) wake at once, without waiting for the relay or a broker.
      store.signals?.send(JSON.stringify(change)).catch((e: unknown) => logger.debug({ err: e }, 'op wake-up not sent; the others poll'));
    },
    subscribe: (listener) => localOps.subscribe(listener),
  };
  const fromCatalog = deps.descriptors === undefined;
  const crash = deps.crashPoints === undefined ? {} : { crashPoints: deps.crashPoints };
  let base: NsLifecycleServiceDeps = {
    repos: createRuntimeRepositories(store.db, clock),
    drivers: vimRegistry,
    descriptors: deps.descriptors ?? catalogDescriptorSource(store.db),
    // VNFs placed on OpenStack PoPs become Heat stacks translated from their SOL001 VNFD.
    hots: createCatalogHotSource({ repos: catalogRepositories(store.db, () => clock.now()), packagePath: (id) => join(config.dataDir, 'packages', `${id}.pkg`), readEntry: (p, e) => readPackageEntry(p, e), ...(deps.hotTranslate ? { translate: deps.hotTranslate } : {}) }),
    notifier: opNotifier,
    clock,
    ids,
    stepDeadlineSeconds: config.stepDeadlineSeconds,
    opDeadlineSeconds: config.opDeadlineSeconds,
    ...(deps.defaultPlacement ? { defaultPlacement: deps.defaultPlacement } : {}),
    ...(deps.placementAdvisor ? { placementAdvisor: deps.placementAdvisor } : {}),
    ...(deps.managers ? { managers: deps.managers } : {}),
    ...(deps.computeConcurrency ? { computeConcurrency: deps.computeConcurrency } : {}),
    ...(deps.sapImage ? { sapImage: deps.sapImage } : {}),
    ...(deps.cancelPollMs ? { cancelPollMs: deps.cancelPollMs } : {}),
    ...crash,
  };
  // The worker of this process runs a plan its request just stored without reading it back.
  base = { ...base, handOff: createPlanHandOff() };
  const trace = traceSink(deps, logger);
  if (trace) base = { ...base, trace };
  const inner = createNsLifecycleService(base);
  const now = () => clock.now();
  /** The service bound to one transaction, so usage state and the NS row commit together. */
  const within = <T>(work: (svc: NsLifecycleService, trx: Store['db']) => Promise<T>): Promise<T> =>
    store.db.transaction().execute((trx) =>
      work(createNsLifecycleService({ ...base, repos: createRuntimeRepositories(trx, clock), ...(fromCatalog ? { descriptors: catalogDescriptorSource(trx) } : {}) }), trx),
    );

  const lifecycle: NsLifecycleService = {
    ...inner,
    async createNs(req) {
      const ns = await within(async (svc, trx) => {
        if (fromCatalog) await useNsd(catalogRepositories(trx, now), req.nsdId);
        return svc.createNs(req);
      });
      outboxRelay.poke();
      return ns;
    },
    async deleteNs(nsId) {
      const ns = await inner.getNs(nsId);
      await within(async (svc, trx) => {
        await svc.deleteNs(nsId);
        if (fromCatalog) await releaseNsd(catalogRepositories(trx, now), ns.nsdInfoId);
      });
      outboxRelay.poke();
    },
    // Placement reads the PoPs synchronously: reload them first (another process may have added one).
    instantiate: async (nsId, req) => (await vimRegistry.refresh(), inner.instantiate(nsId, req)),
    dryRun: async (target, req) => (await vimRegistry.refresh(), inner.dryRun(target, req)),
  };

  const run: LifecycleWorkerOptions['run'] = async (op, signal) => {
    await vimRegistry.refresh();
    await executeOperation(op, base, signal);
  };
  const workerOptions: LifecycleWorkerOptions = {
    opOccs: base.repos.opOccs,
    notifier: opNotifier,
    clock,
    owner: deps.workerOwner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseSeconds: config.workerLeaseSeconds,
    concurrency: config.workerConcurrency,
    ...(deps.workerPollMs ? { pollIntervalMs: deps.workerPollMs } : {}),
    run: deps.wrapRun ? deps.wrapRun(run) : run,
    onError: (e, op) => logger.error({ err: e, opId: op?.id }, 'lifecycle worker: operation run failed; it resumes when its lease expires'),
    ...crash,
  };
  const lifecycleWorker = new LifecycleWorker(workerOptions);

  const vims = createVimAccountService({
    repo: vimRepo,
    registry: vimRegistry,
    usageByPop: () => base.repos.vnfInstances.usageByPop(),
    clock,
    factory: driverFactoryOf(deps.checkDrivers),
  });
  // Reconciliation (durable operations): orphans on the PoPs, VNFs whose computes vanished.
  const reconciler = new Reconciler({
    repo: new SqlReconcileRepository(store.db),
    drivers: vimRegistry,
    clock,
    refresh: () => vimRegistry.refresh(),
    intervalMs: deps.reconcileIntervalMs ?? 60_000,
    // Every `rondo serve` registers the local engine as dc1/dc2, so two installations on
    // one engine (a demo beside the test suite) would delete each other's resources:
    // periodic passes report orphans and mark vanished VNFs; removal is `rondo reconcile`
    // unless `reconcileRemoveOrphans` is set.
    periodicKeepOrphans: deps.reconcileRemoveOrphans !== true,
    ...(deps.onVnfVanished ? { onVanished: deps.onVnfVanished } : {}),
    onError: (e) => logger.error({ err: e }, 'reconciliation pass failed; the next one runs on schedule'),
    onReport: (r) => {
      if (r.orphans.length + r.vanished.length + r.errors.length > 0) {
        logger.warn({ orphans: r.orphans.length, removed: r.removed, vanished: r.vanished.length, errors: r.errors }, 'reconciliation found differences between the PoPs and the records');
      }
    },
  });
  return {
    services: { lifecycle, vims, vimRegistry, lifecycleWorker, opNotifier, bus: deps.bus, outboxRelay, reconciler, descriptors: base.descriptors },
    // A change heard on the bus wakes the local listeners only: its event is sent already.
    hear: (change) => localOps.notify(change),
  };
}
