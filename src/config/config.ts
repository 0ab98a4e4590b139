import { resolve } from 'node:path';
import { RondoError } from '../model/index.js';
import { readAuthSettings } from './auth-settings.js';
import type { AuthConfig } from './auth-settings.js';
import { envReader } from './env-reader.js';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

/**
 * How `rondo serve` makes its local PoPs: `engines` (default), one Docker engine per PoP
 * (`dc1` the default engine, `dc2..dcN` local engines it starts); `labels`, today's lab
 * shortcut, PoPs `dc1..dcN` as labels on the one default engine.
 */
export const POP_MODES = ['engines', 'labels'] as const;
export type PopMode = (typeof POP_MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The one typed configuration object, loaded from env and flags with laptop-friendly defaults. */
export interface RondoConfig {
  readonly host: string;
  readonly port: number;
  /**
   * The public base URL of the API (`RONDO_PUBLIC_URL`), e.g. `https://mano.example.net`:
   * SOL005 notifications and resource links are absolute URIs under it. `null`: derived
   * from where the server listens ({@link defaultPublicUrl}).
   */
  readonly publicUrl: string | null;
  /** Embedded PGlite data and uploaded packages live here (default `./.rondo`). */
  readonly dataDir: string;
  /** Real PostgreSQL when set (DATABASE_URL); PGlite in `dataDir` otherwise. */
  readonly databaseUrl: string | null;
  readonly databaseSchema: string;
  readonly role: Role;
  readonly logLevel: LogLevel;
  readonly maxUploadBytes: number;
  /** Local Docker engine, registered as PoP dc1 when no VIM exists. */
  readonly dockerEndpoint: string;
  readonly autoRegisterPops: boolean;
  /** `RONDO_POP_MODE`: see {@link PopMode}. */
  readonly popMode: PopMode;
  /**
   * `RONDO_LOCAL_POPS`: how many local PoPs `dc1..dcN` serve registers (default 1 in
   * `engines` mode, 2 in `labels` mode). In `engines` mode, `dc2..dcN` each get a local
   * Docker engine of their own (started, or reused when already running; needs root).
   */
  readonly localPops: number;
  /** Deadline of one step and of a whole operation, in seconds. */
  readonly stepDeadlineSeconds: number;
  readonly opDeadlineSeconds: number;
  /** Worker lease; renewed at a third of it. */
  readonly workerLeaseSeconds: number;
  readonly workerConcurrency: number;
  /** Page size of SOL005 list answers (SOL013 paging). */
  readonly pageSize: number;
  /**
   * Seconds between two resource samples of every VNF compute (`RONDO_STATS_INTERVAL`,
   * default 15): the Prometheus gauges, NS PM and auto-scale policies read them. An
   * auto-scale `threshold-time` shorter than two samples acts after two samples.
   */
  readonly statsIntervalSeconds: number;
  /**
   * Bytes of NS and operation read answers kept to serve again while nothing committed
   * (`RONDO_API_CACHE_MB`, default 64; 0 turns it off). See src/api/http/response-cache.ts.
   */
  readonly apiCacheBytes: number;
  /**
   * RabbitMQ (`RONDO_AMQP_URL`, `amqp://user:password@host:5672[/vhost]`): lifecycle events
   * travel between processes over it (split roles need it). `null`: the in-process bus.
   */
  readonly amqpUrl: string | null;
  /** Prefix of the exchange and queues on the broker (`RONDO_AMQP_PREFIX`); deployments sharing one broker use different ones. */
  readonly amqpPrefix: string;
  /**
   * RabbitMQ's management HTTP API (`RONDO_AMQP_MANAGEMENT_URL`, `http://user:password@host:15672`):
   * Rondo makes a broker user per specific manager through it (docs/plugins.md). `null`:
   * the host of `RONDO_AMQP_URL`, port 15672, the same credentials.
   */
  readonly amqpManagementUrl: string | null;
  /** Authentication, policy, rate limits, outbound calls. */
  readonly auth: AuthConfig;
}

/** A configuration mistake; lists one message per wrong setting. */
export class ConfigError extends RondoError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
  }
}

/** Explicit settings (CLI flags, tests) that win over the environment; `auth` merges field by field. */
export type ConfigOverrides = Partial<{ -readonly [K in Exclude<keyof RondoConfig, 'auth'>]: RondoConfig[K] }> & { readonly auth?: Partial<AuthConfig> };

/**
 * The base URL a server listening on `host:port` is reached at: a wildcard address
 * (0.0.0.0, ::) becomes 127.0.0.1, an IPv6 address gets brackets.
 */
export function defaultPublicUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** `RONDO_PUBLIC_URL` checked: http(s), no credentials, query or fragment; no trailing slash. */
function publicUrlOf(raw: string | null | undefined, problem: (m: string) => void): string | null {
  if (raw === undefined || raw === null) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    problem(`RONDO_PUBLIC_URL=${raw}: expected an absolute http(s) URL such as https://mano.example.net`);
    return null;
  }
  if (!['http:', 'https:'].includes(u.protocol) || u.username || u.password || u.search || u.hash) {
    problem(`RONDO_PUBLIC_URL=${raw}: expected http(s)://host[:port][/path] without credentials, query or fragment`);
    return null;
  }
  return u.href.replace(/\/+$/, '');
}

