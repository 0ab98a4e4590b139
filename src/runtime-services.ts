import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RondoConfig } from './config/index.js';
import type { Clock, IdGenerator, VimAccount } from './model/index.js';
import { releaseNsd, useNsd } from './catalog/index.js';
import { LifecycleWorker, createNsLifecycleService, createOpNotifier, executeOperation } from './lifecycle/index.js';
import type { NsLifecycleService, NsLifecycleServiceDeps, OpNotifier } from './lifecycle/index.js';
import { catalogDescriptorSource, createRuntimeRepositories, SqlVimAccountRepository } from './store/index.js';
import type { Store } from './store/index.js';
import { VimRegistry, createVimAccountService } from './vim/index.js';
import type { VimAccountService, VimDriver } from './vim/index.js';

/** The NS lifecycle part of the services: lifecycle API, PoPs, driver registry, worker. */
export interface RuntimeServices {
  readonly lifecycle: NsLifecycleService;
  readonly vims: VimAccountService;
  readonly vimRegistry: VimRegistry;
  readonly lifecycleWorker: LifecycleWorker;
  readonly opNotifier: OpNotifier;
}

/** Options for tests and embedding. */
export interface RuntimeServicesOptions {
  /** Builds VIM drivers; default `createVimDriver` (memory PoPs on one endpoint share an engine). */
  readonly driverFactory?: (account: VimAccount) => VimDriver;
  readonly logger?: Logger;
  /** Worker poll for operations created by other processes (ms). */
  readonly pollIntervalMs?: number;
}

/**
 * Wires the lifecycle: runtime repositories, the catalog as descriptor source, the VIM
 * registry over `vim_accounts`, the in-process notifier, the service and the worker (not
 * started: `startServer` starts it for roles worker/all, tests start it themselves).
 * NS creation and deletion also move the NSD's usage state in the same transaction.
 */
export function createRuntimeServices(config: RondoConfig, store: Store, clock: Clock, ids: IdGenerator, opts: RuntimeServicesOptions = {}): RuntimeServices {
  const vimRepo = new SqlVimAccountRepository(store.db);
  const vimRegistry = new VimRegistry({ list: () => vimRepo.list() }, opts.driverFactory ? { factory: opts.driverFactory } : {});
  const opNotifier = createOpNotifier();
  const base: NsLifecycleServiceDeps = {
    repos: createRuntimeRepositories(store.db, clock),
    drivers: vimRegistry,
    descriptors: catalogDescriptorSource(store.db),
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

  const lifecycle: NsLifecycleService = {
    ...inner,
    createNs: (req) =>
      within(async (svc, trx) => {
        await useNsd(trx, req.nsdId, now);
        return svc.createNs(req);
      }),
    async deleteNs(nsId) {
      const ns = await inner.getNs(nsId);
      await within(async (svc, trx) => {
        await svc.deleteNs(nsId);
        await releaseNsd(trx, ns.nsdInfoId, now);
      });
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
  return { lifecycle, vims, vimRegistry, lifecycleWorker, opNotifier };
}
