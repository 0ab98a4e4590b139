import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { ROUTE_PLUGINS } from '../../src/api/route-plugins.js';
import { authRoutePlugins } from '../../src/api/http/auth-route-plugins.js';
import { createAuthService } from '../../src/auth/index.js';
import type { AuthConfig, AuthService } from '../../src/auth/index.js';
import { compose } from '../../src/app/index.js';
import { authRepositories } from '../../src/store/index.js';
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
  const fullEnv = { RONDO_SECRET_KEY: TEST_KEY, ...env };
  const config = loadConfig(fullEnv, { dataDir, logLevel: (process.env.RONDO_TEST_LOG as 'info' | undefined) ?? 'silent', auth: overrides });
  const store = await openTestStore(kind, key);
  const clock = steppingClock();
  const ids = counterIds();
  const auth = createAuthService({ repos: authRepositories(store.db), clock, ids, dataDir, env: fullEnv, config: config.auth, scrypt: TEST_SCRYPT });
  const limiterClock = { ms: 0 };
  const composition = await compose({ config, store, clock, ids, env: fullEnv, auth, http: { plugins: [...authRoutePlugins(auth, { now: () => limiterClock.ms }), ...ROUTE_PLUGINS] } });
  const app = composition.app as RondoApp;
  const deps: AppDeps = composition.deps;
  return {
    app,
    auth,
    store,
    deps,
    limiterClock,
    close: async () => {
      await composition.close();
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

/** One Server-Sent Events frame (comments are skipped). */
export interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
}

/**
 * Reads SSE frames from a `fetch` response. `next(pred)` returns the frames read since the
 * last call up to and including the first one `pred` accepts; it fails after `timeoutMs`
 * or when the stream ends first.
 */
export function readSseFrames(res: Response, timeoutMs = 10_000): { next(pred: (f: SseFrame) => boolean): Promise<SseFrame[]> } {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const queue: SseFrame[] = [];
  let buf = '';
  const parse = (block: string): SseFrame | undefined => {
    const f: { id?: string; event?: string; data?: string } = {};
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) f.id = line.slice(4);
      else if (line.startsWith('event: ')) f.event = line.slice(7);
      else if (line.startsWith('data: ')) f.data = line.slice(6);
    }
    return f.data === undefined ? undefined : f;
  };
  return {
    async next(pred) {
      const out: SseFrame[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (queue.length > 0) {
          const f = queue.shift() as SseFrame;
          out.push(f);
          if (pred(f)) return out;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(out)}`);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(out)}`)), left);
        });
        const { value, done } = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
        if (done) throw new Error(`the SSE stream ended; got ${JSON.stringify(out)}`);
        buf += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const f = parse(buf.slice(0, i));
          buf = buf.slice(i + 2);
          if (f) queue.push(f);
        }
      }
    },
  };
}
