import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { buildApp } from '../../src/api/app.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { ROUTE_PLUGINS } from '../../src/api/route-plugins.js';
import { authRoutePlugins } from '../../src/api/plugins/auth-route-plugins.js';
import { createAuthService, loadAuthConfig } from '../../src/auth/index.js';
import type { AuthConfig, AuthService } from '../../src/auth/index.js';
import { createLogger, createServices } from '../../src/server.js';
import type { Store } from '../../src/store/index.js';
import { counterIds, steppingClock } from '../support/app.js';
import { openTestStore } from '../support/store.js';
import type { StoreKind } from '../support/store.js';

/** Cheap scrypt for tests; production uses DEFAULT_SCRYPT_PARAMS. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const TEST_KEY = Buffer.alloc(32, 42).toString('base64');

/** The real app with the security plugins in front of every route plugin. */
export interface AuthTestApp {
  readonly app: RondoApp;
  readonly auth: AuthService;
  readonly store: Store;
  readonly deps: AppDeps;
  /** A fake monotonic clock for the rate limiter (ms); advance it by assigning. */
  readonly limiterClock: { ms: number };
  close(): Promise<void>;
}

/**
 * Builds the app as `buildApp` will once auth is wired: `[...authRoutePlugins(auth),
 * ...ROUTE_PLUGINS]`. `store` may be passed to share one between apps.
 */
export async function openAuthTestApp(kind: StoreKind, key: string, overrides: Partial<AuthConfig> = {}, env: NodeJS.ProcessEnv = {}): Promise<AuthTestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rondo-auth-test-'));
  const config = loadConfig({}, { dataDir, logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'silent' });
  const store = await openTestStore(kind, key);
  const clock = steppingClock();
  const ids = counterIds();
  const fullEnv = { RONDO_SECRET_KEY: TEST_KEY, ...env };
  const auth = createAuthService({ store, clock, ids, dataDir, env: fullEnv, config: loadAuthConfig(fullEnv, overrides), scrypt: TEST_SCRYPT });
  const deps: AppDeps = { config, store, logger: createLogger(config), clock, ids, services: createServices(config, store, clock, ids) };
  const limiterClock = { ms: 0 };
  const app = await buildApp(deps, { plugins: [...authRoutePlugins(auth, { now: () => limiterClock.ms }), ...ROUTE_PLUGINS] });
  return {
    app,
    auth,
    store,
    deps,
    limiterClock,
    close: async () => {
      await app.close();
      await auth.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in and returns the `Authorization` header value. */
export async function bearer(app: RondoApp, username: string, password: string): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/admin/v1/tokens', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`login of ${username} failed: ${r.statusCode} ${r.body}`);
  return `Bearer ${r.json<{ access_token: string }>().access_token}`;
}
