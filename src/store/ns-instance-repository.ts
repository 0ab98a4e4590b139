import type { Kysely, RawBuilder, Selectable, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { NsInstance, NsState } from '../model/index.js';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { Condition, MemberCondition, NsDeployment, NsInstanceField, NsInstanceQuery, NsInstanceRepository, RecordPage, TenantScope, VnfInstanceField } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import type { NsInstancesTable } from './runtime-schema.js';
import { json, toNsInstance } from './runtime-rows.js';
import type { JsonRow } from './runtime-rows.js';
import { afterKey, isoMicros, jsonRows, scalarCondition, someCondition, toPage } from './list-conditions.js';
import { OUTBOX_COLUMNS, nsChangedColumns, nsInstanceColumns } from './outbox-events.js';

/** NS instance field → column. */
const NS_COLUMNS: Record<Exclude<NsInstanceField, 'flavourId'>, string> = { id: 'id', name: 'name', description: 'description', nsdId: 'nsd_id', nsdInfoId: 'nsd_info_id', state: 'state' };

/** `flavourId` as the API shows it: the stored flavour while INSTANTIATED, absent (null) otherwise. */
const FLAVOUR_EXPR = sql`case when ns_instances.state = 'INSTANTIATED' then ns_instances.flavour_id end`;

/**
 * VNF/SAP field → expression over the member row `m`, as the API shows it: a missing
 * `vnfd_id` is '', and the `vnfd_ref` parts are `split('/')` of `provider/name/version`.
 */
const memberExpr = (field: VnfInstanceField): RawBuilder<unknown> => {
  const refPart = (n: number) => sql`split_part(coalesce(m.vnfd_ref, '//'), '/', ${sql.lit(n)})`;
  switch (field) {
    case 'id':
      return sql`m.id`;
    case 'memberId':
      return sql`m.member_id`;
    case 'vnfdId':
      return sql`coalesce(m.vnfd_id, '')`;
    case 'vnfdProvider':
      return refPart(1);
    case 'vnfdName':
      return refPart(2);
    case 'vnfdVersion':
      return refPart(3);
    case 'popId':
      return sql`m.pop_id`;
    case 'state':
      return sql`m.state`;
  }
};

/** One condition of an NS query as SQL over `ns_instances`. */
function nsCondition(c: Condition<NsInstanceField> | MemberCondition): RawBuilder<SqlBool> {
  if ('member' in c) {
    // Semi-join on the (ns_instance_id, member_id) unique index: evaluated per candidate NS, no fan-out.
    const related = (test: RawBuilder<SqlBool>) =>
      sql<SqlBool>`exists (select 1 from vnf_instances m where m.ns_instance_id = ns_instances.id and m.kind = ${c.member} and ${test})`;
    return someCondition(related, memberExpr(c.field), c.op, c.values);
  }
  return scalarCondition(c.field === 'flavourId' ? FLAVOUR_EXPR : sql.ref(`ns_instances.${NS_COLUMNS[c.field]}`), c.op, c.values);
}

/**
 * NS instance records; implements the lifecycle's NsInstanceRepository port. Creation,
 * state changes and deletion also write their event (`ns.created`, `ns.changed`,
 * `ns.deleted`) to the outbox, in the same statement.
 */
export class SqlNsInstanceRepository implements NsInstanceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(ns: NsInstance): Promise<NsInstance> {
    const row = await this.db
      .with('ns', (q) =>
        q
          .insertInto('ns_instances')
          .values({ id: ns.id, name: ns.name, description: ns.description, nsd_id: ns.nsdId, nsd_info_id: ns.nsdInfoId, state: ns.state, tenant: ns.tenant, created_at: ns.createdAt, updated_at: ns.updatedAt })
          .returningAll(),
      )
      .with('event', (q) => q.insertInto('outbox').columns(OUTBOX_COLUMNS).expression((eb) => eb.selectFrom('ns').select(nsInstanceColumns('ns', 'ns.created'))))
      .selectFrom('ns')
      .selectAll()
      .executeTakeFirstOrThrow();
    return toNsInstance(row);
  }

  async get(id: string, scope: TenantScope = {}): Promise<NsInstance | undefined> {
    let q = this.db.selectFrom('ns_instances').selectAll().where('id', '=', id);
    if (scope.tenant !== undefined) q = q.where('tenant', '=', scope.tenant);
    const row = await q.executeTakeFirst();
    return row && toNsInstance(row);
  }

  /**
   * One statement per page: tenant, conditions and the keyset bound in the WHERE clause,
   * `ORDER BY created_at, id LIMIT limit + 1` (the extra row says whether a next page
   * exists), served by the `(tenant, created_at, id)` and `(created_at, id)` indexes;
   * the rows come back as one JSON document ({@link jsonRows}).
   */
  async page(query: NsInstanceQuery): Promise<RecordPage<NsInstance>> {
    let q = this.db.selectFrom('ns_instances').selectAll().select(isoMicros(sql.ref('created_at')).as('page_at'));
    if (query.tenant !== undefined) q = q.where('tenant', '=', query.tenant);
    for (const c of query.where ?? []) q = q.where(nsCondition(c));
    if (query.after) q = q.where(afterKey(sql.ref('created_at'), sql.ref('ns_instances.id'), query.after));
    const pageQuery = q.orderBy('created_at').orderBy('id').limit(Math.max(1, query.limit) + 1);
    const rows = await jsonRows<JsonRow<Selectable<NsInstancesTable>> & { page_at: string }>(this.db, pageQuery, sql`t.created_at, t.id`);
    return toPage(rows, Math.max(1, query.limit), toNsInstance);
  }

  async list(filter: { readonly tenant?: string } = {}): Promise<NsInstance[]> {
    let q = this.db.selectFrom('ns_instances').selectAll().orderBy('created_at').orderBy('id');
    if (filter.tenant !== undefined) q = q.where('tenant', '=', filter.tenant);
    return (await q.execute()).map(toNsInstance);
  }

  /** Guarded state change: zero rows means someone else moved it (409). */
  async setState(id: string, expected: NsState, next: NsState, now: Date): Promise<NsInstance> {
    const row = await this.db
      .with('ns', (q) => q.updateTable('ns_instances').set({ state: next, updated_at: now }).where('id', '=', id).where('state', '=', expected).returningAll())
      .with('event', (q) => q.insertInto('outbox').columns(OUTBOX_COLUMNS).expression((eb) => eb.selectFrom('ns').select(nsChangedColumns('ns', expected))))
      .selectFrom('ns')
      .selectAll()
      .executeTakeFirst();
    if (row) return toNsInstance(row);
    if (!(await this.get(id))) throw new NotFoundError('NS instance', id);
    throw new ConflictError(`NS instance ${id} is no longer ${expected}`, { code: 'NS_STATE_CHANGED', details: { id, expected } });
  }

  async setDeployment(id: string, deployment: NsDeployment): Promise<void> {
    const r = await this.db
      .updateTable('ns_instances')
      .set({ flavour_id: deployment.flavourId, vnf_flavours: json(deployment.vnfFlavours) })
      .where('id', '=', id)
      .where('state', '=', 'NOT_INSTANTIATED')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
    const now = await this.get(id);
    if (!now) throw new NotFoundError('NS instance', id);
    throw new ConflictError(`NS instance ${id} is ${now.state}; terminate it first`, { code: 'NS_STATE_CONFLICT', details: { id, state: now.state } });
  }

  async delete(id: string, expected: NsState): Promise<void> {
    const gone = await this.db
      .with('ns', (q) => q.deleteFrom('ns_instances').where('id', '=', id).where('state', '=', expected).returningAll())
      .with('event', (q) => q.insertInto('outbox').columns(OUTBOX_COLUMNS).expression((eb) => eb.selectFrom('ns').select(nsInstanceColumns('ns', 'ns.deleted'))))
      .selectFrom('ns')
      .select('id')
      .execute();
    if (gone.length > 0) return;
    if (!(await this.get(id))) throw new NotFoundError('NS instance', id);
    throw new ConflictError(`NS instance ${id} is not ${expected}`, { code: 'NS_STATE_CONFLICT', details: { id, expected } });
  }
}

/** The NSDs (NsdInfo ids) that have INSTANTIATED NS instances (the health prober asks which declare probes). */
export async function nsdsInstantiated(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('ns_instances').select('nsd_info_id').distinct().where('state', '=', 'INSTANTIATED').execute();
  return rows.map((r) => r.nsd_info_id);
}

/** The INSTANTIATED NS instances of these NSDs: ids and NSDs only. */
export async function instantiatedNsOf(db: Kysely<Database>, nsdInfoIds: readonly string[]): Promise<{ id: string; nsdInfoId: string }[]> {
  if (nsdInfoIds.length === 0) return [];
  const rows = await db.selectFrom('ns_instances').select(['id', 'nsd_info_id']).where('state', '=', 'INSTANTIATED').where('nsd_info_id', 'in', [...nsdInfoIds]).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, nsdInfoId: r.nsd_info_id }));
}
