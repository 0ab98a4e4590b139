import { sql } from 'kysely';
import type { RawBuilder, Selectable } from 'kysely';
import type { CancelMode, NsInstance, NsState, OpState, OpStep, OpType, ProblemDetails, StepKind, StepState, VimAccount, VimType, VnfInstance, VnfState, InterfaceRecord, VnfcRecord, ScaleStatusEntry } from '../model/index.js';
import type { StoredOpOcc } from '../lifecycle/index.js';
import type { LcmOpOccsTable, NsInstancesTable, OpStepsTable, VimAccountsTable, VnfInstancesTable } from './runtime-schema.js';

/**
 * A row as PostgreSQL's `row_to_json`/`json_agg` writes it: timestamps are ISO 8601
 * text with an offset (`2025-01-01T00:00:01.123456+00:00`), the rest as the driver
 * reads it (jsonb columns parsed, booleans, numbers). See `jsonRows` in list-conditions.ts.
 */
export type JsonRow<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** PostgreSQL's JSON text of a UTC timestamptz: `2025-01-01T00:00:01.123456+00:00` (fraction trimmed, or absent). */
const PG_UTC_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00(?::00)?$/;

/**
 * A timestamp as `toISOString` writes it (milliseconds, truncated). PostgreSQL's UTC text
 * is rewritten as text (a page of operations has 400 timestamps, and `new Date(text)`
 * costs about a microsecond each); any other offset goes through Date.
 */
const iso = (d: Date | string): string => {
  if (d instanceof Date) return d.toISOString();
  const m = PG_UTC_TEXT.exec(d);
  return m ? `${m[1] as string}.${`${m[2] ?? ''}000`.slice(0, 3)}Z` : new Date(d).toISOString();
};
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));

/** Row → NsInstance. */
export const toNsInstance = (r: Selectable<NsInstancesTable> | JsonRow<Selectable<NsInstancesTable>>): NsInstance => ({
  id: r.id, name: r.name, description: r.description, nsdId: r.nsd_id, nsdInfoId: r.nsd_info_id, state: r.state as NsState,
  tenant: r.tenant, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  ...(r.flavour_id !== null && r.flavour_id !== undefined ? { flavourId: r.flavour_id } : {}),
  ...(r.vnf_flavours ? { vnfFlavours: r.vnf_flavours } : {}),
});

/** Row → VnfInstance. */
export const toVnfInstance = (r: Selectable<VnfInstancesTable>): VnfInstance => ({
  id: r.id, nsInstanceId: r.ns_instance_id, memberId: r.member_id, kind: r.kind as 'vnf' | 'sap', vnfdId: r.vnfd_id, vnfdRef: r.vnfd_ref,
  vnfPkgId: r.vnf_pkg_id ?? null, popId: r.pop_id, computeIds: r.compute_ids, interfaces: r.interfaces as InterfaceRecord[], state: r.state as VnfState, createdAt: iso(r.created_at),
  ...(r.vnfcs ? { vnfcs: r.vnfcs as VnfcRecord[] } : {}), ...(r.scale_status ? { scaleStatus: r.scale_status as ScaleStatusEntry[] } : {}),
});

/** Row → StoredOpOcc. */
export const toOpOcc = (r: Selectable<LcmOpOccsTable> | JsonRow<Selectable<LcmOpOccsTable>>): StoredOpOcc => ({
  id: r.id, nsInstanceId: r.ns_instance_id, lcmOperationType: r.lcm_operation_type as OpType, operationState: r.operation_state as OpState,
  statusEnteredTime: iso(r.status_entered_time), startTime: iso(r.start_time), isAutomaticInvocation: r.is_automatic_invocation,
  operationParams: r.operation_params, internalParams: r.internal_params ?? r.operation_params, isCancelPending: r.is_cancel_pending, cancelMode: r.cancel_mode as CancelMode | null,
  error: (r.error ?? null) as ProblemDetails | null, tenant: r.tenant, owner: r.owner, leaseExpiresAt: isoOrNull(r.lease_expires_at),
  attempts: r.attempts, deadline: isoOrNull(r.deadline),
});

/** Row → OpStep. */
export const toOpStep = (r: Selectable<OpStepsTable>): OpStep => ({
  id: r.id, opId: r.op_id, seq: r.seq, phase: r.phase, kind: r.kind as StepKind, target: r.target, popId: r.pop_id, params: r.params,
  state: r.state as StepState, result: r.result ?? null, error: (r.error ?? null) as ProblemDetails | null,
  startedAt: isoOrNull(r.started_at), endedAt: isoOrNull(r.ended_at),
});

/** Row → VimAccount (`config.secret` is the sealed text when the row has sealed credentials). */
export const toVimAccount = (r: Selectable<VimAccountsTable>): VimAccount => ({
  id: r.id, name: r.name, type: r.type as VimType, endpoint: r.endpoint,
  capacity: r.capacity_cpu === null || r.capacity_memory_mib === null ? null : { cpu: r.capacity_cpu, memoryMiB: r.capacity_memory_mib },
  // Sealed credentials stay sealed here: `config.secret` is the SecretBox text, opened only when a driver is built.
  config: r.secret_sealed ? { ...r.config, secret: r.secret_sealed } : r.config, tenant: r.tenant, createdAt: iso(r.created_at),
});

/** JSON text for a jsonb column. */
export const json = (v: unknown): string => JSON.stringify(v);

/**
 * A WHERE condition (`and …`, always true) that makes the statement's own transaction commit
 * without waiting for its WAL to reach the disk (`synchronous_commit = off` for that
 * transaction only): on PostgreSQL that wait is most of a small statement's time. Only for
 * writes the lifecycle can lose to a server crash and still recover from — a step's RUNNING
 * mark or DONE outcome, which a re-run of the idempotent step rewrites. A lost one is always
 * among the last: the WAL is one sequence, so any later durable commit (an operation's
 * state, a FAILED outcome, the VNF records) makes it durable too. Inside a caller's
 * transaction it is empty, as that transaction's commit is the caller's to make.
 */
export const relaxedCommit = (db: { readonly isTransaction: boolean }): RawBuilder<unknown> =>
  db.isTransaction ? sql`` : sql`and (select set_config('synchronous_commit', 'off', true)) is not null`;

/** PostgreSQL unique_violation, optionally on a named constraint or index. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string; message?: string } | null;
  if (!err || err.code !== '23505') return false;
  return constraint === undefined || err.constraint === constraint || (err.message ?? '').includes(constraint);
}
