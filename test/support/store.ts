import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migratedPgliteDump, openStore } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/index.js';

/** The real PostgreSQL the tests use; override with TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The PostgreSQL schema {@link openTestStore} gives `key` in this process (child processes of the test are told it). */
export const testSchemaOf = (key: string): string => `t_${createHash('sha1').update(key).digest('hex').slice(0, 12)}_${process.pid}`;

/**
 * Opens a fresh store for one test file: PGlite in memory, or a schema on the real
 * PostgreSQL named from a hash of `key` (the test file name) plus the process id, dropped
 * first, so files run in parallel on one server without seeing each other (pg-boss does
 * the same).
 */
export async function openTestStore(kind: StoreKind, key: string): Promise<Store> {
  if (kind === 'pglite') return openStore({ kind: 'pglite', dataDir: null, loadDataDir: await pgliteTemplate() });
  const schema = testSchemaOf(key);
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
  const store = await openStore({ kind: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 5 });
  return {
    ...store,
    close: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

let template: Promise<Blob> | undefined;

/**
 * A migrated PGlite data directory to start test stores from: initdb costs a fresh PGlite
 * about 5 s of CPU, loading this dump under 1 s. Made once per machine and kept in the
 * temp dir under a name that hashes the PGlite version and the migrations (an edited or
 * added migration makes a new one); a process that finds none makes it and renames it
 * into place, so processes racing to make it are harmless.
 */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    // Not exported by the package: read from the file.
    const version = (JSON.parse(await readFile(join(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
    const hash = createHash('sha1').update(version);
    for (const [name, m] of Object.entries(MIGRATIONS)) hash.update(`${name}\0${String(m.up)}\0${String(m.down)}\0`);
    const file = join(tmpdir(), `rondo-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
    const kept = await readFile(file).catch(() => undefined);
    if (kept) return new Blob([kept]);
    const dump = await migratedPgliteDump();
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  })();
  return template;
}
