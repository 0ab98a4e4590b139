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
import type { HotTranslateOptions } from '../../src/descriptors/etsi/hot/index.js';
import type { NsLifecycleService } from '../../src/lifecycle/index.js';
import { systemClock } from '../../src/model/index.js';
import type { IdGenerator, VimAccount } from '../../src/model/index.js';
import { buildPackage } from '../../src/packages/index.js';
import { SqlVimAccountRepository } from '../../src/store/index.js';
import { openTestStore } from '../support/store.js';
import type { Store } from '../../src/store/index.js';
import type { OpenStackCredentials } from '../../src/vim/openstack/index.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';

/** Random UUIDs: the first 8 characters of an NS id name its VIM resources, so they must differ per NS. */
const randomIds: IdGenerator = { next: () => randomUUID() };

/** One harness: store, catalog, accounts, lifecycle service and a running worker. */
export interface OsNsHarness {
  readonly store: Store;
  readonly service: NsLifecycleService;
  /** The composition root's wiring behind the service. */
  readonly composition: Composition;
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

/** Builds and on-boards the package, wires the lifecycle through `compose` and starts its worker. */
export async function openOsNsHarness(opts: OsNsHarnessOptions): Promise<OsNsHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-osns-'));
  const store = await openTestStore('pglite', 'openstack-ns');
  const config = loadConfig({}, {
    dataDir, logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'silent', maxUploadBytes: 64 * 1024 * 1024,
    stepDeadlineSeconds: opts.stepDeadlineSeconds ?? 300, opDeadlineSeconds: 1200, workerLeaseSeconds: 120, workerConcurrency: 4,
  });
  const c = await compose({
    config, store, clock: systemClock, ids: randomIds, env: { RONDO_SECRET_KEY: 'cd'.repeat(32) }, http: false,
    sapImage: opts.sapImage, workerOwner: `osns-${opts.idPrefix}`, workerPollMs: 250, ...(opts.translate ? { hotTranslate: opts.translate } : {}),
  });
  const csar = join(dataDir, 'package.csar');
  await buildPackage(opts.packageDir ?? 'examples/sol004-csar', csar);
  const onboarded = await c.services.catalog.onboard({ source: createReadStream(csar), fileName: 'package.csar' });
  const nsdInfoId = onboarded.nsds[0]?.id;
  if (!nsdInfoId) throw new Error('the package brought no NSD');

  const accounts = new SqlVimAccountRepository(store.db);
  // The worker only: no watchers or reconciliation on the shared OpenStack.
  await c.start({ worker: true, reconciler: false, monitoring: false });
  return {
    store, service: c.services.lifecycle, composition: c, nsdInfoId,
    async addAccount(id, endpoint, creds, config = {}) {
      const account = await accounts.insert({
        id, name: id, type: 'openstack', endpoint, capacity: null, tenant: 'default', createdAt: new Date().toISOString(),
        config: { ...config, secret: { username: creds.username, password: creds.password, projectName: creds.projectName, userDomainName: 'Default', projectDomainName: 'Default' } },
      });
      await c.services.vimRegistry.refresh();
      return account;
    },
    async close() {
      await c.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Pins every member of an NSD (VNFs and SAPs) to one PoP. */
export const pinAll = (members: readonly string[], popId: string): Record<string, string> => Object.fromEntries(members.map((m) => [m, popId]));
