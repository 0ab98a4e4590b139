import type { Logger } from 'pino';
import type { RondoConfig } from '../config/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import { SqlVimAccountRepository } from '../store/index.js';
import type { Store } from '../store/index.js';
import type { RondoApp } from '../api/index.js';
import { bootstrapAdminNotice, insecureModeWarning } from '../auth/index.js';
import type { ScryptParams } from '../auth/index.js';
import { compose } from './compose.js';
import { startLocalPops } from './local-pops.js';
import type { LocalPops } from './local-pops.js';
import type { Composition } from './compose.js';

/** A running Rondo server. */
export interface RunningServer {
  readonly app: RondoApp;
  readonly store: Store;
  readonly url: string;
  /** The composition behind it (services, worker). */
  readonly composition: Composition;
  /** The local PoPs serve registered and the engines it started (absent with `RONDO_AUTO_POPS=0` or role worker). */
  readonly localPops: LocalPops | undefined;
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly handleSignals?: boolean;
  /** Where `RONDO_SECRET_KEY` is read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  readonly scrypt?: ScryptParams;
  /**
   * Writes the start-up notices meant for the operator's eyes only: the first admin's
   * generated password and the insecure-mode banner. Default: standard error. Never
   * pino: a password must not end up in structured logs.
   */
  readonly notice?: (text: string) => void;
}

/**
 * `rondo serve`: {@link compose} (store, services with authentication, app) → VIM
 * credentials sealed → first admin → local PoPs ({@link startLocalPops}: `dc1` on the
 * default engine, with `RONDO_LOCAL_POPS=N` an engine of its own for each of `dc2..dcN`,
 * stopped again on close if serve started it) → start what the role runs → listen.
 * With `handleSignals`, SIGINT and SIGTERM close it gracefully (stop claiming, finish
 * requests, close the store).
 */
export async function startServer(config: RondoConfig, opts: StartServerOptions = {}): Promise<RunningServer> {
  const notice = opts.notice ?? ((text: string) => void process.stderr.write(`${text}\n`));
  const c = await compose({
    config,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.ids ? { ids: opts.ids } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
  });
  const { logger, store, services } = c;
  const auth = services.auth;
  let url: string;
  let boot;
  let pops: LocalPops | undefined;
  try {
    // VIM credentials written before they were sealed at rest are sealed now.
    const sealedNow = await new SqlVimAccountRepository(store.db, auth.secretBox).sealClearSecrets();
    if (sealedNow > 0) logger.info({ vims: sealedNow }, `sealed the stored credentials of ${sealedNow} VIM account(s)`);
    // First start: an admin (RONDO_ADMIN_USER/RONDO_ADMIN_PASSWORD, else generated). API processes only.
    boot = c.role === 'worker' ? ({ created: false } as const) : await auth.ensureBootstrapAdmin();
    if (boot.created && boot.source === 'env') logger.info({ user: boot.username }, `created the first admin user ${boot.username} (from RONDO_ADMIN_USER)`);
    if (config.autoRegisterPops && c.role !== 'worker') pops = await startLocalPops(config, services.vims, logger);
    await c.start();
    // A worker listens for health checks only.
    url = await c.listen();
  } catch (e) {
    await c.close();
    await pops?.stop();
    throw e;
  }
  logger.info(
    { url, publicUrl: c.publicUrl(), store: store.kind, bus: services.bus.kind, dataDir: config.dataDir, role: c.role, auth: auth.config.insecureNoAuth ? 'off' : 'on', secretKey: auth.secretKeyOrigin },
    `Rondo listening on ${url} (role ${c.role})`,
  );
  if (c.role !== 'all' && !config.amqpUrl) {
    logger.warn(
      { role: c.role, bus: 'in-process' },
      `role ${c.role} without RONDO_AMQP_URL: lifecycle events of the other processes (SSE, SOL005 notifications, operation metrics) do not reach this one; set RONDO_AMQP_URL on every process`,
    );
  }
  const banner = insecureModeWarning(url);
  if (auth.config.insecureNoAuth) {
    notice(banner);
    logger.warn({ insecureNoAuth: true }, 'authentication is OFF (--insecure-no-auth / RONDO_INSECURE_NO_AUTH=1): every request acts as an admin');
  }
  for (const w of auth.startupWarnings(url)) if (w !== banner) logger.warn(w);
  const adminNotice = bootstrapAdminNotice(boot);
  if (adminNotice !== null && boot.created) notice(`${adminNotice}\nFrom the CLI: rondo login --url ${url} --user ${boot.username}`);

  const close = async () => {
    logger.info('shutting down');
    try {
      await c.close();
    } finally {
      // Engines serve started stop with it; engines it found running stay.
      await pops?.stop();
    }
  };
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
  return { app: c.app as RondoApp, store, url, composition: c, localPops: pops, close };
}
