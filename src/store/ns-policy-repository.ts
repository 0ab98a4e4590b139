import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { PolicyRow, PolicyStore, ScaleParams } from '../monitoring/index.js';
import type { Database } from './schema.js';

type Time = ColumnType<Date, Date, Date>;

/** Policy overrides and firing state per NS instance (migration 018). */
export interface NsPoliciesTable {
  ns_instance_id: string;
  policy_id: string;
  vnf_id: string;
  enabled: boolean | null;
  max_attempts: number | null;
  backoff_seconds: number | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_fired_at: Time | null;
  exhausted_at: Time | null;
  updated_at: Time;
  /** Auto-scale values overridden (migration 020). */
  params: ColumnType<ScaleParams, string | undefined, string>;
}

/** The tables this repository reads. */
export interface NsPolicyTables {
  ns_policies: NsPoliciesTable;
}

const toRow = (r: Selectable<NsPoliciesTable>): PolicyRow => ({
  nsInstanceId: r.ns_instance_id, policyId: r.policy_id, vnfId: r.vnf_id, enabled: r.enabled, maxAttempts: r.max_attempts, backoffSeconds: r.backoff_seconds,
  attempts: r.attempts, lastFiredAt: r.last_fired_at, exhaustedAt: r.exhausted_at, params: r.params ?? {},
});

/** The monitoring's {@link PolicyStore} over `ns_policies`. */
export function nsPolicyRepository(db: Kysely<Database>): PolicyStore {
  /** The row, made empty (no override, no firing) when it is missing; an NS row deleted meanwhile makes it fail (FK). */
  const ensure = (nsId: string, policyId: string, vnfId: string, now: Date) =>
    db.insertInto('ns_policies').values({ ns_instance_id: nsId, policy_id: policyId, vnf_id: vnfId, updated_at: now }).onConflict((oc) => oc.columns(['ns_instance_id', 'policy_id']).doNothing()).execute();
  return {
    async list(nsId) {
      return (await db.selectFrom('ns_policies').selectAll().where('ns_instance_id', '=', nsId).orderBy('policy_id').execute()).map(toRow);
    },
    async setOverride(nsId, policyId, vnfId, o, now) {
      await ensure(nsId, policyId, vnfId, now);
      // Scale values merge into those set before; null takes one back to the descriptor's.
      const before = await db.selectFrom('ns_policies').select('params').where('ns_instance_id', '=', nsId).where('policy_id', '=', policyId).executeTakeFirstOrThrow();
      const params: Record<string, number> = { ...(before.params ?? {}) };
      for (const k of ['scaleOutThreshold', 'scaleInThreshold', 'windowSeconds', 'cooldownSeconds'] as const) {
        const v = o[k];
        if (v === null) delete params[k];
        else if (v !== undefined) params[k] = v;
      }
      const row = await db
        .updateTable('ns_policies')
        .set({
          ...(o.enabled !== undefined ? { enabled: o.enabled } : {}),
          ...(o.maxAttempts !== undefined ? { max_attempts: o.maxAttempts } : {}),
          ...(o.backoffSeconds !== undefined ? { backoff_seconds: o.backoffSeconds } : {}),
          params: JSON.stringify(params),
          // Setting a policy again is the operator's "heal again": a fresh run.
          attempts: 0, last_fired_at: null, exhausted_at: null, updated_at: now,
        })
        .where('ns_instance_id', '=', nsId)
        .where('policy_id', '=', policyId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRow(row);
    },
    /** Compare-and-set on (attempts, last_fired_at): of several engines that saw one failure, one wins. */
    async claim(nsId, policyId, vnfId, expected, next, now) {
      await ensure(nsId, policyId, vnfId, now);
      const r = await db
        .updateTable('ns_policies')
        .set({ attempts: next.attempts, last_fired_at: next.lastFiredAt, updated_at: now })
        .where('ns_instance_id', '=', nsId)
        .where('policy_id', '=', policyId)
        .where('attempts', '=', expected.attempts)
        .where((eb) => (expected.lastFiredAt === null ? eb('last_fired_at', 'is', null) : eb('last_fired_at', '=', expected.lastFiredAt)))
        .where('exhausted_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async exhaust(nsId, policyId, vnfId, now) {
      await ensure(nsId, policyId, vnfId, now);
      const r = await db
        .updateTable('ns_policies')
        .set({ exhausted_at: now, updated_at: now })
        .where('ns_instance_id', '=', nsId)
        .where('policy_id', '=', policyId)
        .where('exhausted_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
