import type { Kysely, RawBuilder, Selectable, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { CancelMode, LcmOpOcc, OpState } from '../model/index.js';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { OpOccCondition, OpOccField, OpOccFilter, OpOccQuery, OpOccRepository, OpStatePatch, RecordPage, StoredOpOcc, TenantScope } from '../lifecycle/index.js';
import { RUNNABLE_OP_STATES } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import type { LcmOpOccsTable } from './runtime-schema.js';
import { isUniqueViolation, json, toOpOcc } from './runtime-rows.js';
import type { JsonRow } from './runtime-rows.js';
import { afterKey, isoMicros, isoMillis, jsonRows, scalarCondition, toPage } from './list-conditions.js';
import { OUTBOX_COLUMNS, opChangedColumns } from './outbox-events.js';

/** Operation field → column. */
const OP_COLUMNS: Record<OpOccField, string> = {
  id: 'id', operationState: 'operation_state', statusEnteredTime: 'status_entered_time', nsInstanceId: 'ns_instance_id', lcmOperationType: 'lcm_operation_type',
  startTime: 'start_time', isAutomaticInvocation: 'is_automatic_invocation', isCancelPending: 'is_cancel_pending', cancelMode: 'cancel_mode', error: 'error',
};

/**
 * One condition of an operation query as SQL, comparing what the API shows: times as
 * timestamps for gt…lte (when the value is a time; its ISO text otherwise, as for the
 * other operators), booleans as `true`/`false`, `error` at `path` as text.
 */
function opCondition(c: OpOccCondition): RawBuilder<SqlBool> {
  const column = sql.ref(`lcm_op_occs.${OP_COLUMNS[c.field]}`);
  switch (c.field) {
    case 'statusEnteredTime':
    case 'startTime': {
      const ordered = ['gt', 'gte', 'lt', 'lte'].includes(c.op) && c.values.every((v) => !Number.isNaN(Date.parse(v)));
      return ordered ? scalarCondition(column, c.op, c.values, sql`timestamptz`) : scalarCondition(isoMillis(column), c.op, c.values);
    }
    case 'isAutomaticInvocation':
    case 'isCancelPending':
      return scalarCondition(sql`case when ${column} then 'true' else 'false' end`, c.op, c.values);
    case 'error':
      return scalarCondition(c.path && c.path.length > 0 ? sql`jsonb_extract_path_text(${column}, ${sql.join(c.path.map((p) => sql`${p}`))})` : sql`${column}::text`, c.op, c.values);
    default:
      return scalarCondition(column, c.op, c.values);
  }
}

/**
 * LCM operation occurrences with the worker's claim and lease; implements OpOccRepository.
 * Creating an operation and every state change also write its `op.changed` event to the
 * outbox, in the same statement.
 */
export class SqlOpOccRepository implements OpOccRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** ConflictError `NS_OPERATION_IN_PROGRESS` when the partial unique index says the NS has an open op. */
  async create(op: LcmOpOcc, deadline: Date | null, internalParams: Record<string, unknown> = {}): Promise<StoredOpOcc> {
    try {
      const row = await this.db
        .with('created', (q) =>
          q
            .insertInto('lcm_op_occs')
            .values({
              id: op.id, ns_instance_id: op.nsInstanceId, lcm_operation_type: op.lcmOperationType, operation_state: op.operationState,
              status_entered_time: op.statusEnteredTime, start_time: op.startTime, is_automatic_invocation: op.isAutomaticInvocation,
              operation_params: json(op.operationParams), internal_params: json(internalParams), is_cancel_pending: op.isCancelPending, cancel_mode: op.cancelMode,
              error: op.error === null ? null : json(op.error), tenant: op.tenant, deadline,
            })
            .returningAll(),
        )
        .with('event', (q) => q.insertInto('outbox').columns(OUTBOX_COLUMNS).expression((eb) => eb.selectFrom('created').select(opChangedColumns('created', null))))
        .selectFrom('created')
        .selectAll()
        .executeTakeFirstOrThrow();
      return toOpOcc(row);
    } catch (e) {
      if (isUniqueViolation(e, 'lcm_op_occs_one_open_per_ns')) {
        throw new ConflictError(`NS instance ${op.nsInstanceId} already has an operation in progress; wait for it, or retry/rollback/fail it`, {
          code: 'NS_OPERATION_IN_PROGRESS', cause: e, details: { nsInstanceId: op.nsInstanceId },
        });
      }
      throw e;
    }
  }

  async get(id: string, scope: TenantScope = {}): Promise<StoredOpOcc | undefined> {
    let q = this.db.selectFrom('lcm_op_occs').selectAll().where('id', '=', id);
    if (scope.tenant !== undefined) q = q.where('tenant', '=', scope.tenant);
    const row = await q.executeTakeFirst();
    return row && toOpOcc(row);
  }

  /**
   * One statement per page: tenant, conditions and the keyset bound in the WHERE clause,
   * `ORDER BY start_time, id LIMIT limit + 1` (the extra row says whether a next page
   * exists), served by the `(…, start_time, id)` indexes; the rows come back as one JSON
   * document ({@link jsonRows}).
   */
  async page(query: OpOccQuery): Promise<RecordPage<StoredOpOcc>> {
    let q = this.db.selectFrom('lcm_op_occs').selectAll().select(isoMicros(sql.ref('start_time')).as('page_at'));
    if (query.tenant !== undefined) q = q.where('tenant', '=', query.tenant);
    for (const c of query.where ?? []) q = q.where(opCondition(c));
    if (query.after) q = q.where(afterKey(sql.ref('start_time'), sql.ref('lcm_op_occs.id'), query.after));
    const pageQuery = q.orderBy('start_time').orderBy('id').limit(Math.max(1, query.limit) + 1);
    const rows = await jsonRows<JsonRow<Selectable<LcmOpOccsTable>> & { page_at: string }>(this.db, pageQuery, sql`t.start_time, t.id`);
    return toPage(rows, Math.max(1, query.limit), toOpOcc);
  }

  async list(filter: OpOccFilter = {}): Promise<StoredOpOcc[]> {
    let q = this.db.selectFrom('lcm_op_occs').selectAll().orderBy('start_time').orderBy('id');
    if (filter.nsInstanceId !== undefined) q = q.where('ns_instance_id', '=', filter.nsInstanceId);
    if (filter.operationState !== undefined) q = q.where('operation_state', '=', filter.operationState);
    if (filter.tenant !== undefined) q = q.where('tenant', '=', filter.tenant);
    return (await q.execute()).map(toOpOcc);
  }

  /**
   * Guarded state change, with its `op.changed` event. Leaving FAILED_TEMP for a runnable state (retry, rollback)
   * resets `attempts`, so the worker's crash counter starts over for the new run.
   */
  async transition(id: string, expected: OpState, next: OpState, patch: OpStatePatch): Promise<StoredOpOcc> {
    const restart = expected === 'FAILED_TEMP' && (RUNNABLE_OP_STATES as readonly OpState[]).includes(next);
    const row = await this.db
      .with('moved', (q) =>
        q
          .updateTable('lcm_op_occs')
          .set({
            operation_state: next,
            status_entered_time: patch.now,
            ...(patch.error === undefined ? {} : { error: patch.error === null ? null : json(patch.error) }),
            // Leaving FAILED_TEMP (retry, rollback) starts a fresh deadline of the same length:
            // the old one may have passed while the operator looked, and a retry that fails at
            // once with OP_DEADLINE_EXCEEDED could never complete.
            ...(restart
              ? { attempts: 0, is_cancel_pending: false, cancel_mode: null, deadline: sql<Date>`${patch.now}::timestamptz + (deadline - start_time)` }
              : {}),
          })
          .where('id', '=', id)
          .where('operation_state', '=', expected)
          .returningAll(),
      )
      .with('event', (q) => q.insertInto('outbox').columns(OUTBOX_COLUMNS).expression((eb) => eb.selectFrom('moved').select(opChangedColumns('moved', expected))))
      .selectFrom('moved')
      .selectAll()
      .executeTakeFirst();
    if (row) return toOpOcc(row);
    const now = await this.get(id);
    if (!now) throw new NotFoundError('NS LCM operation occurrence', id);
    throw new ConflictError(`operation ${id} is ${now.operationState}, not ${expected}`, { code: 'OP_STATE_CHANGED', details: { id, expected, actual: now.operationState } });
  }

  /**
   * Claims runnable operations, pg-boss style: the CTE locks candidate rows with
   * `FOR UPDATE SKIP LOCKED` so concurrent claimers skip each other's rows instead of
   * queueing behind them, and the one `UPDATE … RETURNING` takes ownership in the same
   * statement. Trade-off: SKIP LOCKED gives up strict FIFO across workers (a locked older
   * op is passed over) for never blocking; the lease, not the row lock, is what protects
   * the op while it runs, so a dead worker's ops come back once the lease expires.
   */
  async claim(owner: string, opts: { readonly limit: number; readonly now: Date; readonly leaseSeconds: number }): Promise<StoredOpOcc[]> {
    const until = new Date(opts.now.getTime() + opts.leaseSeconds * 1000);
    const states = sql.join(RUNNABLE_OP_STATES.map((s) => sql.lit(s)));
    const result = await sql<LcmOpOccsTable>`
      with next as (
        select id from lcm_op_occs
        where operation_state in (${states}) and (lease_expires_at is null or lease_expires_at < ${opts.now})
        order by start_time, id
        limit ${opts.limit}
        for update skip locked
      )
      update lcm_op_occs o
      set owner = ${owner}, lease_expires_at = ${until}, attempts = o.attempts + 1
      from next where o.id = next.id
      returning o.*`.execute(this.db);
    return result.rows.map((r) => toOpOcc(r as never)).sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
  }

  async renewLease(id: string, owner: string, until: Date): Promise<boolean> {
    const r = await this.db.updateTable('lcm_op_occs').set({ lease_expires_at: until }).where('id', '=', id).where('owner', '=', owner).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db.updateTable('lcm_op_occs').set({ owner: null, lease_expires_at: null }).where('id', '=', id).where('owner', '=', owner).execute();
  }

  async requestCancel(id: string, mode: CancelMode, states: readonly OpState[]): Promise<StoredOpOcc> {
    const row = await this.db
      .updateTable('lcm_op_occs')
      .set({ is_cancel_pending: true, cancel_mode: mode })
      .where('id', '=', id)
      .where('operation_state', 'in', [...states])
      .returningAll()
      .executeTakeFirst();
    if (row) return toOpOcc(row);
    const now = await this.get(id);
    if (!now) throw new NotFoundError('NS LCM operation occurrence', id);
    throw new ConflictError(`cancel needs ${states.join(' or ')}; operation ${id} is ${now.operationState}`, { code: 'OP_ILLEGAL_STATE', details: { id, state: now.operationState } });
  }
}
