import type { EnvReader } from './env-reader.js';

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

/** Settings of authentication, policy, rate limits and outbound calls (`RondoConfig.auth`). */
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

/** Reads the auth part of the configuration; mistakes go to `r.problems`. */
export function readAuthSettings(r: EnvReader): AuthConfig {
  const publicRoutes = r.list('RONDO_PUBLIC_ROUTES')?.map((entry): PublicRoute => {
    const [a, b] = entry.split(/\s+/);
    const route = b === undefined ? { method: '*', path: a ?? '' } : { method: (a ?? '*').toUpperCase(), path: b };
    if (!route.path.startsWith('/')) r.problem(`RONDO_PUBLIC_ROUTES: ${entry}: expected "[METHOD] /path" or "/prefix*"`);
    return route;
  });
  const adminUser = r.raw('RONDO_ADMIN_USER') ?? null;
  const adminPassword = r.raw('RONDO_ADMIN_PASSWORD') ?? null;
  if ((adminUser === null) !== (adminPassword === null)) r.problem('RONDO_ADMIN_USER and RONDO_ADMIN_PASSWORD: set both or neither');
  if (adminPassword !== null && adminPassword.length < 12) r.problem('RONDO_ADMIN_PASSWORD: use at least 12 characters');
  // Anything but an explicit "on" keeps authentication on (a typo must not turn it off).
  const insecure = (r.raw('RONDO_INSECURE_NO_AUTH') ?? '').toLowerCase();
  return {
    insecureNoAuth: ['1', 'true', 'yes', 'on'].includes(insecure),
    policyFile: r.raw('RONDO_POLICY_FILE') ?? null,
    publicRoutes: publicRoutes ?? DEFAULT_PUBLIC_ROUTES,
    tokenTtlSeconds: r.num('RONDO_TOKEN_TTL', 3600, 60, 7 * 86400),
    rateLimit: { burst: r.num('RONDO_RATE_LIMIT_BURST', 200, 0, 1_000_000), perSecond: r.num('RONDO_RATE_LIMIT_RPS', 50, 0.01, 1_000_000) },
    outboundAllow: r.list('RONDO_OUTBOUND_ALLOW') ?? [],
    adminUser,
    adminPassword,
  };
}
