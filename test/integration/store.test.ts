import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestStore, STORE_KINDS } from '../support/store.js';
import type { Store } from '../../src/store/index.js';

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let store: Store | undefined;
  afterAll(async () => store?.close());

  it('opens, migrates and answers a query', async () => {
    store = await openTestStore(kind, `db.test.ts-${kind}`);
    const r = await sql<{ one: number }>`select 1 as one`.execute(store.db);
    expect(r.rows[0]?.one).toBe(1);
    const m = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    expect(m.rows.map((x) => x.name)).toEqual(['001-catalog', '002-runtime', '003-monitoring', '004-auth', '005-stack-steps', '006-vim-secret-sealed', '007-subscription-scope', '008-list-indexes', '009-sol005-records', '010-member-filter-indexes', '011-subscription-apis', '012-sol006-formats', '014-outbox', '015-ns-performance', '016-pnfds', '017-vnfc-scale-status', '018-ns-policies', '019-plugins', '020-scale-policy-params', '022-tunnel-steps', '023-ns-flavours']);
  });
});
