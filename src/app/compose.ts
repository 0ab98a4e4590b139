import { join } from 'node:path';
import type { Logger } from 'pino';
import { defaultPublicUrl } from '../config/index.js';
import type { RondoConfig, Role } from '../config/index.js';
import { systemClock, uuidGenerator } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import { authRepositories, catalogStore, consumedEvents, openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { createCatalogService } from '../catalog/index.js';
import type { CatalogService, PackageReader } from '../catalog/index.js';
import { readDescriptorFile, readPackageEntry, readPackageFile } from '../packages/index.js';
import { buildApp, ROUTE_PLUGINS } from '../api/index.js';
import type { AppDeps, BuildAppOptions, RondoApp } from '../api/index.js';
import { createAuthService } from '../auth/index.js';
import type { AuthService, ScryptParams } from '../auth/index.js';
import type { LifecycleTopics, LifecycleWorker, OpChange } from '../lifecycle/index.js';
import type { Bus, BusSubscription, OutboxRelay } from '../bus/index.js';
import type { VimDriverTypes } from '../vim/index.js';
import type { ProbeRunner } from '../monitoring/index.js';
import { createLogger } from './logger.js';
import { wireLifecycle } from './lifecycle-wiring.js';
import type { CrashPointsPort, LifecycleOptions, RuntimeServices } from './lifecycle-wiring.js';
import { wireMonitoring } from './monitoring-wiring.js';
import type { MonitoringServices } from './monitoring-wiring.js';
import { defaultVimDrivers, memoryAccountDriverFactory } from './vim-drivers.js';
import { openBus } from './bus-wiring.js';
import { createPlacementAdvisor, wireManagers, wirePlugins } from './plugin-wiring.js';
import type { PluginOptions } from './plugin-wiring.js';
import type { PluginManager } from '../plugins/index.js';

/** The real package readers of `src/packages`, as the catalog's port. */
export const packageReader: PackageReader = {
  readPackageFile: (path, opts) => readPackageFile(path, opts),
  readDescriptorFile: (path, opts) => readDescriptorFile(path, opts),
  readPackageEntry: (path, entry) => readPackageEntry(path, entry),
};

/** Every service of one composition (what route plugins get as `deps.services`). */
export interface ComposedServices extends RuntimeServices {
  readonly catalog: CatalogService;
  readonly monitoring: MonitoringServices;
  readonly auth: AuthService;
  /** The plugin registry and manager (docs/plugins.md). */
  readonly plugins: PluginManager;
}

/** What {@link compose} is built from: the config plus what tests and benches inject. */
export interface ComposeOptions extends LifecycleOptions {
  readonly config: RondoConfig;
  /** Default `config.role`: `api` (HTTP), `worker` (runs operations; HTTP health only), `all`. */
  readonly role?: Role;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Default {@link createLogger}(config). */
  readonly logger?: Logger;
  /**
   * A store opened by the caller (tests: a schema per file); it stays the caller's and
   * `close()` leaves it open. Default: opened from the config (DATABASE_URL, else PGlite
   * in `dataDir/db`) and closed by `close()`.
   */
  readonly store?: Store;
  /** Where `RONDO_SECRET_KEY` is read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * An event bus opened by the caller and shared by the compositions of one process (a
   * test's API side and its in-process workers); it stays the caller's. Default: opened
   * from the config (RabbitMQ with RONDO_AMQP_URL, else in-process) and closed by `close()`.
   */
  readonly bus?: Bus<LifecycleTopics>;
  /** A ready auth service (tests share one); it stays the caller's. Default: built from `config.auth`. */
  readonly auth?: AuthService;
  /** scrypt costs of new password hashes (tests lower them). */
  readonly scrypt?: ScryptParams;
  /** VIM drivers by type, added to or replacing the shipped `docker`, `openstack`, `memory` (tests: one memory engine). */
  readonly vimDrivers?: VimDriverTypes;
  /** Crash points passed to the executor and the worker (crash tests). */
  readonly crashPoints?: CrashPointsPort;
  /** Plugin manager timings (default: heartbeat every 5 s, dead after 15 s, a sweep every 5 s). */
  readonly plugins?: PluginOptions;
  /** How VDU health probes are tried (default from this host: `ping`, HTTP GET); memory-VIM tests inject one. */
  readonly probeRunner?: ProbeRunner;
  /** Build the HTTP app (default true); options go to `buildApp`. A worker role gets the health routes only. */
  readonly http?: boolean | BuildAppOptions;
}

/** What {@link Composition.start} starts; defaults follow the role. */
export interface StartParts {
  /** The lifecycle worker (roles worker, all). */
  readonly worker?: boolean;
  /** Periodic reconciliation (roles worker, all). */
  readonly reconciler?: boolean;
  /** Watchers, stats, alarms, VES polling, notifications (roles api, all: one per deployment is enough). */
  readonly monitoring?: boolean;
  /** The plugin manager on the bus and the service/function lifecycle events (roles worker, all). */
  readonly plugins?: boolean;
}

/** Everything wired: services, the app and the worker, with one `close()`. */
export interface Composition {
  readonly config: RondoConfig;
  readonly role: Role;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly services: ComposedServices;
  /** What `buildApp` got (route plugins see it as `deps`). */
  readonly deps: AppDeps;
  /** The HTTP app; `null` when built with `http: false`. */
  readonly app: RondoApp | null;
  /** The lifecycle worker (started by `start()` for roles worker and all). */
  readonly worker: LifecycleWorker;
  /** The public base URL: RONDO_PUBLIC_URL, else where the app listens, else `http://<host>:<port>`. */
  publicUrl(): string;
  /** Reloads the PoPs, then starts what the role runs (see {@link StartParts}). */
  start(parts?: StartParts): Promise<void>;
  /** Listens on `config.host:config.port`; resolves with the URL. */
  listen(): Promise<string>;
  /** Stops the worker first (its operations stay resumable), then everything else; the store if compose opened it. Idempotent. */
  close(): Promise<void>;
}

/**
 * The one composition root: wires store, event bus, auth, catalog, lifecycle (VIM drivers
 * registered here by type), monitoring and the HTTP app from one config, for `rondo
 * serve` (every role), worker processes, tests and benches. Nothing is started but the
 * outbox relay and this process's wake-ups from the bus (events of changes made through
 * the composition go out whether or not `start()` is called): `start()` runs what the
 * role needs. Throws what the auth service throws for a bad secret key or policy file,
 * and RondoError `BUS_UNAVAILABLE` when RONDO_AMQP_URL names a broker that does not
 * answer (after closing what it opened).
 */
export async function compose(opts: ComposeOptions): Promise<Composition> {
  const { config } = opts;
  const role = opts.role ?? config.role;
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? uuidGenerator;
  const ownStore = opts.store === undefined;
  const store =
    opts.store ??
    (await openStore(
      config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema } : { kind: 'pglite', dataDir: join(config.dataDir, 'db') },
    ));
  let listenUrl: string | null = null;
  const publicUrl = (): string => config.publicUrl ?? listenUrl ?? defaultPublicUrl(config.host, config.port);
  const ownBus = opts.bus === undefined;
  let openedBus: Bus<LifecycleTopics> | undefined;
  let wakeups: BusSubscription | undefined;
  let stopSignals: (() => Promise<void>) | undefined;
  let relay: OutboxRelay | undefined;
  try {
    const bus = opts.bus ?? (openedBus = await openBus(config, logger));
    const auth =
      opts.auth ??
      createAuthService({
        repos: authRepositories(store.db), clock, ids, dataDir: config.dataDir, env: opts.env ?? process.env, config: config.auth,
        ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
        onAuditError: (e) => logger.warn({ err: e }, 'audit: an entry could not be written'),
      });
    const catalog = createCatalogService({ store: catalogStore(store.db, () => clock.now()), clock, ids, reader: packageReader, dataDir: config.dataDir, maxUploadBytes: config.maxUploadBytes });
    const drivers: VimDriverTypes = { ...defaultVimDrivers(), ...opts.vimDrivers };
    // A new account's connectivity check gets a memory engine of its own (its capacity), unless a test replaced memory.
    const checkDrivers: VimDriverTypes = opts.vimDrivers?.memory ? drivers : { ...drivers, memory: memoryAccountDriverFactory };
    // INSTANTIATE asks a live placement SSM, if any (docs/plugins.md); the lifecycle sees only the port.
    const placementAdvisor = createPlacementAdvisor({ bus, store, logger, ...(opts.plugins?.placementTimeoutMs ? { timeoutMs: opts.plugins.placementTimeoutMs } : {}) });
    // Specific managers (SSM/FSM containers) need the broker: only with RONDO_AMQP_URL (docs/plugins.md).
    // Their exec runs through the VIM registry the lifecycle wiring makes next.
    const vims: { registry?: RuntimeServices['vimRegistry']; lifecycle?: RuntimeServices['lifecycle'] } = {};
    // A monitoring SSM's HEAL/SCALE requests go to the lifecycle service made next.
    const managers = config.amqpUrl ? wireManagers(config, bus, store, logger, opts.plugins ?? {}, () => vims.registry, () => vims.lifecycle) : undefined;
    const { services: rt, hear } = wireLifecycle({ ...opts, config, store, clock, ids, logger, drivers, checkDrivers, bus, secrets: auth.secretBox, placementAdvisor, ...(managers ? { managers } : {}) });
    vims.registry = rt.vimRegistry;
    vims.lifecycle = rt.lifecycle;
    // Other processes' operation changes wake this one's worker and `waitForOp` (its own woke them already).
    wakeups = await bus.subscribe(['op.changed'], (e) => hear({ opId: e.payload.opId, nsInstanceId: e.payload.nsInstanceId, operationState: e.payload.operationState, lcmOperationType: e.payload.lcmOperationType }));
    // ... and at once on PostgreSQL: LISTEN/NOTIFY (cancel requests included, which the outbox does not carry).
    stopSignals = await store.signals?.listen(
      (p) => {
        let change: Partial<OpChange>;
        try {
          change = JSON.parse(p) as Partial<OpChange>;
        } catch {
          return;
        }
        if (typeof change.opId === 'string' && typeof change.nsInstanceId === 'string' && typeof change.operationState === 'string') hear(change as OpChange);
      },
      (e) => logger.warn({ err: e }, 'op wake-ups: the LISTEN connection failed; operations are seen by polling'),
    );
    (relay = rt.outboxRelay).start();
    const monitoring = wireMonitoring({
      config, store, clock, ids, logger,
      vimRegistry: rt.vimRegistry, events: bus, handled: consumedEvents(store.db), lifecycle: rt.lifecycle, descriptors: rt.descriptors,
      sealer: auth.secretBox,
      // Callbacks and VES collectors reach only what RONDO_OUTBOUND_ALLOW allows.
      outbound: auth.outbound,
      publicUrl,
      // A worker serves no /metrics: no process collectors (benches start many workers in one process).
      processMetrics: role !== 'worker',
      ...(opts.probeRunner ? { probeRunner: opts.probeRunner } : {}),
    });
    // The NS's alarms reach its managers (a monitoring SSM) on `mano.ns.<nsId>.service.alarm` (docs/plugins.md).
    const alarmsToManagers = managers
      ? [monitoring.bus.subscribe('alarm.raised', (a) => void managers.alarm('alarm.raised', a)), monitoring.bus.subscribe('alarm.cleared', (a) => void managers.alarm('alarm.cleared', a))]
      : [];
    const pluginWiring = wirePlugins({ bus, store, clock, ids, logger, ...opts.plugins });
    const services: ComposedServices = { catalog, ...rt, monitoring, auth, plugins: pluginWiring.manager };
    const deps: AppDeps = { config, store, logger, clock, ids, services };
    const http = opts.http ?? true;
    const appOptions: BuildAppOptions = role === 'worker' ? { plugins: ROUTE_PLUGINS.filter((p) => p.name === 'health') } : typeof http === 'object' ? http : {};
    const app = http === false ? null : await buildApp(deps, appOptions);

    let closing: Promise<void> | undefined;
    return {
      config, role, store, logger, clock, ids, services, deps, app,
      worker: rt.lifecycleWorker,
      publicUrl,
      async start(parts = {}) {
        await rt.vimRegistry.refresh();
        // The worker claims operations through row locks, so any number of worker/all processes share the store.
        if (parts.worker ?? role !== 'api') rt.lifecycleWorker.start();
        // Reconciliation: a pass now, then periodically (`POST /admin/v1/reconcile` runs one on demand).
        if (parts.reconciler ?? role !== 'api') rt.reconciler.start();
        if (parts.monitoring ?? role !== 'worker') await monitoring.start();
        // Like the worker: any number of worker/all processes share the manager's groups (docs/plugins.md).
        if (parts.plugins ?? role !== 'api') await pluginWiring.start();
        // Managers' exec requests: served again for the NSs whose managers run.
        await managers?.start().catch((e: unknown) => logger.warn({ err: e }, 'specific managers: the exec topics of running managers are not served (is Docker reachable?)'));
      },
      async listen() {
        if (!app) throw new Error('compose: built with http: false, nothing to listen with');
        const address = await app.listen({ host: config.host, port: config.port });
        listenUrl = address.replace('[::1]', 'localhost');
        return listenUrl;
      },
      close: () =>
        (closing ??= (async () => {
          // Stop claiming first: running operations stay resumable (their lease expires).
          await rt.lifecycleWorker.stop();
          await rt.reconciler.stop();
          await monitoring.stop();
          for (const unsubscribe of alarmsToManagers) unsubscribe();
          await pluginWiring.stop();
          await managers?.stop();
          await app?.close();
          // The last changes go out before the bus closes (another process's relay would send them later).
          await rt.outboxRelay.stop();
          await Promise.race([rt.outboxRelay.flush().catch((e: unknown) => logger.warn({ err: e }, 'outbox relay: events left for the next relay')), new Promise((r) => setTimeout(r, 5000).unref())]);
          await wakeups?.close();
          await stopSignals?.();
          if (ownBus) await bus.close();
          if (!opts.auth) await auth.close();
          await rt.vimRegistry.close();
          if (ownStore) await store.close();
        })()),
    };
  } catch (e) {
    await relay?.stop();
    await wakeups?.close();
    await stopSignals?.();
    await openedBus?.close();
    if (ownStore) await store.close();
    throw e;
  }
}
