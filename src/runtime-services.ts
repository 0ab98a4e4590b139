import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RondoConfig } from './config/index.js';
import type { Clock, IdGenerator, NsInstance, VimAccount, VnfInstance } from './model/index.js';
import { createEventBus } from './bus/index.js';
import type { EventBus } from './bus/index.js';
import { join } from 'node:path';
import { createCatalogHotSource, releaseNsd, useNsd } from './catalog/index.js';
import { readPackageEntry } from './packages/index.js';
import { LifecycleWorker, Reconciler, createNsLifecycleService, createOpNotifier, executeOperation } from './lifecycle/index.js';
import type { NsLifecycleService, NsLifecycleServiceDeps, OpNotifier } from './lifecycle/index.js';
import { catalogDescriptorSource, createRuntimeRepositories, SqlReconcileRepository, SqlVimAccountRepository } from './store/index.js';
import type { Store } from './store/index.js';
import { VimRegistry, createVimAccountService } from './vim/index.js';
import type { VimAccountService, VimDriver } from './vim/index.js';

/** NS instances created or deleted (after their transaction committed). */
export interface NsIdentifierTopics {
  readonly 'ns.created': NsInstance;
  readonly 'ns.deleted': NsInstance;
}

/** The NS lifecycle part of the services: lifecycle API, PoPs, driver registry, worker. */
export interface RuntimeServices {
  readonly lifecycle: NsLifecycleService;
  readonly vims: VimAccountService;
  readonly vimRegistry: VimRegistry;
  readonly lifecycleWorker: LifecycleWorker;
  readonly opNotifier: OpNotifier;
  /** `ns.created` / `ns.deleted`, published once the NS row is committed (SOL005 NsIdentifier notifications hook in here). */
  readonly nsEvents: EventBus<NsIdentifierTopics>;
  /** Orphan/vanished-compute reconciliation (not started: `startServer` starts it with the worker). */
  readonly reconciler: Reconciler;
}

/** Options for tests and embedding. */
export interface RuntimeServicesOptions {
  /** Builds VIM drivers; default `createVimDriver` (memory PoPs on one endpoint share an engine). */
  readonly driverFactory?: (account: VimAccount) => VimDriver;
  readonly logger?: Logger;
  /** Worker poll for operations created by other processes (ms). */
  readonly pollIntervalMs?: number;
  /** Time between reconciliation passes (ms, default 60 000). */
  readonly reconcileIntervalMs?: number;
  /** Periodic passes also remove orphans (default false: they report; `POST /admin/v1/reconcile` removes). */
  readonly reconcileRemoveOrphans?: boolean;
  /** Told about each VNF reconciliation marked FAILED because its computes vanished (alarms hook in here). */
  readonly onVnfVanished?: (vnf: VnfInstance) => void | Promise<void>;
  /** Seals VIM credentials at rest and opens them when a driver is built (the auth service's secret box). */
  readonly secrets?: { seal(plain: string): string; open(sealed: string): string };
}

/**
 * Wires the lifecycle: runtime repositories, the catalog as descriptor source, the VIM
 * registry over `vim_accounts`, the in-process notifier, the service and the worker (not
 * started: `startServer` starts it for roles worker/all, tests start it themselves).
 * NS creation and deletion also move the NSD's usage state in the same transaction.
 */
