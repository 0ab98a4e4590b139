import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Clock } from '../model/index.js';
import { ConflictError, systemClock } from '../model/index.js';
import type { AllocateOptions, IpamPool, SubnetAllocation, SubnetAllocator, SubnetRequest } from '../ipam/index.js';
import { mergeIndexes, overlappedIndexes, pickFreeIndexes, subnetAt, subnetCount } from '../ipam/index.js';
import type { Database } from './schema.js';

const MAX_ROUNDS = 50;

type Row = { pool: string; subnet: string; subnet_index: number; ns_instance_id: string; link_id: string };
const toAllocation = (r: Row): SubnetAllocation => ({ nsInstanceId: r.ns_instance_id, linkId: r.link_id, pool: r.pool as IpamPool, subnet: r.subnet, index: r.subnet_index });

/** The pool has no free subnet; says how many networks on the PoPs (not Rondo's) hold. */
function exhausted(pool: IpamPool, avoided: number): ConflictError {
  const others = avoided > 0 ? `, ${avoided} of them overlapped by networks already on the PoPs` : '';
  return new ConflictError(`address pool ${pool} is exhausted (${subnetCount(pool)} subnets${others}); terminate unused NS instances`, { code: 'IPAM_POOL_EXHAUSTED', details: { pool, overlappedOnPops: avoided } });
}

/**
 * IPAM in PostgreSQL; implements the SubnetAllocator port. A subnet is taken by
 * inserting it: the primary key (pool, subnet) makes a second insert of the same subnet
 * fail, so racing allocators can never share one. Each round reads the pool's used
 * indexes once (ordered, O(used)), picks the first free candidates in one merge-walk and
 * inserts them all with `ON CONFLICT DO NOTHING RETURNING`; the ones another allocator
 * won in between are simply asked for again next round, skipping past the candidates
 * that were just lost. No per-subnet round trips, no O(n²) scan.
 */
export class SqlIpAllocationRepository implements SubnetAllocator {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async allocate(nsInstanceId: string, requests: readonly SubnetRequest[], opts: AllocateOptions = {}): Promise<SubnetAllocation[]> {
    const held = new Map((await this.listByNs(nsInstanceId)).map((a) => [a.linkId, a]));
    const missing = requests.filter((r) => !held.has(r.linkId));
    try {
      for (const pool of [...new Set(missing.map((r) => r.pool))]) {
        const avoided = overlappedIndexes(pool, opts.avoid ?? []);
        for (const a of await this.#allocatePool(nsInstanceId, pool, missing.filter((r) => r.pool === pool).map((r) => r.linkId), avoided)) held.set(a.linkId, a);
      }
    } catch (e) {
      // All or nothing for this call: give back what it took (not what the NS held before).
      const taken = missing.map((r) => held.get(r.linkId)).filter((a): a is SubnetAllocation => a !== undefined);
      for (const a of taken) await this.db.deleteFrom('ip_allocations').where('pool', '=', a.pool).where('subnet', '=', a.subnet).execute();
      throw e;
    }
    return requests.map((r) => held.get(r.linkId) as SubnetAllocation);
  }

  async #allocatePool(nsInstanceId: string, pool: IpamPool, linkIds: readonly string[], avoided: readonly number[]): Promise<SubnetAllocation[]> {
    const out: SubnetAllocation[] = [];
    let wanted = [...linkIds];
    let skip = 0;
    for (let round = 0; wanted.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new ConflictError(`could not allocate ${pool} subnets after ${MAX_ROUNDS} contended rounds; retry`, { code: 'IPAM_CONTENDED', details: { pool } });
      const used = await this.#usedIndexes(pool, avoided);
      const candidates = pickFreeIndexes(used, wanted.length, subnetCount(pool), skip);
      if (candidates.length < wanted.length && skip === 0) {
        throw exhausted(pool, avoided.length);
      }
      if (candidates.length === 0) {
        skip = 0;
        continue;
      }
      const now = this.clock.now().toISOString();
      // The candidates as one JSON parameter: a 1000-link NS is one cheap parameter, not 6000.
      const batch = candidates.map((index, i) => ({ pool, subnet: subnetAt(pool, index), subnet_index: index, ns_instance_id: nsInstanceId, link_id: wanted[i] as string, allocated_at: now }));
      const { rows } = await sql<Row>`
        insert into ip_allocations (pool, subnet, subnet_index, ns_instance_id, link_id, allocated_at)
        select pool, subnet, subnet_index, ns_instance_id, link_id, allocated_at from jsonb_populate_recordset(null::ip_allocations, ${JSON.stringify(batch)}::jsonb)
        on conflict (pool, subnet) do nothing
        returning pool, subnet, subnet_index, ns_instance_id, link_id`.execute(this.db);
      const won = new Set(rows.map((r) => r.link_id));
      out.push(...rows.map(toAllocation));
      wanted = wanted.filter((l) => !won.has(l));
      // Lost candidates are usually taken by a racer now; the re-read sees them. Skipping a
      // little keeps racers from colliding on the same next candidates round after round.
      skip = rows.length === candidates.length ? 0 : Math.min(round + 1, 8) * wanted.length;
    }
    return out;
  }

  /** Indexes of `pool` taken in the store, merged with those a VIM uses (`avoided`). */
  async #usedIndexes(pool: IpamPool, avoided: readonly number[]): Promise<number[]> {
    const stored = (await this.db.selectFrom('ip_allocations').select('subnet_index').where('pool', '=', pool).orderBy('subnet_index').execute()).map((r) => r.subnet_index);
    return mergeIndexes(stored, avoided);
  }

  async preview(nsInstanceId: string, requests: readonly SubnetRequest[], opts: AllocateOptions = {}): Promise<SubnetAllocation[]> {
    const held = new Map((await this.listByNs(nsInstanceId)).map((a) => [a.linkId, a]));
    const out = new Map<string, SubnetAllocation>();
    for (const pool of [...new Set(requests.map((r) => r.pool))]) {
      const links = requests.filter((r) => r.pool === pool && !held.has(r.linkId)).map((r) => r.linkId);
      const avoided = overlappedIndexes(pool, opts.avoid ?? []);
      const used = await this.#usedIndexes(pool, avoided);
      const free = pickFreeIndexes(used, links.length, subnetCount(pool));
      if (free.length < links.length) throw exhausted(pool, avoided.length);
      links.forEach((linkId, i) => out.set(linkId, { nsInstanceId, linkId, pool, subnet: subnetAt(pool, free[i] as number), index: free[i] as number }));
    }
    return requests.map((r) => held.get(r.linkId) ?? (out.get(r.linkId) as SubnetAllocation));
  }

  async release(nsInstanceId: string): Promise<number> {
    const r = await this.db.deleteFrom('ip_allocations').where('ns_instance_id', '=', nsInstanceId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listByNs(nsInstanceId: string): Promise<SubnetAllocation[]> {
    const rows = await this.db.selectFrom('ip_allocations').selectAll().where('ns_instance_id', '=', nsInstanceId).orderBy('pool').orderBy('subnet_index').execute();
    return rows.map(toAllocation);
  }
}
