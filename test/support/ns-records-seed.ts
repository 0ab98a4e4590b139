import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/index.js';

/** How many NS records to write, and how. */
export interface NsSeedOptions {
  /** NS instances. Two in three are INSTANTIATED and get the VNFs and a SAP. */
  readonly ns: number;
  readonly vnfsPerNs?: number;
  /** LCM operation occurrences, spread round-robin over the NS instances. */
  readonly ops?: number;
  /** Tenants, round-robin (default `['default']`). */
  readonly tenants?: readonly string[];
  /** Rows per INSERT statement (default 2000). */
  readonly batch?: number;
  /** Creation time of the first NS (ms). Several rows share a millisecond, so paging must break ties by id. */
  readonly startMs?: number;
}

/** What was written, for assertions and for picking ids. */
export interface NsSeed {
  readonly nsIds: readonly string[];
  readonly opIds: readonly string[];
  readonly vnfCount: number;
}

const MEMBERS = ['client', 'firewall', 'server', 'cache', 'router', 'probe'];
/** Pseudo-random but stable ids, so id order is not creation order. */
const idOf = (kind: string, i: number) => {
  const h = createHash('sha1').update(`${kind}-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const OPEN = 'FAILED_TEMP';
const FINAL = ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'COMPLETED', 'COMPLETED'];
const TYPES = ['INSTANTIATE', 'TERMINATE', 'SCALE', 'HEAL', 'UPDATE'];

/** Inserts `rows` into `table` in batches, each one statement with one JSON parameter (fast on PGlite and PostgreSQL). */
async function insertRows(db: Kysely<Database>, table: 'ns_instances' | 'vnf_instances' | 'lcm_op_occs', rows: readonly Record<string, unknown>[], batch: number): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = JSON.stringify(rows.slice(i, i + batch));
    await sql`insert into ${sql.table(table)} select * from jsonb_populate_recordset(null::${sql.table(table)}, ${chunk}::jsonb)`.execute(db);
  }
}

/**
 * Writes NS instances (with VNFs and a SAP when INSTANTIATED) and operation occurrences
 * straight into the store's tables, deterministically: NS `i` is named `ns-<i>`, uses
 * NSD `nsd-<i % 5>`, belongs to tenant `tenants[i % n]`; the first operation of every
 * tenth NS is FAILED_TEMP, the others are final.
 */
export async function seedNsRecords(db: Kysely<Database>, opts: NsSeedOptions): Promise<NsSeed> {
  const tenants = opts.tenants ?? ['default'];
  const vnfsPerNs = opts.vnfsPerNs ?? 3;
  const batch = opts.batch ?? 2000;
  const start = opts.startMs ?? Date.parse('2025-01-01T00:00:00Z');
  const at = (ms: number) => new Date(ms).toISOString();
  const nsRows: Record<string, unknown>[] = [];
  const vnfRows: Record<string, unknown>[] = [];
  for (let i = 0; i < opts.ns; i++) {
    const id = idOf('ns', i);
    const instantiated = i % 3 !== 0;
    const created = at(start + Math.floor(i / 4));
    nsRows.push({
      id, name: `ns-${String(i).padStart(6, '0')}`, description: i % 2 === 0 ? 'even' : '', nsd_id: `nsd-${i % 5}`, nsd_info_id: `nsdinfo-${i % 5}`,
      state: instantiated ? 'INSTANTIATED' : 'NOT_INSTANTIATED', tenant: tenants[i % tenants.length], created_at: created, updated_at: created,
      // What an accepted INSTANTIATE records; kept after a termination (every sixth), shown only while INSTANTIATED.
      flavour_id: instantiated ? (i % 2 === 0 ? 'small' : 'default') : i % 6 === 0 ? 'default' : null, vnf_flavours: instantiated ? Object.fromEntries(MEMBERS.slice(0, vnfsPerNs).map((m) => [m, 'default'])) : null,
    });
    if (!instantiated) continue;
    const members = [...MEMBERS.slice(0, vnfsPerNs).map((m) => ({ m, kind: 'vnf' })), { m: 'input', kind: 'sap' }];
    members.forEach(({ m, kind }, k) => {
      const pop = `dc${((i + k) % 2) + 1}`;
      vnfRows.push({
        id: idOf(`vnf-${i}`, k), ns_instance_id: id, member_id: m, kind, vnfd_id: kind === 'vnf' ? `vnfd-${m}-${i % 4}` : null,
        vnfd_ref: kind === 'vnf' ? `eu.rondo/vnf-${m}/0.${i % 3}` : null, pop_id: pop, compute_ids: [`c-${i}-${k}`],
        interfaces: [{ cp: 'mgmt', linkId: 'mgmt', address: `10.0.${i % 250}.${k + 2}`, prefix: 24 }], state: (i + k) % 7 === 0 ? 'STOPPED' : 'STARTED',
        cpu: 1, memory_mib: 256, created_at: created, vnfcs: kind === 'vnf' ? [{ computeId: `c-${i}-${k}`, name: `c-${i}-${k}`, vduId: 'vdu01' }] : null,
      });
    });
  }
  const opRows: Record<string, unknown>[] = [];
  for (let j = 0; j < (opts.ops ?? 0); j++) {
    const n = j % opts.ns;
    const ns = nsRows[n] as { id: string; tenant: string };
    const open = j < opts.ns && n % 10 === 0;
    const t = at(start + 1000 + Math.floor(j / 3));
    opRows.push({
      id: idOf('op', j), ns_instance_id: ns.id, lcm_operation_type: TYPES[j % TYPES.length], operation_state: open ? OPEN : FINAL[j % FINAL.length],
      status_entered_time: t, start_time: t, is_automatic_invocation: j % 4 === 0, operation_params: { seq: j }, is_cancel_pending: false, cancel_mode: null,
      error: open || j % 5 === 1 ? { status: 500, code: j % 2 === 0 ? 'VIM_CONNECTION' : 'STEP_FAILED', detail: 'seeded' } : null, tenant: ns.tenant,
      owner: null, lease_expires_at: null, attempts: 0, deadline: null,
    });
  }
  await insertRows(db, 'ns_instances', nsRows, batch);
  await insertRows(db, 'vnf_instances', vnfRows, batch);
  await insertRows(db, 'lcm_op_occs', opRows, batch);
  await sql`analyze ns_instances, vnf_instances, lcm_op_occs`.execute(db);
  return { nsIds: nsRows.map((r) => r.id as string), opIds: opRows.map((r) => r.id as string), vnfCount: vnfRows.length };
}
