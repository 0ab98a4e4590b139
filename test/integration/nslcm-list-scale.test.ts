import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { RondoApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { matchesFilter, parseFilter } from '../../src/api/http/sol013-query.js';
import { compose } from '../../src/app/index.js';
import type { Composition } from '../../src/app/index.js';
import type { Store } from '../../src/store/index.js';
import type { PageKey } from '../../src/lifecycle/index.js';
import { counterIds, INSECURE_TEST_ENV, steppingClock } from '../support/app.js';
import { seedNsRecords } from '../support/ns-records-seed.js';
import type { NsSeed } from '../support/ns-records-seed.js';
import { openTestStore, STORE_KINDS } from '../support/store.js';

/**
 * Counts the statements the store executes for reads (every query passes `transformResult`
 * once), leaving out the outbox relay's: it polls the same store in the background (on
 * PostgreSQL), whenever it likes.
 */
class QueryCounter implements KyselyPlugin {
  count = 0;
  readonly #background = new WeakSet<object>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const text = JSON.stringify(args.node);
    if (text.includes('"outbox"') || text.includes('rondo.outbox')) this.#background.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.#background.has(args.queryId)) this.count++;
    return args.result;
  }
}

type Item = Record<string, unknown> & { id: string };

describe.each(STORE_KINDS)('NS instance and operation lists in SQL, %s store', (kind) => {
  const PAGE = 7;
  let app: RondoApp;
  let store: Store;
  let deps: AppDeps;
  let composition: Composition | undefined;
  let dataDir: string;
  let seed: NsSeed;
  const counter = new QueryCounter();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rondo-list-scale-'));
    // The response cache off: these tests count the queries each answer costs.
    const config = loadConfig({ ...INSECURE_TEST_ENV, RONDO_RATE_LIMIT_BURST: '0' }, { dataDir, logLevel: 'silent', pageSize: PAGE, apiCacheBytes: 0 });
    const raw = await openTestStore(kind, `nslcm-list-scale-${kind}`);
    store = { ...raw, db: raw.db.withPlugin(counter) };
    seed = await seedNsRecords(store.db, { ns: 60, vnfsPerNs: 3, ops: 150, tenants: ['default', 'other'] });
    const clock = steppingClock();
    const ids = counterIds();
    composition = await compose({ config, store, clock, ids, env: {}, role: 'api' });
    deps = composition.deps;
    app = composition.app as RondoApp;
  });
  afterAll(async () => {
    await composition?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Follows `Link: rel="next"` from `url`; every page's items in order, and the number of pages. */
  async function walk(url: string): Promise<{ items: Item[]; pages: number }> {
    const items: Item[] = [];
    let next: string | null = url;
    let pages = 0;
    while (next) {
      const r: { statusCode: number; body: string; headers: Record<string, unknown>; json<T>(): T } = await app.inject({ method: 'GET', url: next });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json<Item[]>();
      expect(page.length).toBeLessThanOrEqual(PAGE);
      items.push(...page);
      pages++;
      const href: string | undefined = /<([^>]+)>; rel="next"/.exec((r.headers.link as string | undefined) ?? '')?.[1];
      next = href ? href.slice(href.indexOf('/nslcm/')) : null;
      if (next) expect(page.length).toBe(PAGE);
    }
    return { items, pages };
  }

  it('pages every NS instance exactly once, in (creation, id) order, ties included', async () => {
    const { items, pages } = await walk('/nslcm/v1/ns_instances');
    expect(pages).toBe(Math.ceil(60 / PAGE));
    const ids = items.map((x) => x.id);
    expect(new Set(ids).size).toBe(60);
    const expected = (await sql<{ id: string }>`select id from ns_instances order by created_at, id`.execute(store.db)).rows.map((r) => r.id);
    expect(ids).toEqual(expected);
    expect(new Set(ids)).toEqual(new Set(seed.nsIds));
    // Default exclusion: no members unless asked.
    expect(items.every((x) => x.vnfInstance === undefined && x.sapInfo === undefined)).toBe(true);
  });

  it('pages every operation exactly once', async () => {
    const { items } = await walk('/nslcm/v1/ns_lcm_op_occs');
    expect(items.map((x) => x.id)).toEqual((await sql<{ id: string }>`select id from lcm_op_occs order by start_time, id`.execute(store.db)).rows.map((r) => r.id));
    expect(items.map((x) => x.id).sort()).toEqual([...seed.opIds].sort());
    const bad = await app.inject({ method: 'GET', url: '/nslcm/v1/ns_instances?nextpage_opaque_marker=bm9wZQ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_MARKER');
  });

  it('filters in SQL exactly as SOL013 filters the API representation', async () => {
    const all = (await walk('/nslcm/v1/ns_instances?all_fields')).items;
    expect(all).toHaveLength(60);
    const someVnf = (all as unknown as { vnfInstance: { vnfdId: string }[] }[]).flatMap((x) => x.vnfInstance)[0]?.vnfdId as string;
    const attrs = new Set(['id', 'nsInstanceName', 'nsInstanceDescription', 'nsdId', 'nsdInfoId', 'flavourId', 'vnfInstance', 'sapInfo', 'nsState']);
    const filters = [
      '(eq,nsState,INSTANTIATED)', '(neq,nsState,INSTANTIATED)', '(in,nsdId,nsd-1,nsd-3)', '(nin,nsdInfoId,nsdinfo-0)', '(cont,nsInstanceName,01)',
      '(ncont,nsInstanceName,1)', '(gt,nsInstanceName,ns-000030)', '(lte,nsInstanceName,ns-000010)', `(eq,id,${seed.nsIds[5]})`, '(eq,nsInstanceDescription,even)',
      '(eq,flavourId,default)', '(neq,flavourId,default)', '(cont,flavourId,x)', '(in,flavourId,small,x)', '(nin,flavourId,small)', `(eq,vnfInstance/vnfdId,${someVnf})`, '(eq,vnfInstance.vnfProductName,vnf-firewall)',
      '(neq,vnfInstance/popId,dc2)', '(eq,vnfInstance/state,STOPPED)', '(cont,vnfInstance/vnfdVersion,0.2)', '(eq,sapInfo/popId,dc1)', '(eq,sapInfo/sapdId,input)',
      '(eq,nsState,INSTANTIATED);(eq,vnfInstance/state,STOPPED);(in,nsdId,nsd-0,nsd-2)', "(in,nsInstanceName,'ns-000001','x')",
    ];
    for (const f of filters) {
      const expected = all.filter((x) => matchesFilter(x, parseFilter(f, attrs))).map((x) => x.id);
      const got = (await walk(`/nslcm/v1/ns_instances?all_fields&filter=${encodeURIComponent(f)}`)).items.map((x) => x.id);
      expect(got, f).toEqual(expected);
    }
    expect(all.filter((x) => matchesFilter(x, parseFilter('(eq,vnfInstance/state,STOPPED)', attrs))).length).toBeGreaterThan(0);
    for (const f of ['(eq,bogus,1)', '(eq,vnfInstance/interfaces,x)', '(eq,nsState/x,1)', '(eq,vnfInstance,x)']) {
      const r = await app.inject({ method: 'GET', url: `/nslcm/v1/ns_instances?filter=${encodeURIComponent(f)}` });
      expect(r.statusCode, f).toBe(400);
      expect(r.json().code).toBe('INVALID_FILTER');
    }
  });

  it('filters operations in SQL exactly as SOL013 filters the API representation', async () => {
    // The reference is the full view (the read route's: the list's response schema drops `error`).
    const listed = (await walk('/nslcm/v1/ns_lcm_op_occs')).items;
    const all = await Promise.all(listed.map(async (x) => (await app.inject({ method: 'GET', url: `/nslcm/v1/ns_lcm_op_occs/${x.id}` })).json<Item>()));
    expect(all).toHaveLength(150);
    expect(all.filter((x) => x.error !== undefined).length).toBeGreaterThan(0);
    const attrs = new Set(['id', 'operationState', 'statusEnteredTime', 'nsInstanceId', 'lcmOperationType', 'startTime', 'isAutomaticInvocation', 'isCancelPending', 'cancelMode', 'error']);
    const mid = (all[70] as unknown as { startTime: string }).startTime;
    const filters = [
      '(eq,operationState,FAILED_TEMP)', '(neq,operationState,COMPLETED)', `(eq,nsInstanceId,${seed.nsIds[3]})`, '(in,lcmOperationType,SCALE,HEAL)',
      `(eq,id,${seed.opIds[9]})`, `(gt,startTime,${mid})`, `(lte,statusEnteredTime,${mid})`, `(eq,startTime,${mid})`, '(eq,isAutomaticInvocation,true)',
      '(eq,isCancelPending,false)', '(eq,error/code,VIM_CONNECTION)', '(neq,error/code,VIM_CONNECTION)', '(eq,error/status,500)', '(eq,cancelMode,GRACEFUL)',
      '(neq,cancelMode,GRACEFUL)', `(eq,operationState,COMPLETED);(eq,nsInstanceId,${seed.nsIds[4]})`,
    ];
    for (const f of filters) {
      const expected = all.filter((x) => matchesFilter(x, parseFilter(f, attrs))).map((x) => x.id);
      const got = (await walk(`/nslcm/v1/ns_lcm_op_occs?filter=${encodeURIComponent(f)}`)).items.map((x) => x.id);
      expect(got, f).toEqual(expected);
    }
    expect((await app.inject({ method: 'GET', url: '/nslcm/v1/ns_lcm_op_occs?filter=(eq,error,x)' })).statusCode).toBe(400);
  });

  it('costs a constant number of queries per page, whatever the page holds and the members asked for', async () => {
    const cost = async (url: string) => {
      const before = counter.count;
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, r.body).toBe(200);
      return { queries: counter.count - before, items: r.json<Item[]>().length };
    };
    // Default exclusion: the page alone. With members: one batched read for the page (and the PoPs).
    expect((await cost('/nslcm/v1/ns_instances')).queries).toBe(1);
    const one = await cost(`/nslcm/v1/ns_instances?fields=vnfInstance,sapInfo&filter=(eq,id,${seed.nsIds[1]})`);
    const full = await cost('/nslcm/v1/ns_instances?fields=vnfInstance,sapInfo');
    expect([one.items, full.items]).toEqual([1, PAGE]);
    expect(full.queries).toBe(one.queries);
    expect(full.queries).toBeLessThanOrEqual(3);
    expect((await cost('/nslcm/v1/ns_lcm_op_occs')).queries).toBe(1);
    expect((await cost('/nslcm/v1/ns_lcm_op_occs?fields=steps')).queries).toBe(2);
    // Show: the instance, its members and the PoPs.
    expect((await cost(`/nslcm/v1/ns_instances/${seed.nsIds[1]}`)).queries).toBeLessThanOrEqual(3);
    expect((await cost(`/nslcm/v1/ns_lcm_op_occs/${seed.opIds[1]}`)).queries).toBe(2);
  });

  it('scopes lists and reads to the tenant in the query, admins see all', async () => {
    const lifecycle = deps.services.lifecycle;
    const pageOf = async (tenant: string | undefined) => {
      const ids: string[] = [];
      let after: PageKey | undefined;
      for (;;) {
        const p = await lifecycle.pageNs({ tenant, limit: 25, ...(after ? { after } : {}) });
        ids.push(...p.items.map((n) => n.id));
        if (!p.next) return ids;
        after = p.next;
      }
    };
    const other = await pageOf('other');
    expect(other).toHaveLength(30);
    expect((await pageOf(undefined)).length).toBe(60);
    const otherNs = other[0] as string;
    await expect(lifecycle.getNs(otherNs, { tenant: 'default' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await lifecycle.getNs(otherNs, { tenant: 'other' })).id).toBe(otherNs);
    expect(await lifecycle.listVnfsOf([otherNs], { tenant: 'default' })).toEqual([]);
    const ops = await lifecycle.pageOps({ tenant: 'other', limit: 500 });
    expect(ops.items.length).toBe(75);
    expect(ops.items.every((o) => o.tenant === 'other')).toBe(true);
    await expect(lifecycle.getOp(ops.items[0]?.id as string, { tenant: 'default' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  // Last: it deletes an operation.
  it('continues after the last item seen even when that item is gone (the marker holds its sort key)', async () => {
    const url = '/nslcm/v1/ns_lcm_op_occs?filter=(eq,lcmOperationType,SCALE)';
    const first = await app.inject({ method: 'GET', url });
    const page1 = first.json<Item[]>();
    const marker = /nextpage_opaque_marker=([^&>]+)/.exec(first.headers.link as string)?.[1] as string;
    const rest = (await walk(`${url}&nextpage_opaque_marker=${marker}`)).items.map((x) => x.id);
    await store.db.deleteFrom('lcm_op_occs').where('id', '=', (page1[page1.length - 1] as Item).id).execute();
    expect((await walk(`${url}&nextpage_opaque_marker=${marker}`)).items.map((x) => x.id)).toEqual(rest);
    expect(new Set([...page1.map((x) => x.id), ...rest]).size).toBe(page1.length + rest.length);
  });
});

describe.each(STORE_KINDS)('the response cache of NS and operation reads, %s store', (kind) => {
  let composition: Composition;
  let app: RondoApp;
  let store: Store;
  let dataDir: string;
  let seed: NsSeed;
  const counter = new QueryCounter();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rondo-list-cache-'));
    const config = loadConfig({ ...INSECURE_TEST_ENV, RONDO_RATE_LIMIT_BURST: '0' }, { dataDir, logLevel: 'silent', pageSize: 5 });
    const raw = await openTestStore(kind, `nslcm-list-cache-${kind}`);
    store = { ...raw, db: raw.db.withPlugin(counter) };
    seed = await seedNsRecords(store.db, { ns: 12, vnfsPerNs: 2, ops: 20 });
    composition = await compose({ config, store, clock: steppingClock(), ids: counterIds(), env: {}, role: 'api' });
    app = composition.app as RondoApp;
  });
  afterAll(async () => {
    await composition?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url });
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };
  const cacheCount = async (result: 'hit' | 'miss'): Promise<number> => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(new RegExp(`rondo_api_response_cache_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };

  it('never serves an answer made before a commit, whichever process made it', async () => {
    const id = seed.nsIds[0] as string;
    const list = '/nslcm/v1/ns_instances?filter=(cont,nsInstanceName,renamed)';
    expect((await get(list)).json()).toEqual([]);
    expect((await get(`/nslcm/v1/ns_instances/${id}`)).json<Item>()['nsInstanceName']).not.toBe('renamed-1');
    // Another process (a worker) writes straight to the store: no API request tells this one.
    await store.db.updateTable('ns_instances').set({ name: 'renamed-1' }).where('id', '=', id).execute();
    expect((await get(list)).json<Item[]>().map((n) => n.id)).toEqual([id]);
    expect((await get(`/nslcm/v1/ns_instances/${id}`)).json<Item>()['nsInstanceName']).toBe('renamed-1');
    const op = seed.opIds[0] as string;
    const before = (await get(`/nslcm/v1/ns_lcm_op_occs/${op}`)).json<Item>()['operationState'];
    await store.db.updateTable('lcm_op_occs').set({ operation_state: before === 'FAILED' ? 'COMPLETED' : 'FAILED' }).where('id', '=', op).execute();
    expect((await get(`/nslcm/v1/ns_lcm_op_occs/${op}`)).json<Item>()['operationState']).not.toBe(before);
  });

  it('serves the same bytes again, headers included, without reading the rows, while nothing committed', async () => {
    // PostgreSQL's snapshot moves with every commit in the database, and other test files
    // write to it meanwhile: only the embedded store (this file's alone) shows hits for sure.
    const url = '/nslcm/v1/ns_instances?fields=vnfInstance';
    const first = await get(url);
    const [hits, queries] = [await cacheCount('hit'), counter.count];
    const again = await get(url);
    expect(again.body).toBe(first.body);
    expect(again.headers.link).toBe(first.headers.link);
    expect(again.headers.link).toMatch(/nextpage_opaque_marker=/);
    if (kind === 'pglite') {
      expect(await cacheCount('hit')).toBe(hits + 1);
      expect(counter.count).toBe(queries);
    }
    const shown = await get(`/nslcm/v1/ns_instances/${seed.nsIds[1]}`);
    const shownAgain = await get(`/nslcm/v1/ns_instances/${seed.nsIds[1]}`);
    expect([shownAgain.body, shownAgain.headers.etag, shownAgain.headers.version]).toEqual([shown.body, shown.headers.etag, shown.headers.version]);
  });
}, 60_000);
