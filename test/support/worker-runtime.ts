import { createHash } from 'node:crypto';
import type { LcmOpOcc, VimAccount } from '../../src/model/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import { LifecycleWorker, Reconciler, createNsLifecycleService, createOpNotifier, executeOperation } from '../../src/lifecycle/index.js';
import type { LifecycleRepositories, NsLifecycleService, NsLifecycleServiceDeps } from '../../src/lifecycle/index.js';
import { createRuntimeRepositories, SqlReconcileRepository, SqlVimAccountRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { VimRegistry } from '../../src/vim/index.js';
import { openTestStore, TEST_DATABASE_URL } from './store.js';
import { startWorkerProcess, workerDescriptors } from './worker-process.js';
import type { WorkerProcess, WorkerProcessOptions } from './worker-process.js';

/** The API side of a multi-process lifecycle test: store, service, PoPs, reconciler. */
export interface WorkerRuntime {
  readonly store: Store;
  readonly schema: string;
  readonly repos: LifecycleRepositories;
  readonly service: NsLifecycleService;
  readonly registry: VimRegistry;
  readonly reconcileRepo: SqlReconcileRepository;
  readonly reconciler: Reconciler;
  /** Starts a worker child on this schema. */
  spawnWorker(owner: string, opts?: Partial<WorkerProcessOptions>): Promise<WorkerProcess>;
  /** Starts an in-process worker (same executor) with its own step deadline; stopped by `close`. */
  startWorker(owner: string, opts?: { readonly stepDeadlineSeconds?: number; readonly computeConcurrency?: number }): LifecycleWorker;
  /** Polls the op until `until` holds (default: final, or FAILED_TEMP with no owner). */
  waitOp(opId: string, timeoutMs: number, until?: (op: LcmOpOcc & { owner: string | null }) => boolean): Promise<LcmOpOcc>;
  /** Removes whatever is left on the PoPs (safety net; tests assert there is nothing), closes everything. */
  close(): Promise<void>;
}

/** Polls `check` every `everyMs` until it returns a value, or rejects after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | null | false>, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Opens a PostgreSQL schema for one test file with the given Docker PoPs stored as VIM
 * accounts, and reserves the first `reserveSapSubnets` subnets of the SAP pool under a
 * dummy NS: IPAM state is per schema, but Docker refuses overlapping subnets on one
 * engine, so test files that run side by side must start at different offsets.
 */
export async function openWorkerRuntime(key: string, accounts: readonly VimAccount[], opts: { readonly reserveSapSubnets: number; readonly stepDeadlineSeconds?: number }): Promise<WorkerRuntime> {
  const store = await openTestStore('postgres', key);
  const schema = `t_${createHash('sha1').update(key).digest('hex').slice(0, 12)}_${process.pid}`;
  const vimRepo = new SqlVimAccountRepository(store.db);
  for (const a of accounts) await vimRepo.insert(a);
  const registry = new VimRegistry({ list: () => vimRepo.list() });
  await registry.refresh();
  const repos = createRuntimeRepositories(store.db, systemClock);
  const deps: NsLifecycleServiceDeps = {
    repos, drivers: registry, descriptors: workerDescriptors, notifier: createOpNotifier(), clock: systemClock, ids: uuidGenerator,
    stepDeadlineSeconds: opts.stepDeadlineSeconds ?? 60, opDeadlineSeconds: 600, defaultPlacement: 'first-pop',
  };
  const service = createNsLifecycleService(deps);
  if (opts.reserveSapSubnets > 0) {
    const now = new Date().toISOString();
    const holder = await repos.nsInstances.insert({ id: `ipam-reserve-${process.pid}`, name: 'ipam-reserve', description: '', nsdId: 'none', nsdInfoId: 'none', state: 'NOT_INSTANTIATED', tenant: 'default', createdAt: now, updatedAt: now });
    await repos.subnets.allocate(holder.id, Array.from({ length: opts.reserveSapSubnets }, (_, i) => ({ linkId: `r${i}`, pool: 'sap' as const })));
  }
  const reconcileRepo = new SqlReconcileRepository(store.db);
  const reconciler = new Reconciler({ repo: reconcileRepo, drivers: registry, clock: systemClock, refresh: () => registry.refresh() });
  const workers = new Set<WorkerProcess>();
  const inProcess = new Set<LifecycleWorker>();
  return {
    store, schema, repos, service, registry, reconcileRepo, reconciler,
    async spawnWorker(owner, o = {}) {
      const w = await startWorkerProcess({ databaseUrl: TEST_DATABASE_URL, schema, owner, leaseSeconds: 3, ...o });
      workers.add(w);
      return w;
    },
    startWorker(owner, o = {}) {
      const d = { ...deps, ...(o.stepDeadlineSeconds ? { stepDeadlineSeconds: o.stepDeadlineSeconds } : {}), ...(o.computeConcurrency ? { computeConcurrency: o.computeConcurrency } : {}) };
      const w = new LifecycleWorker({
        opOccs: repos.opOccs, notifier: deps.notifier, clock: systemClock, owner, leaseSeconds: 5, concurrency: 2, pollIntervalMs: 200,
        run: async (op, signal) => {
          await registry.refresh();
          await executeOperation(op, d, signal);
        },
      });
      w.start();
      inProcess.add(w);
      return w;
    },
    async waitOp(opId, timeoutMs, until = (op) => ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'PARTIALLY_COMPLETED'].includes(op.operationState) || (op.operationState === 'FAILED_TEMP' && op.owner === null)) {
      return waitFor(`operation ${opId}`, timeoutMs, async () => {
        const op = await repos.opOccs.get(opId);
        return op && until(op) ? op : undefined;
      });
    },
    async close() {
      await reconciler.stop();
      await Promise.all([...workers].map((w) => w.crash()));
      await Promise.all([...inProcess].map((w) => w.stop()));
      for (const a of registry.accounts()) {
        const d = registry.get(a.id);
        const left = await d.listByLabel({}).catch(() => []);
        for (const r of left.filter((x) => x.kind === 'compute')) await d.deleteCompute(r.id, {}).catch(() => undefined);
        for (const r of left.filter((x) => x.kind === 'network')) await d.deleteNetwork(r.id).catch(() => undefined);
      }
      await registry.close();
      await store.close();
    },
  };
}