export function createRuntimeServices(config: RondoConfig, store: Store, clock: Clock, ids: IdGenerator, opts: RuntimeServicesOptions = {}): RuntimeServices {
  const secrets = opts.secrets;
  const vimRepo = new SqlVimAccountRepository(store.db, secrets);
  const vimRegistry = new VimRegistry(
    { list: () => vimRepo.list() },
    { ...(opts.driverFactory ? { factory: opts.driverFactory } : {}), ...(secrets ? { openSecret: (s: string) => secrets.open(s) } : {}) },
  );
  const opNotifier = createOpNotifier();
  const base: NsLifecycleServiceDeps = {
    repos: createRuntimeRepositories(store.db, clock),
    drivers: vimRegistry,
    descriptors: catalogDescriptorSource(store.db),
    // VNFs placed on OpenStack PoPs become Heat stacks translated from their SOL001 VNFD.
    hots: createCatalogHotSource({ db: store.db, packagePath: (id) => join(config.dataDir, 'packages', `${id}.pkg`), readEntry: (p, e) => readPackageEntry(p, e) }),
    notifier: opNotifier,
    clock,
    ids,
    stepDeadlineSeconds: config.stepDeadlineSeconds,
    opDeadlineSeconds: config.opDeadlineSeconds,
  };
  const inner = createNsLifecycleService(base);
  const now = () => clock.now();
  /** The service bound to one transaction, so usage state and the NS row commit together. */
  const within = <T>(work: (svc: NsLifecycleService, trx: Store['db']) => Promise<T>): Promise<T> =>
    store.db.transaction().execute((trx) =>
      work(createNsLifecycleService({ ...base, repos: createRuntimeRepositories(trx, clock), descriptors: catalogDescriptorSource(trx) }), trx),
    );

  const nsEvents = createEventBus<NsIdentifierTopics>({ onHandlerError: (e, topic) => opts.logger?.warn({ err: e, topic }, 'NS identifier listener failed') });
  const lifecycle: NsLifecycleService = {
    ...inner,
    async createNs(req) {
      const ns = await within(async (svc, trx) => {
        await useNsd(trx, req.nsdId, now);
        return svc.createNs(req);
      });
      nsEvents.publish('ns.created', ns);
      return ns;
    },
    async deleteNs(nsId) {
      const ns = await inner.getNs(nsId);
      await within(async (svc, trx) => {
        await svc.deleteNs(nsId);
        await releaseNsd(trx, ns.nsdInfoId, now);
      });
      nsEvents.publish('ns.deleted', ns);
    },
    // Placement reads the PoPs synchronously: reload them first (another process may have added one).
    instantiate: async (nsId, req) => (await vimRegistry.refresh(), inner.instantiate(nsId, req)),
    dryRun: async (target, req) => (await vimRegistry.refresh(), inner.dryRun(target, req)),
  };

  const lifecycleWorker = new LifecycleWorker({
    opOccs: base.repos.opOccs,
    notifier: opNotifier,
    clock,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseSeconds: config.workerLeaseSeconds,
    concurrency: config.workerConcurrency,
    ...(opts.pollIntervalMs ? { pollIntervalMs: opts.pollIntervalMs } : {}),
    run: async (op, signal) => {
      await vimRegistry.refresh();
      await executeOperation(op, base, signal);
    },
    onError: (e, op) => opts.logger?.error({ err: e, opId: op?.id }, 'lifecycle worker: operation run failed; it resumes when its lease expires'),
  });

  const vims = createVimAccountService({
    repo: vimRepo,
    registry: vimRegistry,
    usageByPop: () => base.repos.vnfInstances.usageByPop(),
    clock,
    ...(opts.driverFactory ? { factory: opts.driverFactory } : {}),
  });
  // Reconciliation (durable operations): orphans on the PoPs, VNFs whose computes vanished.
  const reconciler = new Reconciler({
    repo: new SqlReconcileRepository(store.db),
    drivers: vimRegistry,
    clock,
    refresh: () => vimRegistry.refresh(),
    intervalMs: opts.reconcileIntervalMs ?? 60_000,
    // Every `rondo serve` registers the local engine as dc1/dc2, so two installations on
    // one engine (a demo beside the test suite) would delete each other's resources:
    // periodic passes report orphans and mark vanished VNFs; removal is `rondo reconcile`
    // unless `reconcileRemoveOrphans` is set.
    periodicKeepOrphans: opts.reconcileRemoveOrphans !== true,
    ...(opts.onVnfVanished ? { onVanished: opts.onVnfVanished } : {}),
    onError: (e) => opts.logger?.error({ err: e }, 'reconciliation pass failed; the next one runs on schedule'),
    onReport: (r) => {
      if (r.orphans.length + r.vanished.length + r.errors.length > 0) {
        opts.logger?.warn({ orphans: r.orphans.length, removed: r.removed, vanished: r.vanished.length, errors: r.errors }, 'reconciliation found differences between the PoPs and the records');
      }
    },
  });
  return { lifecycle, vims, vimRegistry, lifecycleWorker, opNotifier, nsEvents, reconciler };
}
