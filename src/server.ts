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
import { bootstrapAdminNotice, createAuthService, insecureModeWarning, loadAuthConfig, REDACT_CENSOR, REDACT_PATHS as AUTH_REDACT_PATHS, registerSealedColumn } from './auth/index.js';
import type { AuthConfig, AuthService, ScryptParams } from './auth/index.js';
import { SqlVimAccountRepository, VIM_SECRET_COLUMN } from './store/index.js';
import type { RuntimeServicesOptions } from './runtime-services.js';

/** Log fields never written in clear: passwords, tokens, API keys, VIM/VES/callback credentials (see `src/auth/redact-paths.ts`). */
export const REDACT_PATHS: readonly string[] = AUTH_REDACT_PATHS;

/** Query parameters that carry credentials (EventSource sends `?access_token=`); never logged. */
const SECRET_QUERY = /([?&](?:access_token|token|api_key|apikey|password)=)[^&#]*/gi;

/** A request URL as logs may show it: credential query parameters censored. */
export const redactUrl = (url: string): string => url.replace(SECRET_QUERY, `$1${REDACT_CENSOR}`);

/** Fastify's request serializer, with the URL's credentials censored. */
function requestSerializer(req: { method?: string; url?: string; host?: string; ip?: string; headers?: Record<string, unknown>; socket?: { remotePort?: number } }) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * The process logger: pino, JSON lines, secrets redacted ({@link REDACT_PATHS}, and
 * credentials in request URLs).
 */
export function createLogger(config: Pick<RondoConfig, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  const opts = {
    level: config.logLevel,
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    serializers: { req: requestSerializer },
    base: { service: 'rondo' },
  };
  return destination ? pino(opts, destination as pino.DestinationStream) : pino(opts);
}

/** The real package readers of `src/packages`, as the catalog's port. */
export const packageReader: PackageReader = {
  readPackageFile: (path, opts) => readPackageFile(path, opts),
  readDescriptorFile: (path, opts) => readDescriptorFile(path, opts),
  readPackageEntry: (path, entry) => readPackageEntry(path, entry),
};

/** Options of {@link createServices} beyond the runtime ones. */
export interface ServicesOptions extends RuntimeServicesOptions {
  /** A ready auth service (shared by tests); default: one built from `env` and `authConfig`. */
  readonly auth?: AuthService;
  /** Where auth settings and `RONDO_SECRET_KEY` are read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Auth settings; default `loadAuthConfig(env)` (`--insecure-no-auth` overrides it). */
  readonly authConfig?: AuthConfig;
  /** scrypt costs of new password hashes (tests lower them). */
  readonly scrypt?: ScryptParams;
}

/**
 * Builds the services from config, store, clock and ids. This is the one place services
 * are wired; tests use it too (`test/support/app.ts`). The auth service's secret box
 * seals VIM credentials, VES passwords and subscription credentials at rest.
 */
export function createServices(config: RondoConfig, store: Store, clock: Clock, ids: IdGenerator, opts: ServicesOptions = {}): AppServices {
  const env = opts.env ?? process.env;
  const auth =
    opts.auth ??
    createAuthService({
      store,
      clock,
      ids,
      dataDir: config.dataDir,
      env,
      config: opts.authConfig ?? loadAuthConfig(env),
      ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
      onAuditError: (e) => opts.logger?.warn({ err: e }, 'audit: an entry could not be written'),
    });
  // `rondo secrets rotate` re-encrypts VIM credentials with the VES and subscription secrets.
  registerSealedColumn(VIM_SECRET_COLUMN);
  const catalog = createCatalogService({
    db: store.db,
    clock,
    ids,
    reader: packageReader,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
  });
  // NS lifecycle: service, PoPs, driver registry and the (not yet started) worker.
  const rt = createRuntimeServices(config, store, clock, ids, { ...opts, secrets: auth.secretBox });
  // Monitoring (not started here: startServer starts it; tests start what they need).
  const monitoring = createMonitoringServices({
    config,
    store,
    clock,
    ids,
    ...(opts.logger ? { logger: opts.logger } : {}),
    vimRegistry: rt.vimRegistry,
    opNotifier: rt.opNotifier,
    nsEvents: rt.nsEvents,
    lifecycle: rt.lifecycle,
    sealer: auth.secretBox,
    // Callbacks and VES collectors reach only what RONDO_OUTBOUND_ALLOW allows.
    outbound: auth.outbound,
  });
  return { catalog, ...rt, monitoring, auth };
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

/** Options of {@link startServer}. */
export interface StartServerOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly handleSignals?: boolean;
  /** Where auth settings and `RONDO_SECRET_KEY` are read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Auth settings; default `loadAuthConfig(env)`. */
  readonly authConfig?: AuthConfig;
  readonly scrypt?: ScryptParams;
  /**
   * Writes the start-up notices meant for the operator's eyes only: the first admin's
   * generated password and the insecure-mode banner. Default: standard error. Never
   * pino: a password must not end up in structured logs.
   */
  readonly notice?: (text: string) => void;
}

/**
 * Starts Rondo: logger → store (DATABASE_URL → PostgreSQL, else PGlite in
 * `dataDir/db`, migrated) → services (with authentication) → first admin → app → listen.
 * With `handleSignals`, SIGINT and SIGTERM close it gracefully (stop accepting, finish
 * requests, close the store).
 */
export async function startServer(config: RondoConfig, opts: StartServerOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? uuidGenerator;
  const notice = opts.notice ?? ((text: string) => void process.stderr.write(`${text}\n`));
  const store = await openStore(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'db') },
  );
  let services: AppServices;
  try {
    services = createServices(config, store, clock, ids, {
      logger,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.authConfig ? { authConfig: opts.authConfig } : {}),
      ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  const auth = services.auth;
  // VIM credentials written before they were sealed at rest are sealed now.
  const sealedNow = await new SqlVimAccountRepository(store.db, auth.secretBox).sealClearSecrets();
  if (sealedNow > 0) logger.info({ vims: sealedNow }, `sealed the stored credentials of ${sealedNow} VIM account(s)`);
  // First start: an admin (RONDO_ADMIN_USER/RONDO_ADMIN_PASSWORD, else generated). API processes only.
  const boot = config.role === 'worker' ? ({ created: false } as const) : await auth.ensureBootstrapAdmin();
  if (boot.created && boot.source === 'env') logger.info({ user: boot.username }, `created the first admin user ${boot.username} (from RONDO_ADMIN_USER)`);
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
  logger.info(
    { url, store: store.kind, dataDir: config.dataDir, role: config.role, auth: auth.config.insecureNoAuth ? 'off' : 'on', secretKey: auth.secretKeyOrigin },
    `Rondo listening on ${url} (role ${config.role})`,
  );
  const banner = insecureModeWarning(url);
  if (auth.config.insecureNoAuth) {
    notice(banner);
    logger.warn({ insecureNoAuth: true }, 'authentication is OFF (--insecure-no-auth / RONDO_INSECURE_NO_AUTH=1): every request acts as an admin');
  }
  for (const w of auth.startupWarnings(url)) if (w !== banner) logger.warn(w);
  const adminNotice = bootstrapAdminNotice(boot);
  if (adminNotice !== null && boot.created) notice(`${adminNotice}\nFrom the CLI: rondo login --url ${url} --user ${boot.username}`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      // Stop claiming first: running operations stay resumable (their lease expires).
      await services.lifecycleWorker?.stop();
      await services.reconciler?.stop();
      await services.monitoring?.stop();
      await app.close();
      await auth.close();
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
