import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Capacity, VnfInstance } from '../model/index.js';
import type { TenantScope, VnfInstanceRepository, VnfPatch, VnfRecord } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { json, toVnfInstance } from './runtime-rows.js';
import { isoMillis } from './list-conditions.js';

/** VNF instance records; implements the lifecycle's VnfInstanceRepository port. */
export class SqlVnfInstanceRepository implements VnfInstanceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One upsert for all records, passed as one JSON document expanded by
   * `jsonb_populate_recordset` (as the plan's steps are): no bind-parameter limit to batch
   * around, and far cheaper to parse than 17 parameters per row. The first id of a member is kept.
   */
  async upsertMany(records: readonly VnfRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((v) => ({
      id: v.id, ns_instance_id: v.nsInstanceId, member_id: v.memberId, kind: v.kind, vnfd_id: v.vnfdId, vnfd_ref: v.vnfdRef, vnf_pkg_id: v.vnfPkgId ?? null, pop_id: v.popId,
      compute_ids: v.computeIds, interfaces: v.interfaces, vnfcs: v.vnfcs ?? null, scale_status: v.scaleStatus ?? null, state: v.state, cpu: v.demand.cpu, memory_mib: v.demand.memoryMiB, created_at: v.createdAt,
    }));
    await sql`
      insert into vnf_instances (id, ns_instance_id, member_id, kind, vnfd_id, vnfd_ref, vnf_pkg_id, pop_id, compute_ids, interfaces, vnfcs, scale_status, state, cpu, memory_mib, created_at)
      select id, ns_instance_id, member_id, kind, vnfd_id, vnfd_ref, vnf_pkg_id, pop_id, compute_ids, interfaces, vnfcs, scale_status, state, cpu, memory_mib, created_at
      from jsonb_populate_recordset(null::vnf_instances, ${json(rows)}::jsonb)
      on conflict (ns_instance_id, member_id) do update set
        pop_id = excluded.pop_id, vnf_pkg_id = excluded.vnf_pkg_id, compute_ids = excluded.compute_ids, interfaces = excluded.interfaces,
        vnfcs = excluded.vnfcs, scale_status = excluded.scale_status, state = excluded.state, cpu = excluded.cpu, memory_mib = excluded.memory_mib`.execute(this.db);
  }

  async listByNs(nsInstanceId: string): Promise<VnfInstance[]> {
    const rows = await this.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', '=', nsInstanceId).orderBy('kind', 'desc').orderBy('member_id').execute();
    return rows.map(toVnfInstance);
  }

  /**
   * One query for a whole page of NS instances (never one per NS). With a tenant, only
   * members of that tenant's instances, checked in the same statement.
   */
  async listByNsIds(nsInstanceIds: readonly string[], scope: TenantScope = {}): Promise<VnfInstance[]> {
    if (nsInstanceIds.length === 0) return [];
    let q = this.db.selectFrom('vnf_instances').selectAll().where('ns_instance_id', 'in', [...nsInstanceIds]);
    const tenant = scope.tenant;
    if (tenant !== undefined) {
      q = q.where('ns_instance_id', 'in', (eb) => eb.selectFrom('ns_instances').select('id').where('id', 'in', [...nsInstanceIds]).where('tenant', '=', tenant));
    }
    const rows = await q.orderBy('ns_instance_id').orderBy('kind', 'desc').orderBy('member_id').execute();
    return rows.map(toVnfInstance);
  }

  /**
   * Deletes the NS's records and, in the same statement, writes one `mano.function.stop`
   * outbox event per VNF (SAPs have none) for plugins (docs/plugins.md), naming the
   * operation that runs on the NS (terminate, or an instantiation's rollback).
   */
  async deleteByNs(nsInstanceId: string): Promise<number> {
    return this.#delete(nsInstanceId);
  }

  /** The same for some members only (REMOVE_VNF). */
  async deleteMembers(nsInstanceId: string, memberIds: readonly string[]): Promise<number> {
    if (memberIds.length === 0) return 0;
    return this.#delete(nsInstanceId, memberIds);
  }

  async #delete(nsInstanceId: string, memberIds?: readonly string[]): Promise<number> {
    const members = memberIds ? sql`and member_id in (${sql.join([...memberIds])})` : sql``;
    const r = await sql<{ n: number }>`
      with gone as (delete from vnf_instances where ns_instance_id = ${nsInstanceId} ${members} returning *),
      events as (
        insert into outbox (id, topic, key, payload)
        select gen_random_uuid()::text, 'mano.function.stop', g.ns_instance_id, jsonb_build_object(
          'nsInstanceId', g.ns_instance_id, 'tenant', coalesce(ns.tenant, ''),
          'nsLcmOpOccId', (select o.id from lcm_op_occs o where o.ns_instance_id = g.ns_instance_id and o.operation_state in ('PROCESSING', 'ROLLING_BACK') order by o.start_time desc limit 1),
          'vnfInstanceId', g.id, 'memberId', g.member_id, 'vnfdId', g.vnfd_id, 'popId', g.pop_id, 'computeIds', g.compute_ids,
          'time', ${isoMillis(sql`now()`)})
        from gone g left join ns_instances ns on ns.id = g.ns_instance_id
        where g.kind = 'vnf'
        order by g.member_id
        returning 1)
      select count(*)::int as n from gone`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  async patch(id: string, patch: VnfPatch): Promise<VnfInstance | undefined> {
    const set = {
      ...(patch.computeIds ? { compute_ids: json(patch.computeIds) } : {}),
      ...(patch.interfaces ? { interfaces: json(patch.interfaces) } : {}),
      ...(patch.state ? { state: patch.state } : {}),
      ...(patch.vnfcs ? { vnfcs: json(patch.vnfcs) } : {}),
      ...(patch.scaleStatus ? { scale_status: json(patch.scaleStatus) } : {}),
      ...(patch.demand ? { cpu: patch.demand.cpu, memory_mib: patch.demand.memoryMiB } : {}),
    };
    if (Object.keys(set).length === 0) {
      const row = await this.db.selectFrom('vnf_instances').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toVnfInstance(row);
    }
    const row = await this.db.updateTable('vnf_instances').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    return row && toVnfInstance(row);
  }

  async usageByPop(): Promise<Record<string, Capacity>> {
    const rows = await this.db
      .selectFrom('vnf_instances')
      .select(['pop_id', sql<number>`sum(cpu)::float8`.as('cpu'), sql<number>`sum(memory_mib)::float8`.as('memory_mib')])
      .groupBy('pop_id')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.pop_id, { cpu: Number(r.cpu), memoryMiB: Number(r.memory_mib) }]));
  }
}
