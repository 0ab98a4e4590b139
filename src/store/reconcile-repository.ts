import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { NsState, VnfInstance } from '../model/index.js';
import { FINAL_OP_STATES } from '../lifecycle/index.js';
import type { NsLiveness, ReconcileRepository } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { toVnfInstance } from './runtime-rows.js';

/** An IPAM allocation whose subnet overlaps one that sorts before it. */
export interface SubnetOverlap {
  readonly nsInstanceId: string;
  readonly linkId: string;
  readonly subnet: string;
  /** The highest address of any earlier subnet, which this one starts at or below. */
  readonly reachedBy: string;
}

/** `exists` an operation of the NS `nsIdRef` (a column reference) outside FINAL_OP_STATES. */
const openOpOf = (nsIdRef: string) =>
  sql<boolean>`exists (select 1 from lcm_op_occs o where o.ns_instance_id = ${sql.ref(nsIdRef)} and o.operation_state not in (${sql.join(FINAL_OP_STATES.map((s) => sql.lit(s)))}))`;

/** Reads and writes of reconciliation and of the runtime consistency checks; implements ReconcileRepository. */
export class SqlReconcileRepository implements ReconcileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every NS with its state and whether an operation outside FINAL_OP_STATES exists, in one query. */
  async nsLiveness(): Promise<ReadonlyMap<string, NsLiveness>> {
    const rows = await this.#liveness().execute();
    return new Map(rows.map((r) => [r.id, { state: r.state as NsState, openOp: Boolean(r.open_op) }]));
  }

  async nsLivenessOf(nsInstanceId: string): Promise<NsLiveness | undefined> {
    const r = await this.#liveness().where('ns.id', '=', nsInstanceId).executeTakeFirst();
    return r && { state: r.state as NsState, openOp: Boolean(r.open_op) };
  }

  async settledVnfs(): Promise<VnfInstance[]> {
    const rows = await this.db
      .selectFrom('vnf_instances as v')
      .innerJoin('ns_instances as ns', 'ns.id', 'v.ns_instance_id')
      .selectAll('v')
      .where('ns.state', '=', 'INSTANTIATED')
      .where(sql<boolean>`not ${openOpOf('ns.id')}`)
      .orderBy('v.ns_instance_id')
      .orderBy('v.member_id')
      .execute();
    return rows.map(toVnfInstance);
  }

  /**
   * One guarded statement: the NS must still be INSTANTIATED and idle, so a worker that
   * just started terminating or healing the NS is never contradicted.
   */
  async markVnfFailed(vnfInstanceId: string, _now: Date): Promise<VnfInstance | undefined> {
    const row = await this.db
      .updateTable('vnf_instances as v')
      .set({ state: 'FAILED' })
      .where('v.id', '=', vnfInstanceId)
      .where('v.state', '<>', 'FAILED')
      .where(sql<boolean>`exists (select 1 from ns_instances ns where ns.id = v.ns_instance_id and ns.state = 'INSTANTIATED')`)
      .where(sql<boolean>`not ${openOpOf('v.ns_instance_id')}`)
      .returningAll()
      .executeTakeFirst();
    return row && toVnfInstance(row);
  }

  /**
   * IPAM allocations whose subnet overlaps another one; empty when IPAM is sound. The
   * primary key only forbids the same (pool, subnet) twice; this also catches overlaps
   * across pools or prefix lengths. Sorted by start address, a subnet overlaps an earlier
   * one exactly when it starts at or below the highest broadcast address seen so far: one
   * window pass, O(n log n), instead of an O(n²) self-join with `&&`.
   */
  async overlappingSubnets(): Promise<SubnetOverlap[]> {
    const r = await sql<{ ns_instance_id: string; link_id: string; subnet: string; reached: string }>`
      select ns_instance_id, link_id, subnet, host(reached) as reached from (
        select ns_instance_id, link_id, subnet, subnet::cidr as net,
               max(host(broadcast(subnet::cidr))::inet) over (order by subnet::cidr, pool, ns_instance_id, link_id rows between unbounded preceding and 1 preceding) as reached
        from ip_allocations
      ) s
      where reached is not null and host(net)::inet <= reached
      order by net`.execute(this.db);
    return r.rows.map((x) => ({ nsInstanceId: x.ns_instance_id, linkId: x.link_id, subnet: x.subnet, reachedBy: x.reached }));
  }

  #liveness() {
    return this.db.selectFrom('ns_instances as ns').select(['ns.id', 'ns.state', openOpOf('ns.id').as('open_op')]);
  }
}
