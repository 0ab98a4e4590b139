import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { OpStep } from '../model/index.js';
import type { OpStepRepository, StepOutcome } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { json, relaxedCommit, toOpStep } from './runtime-rows.js';

/**
 * `any(<ids>)` from one JSON parameter, as an array the planner looks up in the primary key:
 * a set-returning function joined directly is guessed at 100 rows and joined by a scan of
 * every operation's steps, which grows with the history.
 */
const anyId = (ids: readonly string[]): RawBuilder<unknown> => sql`any(array(select json_array_elements_text(${json(ids)}::json)))`;

/** The persisted plans of operations; implements OpStepRepository. */
export class SqlOpStepRepository implements OpStepRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The whole plan in one statement, passed as one JSON document expanded by
   * `jsonb_populate_recordset`: one bind parameter instead of 14 per step, which both
   * keeps big plans under the 65535-parameter limit and is several times faster to
   * parse on PGlite than a multi-row VALUES list. A plan is never half-written.
   */
  async insertMany(steps: readonly OpStep[]): Promise<void> {
    if (steps.length === 0) return;
    const rows = steps.map((s) => ({
      id: s.id, op_id: s.opId, seq: s.seq, phase: s.phase, kind: s.kind, target: s.target, pop_id: s.popId, params: s.params,
      state: s.state, result: s.result, error: s.error, started_at: s.startedAt, ended_at: s.endedAt,
    }));
    await sql`insert into op_steps select * from jsonb_populate_recordset(null::op_steps, ${json(rows)}::jsonb)`.execute(this.db);
  }

  async listByOp(opId: string): Promise<OpStep[]> {
    return (await this.db.selectFrom('op_steps').selectAll().where('op_id', '=', opId).orderBy('seq').execute()).map(toOpStep);
  }

  /** One query for a page of operations (never one per operation). */
  async listByOps(opIds: readonly string[]): Promise<OpStep[]> {
    if (opIds.length === 0) return [];
    return (await this.db.selectFrom('op_steps').selectAll().where('op_id', 'in', [...opIds]).orderBy('op_id').orderBy('seq').execute()).map(toOpStep);
  }

  /**
   * One `UPDATE … FROM json_to_recordset(…)` for a whole batch, the batch as one JSON
   * parameter: the executor buffers step outcomes because a statement per step would cost
   * more than the VIM call, and one parameter parses several times faster on PGlite than
   * seven per row. The RUNNING marks of steps that have not ended ride in the same
   * statement. A batch of DONE outcomes (and marks) only commits without waiting for the
   * WAL flush (see {@link relaxedCommit}); any other outcome (FAILED, UNDONE, PENDING) is
   * durable when this returns.
   */
  async finish(updates: readonly { readonly id: string; readonly outcome: StepOutcome }[], running: readonly { readonly id: string; readonly at: Date }[] = []): Promise<void> {
    if (updates.length === 0 && running.length === 0) return;
    const rows = [
      ...updates.map(({ id, outcome: o }) => ({
        id, state: o.state, keep_result: o.result === undefined, result: o.result ?? null, keep_error: o.error === undefined, error: o.error ?? null, ended_at: o.now.toISOString(),
        started_at: o.startedAt?.toISOString() ?? null,
      })),
      // A mark: started at `at`, no end, no error yet.
      ...running.map(({ id, at }) => ({ id, state: 'RUNNING', keep_result: true, result: null, keep_error: false, error: null, ended_at: null, started_at: at.toISOString() })),
    ];
    // A RUNNING mark is for the eye only: one lost to a server crash leaves the step PENDING,
    // which the next run treats as it treats RUNNING, so it may ride relaxed.
    const relaxed = updates.every((u) => u.outcome.state === 'DONE') ? relaxedCommit(this.db) : sql``;
    await sql`
      update op_steps as s set
        state = v.state,
        result = case when v.keep_result then s.result else v.result end,
        error = case when v.keep_error then s.error else v.error end,
        started_at = coalesce(v.started_at, s.started_at),
        ended_at = v.ended_at
      from json_to_recordset(${json(rows)}::json) as v(id text, state text, keep_result boolean, result jsonb, keep_error boolean, error jsonb, ended_at timestamptz, started_at timestamptz)
      where s.id = v.id and s.id = ${anyId(rows.map((r) => r.id))} ${relaxed}`.execute(this.db);
  }

  async resetUnfinished(opId: string, redo: readonly string[] = []): Promise<number> {
    const r = await this.db
      .updateTable('op_steps')
      .set({ state: 'PENDING', started_at: null, ended_at: null })
      .where('op_id', '=', opId)
      .where((eb) => (redo.length > 0 ? eb.or([eb('state', 'in', ['FAILED', 'RUNNING']), eb('id', 'in', [...redo])]) : eb('state', 'in', ['FAILED', 'RUNNING'])))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async deleteByOp(opId: string): Promise<number> {
    const r = await this.db.deleteFrom('op_steps').where('op_id', '=', opId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async popIdsForNs(nsInstanceId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('op_steps')
      .innerJoin('lcm_op_occs', 'lcm_op_occs.id', 'op_steps.op_id')
      .select('op_steps.pop_id')
      .distinct()
      .where('lcm_op_occs.ns_instance_id', '=', nsInstanceId)
      .orderBy('op_steps.pop_id')
      .execute();
    return rows.map((r) => r.pop_id);
  }
}
