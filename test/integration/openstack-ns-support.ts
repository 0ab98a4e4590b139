/**
 * Harness of the OpenStack NS tests and bench: a PGlite store, the real catalog (SOL004
 * on-boarding), OpenStack VIM accounts in `vim_accounts` behind the VIM registry, the
 * catalog's HOT source, the NS lifecycle service and its worker. Nothing is mocked.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalogHotSource, createCatalogService } from '../../src/catalog/index.js';
import type { HotTranslateOptions } from '../../src/descriptors/etsi/hot/index.js';
import { LifecycleWorker, createNsLifecycleService, createOpNotifier, executeOperation } from '../../src/lifecycle/index.js';
import type { NsLifecycleService, NsLifecycleServiceDeps } from '../../src/lifecycle/index.js';
import { systemClock } from '../../src/model/index.js';
import type { IdGenerator, VimAccount } from '../../src/model/index.js';
import { buildPackage, readDescriptorFile, readPackageEntry, readPackageFile } from '../../src/packages/index.js';
import { SqlVimAccountRepository, catalogDescriptorSource, createRuntimeRepositories, openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { VimRegistry } from '../../src/vim/vim-registry.js';
import type { OpenStackCredentials } from '../../src/vim/openstack/index.js';

/** Random UUIDs: the first 8 characters of an NS id name its VIM resources, so they must differ per NS. */
const randomIds: IdGenerator = { next: () => randomUUID() };

/** One harness: store, catalog, accounts, lifecycle service and a running worker. */
export interface OsNsHarness {
  readonly store: Store;
  readonly service: NsLifecycleService;
  readonly deps: NsLifecycleServiceDeps;
  /** NsdInfo id of the on-boarded package's NSD. */
  readonly nsdInfoId: string;
  addAccount(id: string, endpoint: string, creds: Pick<OpenStackCredentials, 'username' | 'password' | 'projectName'>, config?: Record<string, unknown>): Promise<VimAccount>;
  close(): Promise<void>;
}

/** Options of {@link openOsNsHarness}. */
export interface OsNsHarnessOptions {
  /** Package folder to build and on-board (default `examples/sol004-csar`). */
  readonly packageDir?: string;
  /** Names the worker. */
  readonly idPrefix: string;
  readonly sapImage: string;
  readonly translate?: HotTranslateOptions;
  readonly stepDeadlineSeconds?: number;
}

/** Builds and on-boards the package, wires the lifecycle and starts its worker. */
export async function openOsNsHarness(opts: OsNsHarnessOptions): Promise<OsNsHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-osns-'));
  const store = await openStore({ kind: 'pglite', dataDir: null });
  const ids = randomIds;
  const catalog = createCatalogService({
    db: store.db, clock: systemClock, ids, dataDir, maxUploadBytes: 64 * 1024 * 1024,
    reader: { readPackageFile: (p, o) => readPackageFile(p, o), readDescriptorFile: (p, o) => readDescriptorFile(p, o), readPackageEntry: (p, e) => readPackageEntry(p, e) },
  });
  const csar = join(dataDir, 'package.csar');
  await buildPackage(opts.packageDir ?? 'examples/sol004-csar', csar);
  const onboarded = await catalog.onboard({ source: createReadStream(csar), fileName: 'package.csar' });
  const nsdInfoId = onboarded.nsds[0]?.id;
  if (!nsdInfoId) throw new Error('the package brought no NSD');

  const accounts = new SqlVimAccountRepository(store.db);
  const registry = new VimRegistry({ list: () => accounts.list() });
  const notifier = createOpNotifier();
  const deps: NsLifecycleServiceDeps = {
    repos: createRuntimeRepositories(store.db, systemClock), drivers: registry, descriptors: catalogDescriptorSource(store.db), notifier,
    clock: systemClock, ids, stepDeadlineSeconds: opts.stepDeadlineSeconds ?? 300, opDeadlineSeconds: 1200, sapImage: opts.sapImage,
    hots: createCatalogHotSource({ db: store.db, packagePath: catalog.packagePath, readEntry: (p, e) => readPackageEntry(p, e), ...(opts.translate ? { translate: opts.translate } : {}) }),
  };
  const inner = createNsLifecycleService(deps);
  const service: NsLifecycleService = { ...inner, instantiate: async (ns, req) => (await registry.refresh(), inner.instantiate(ns, req)) };
  const worker = new LifecycleWorker({
    opOccs: deps.repos.opOccs, notifier, clock: systemClock, owner: `osns-${opts.idPrefix}`, leaseSeconds: 120, concurrency: 4, pollIntervalMs: 250,
    run: async (op, signal) => (await registry.refresh(), executeOperation(op, deps, signal)),
  });
  worker.start();
  return {
    store, service, deps, nsdInfoId,
    async addAccount(id, endpoint, creds, config = {}) {
      const account = await accounts.insert({
        id, name: id, type: 'openstack', endpoint, capacity: null, tenant: 'default', createdAt: new Date().toISOString(),
        config: { ...config, secret: { username: creds.username, password: creds.password, projectName: creds.projectName, userDomainName: 'Default', projectDomainName: 'Default' } },
      });
      await registry.refresh();
      return account;
    },
    async close() {
      await worker.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Pins every member of an NSD (VNFs and SAPs) to one PoP. */
export const pinAll = (members: readonly string[], popId: string): Record<string, string> => Object.fromEntries(members.map((m) => [m, popId]));