/** `RONDO_AMQP_URL` checked: amqp(s)://, a host. */
function amqpUrlOf(raw: string | null | undefined, problem: (m: string) => void): string | null {
  if (raw === undefined || raw === null) return null;
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (!u || !['amqp:', 'amqps:'].includes(u.protocol) || u.hostname === '') {
    problem(`RONDO_AMQP_URL: expected amqp://user:password@host:5672[/vhost] (or amqps://), got ${u ? `${u.protocol}//${u.host}…` : 'no URL'}`);
    return null;
  }
  return raw;
}

/**
 * Builds the configuration from environment variables (RONDO_*, DATABASE_URL) and
 * explicit overrides (CLI flags win). Throws ConfigError listing every mistake, of the
 * auth settings too, at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): RondoConfig {
  const r = envReader(env);
  const { auth: authOverrides, ...rest } = overrides;
  const cfg: RondoConfig = {
    host: r.raw('RONDO_HOST') ?? '127.0.0.1',
    port: r.int('RONDO_PORT', 5000, 0, 65535),
    publicUrl: publicUrlOf(r.raw('RONDO_PUBLIC_URL'), r.problem),
    dataDir: resolve(r.raw('RONDO_DATA_DIR') ?? '.rondo'),
    databaseUrl: r.raw('DATABASE_URL') ?? null,
    databaseSchema: r.raw('RONDO_DB_SCHEMA') ?? 'public',
    role: r.oneOf('RONDO_ROLE', ROLES, 'all'),
    logLevel: r.oneOf('RONDO_LOG_LEVEL', LOG_LEVELS, 'info'),
    maxUploadBytes: r.int('RONDO_MAX_UPLOAD_BYTES', 512 * 1024 * 1024, 1024, 16 * 1024 ** 3),
    dockerEndpoint: r.raw('RONDO_DOCKER_ENDPOINT') ?? r.raw('DOCKER_HOST') ?? 'unix:///var/run/docker.sock',
    autoRegisterPops: r.bool('RONDO_AUTO_POPS', true),
    popMode: r.oneOf('RONDO_POP_MODE', POP_MODES, 'engines'),
    localPops: 1,
    stepDeadlineSeconds: r.int('RONDO_STEP_DEADLINE', 120, 1, 86400),
    opDeadlineSeconds: r.int('RONDO_OP_DEADLINE', 1800, 1, 7 * 86400),
    workerLeaseSeconds: r.int('RONDO_WORKER_LEASE', 15, 2, 3600),
    workerConcurrency: r.int('RONDO_WORKER_CONCURRENCY', 4, 1, 256),
    pageSize: r.int('RONDO_PAGE_SIZE', 100, 1, 10_000),
    statsIntervalSeconds: r.int('RONDO_STATS_INTERVAL', 15, 1, 3600),
    apiCacheBytes: r.int('RONDO_API_CACHE_MB', 64, 0, 4096) * 1024 * 1024,
    amqpUrl: amqpUrlOf(r.raw('RONDO_AMQP_URL'), r.problem),
    amqpPrefix: r.raw('RONDO_AMQP_PREFIX') ?? 'rondo',
    amqpManagementUrl: r.raw('RONDO_AMQP_MANAGEMENT_URL') ?? null,
    auth: { ...readAuthSettings(r), ...authOverrides },
    ...rest,
  };
  if (rest.localPops === undefined) (cfg as { localPops: number }).localPops = r.int('RONDO_LOCAL_POPS', cfg.popMode === 'labels' ? 2 : 1, 1, 16);
  if (rest.dataDir) (cfg as { dataDir: string }).dataDir = resolve(rest.dataDir);
  if (rest.publicUrl) (cfg as { publicUrl: string | null }).publicUrl = publicUrlOf(rest.publicUrl, r.problem);
  if (rest.amqpUrl) (cfg as { amqpUrl: string | null }).amqpUrl = amqpUrlOf(rest.amqpUrl, r.problem);
  if (cfg.amqpManagementUrl && !/^https?:\/\/[^/]+/.test(cfg.amqpManagementUrl)) r.problem('RONDO_AMQP_MANAGEMENT_URL: expected http(s)://user:password@host:15672');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(cfg.amqpPrefix)) r.problem(`RONDO_AMQP_PREFIX=${cfg.amqpPrefix}: expected letters, digits, '.', '_' or '-' (at most 64)`);
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 65535) r.problem(`port ${cfg.port}: expected 0..65535`);
  if (cfg.databaseUrl && !/^postgres(ql)?:\/\//.test(cfg.databaseUrl)) r.problem('DATABASE_URL: expected postgres://…');
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return cfg;
}

/**
 * Only the auth settings of {@link loadConfig} (same parser), for tools and tests that
 * build an auth service on its own. Throws ConfigError listing every auth mistake.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AuthConfig> = {}): AuthConfig {
  const r = envReader(env);
  const auth = { ...readAuthSettings(r), ...overrides };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return auth;
}
