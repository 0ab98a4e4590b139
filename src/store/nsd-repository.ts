import type { Kysely, Selectable } from 'kysely';
import { ConflictError } from '../model/index.js';
import type { Nsd } from '../model/index.js';
import type { Database } from './schema.js';
import type { NsdContent, NsdRecord } from './catalog-records.js';
import { isUniqueViolation, jsonb, toNsdRecord } from './catalog-row-mapping.js';
import { descriptorReads, descriptorStates, insertAllOrClash, onboardedColumns } from './catalog-descriptor-table.js';
import type { NsdsTable } from './catalog-schema.js';

const exists = (ref: string, cause?: unknown): ConflictError =>
  new ConflictError(`NSD ${ref} is already on-boarded; delete it or raise its version`, { code: 'NSD_EXISTS', ...(cause === undefined ? {} : { cause }), details: { nsd: ref } });

const duplicate = (e: unknown, ref: string): never => {
  if (isUniqueViolation(e)) throw exists(ref, e);
  throw e;
};


/** One NSD to insert as on-boarded: its row id, where it came from, its model. */
export interface OnboardedNsd {
  readonly id: string;
  readonly content: NsdContent;
  readonly nsd: Nsd;
}

const contentColumns = (c: NsdContent, nsd: Nsd) => ({
  package_id: c.packageId,
  vendor: c.vendor,
  name: c.name,
  version: c.version,
  format: c.format,
  file: c.file,
  nsd_id: nsd.descriptorId,
  designer: c.vendor,
  // SOL005 nsdInvariantId: stable across versions, so vendor/name without the version.
  invariant_id: `${c.vendor}.${c.name}`,
  vnfd_ids: jsonb(c.vnfdIds),
  descriptor: jsonb(nsd),
});

/**
 * The `nsds` aggregate: each row is an NSD and a SOL005 NsdInfo. Pass a transaction as
 * `db` to join it; `now` stamps `updated_at`.
 */
export function nsdRepository(db: Kysely<Database>, now: () => Date = () => new Date()) {
  const states = descriptorStates(db, 'nsds', now);
  const rec = (r: Selectable<NsdsTable>) => toNsdRecord(r);
  return {
    ...states,
    ...descriptorReads(db, 'nsds', rec),

    /** The NsdInfos whose NSD has identifier `nsdId` (SOL005 `NsdInfo.nsdId`), of `tenant` when given, oldest first. */
    async listByNsdId(nsdId: string, tenant?: string): Promise<NsdRecord[]> {
      let q = db.selectFrom('nsds').selectAll().where('nsd_id', '=', nsdId);
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(rec);
    },

    /** Creates an empty NsdInfo (SOL005: CREATED, DISABLED, NOT_IN_USE). */
    async create(id: string, userDefinedData: Record<string, unknown>, tenant?: string): Promise<NsdRecord> {
      const at = now();
      const row = await db
        .insertInto('nsds')
        .values({
          id,
          ...(tenant ? { tenant } : {}),
          package_id: null,
          onboarding_state: 'CREATED',
          operational_state: 'DISABLED',
          user_defined_data: jsonb(userDefinedData),
          failure_details: null,
          vendor: null,
          name: null,
          version: null,
          format: null,
          file: null,
          descriptor: null,
          nsd_id: null,
          designer: null,
          invariant_id: null,
          vnfd_ids: jsonb([]),
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rec(row);
    },

    /** Inserts an on-boarded NSD (ONBOARDED, ENABLED). ConflictError `NSD_EXISTS` on a duplicate. */
    async insertOnboarded(id: string, c: NsdContent, nsd: Nsd, userDefinedData: Record<string, unknown> = {}): Promise<NsdRecord> {
      const at = now();
      try {
        const row = await db
          .insertInto('nsds')
          .values({
            id,
            ...(c.tenant ? { tenant: c.tenant } : {}),
            onboarding_state: 'ONBOARDED',
            operational_state: 'ENABLED',
            user_defined_data: jsonb(userDefinedData),
            failure_details: null,
            created_at: at,
            updated_at: at,
            ...contentColumns(c, nsd),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return rec(row);
      } catch (e) {
        return duplicate(e, `${c.vendor}/${c.name}/${c.version}`);
      }
    },

    /**
     * Inserts on-boarded NSDs (ONBOARDED, ENABLED) in batches
     * ({@link insertAllOrClash}) and returns their records in the order given. ConflictError
     * `NSD_EXISTS` names the first one that is on-boarded already (or repeats an earlier
     * one of the list), the one that inserting them one by one would have failed on.
     */
    async insertOnboardedMany(rows: readonly OnboardedNsd[]): Promise<NsdRecord[]> {
      const inserted = await insertAllOrClash(
        rows,
        (chunk) => db.insertInto('nsds').values(chunk.map(({ id, content: c, nsd }) => ({ ...onboardedColumns(id, c.tenant, now()), ...contentColumns(c, nsd) }))).onConflict((oc) => oc.doNothing()).returningAll().execute(),
        ({ content: c }) => exists(`${c.vendor}/${c.name}/${c.version}`),
      );
      return inserted.map(rec);
    },

    /** Fills a PROCESSING NsdInfo with its content: ONBOARDED, ENABLED (guarded). */
    async completeOnboarding(id: string, c: NsdContent, nsd: Nsd): Promise<NsdRecord> {
      let row: Selectable<NsdsTable> | undefined;
      try {
        row = await db
          .updateTable('nsds')
          .set({ ...contentColumns(c, nsd), onboarding_state: 'ONBOARDED', operational_state: 'ENABLED', failure_details: null, updated_at: now() })
          .where('id', '=', id)
          .where('onboarding_state', '=', 'PROCESSING')
          .returningAll()
          .executeTakeFirst();
      } catch (e) {
        return duplicate(e, `${c.vendor}/${c.name}/${c.version}`);
      }
      return row ? rec(row) : states.conflict(id, 'expected onboardingState PROCESSING');
    },

  };
}

/** The NSD repository's type. */
export type NsdRepository = ReturnType<typeof nsdRepository>;
