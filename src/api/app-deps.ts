import type { Logger } from 'pino';
import type { RondoConfig } from '../config/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { RuntimeServices } from '../app/lifecycle-wiring.js';
import type { MonitoringServices } from '../app/monitoring-wiring.js';
import type { AuthService } from '../auth/index.js';
import type { PluginManager } from '../plugins/index.js';

/**
 * The services route plugins call. Add yours here as a field (e.g. `lifecycle`) and
 * construct it in `src/app/compose.ts`.
 */
export interface AppServices extends Partial<Omit<RuntimeServices, 'lifecycle' | 'vims'>> {
  readonly catalog: CatalogService;
  /** NS lifecycle (SOL005 NS LCM, 5GTANGO /instantiations). */
  readonly lifecycle: RuntimeServices['lifecycle'];
  /** VIM accounts (PoPs). */
  readonly vims: RuntimeServices['vims'];
  /** Watchers, VES agent, alarms, SOL005 subscriptions, metrics, the event bus. */
  readonly monitoring?: MonitoringServices;
  /** Authentication, policy, audit, secret box, outbound guard (`buildApp` puts its plugins first). */
  readonly auth: AuthService;
  /** The plugin registry (`/admin/v1/plugins`); absent, those routes are not registered. */
  readonly plugins?: PluginManager;
}

/** Everything `buildApp` is built from; the composition root (`src/app/compose.ts`) fills it. */
export interface AppDeps {
  readonly config: RondoConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly services: AppServices;
}

/** Options every route plugin receives. */
export interface RoutePluginOptions {
  readonly deps: AppDeps;
}
