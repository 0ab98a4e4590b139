import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { RondoConfig } from './config/index.js';
import { systemClock, uuidGenerator } from './model/index.js';
import type { Clock, IdGenerator } from './model/index.js';
import { openStore } from './store/index.js';
import type { Store } from './store/index.js';
import { createCatalogService } from './catalog/index.js';
import type { PackageReader } from './catalog/index.js';
import { readDescriptorFile, readPackageEntry, readPackageFile } from './packages/index.js';
import { buildApp } from './api/index.js';
import type { AppDeps, AppServices } from './api/index.js';
import type { RondoApp } from './api/index.js';

/** Log fields never written in clear (ready for VIM credentials and auth). */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'secret',
  '*.secret',
  '*.*.secret',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
];

/** The process logger: pino, JSON lines, secrets redacted. */
export function createLogger(config: Pick<RondoConfig, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  const opts = { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'rondo' } };
  return destination ? pino(opts, destination as pino.DestinationStream) : pino(opts);
}

/** The real package readers of `src/packages`, as the catalog's port. */
export const packageReader: PackageReader = {
  readPackageFile: (path, opts) => readPackageFile(path, opts),
  readDescriptorFile: (path, opts) => readDescriptorFile(path, opts),
  readPackageEntry: (path, entry) => readPackageEntry(path, entry),
};

/**
 * Builds the services from config, store, clock and ids. This is the one place services
 * are wired; tests use it too (`test/support/app.ts`).
 */
export function createServices(config: RondoConfig, store: Store, clock: Clock, ids: IdGenerator): AppServices {
  const catalog = createCatalogService({
    db: store.db,
    clock,
    ids,
    reader: packageReader,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
  });
  // ── NS lifecycle services (another engineer): construct them here and add them to
  //    AppServices in src/api/app-deps.ts, e.g. `lifecycle: createLifecycleService({ db: store.db, clock, ids, catalog, vims })`.
  return { catalog };
}

/** A running Rondo server. */
export interface RunningServer {
  readonly app: RondoApp;
  readonly store: Store;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts Rondo: logger → store (DATABASE_URL → PostgreSQL, else PGlite in
 * `dataDir/db`, migrated) → services → app → listen. With `handleSignals`, SIGINT and
 * SIGTERM close it gracefully (stop accepting, finish requests, close the store).
 */
export async function startServer(
  config: RondoConfig,
  opts: { logger?: Logger; clock?: Clock; ids?: IdGenerator; handleSignals?: boolean } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? uuidGenerator;
  const store = await openStore(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'db') },
  );
  const deps: AppDeps = { config, store, logger, clock, ids, services: createServices(config, store, clock, ids) };
  const app = await buildApp(deps);
  // ── NS lifecycle worker (another engineer): when config.role is 'worker' or 'all',
  //    start it here (after the store, before listen) and stop it first in close().
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost');
  logger.info({ url, store: store.kind, dataDir: config.dataDir }, `Rondo listening on ${url}`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      await app.close();
      await store.close();
    })());
  if (opts.handleSignals) {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'signal received');
      close().then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { app, store, url, close };
}
