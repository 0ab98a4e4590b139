import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { ProblemDetails } from '../model/index.js';
import type { Database } from './schema.js';
import type { DescriptorStateColumns } from './catalog-schema.js';
import type { OnboardingState, OperationalState } from './catalog-states.js';
import { jsonb } from './catalog-row-mapping.js';

/** The two tables whose rows are SOL005 resources with onboarding/operational/usage state. */
export type DescriptorTable = 'vnfds' | 'nsds';

const RESOURCE: Record<DescriptorTable, string> = { vnfds: 'VNF package', nsds: 'NSD' };

/**
 * State operations shared by VNFDs and NSDs. Every change is one guarded statement
 * (`UPDATE … WHERE id AND state = expected RETURNING *`); zero rows means the row is
 * missing (NotFoundError) or someone else moved it (ConflictError `STATE_CONFLICT`).
 * Both tables share these columns, so the queries are typed against `vnfds` and run on
 * either.
 */
export function descriptorStates(db: Kysely<Database>, table: DescriptorTable, now: () => Date) {
  // Both tables carry DescriptorStateColumns; type the builder against one of them.
  const t = table as 'vnfds';

  const explain = async (id: string, want: string): Promise<never> => {
    const row = await db.selectFrom(t).select(['onboarding_state', 'operational_state', 'usage_state']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(RESOURCE[table], id);
    throw new ConflictError(
      `${RESOURCE[table]} ${id} is ${row.onboarding_state}/${row.operational_state}/${row.usage_state}; ${want}`,
      { code: 'STATE_CONFLICT', details: { onboardingState: row.onboarding_state, operationalState: row.operational_state, usageState: row.usage_state } },
    );
  };

  return {
    /** Throws NotFoundError, or ConflictError naming the current states and `want`. */
    conflict: explain,

    /** Moves onboardingState from one of `from` to `to`; optional failure details. */
    async moveOnboarding(
      id: string,
      from: readonly OnboardingState[],
      to: OnboardingState,
      failure?: ProblemDetails,
    ): Promise<Selectable<DescriptorStateColumns>> {
      const row = await db
        .updateTable(t)
        .set({
          onboarding_state: to,
          updated_at: now(),
          ...(failure ? { failure_details: jsonb(failure) } : {}),
        })
        .where('id', '=', id)
        .where('onboarding_state', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
      return row ?? explain(id, `expected onboardingState ${from.join(' or ')}`);
    },

    /** Sets operationalState; only on-boarded descriptors can change it (SOL005 §9.4.3.3.4). */
    async setOperational(id: string, next: OperationalState): Promise<Selectable<DescriptorStateColumns>> {
      const row = await db
        .updateTable(t)
        .set({ operational_state: next, updated_at: now() })
        .where('id', '=', id)
        .where('onboarding_state', '=', 'ONBOARDED')
        .returningAll()
        .executeTakeFirst();
      return row ?? explain(id, 'only ONBOARDED packages can be enabled or disabled');
    },

    /** Replaces userDefinedData (the caller has merged it). */
    async setUserDefinedData(id: string, data: Record<string, unknown>): Promise<Selectable<DescriptorStateColumns>> {
      const row = await db
        .updateTable(t)
        .set({ user_defined_data: jsonb(data), updated_at: now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(RESOURCE[table], id);
      return row;
    },

    /** Counts one more NS instance using these rows; they must be ONBOARDED and ENABLED. */
    async acquire(ids: readonly string[]): Promise<void> {
      for (const id of ids) {
        const row = await db
          .updateTable(t)
          .set({ usage_count: sql`usage_count + 1`, usage_state: 'IN_USE', updated_at: now() })
          .where('id', '=', id)
          .where('onboarding_state', '=', 'ONBOARDED')
          .where('operational_state', '=', 'ENABLED')
          .returning('id')
          .executeTakeFirst();
        if (!row) await explain(id, 'it must be ONBOARDED and ENABLED to be used by an NS instance');
      }
    },

    /** Counts one NS instance fewer; NOT_IN_USE when none is left. Never below zero. */
    async release(ids: readonly string[]): Promise<void> {
      for (const id of ids) {
        await db
          .updateTable(t)
          .set({
            usage_count: sql`greatest(usage_count - 1, 0)`,
            usage_state: sql`case when usage_count > 1 then 'IN_USE' else 'NOT_IN_USE' end`,
            updated_at: now(),
          })
          .where('id', '=', id)
          .execute();
      }
    },

    /**
     * Deletes the row if it is NOT_IN_USE and, when `requireDisabled`, DISABLED
     * (SOL005 §9.4.3.3.5 / §5.4.2.3.5). Returns the deleted row.
     */
    async deleteGuarded(id: string, requireDisabled: boolean): Promise<Selectable<DescriptorStateColumns>> {
      let q = db.deleteFrom(t).where('id', '=', id).where('usage_state', '=', 'NOT_IN_USE');
      if (requireDisabled) q = q.where('operational_state', '=', 'DISABLED');
      const row = await q.returningAll().executeTakeFirst();
      return row ?? explain(id, requireDisabled ? 'disable it and stop the NS instances using it before deleting' : 'stop the NS instances using it before deleting');
    },
  };
}

/**
 * Reads shared by VNFDs and NSDs, mapped by `rec`: one row by id, a tenant's rows (every
 * tenant's when undefined) and the rows one package brought, oldest first.
 */
export function descriptorReads<T extends DescriptorTable, R>(db: Kysely<Database>, table: T, rec: (row: Selectable<Database[T]>) => R) {
  // Both tables carry the columns used here; type the builder against one of them.
  const t = table as 'vnfds';
  const map = (row: unknown): R => rec(row as Selectable<Database[T]>);
  return {
    /** The descriptor, or undefined. */
    async get(id: string): Promise<R | undefined> {
      const row = await db.selectFrom(t).selectAll().where('id', '=', id).executeTakeFirst();
      return row && map(row);
    },

    /** Every descriptor of a tenant (of every tenant when undefined), oldest first. */
    async list(tenant: string | undefined): Promise<R[]> {
      let q = db.selectFrom(t).selectAll();
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(map);
    },

    /** The descriptors that came with one package. */
    async listByPackage(packageId: string): Promise<R[]> {
      return (await db.selectFrom(t).selectAll().where('package_id', '=', packageId).orderBy('created_at').orderBy('id').execute()).map(map);
    },
  };
}

/** The columns of a descriptor row inserted as on-boarded (ONBOARDED, ENABLED), but its content. */
export const onboardedColumns = (id: string, tenant: string | undefined, at: Date) => ({
  id,
  ...(tenant ? { tenant } : {}),
  onboarding_state: 'ONBOARDED' as const,
  operational_state: 'ENABLED' as const,
  user_defined_data: jsonb({}),
  failure_details: null,
  created_at: at,
  updated_at: at,
});

/** Rows per multi-row INSERT: 1000 rows × 20 columns stays far below PostgreSQL's 65535 parameters. */
const BATCH_ROWS = 1000;

/**
 * Inserts `items` {@link BATCH_ROWS} at a time and returns their rows in the order given.
 * `insert` inserts one chunk with ON CONFLICT DO NOTHING RETURNING, so an item missing
 * from its answer clashed (with a row there, or an earlier item: VALUES rows go in in
 * order): `clash` of the first such item is thrown, the one that inserting them one by one
 * would have failed on.
 */
export async function insertAllOrClash<I extends { readonly id: string }, Row extends { readonly id: string }>(
  items: readonly I[], insert: (chunk: readonly I[]) => Promise<readonly Row[]>, clash: (item: I) => Error,
): Promise<Row[]> {
  const out: Row[] = [];
  for (let start = 0; start < items.length; start += BATCH_ROWS) {
    const chunk = items.slice(start, start + BATCH_ROWS);
    const byId = new Map((await insert(chunk)).map((r) => [r.id, r]));
    for (const item of chunk) {
      const row = byId.get(item.id);
      if (!row) throw clash(item);
      out.push(row);
    }
  }
  return out;
}
