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
import { buildApp, ROUTE_PLUGINS } from './api/index.js';
import type { AppDeps, AppServices } from './api/index.js';
import type { RondoApp } from './api/index.js';
import { createRuntimeServices } from './runtime-services.js';
import { createMonitoringServices } from './monitoring-services.js';
import { createSecretBox, loadSecretKey } from './auth/index.js';
import type { RuntimeServicesOptions } from './runtime-services.js';

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
export function createServices(config: RondoConfig, store: Store, clock: Clock, ids: IdGenerator, runtime: RuntimeServicesOptions = {}): AppServices {
  const catalog = createCatalogService({
    db: store.db,
    clock,
    ids,
    reader: packageReader,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
  });
  // NS lifecycle: service, PoPs, driver registry and the (not yet started) worker.
  const rt = createRuntimeServices(config, store, clock, ids, runtime);
  // Monitoring (not started here: startServer starts it; tests start what they need).
  const sealer = createSecretBox(loadSecretKey({ dataDir: config.dataDir }).key);
  const monitoring = createMonitoringServices({
    config,
    store,
    clock,
    ids,
    ...(runtime.logger ? { logger: runtime.logger } : {}),
    vimRegistry: rt.vimRegistry,
    opNotifier: rt.opNotifier,
    lifecycle: rt.lifecycle,
    sealer,
  });
  return { catalog, ...rt, monitoring };
}

/**
 * Registers the local Docker engine as PoPs dc1/dc2 when no PoP exists; an engine that
 * does not answer is a warning, not a failure (PoPs can be added later).
 */
async function registerLocalPops(services: AppServices, config: RondoConfig, logger: Logger): Promise<void> {
  try {
    const r = await services.vims.ensureLocalPops(config.dockerEndpoint);
    if (r.registered.length > 0) logger.info({ pops: r.registered, endpoint: config.dockerEndpoint }, `registered the local Docker engine as PoPs ${r.registered.join(', ')}`);
    if (r.skipped) {
      logger.warn(
        { endpoint: config.dockerEndpoint, reason: r.skipped },
        `no PoP registered: the Docker engine at ${config.dockerEndpoint} did not answer; start Docker and restart, or add one with "rondo vim add"`,
      );
    }
  } catch (e) {
    logger.warn({ err: e }, 'could not register the local Docker engine as PoPs; add one with "rondo vim add"');
  }
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
  const services = createServices(config, store, clock, ids, { logger });
  const deps: AppDeps = { config, store, logger, clock, ids, services };
  const app = await buildApp(deps, config.role === 'worker' ? { plugins: ROUTE_PLUGINS.filter((p) => p.name === 'health') } : {});
  if (config.autoRegisterPops && config.role !== 'worker') await registerLocalPops(services, config, logger);
  else await services.vimRegistry?.refresh();
  // The worker claims operations through row locks, so any number of worker/all processes share the store.
  if (config.role !== 'api') services.lifecycleWorker?.start();
  // Reconciliation: a pass now, then periodically (beside the worker; `POST /admin/v1/reconcile` runs one on demand).
  if (config.role !== 'api') services.reconciler?.start();
  // Watchers, stats, alarms and VES polling run in API processes (one per deployment is enough).
  if (config.role !== 'worker') await services.monitoring?.start();
  // A worker listens for health checks only.
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost');
  logger.info({ url, store: store.kind, dataDir: config.dataDir, role: config.role }, `Rondo listening on ${url} (role ${config.role})`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      // Stop claiming first: running operations stay resumable (their lease expires).
      await services.lifecycleWorker?.stop();
      await services.reconciler?.stop();
      await app.close();
      await services.vimRegistry?.close();
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
