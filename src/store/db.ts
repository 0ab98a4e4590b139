import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { InternalError } from '../model/index.js';
import type { Database } from './schema.js';
import { MIGRATIONS } from './migrations/index.js';

/** Where the state lives: real PostgreSQL (`url`) or embedded PGlite (`dataDir`, or in memory). */
export type StoreTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string; readonly poolSize?: number }
  | {
      readonly kind: 'pglite';
      readonly dataDir: string | null;
      /**
       * A dump of a data directory (PGlite's `dumpDataDir`) to start from instead of an empty
       * one: a fresh PGlite spends seconds of CPU in initdb, loading a migrated dump well
       * under one (the tests start dozens of stores). Only for a new store: PGlite refuses it
       * when `dataDir` already holds one.
       */
      readonly loadDataDir?: Blob;
    };

/** A Kysely instance plus what it runs on. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: StoreTarget['kind'];
  /**
   * An opaque mark of what is committed: PostgreSQL's current snapshot (`xmin:xmax:xip`).
   * Every commit or abort in the database changes it, so two equal marks mean that every
   * read between them sees the same rows (the API's response cache relies on it).
   */
  readMark(): Promise<string>;
  /**
   * Wake-ups between the processes sharing this store (PostgreSQL LISTEN/NOTIFY on a
   * channel of the schema); absent on PGlite, which one process holds alone.
   */
  readonly signals?: StoreSignals;
  close(): Promise<void>;
}

/** Short messages to every process on one PostgreSQL schema (a wake-up: receivers read the rows again). */
export interface StoreSignals {
  /** Sends `payload` (under 8000 bytes) to every listener, this process's included. */
  send(payload: string): Promise<void>;
  /** Hears every payload sent on the schema until the returned stop is called (it is also stopped by the store's close). */
  listen(onPayload: (payload: string) => void, onError?: (e: unknown) => void): Promise<() => Promise<void>>;
}

/**
 * LISTEN/NOTIFY on `rondo_<hash of schema>`: one dedicated connection per listener (a
 * pooled one could be handed to a query in between); sending goes through the pool.
 */
function pgSignals(db: Kysely<Database>, url: string, schema: string, listeners: Set<pg.Client>): StoreSignals {
  const channel = `rondo_${createHash('sha1').update(schema).digest('hex').slice(0, 20)}`;
  return {
    async send(payload) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    async listen(onPayload, onError = () => {}) {
      const client = new pg.Client({ connectionString: url });
      client.on('notification', (m) => {
        if (m.channel === channel && m.payload !== undefined) onPayload(m.payload);
      });
      // A lost connection only costs the wake-ups: the worker's and the cancel watch's polls remain.
      client.on('error', onError);
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      listeners.add(client);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.end().catch(onError);
      };
    },
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the store and runs pending migrations. PostgreSQL gets one pool whose
 * connections all use `search_path = <schema>`, so each test file (or deployment) can
 * live in its own schema on one server. PGlite keeps its data in `dataDir`
 * (`null` = in memory). Throws InternalError when a migration fails.
 */
export async function openStore(target: StoreTarget): Promise<Store> {
  let db: Kysely<Database>;
  let signals: StoreSignals | undefined;
  const listeners = new Set<pg.Client>();
  if (target.kind === 'postgres') {
    const schema = target.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new InternalError(`invalid schema name ${schema}`);
    if (schema !== 'public') {
      const admin = new pg.Client({ connectionString: target.url });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      options: `-c search_path=${schema}`,
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    signals = pgSignals(db, target.url, schema, listeners);
  } else {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    const pglite = new PGlite(target.dataDir ?? 'memory://', target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  }
  await migrate(db, target.kind === 'postgres' ? (target.schema ?? 'public') : undefined);
  const close = async (): Promise<void> => {
    await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
    listeners.clear();
    await db.destroy();
  };
  return { db, kind: target.kind, readMark: () => readMark(db), ...(signals ? { signals } : {}), close };
}

/** PostgreSQL's current snapshot as text, the store's commit mark (see {@link Store.readMark}). */
async function readMark(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ mark: string }>`select pg_current_snapshot()::text as mark`.execute(db);
  return rows[0]?.mark ?? '';
}

/**
 * A dump of a fresh, fully migrated in-memory PGlite data directory (uncompressed tar), to
 * give {@link openStore} as `loadDataDir`.
 */
export async function migratedPgliteDump(): Promise<Blob> {
  const pglite = new PGlite('memory://');
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrate(db);
    return await pglite.dumpDataDir('none');
  } finally {
    await db.destroy();
  }
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

/**
 * Runs every pending migration; throws InternalError naming the failed one. The
 * migration tables live in `schema` explicitly: Kysely otherwise looks for them along
 * the whole search path and may find another deployment's (or test file's) tables.
 */
export async function migrate(db: Kysely<Database>, schema?: string, attempts = 5): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(MIGRATIONS),
    ...(schema ? { migrationTableSchema: schema } : {}),
    // Migration numbers are handed out to work that lands in any order (014 after 015 and
    // 016): a database that already ran later ones runs an earlier newcomer too, instead of
    // refusing to start. Every migration is independent of the ones numbered around it.
    allowUnorderedMigrations: true,
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    // Kysely finds its migration table by introspecting every table of the database
    // (`pg_get_serial_sequence` on each), and a schema or table that another deployment
    // (or test file) drops during that scan fails it with 3F000 `schema "…" does not
    // exist` or 42P01, naming that other object (ours was created above). Nothing was
    // migrated then (PostgreSQL migrates in one transaction): again.
    if (CONCURRENT_DROP.has((error as { code?: string }).code ?? '') && attempt < attempts) continue;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new InternalError(`database migration ${failed} failed`, { cause: error });
  }
}

/** SQLSTATEs of `schema "…" does not exist` and `relation "…" does not exist`. */
const CONCURRENT_DROP = new Set(['3F000', '42P01']);

/** Cheap liveness query for `/readyz`. */
export async function pingStore(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
