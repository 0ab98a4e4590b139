import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import type { ConfigOverrides, RondoConfig } from '../../src/config/index.js';
import type { Clock, IdGenerator } from '../../src/model/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { compose } from '../../src/app/index.js';
import type { ComposeOptions, Composition } from '../../src/app/index.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore } from './store.js';
import type { StoreKind } from './store.js';

/** A test app on a test store with a temp data dir. */
export interface TestApp {
  readonly app: RondoApp;
  readonly store: Store;
  readonly config: RondoConfig;
  readonly deps: AppDeps;
  /** The composition behind the app (services, worker; nothing started). */
  readonly composition: Composition;
  close(): Promise<void>;
}

/** A clock that advances one millisecond per read, so creation order is stable. */
export function steppingClock(start = Date.parse('2025-01-01T00:00:00Z')): Clock {
  let t = start;
  return { now: () => new Date(t++) };
}

/** Counter-based UUID-shaped ids (`00000000-0000-4000-8000-000000000001`, …). */
export function counterIds(prefix = ''): IdGenerator {
  let n = 0;
  return { next: () => `00000000-0000-4000-8000-${prefix}${String(++n).padStart(12 - prefix.length, '0')}` };
}

/**
 * The environment of test apps that do not test authentication: insecure mode (every
 * request is an admin of `default`), the secret key generated in the temp data dir.
 * Auth tests build their app with `test/integration/auth-support.ts` instead.
 */
export const INSECURE_TEST_ENV: NodeJS.ProcessEnv = { RONDO_INSECURE_NO_AUTH: '1' };

/** What compose gets beyond the config, store, clock and ids of {@link openTestApp}. */
export type TestComposeOptions = Omit<ComposeOptions, 'config' | 'store'>;

/**
 * Builds the real app through the composition root on a fresh test store (PGlite in
 * memory or a schema of the real PostgreSQL) and a temp data dir, authentication off
 * ({@link INSECURE_TEST_ENV}), a stepping clock and counter ids unless `opts` say
 * otherwise. Nothing is started (`composition.start()` or `services.lifecycleWorker.start()`).
 * Logs are silent unless RONDO_TEST_LOG is set.
 */
export async function openTestApp(kind: StoreKind, key: string, overrides: ConfigOverrides = {}, opts: TestComposeOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-test-'));
  const config = loadConfig(INSECURE_TEST_ENV, { dataDir, logLevel: (process.env.RONDO_TEST_LOG as RondoConfig['logLevel']) ?? 'silent', ...overrides });
  const store = await openTestStore(kind, key);
  const composition = await compose({ config, store, clock: steppingClock(), ids: counterIds(), env: {}, ...opts }).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  return {
    app: composition.app as RondoApp,
    store,
    config,
    deps: composition.deps,
    composition,
    close: async () => {
      await composition.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Row counts of the catalog tables. */
export async function catalogCounts(store: Store): Promise<{ packages: number; nsds: number; vnfds: number }> {
  const count = async (t: 'packages' | 'nsds' | 'vnfds') =>
    Number((await sql<{ n: string | number }>`select count(*) as n from ${sql.table(t)}`.execute(store.db)).rows[0]?.n ?? 0);
  return { packages: await count('packages'), nsds: await count('nsds'), vnfds: await count('vnfds') };
}

/** Files under `dataDir/<sub>` (empty when the folder does not exist). */
export async function filesIn(dataDir: string, sub: string): Promise<string[]> {
  return readdir(join(dataDir, sub)).catch(() => []);
}

/** Builds `examples/tango-chain` and `examples/sol004-csar` into `dir`; returns the files. */
export async function buildExamplePackages(dir: string): Promise<{ tango: string; csar: string }> {
  const { buildPackage } = await import('../../src/packages/index.js');
  const tango = join(dir, 'tango-chain.tgo');
  const csar = join(dir, 'sol004-csar.zip');
  await buildPackage('examples/tango-chain', tango);
  await buildPackage('examples/sol004-csar', csar);
  return { tango, csar };
}
