import { resolve } from 'node:path';
import { RondoError } from '../model/index.js';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The one typed configuration object, loaded from env and flags with laptop-friendly defaults. */
export interface RondoConfig {
  readonly host: string;
  readonly port: number;
  /** Embedded PGlite data and uploaded packages live here (default `./.rondo`). */
  readonly dataDir: string;
  /** Real PostgreSQL when set (DATABASE_URL); PGlite in `dataDir` otherwise. */
  readonly databaseUrl: string | null;
  readonly databaseSchema: string;
  readonly role: Role;
  readonly logLevel: LogLevel;
  readonly maxUploadBytes: number;
  /** Local Docker engine registered as PoPs dc1, dc2 when no VIM exists. */
  readonly dockerEndpoint: string;
  readonly autoRegisterPops: boolean;
  /** Deadline of one step and of a whole operation, in seconds. */
  readonly stepDeadlineSeconds: number;
  readonly opDeadlineSeconds: number;
  /** Worker lease; renewed at a third of it. */
  readonly workerLeaseSeconds: number;
  readonly workerConcurrency: number;
  /** Page size of SOL005 list answers (SOL013 paging). */
  readonly pageSize: number;
}

/** A configuration mistake; lists one message per wrong setting. */
export class ConfigError extends RondoError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
  }
}

export type ConfigOverrides = Partial<{ -readonly [K in keyof RondoConfig]: RondoConfig[K] }>;

/**
 * Builds the configuration from environment variables (RONDO_*, DATABASE_URL) and
 * explicit overrides (CLI flags win). Throws ConfigError listing every mistake.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): RondoConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${raw}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, list: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(list as readonly string[]).includes(raw)) {
      problems.push(`${name}=${raw}: expected one of ${list.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };
  const cfg: RondoConfig = {
    host: env.RONDO_HOST ?? '127.0.0.1',
    port: int('RONDO_PORT', 5000, 0, 65535),
    dataDir: resolve(env.RONDO_DATA_DIR ?? '.rondo'),
    databaseUrl: env.DATABASE_URL ? env.DATABASE_URL : null,
    databaseSchema: env.RONDO_DB_SCHEMA ?? 'public',
    role: oneOf('RONDO_ROLE', ROLES, 'all'),
    logLevel: oneOf('RONDO_LOG_LEVEL', LOG_LEVELS, 'info'),
    maxUploadBytes: int('RONDO_MAX_UPLOAD_BYTES', 512 * 1024 * 1024, 1024, 16 * 1024 ** 3),
    dockerEndpoint: env.RONDO_DOCKER_ENDPOINT ?? env.DOCKER_HOST ?? 'unix:///var/run/docker.sock',
    autoRegisterPops: (env.RONDO_AUTO_POPS ?? '1') !== '0',
    stepDeadlineSeconds: int('RONDO_STEP_DEADLINE', 120, 1, 86400),
    opDeadlineSeconds: int('RONDO_OP_DEADLINE', 1800, 1, 7 * 86400),
    workerLeaseSeconds: int('RONDO_WORKER_LEASE', 15, 2, 3600),
    workerConcurrency: int('RONDO_WORKER_CONCURRENCY', 4, 1, 256),
    pageSize: int('RONDO_PAGE_SIZE', 100, 1, 10_000),
    ...overrides,
  };
  if (overrides.dataDir) (cfg as { dataDir: string }).dataDir = resolve(overrides.dataDir);
  if (!Number.isInteger(cfg.port) || cfg.port < 0 || cfg.port > 65535) problems.push(`port ${cfg.port}: expected 0..65535`);
  if (cfg.databaseUrl && !/^postgres(ql)?:\/\//.test(cfg.databaseUrl)) problems.push('DATABASE_URL: expected postgres://…');
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}
