import { ConfigError } from '../config/index.js';

/** One public route: method (`*` for any) and a path, exact or ending in `*` (prefix). */
export interface PublicRoute {
  readonly method: string;
  readonly path: string;
}

/** Routes answered without credentials unless `RONDO_PUBLIC_ROUTES` says otherwise. */
export const DEFAULT_PUBLIC_ROUTES: readonly PublicRoute[] = [
  { method: '*', path: '/healthz' },
  { method: '*', path: '/readyz' },
  { method: 'POST', path: '/admin/v1/tokens' },
  { method: '*', path: '/api/docs*' },
  // Not /metrics: its series name every tenant's NS and VNF ids; Prometheus scrapes with an admin's API key.
  // The dashboard's static files; its API calls carry the user's token.
  { method: 'GET', path: '/ui*' },
];

/** Settings of authentication, policy, rate limits and outbound calls. */
export interface AuthConfig {
  /** `--insecure-no-auth` / `RONDO_INSECURE_NO_AUTH=1`: everyone is admin of `default`. */
  readonly insecureNoAuth: boolean;
  /** YAML overrides of the default policy (`RONDO_POLICY_FILE`). */
  readonly policyFile: string | null;
  readonly publicRoutes: readonly PublicRoute[];
  /** Lifetime of access tokens, seconds (`RONDO_TOKEN_TTL`, default 3600). */
  readonly tokenTtlSeconds: number;
  /** Token bucket per principal and per client address (`RONDO_RATE_LIMIT_BURST`, `RONDO_RATE_LIMIT_RPS`; burst 0 = off). */
  readonly rateLimit: { readonly burst: number; readonly perSecond: number };
  /** Hosts and CIDRs outbound calls may reach (`RONDO_OUTBOUND_ALLOW`, comma separated; empty: any). */
  readonly outboundAllow: readonly string[];
  /** Bootstrap admin from `RONDO_ADMIN_USER` / `RONDO_ADMIN_PASSWORD`. */
  readonly adminUser: string | null;
  readonly adminPassword: string | null;
}

const TRUE = ['1', 'true', 'yes', 'on'];

/**
 * Reads the auth settings from the environment; `overrides` (CLI flags) win. Throws
 * ConfigError listing every wrong setting.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AuthConfig> = {}): AuthConfig {
  const problems: string[] = [];
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name}=${raw}: expected a number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const list = (name: string): string[] | null => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? null : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  };
  const publicRoutes = list('RONDO_PUBLIC_ROUTES')?.map((entry): PublicRoute => {
    const [a, b] = entry.split(/\s+/);
    const route = b === undefined ? { method: '*', path: a ?? '' } : { method: (a ?? '*').toUpperCase(), path: b };
    if (!route.path.startsWith('/')) problems.push(`RONDO_PUBLIC_ROUTES: ${entry}: expected "[METHOD] /path" or "/prefix*"`);
    return route;
  });
  const adminUser = env.RONDO_ADMIN_USER || null;
  const adminPassword = env.RONDO_ADMIN_PASSWORD || null;
  if ((adminUser === null) !== (adminPassword === null)) problems.push('RONDO_ADMIN_USER and RONDO_ADMIN_PASSWORD: set both or neither');
  if (adminPassword !== null && adminPassword.length < 12) problems.push('RONDO_ADMIN_PASSWORD: use at least 12 characters');
  const cfg: AuthConfig = {
    insecureNoAuth: TRUE.includes((env.RONDO_INSECURE_NO_AUTH ?? '').toLowerCase()),
    policyFile: env.RONDO_POLICY_FILE || null,
    publicRoutes: publicRoutes ?? DEFAULT_PUBLIC_ROUTES,
    tokenTtlSeconds: num('RONDO_TOKEN_TTL', 3600, 60, 7 * 86400),
    rateLimit: { burst: num('RONDO_RATE_LIMIT_BURST', 200, 0, 1_000_000), perSecond: num('RONDO_RATE_LIMIT_RPS', 50, 0.01, 1_000_000) },
    outboundAllow: list('RONDO_OUTBOUND_ALLOW') ?? [],
    adminUser,
    adminPassword,
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}

/** Whether `method path` (a raw URL path, no query) is public under `routes`. */
export function isPublicRoute(routes: readonly PublicRoute[], method: string, path: string): boolean {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return routes.some((r) => (r.method === '*' || r.method === m) && (r.path.endsWith('*') ? path.startsWith(r.path.slice(0, -1)) : path === r.path));
}
