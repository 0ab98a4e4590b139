import { createHash } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';

/** The real PostgreSQL the tests use; override with TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * Opens a fresh store for one test file: PGlite in memory, or a schema on the real
 * PostgreSQL named from a hash of `key` (the test file name) plus the process id, dropped
 * first, so files run in parallel on one server without seeing each other (pg-boss does
 * the same).
 */
export async function openTestStore(kind: StoreKind, key: string): Promise<Store> {
  if (kind === 'pglite') return openStore({ kind: 'pglite', dataDir: null });
  const schema = `t_${createHash('sha1').update(key).digest('hex').slice(0, 12)}_${process.pid}`;
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
