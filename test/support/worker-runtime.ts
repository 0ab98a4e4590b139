import { createHash } from 'node:crypto';
import type { LcmOpOcc, VimAccount } from '../../src/model/index.js';
import { systemClock, uuidGenerator } from '../../src/model/index.js';
import type { LifecycleRepositories, NsLifecycleService, Reconciler } from '../../src/lifecycle/index.js';
import { createRuntimeRepositories, SqlReconcileRepository, SqlVimAccountRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import type { VimRegistry } from '../../src/vim/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { RondoConfig } from '../../src/config/index.js';
import { openTestStore, TEST_DATABASE_URL } from './store.js';
import { startWorkerProcess, WORKER_TEST_KEY, workerDescriptors } from './worker-process.js';
import type { WorkerProcess, WorkerProcessOptions } from './worker-process.js';

/** An in-process worker started by {@link WorkerRuntime.startWorker}. */
export interface InProcessWorker {
  /** Stops claiming, aborts its runs (they stay resumable) and closes its composition. */
  stop(): Promise<void>;
}

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
  /** Starts an in-process worker (its own composition, role worker) with its own step deadline; stopped by `close`. */
  startWorker(owner: string, opts?: { readonly stepDeadlineSeconds?: number; readonly computeConcurrency?: number }): InProcessWorker;
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
  const config: RondoConfig = loadConfig({}, { logLevel: (process.env.RONDO_TEST_LOG as RondoConfig['logLevel']) ?? 'silent', stepDeadlineSeconds: opts.stepDeadlineSeconds ?? 60, opDeadlineSeconds: 600 });
  // The API side: the lifecycle service over the test descriptors (no catalog), PoPs, reconciler.
  const api = await compose({
    config, role: 'api', store, clock: systemClock, ids: uuidGenerator, env: { RONDO_SECRET_KEY: WORKER_TEST_KEY },
    descriptors: workerDescriptors, defaultPlacement: 'first-pop', http: false,
  });
  const { lifecycle: service, vimRegistry: registry, reconciler } = api.services;
  await registry.refresh();
  const repos = createRuntimeRepositories(store.db, systemClock);
  if (opts.reserveSapSubnets > 0) {
    const now = new Date().toISOString();
    const holder = await repos.nsInstances.insert({ id: `ipam-reserve-${process.pid}`, name: 'ipam-reserve', description: '', nsdId: 'none', nsdInfoId: 'none', state: 'NOT_INSTANTIATED', tenant: 'default', createdAt: now, updatedAt: now });
    await repos.subnets.allocate(holder.id, Array.from({ length: opts.reserveSapSubnets }, (_, i) => ({ linkId: `r${i}`, pool: 'sap' as const })));
  }
  const reconcileRepo = new SqlReconcileRepository(store.db);
  const workers = new Set<WorkerProcess>();
  let closed = false;
  const inProcess = new Set<Promise<Composition>>();
  return {
    store, schema, repos, service, registry, reconcileRepo, reconciler,
    async spawnWorker(owner, o = {}) {
      const w = await startWorkerProcess({ databaseUrl: TEST_DATABASE_URL, schema, owner, leaseSeconds: 3, ...o });
      // A spawn still in flight when close() began (a failed test's replacement worker)
      // must not start claiming after close() swept the PoPs: it would leave containers.
      if (closed) {
        await w.crash();
        throw new Error(`worker ${owner} started after the runtime closed`);
      }
      workers.add(w);
      return w;
    },
    startWorker(owner, o = {}) {
      // The same composition root as `rondo serve --role worker`, sharing the API side's
      // store and event bus (so it hears the API side's changes, as one process does).
      const composed = compose({
        config: { ...config, workerLeaseSeconds: 5, workerConcurrency: 2, ...(o.stepDeadlineSeconds ? { stepDeadlineSeconds: o.stepDeadlineSeconds } : {}) },
        role: 'worker', store, clock: systemClock, ids: uuidGenerator, env: { RONDO_SECRET_KEY: WORKER_TEST_KEY }, http: false,
        descriptors: workerDescriptors, defaultPlacement: 'first-pop', bus: api.services.bus,
        workerOwner: owner, workerPollMs: 200, ...(o.computeConcurrency ? { computeConcurrency: o.computeConcurrency } : {}),
      }).then(async (c) => (await c.start({ reconciler: false }), c));
      inProcess.add(composed);
      composed.catch(() => undefined); // a failure surfaces in stop() and close()
      let stopped: Promise<void> | undefined;
      return { stop: () => (stopped ??= composed.then((c) => c.close())) };
    },
    async waitOp(opId, timeoutMs, until = (op) => ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'PARTIALLY_COMPLETED'].includes(op.operationState) || (op.operationState === 'FAILED_TEMP' && op.owner === null)) {
      return waitFor(`operation ${opId}`, timeoutMs, async () => {
        const op = await repos.opOccs.get(opId);
        return op && until(op) ? op : undefined;
      });
    },
    async close() {
      closed = true;
      await reconciler.stop();
      await Promise.all([...workers].map((w) => w.crash()));
      await Promise.all([...inProcess].map(async (c) => (await c).close()));
      for (const a of registry.accounts()) {
        const d = registry.get(a.id);
        const left = await d.listByLabel({}).catch(() => []);
        for (const r of left.filter((x) => x.kind === 'compute')) await d.deleteCompute(r.id, {}).catch(() => undefined);
        for (const r of left.filter((x) => x.kind === 'network')) await d.deleteNetwork(r.id).catch(() => undefined);
      }
      await api.close();
      await store.close();
    },
  };
}
