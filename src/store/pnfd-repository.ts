import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { PnfdRecord, PnfdRepository } from '../catalog/index.js';
import type { OnboardingState, UsageState } from '../catalog/index.js';
import type { ProblemDetails } from '../model/index.js';
import type { Database } from './schema.js';

type Json<T> = ColumnType<T, string, string>;
type Time = ColumnType<Date, Date, Date>;

/** SOL005 PNFDs (migration 016). */
export interface PnfdsTable {
  id: string;
  tenant: string;
  pnfd_id: string | null;
  name: string | null;
  version: string | null;
  provider: string | null;
  invariant_id: string | null;
  onboarding_state: OnboardingState;
  usage_state: UsageState;
  user_defined_data: Json<Record<string, unknown>>;
  failure_details: Json<ProblemDetails> | null;
  file_name: string | null;
  content: string | null;
  created_at: Time;
  updated_at: Time;
}

/** The tables this repository reads. */
export interface PnfdTables {
  pnfds: PnfdsTable;
}

const toRecord = (r: Selectable<PnfdsTable>): PnfdRecord => ({
  id: r.id,
  tenant: r.tenant,
  pnfdId: r.pnfd_id,
  name: r.name,
  version: r.version,
  provider: r.provider,
  invariantId: r.invariant_id,
  onboardingState: r.onboarding_state,
  usageState: r.usage_state,
  userDefinedData: r.user_defined_data,
  failureDetails: r.failure_details,
  fileName: r.file_name,
  content: r.content,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** PNFD rows: the catalog's {@link PnfdRepository} port. */
export function pnfdRepository(db: Kysely<Database>): PnfdRepository {
  return {
    async insert(p) {
      const row = await db
        .insertInto('pnfds')
        .values({
          id: p.id,
          tenant: p.tenant,
          pnfd_id: p.pnfdId,
          name: p.name,
          version: p.version,
          provider: p.provider,
          invariant_id: p.invariantId,
          onboarding_state: p.onboardingState,
          usage_state: p.usageState,
          user_defined_data: JSON.stringify(p.userDefinedData),
          failure_details: p.failureDetails ? JSON.stringify(p.failureDetails) : null,
          file_name: p.fileName,
          content: p.content,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async get(id) {
      const row = await db.selectFrom('pnfds').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async list(tenant) {
      let q = db.selectFrom('pnfds').selectAll();
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(toRecord);
    },
    async completeUpload(id, o, at) {
      // One guarded statement: only a CREATED PNFD takes content (a concurrent upload gets 409).
      const set =
        o.state === 'ONBOARDED'
          ? { onboarding_state: o.state, pnfd_id: o.pnfdId, name: o.name, version: o.version, provider: o.provider, invariant_id: o.invariantId, file_name: o.fileName, content: o.content, updated_at: at }
          : { onboarding_state: o.state, failure_details: JSON.stringify(o.failure), updated_at: at };
      const row = await db.updateTable('pnfds').set(set).where('id', '=', id).where('onboarding_state', '=', 'CREATED').returningAll().executeTakeFirst();
      return row && toRecord(row);
    },
    async setUserDefinedData(id, data, at) {
      const row = await db.updateTable('pnfds').set({ user_defined_data: JSON.stringify(data), updated_at: at }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && toRecord(row);
    },
    async deleteUnused(id) {
      const r = await db.deleteFrom('pnfds').where('id', '=', id).where('usage_state', '=', 'NOT_IN_USE').executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
