import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { ConflictError } from '../model/index.js';
import type { DescriptorRef, Vnfd } from '../model/index.js';
import type { Database } from './schema.js';
import type { DescriptorContent, VnfdRecord } from './catalog-records.js';
import { isUniqueViolation, jsonb, toVnfdRecord } from './catalog-row-mapping.js';
import { descriptorReads, descriptorStates, insertAllOrClash, onboardedColumns } from './catalog-descriptor-table.js';
import type { VnfdsTable } from './catalog-schema.js';
import type { Selectable } from 'kysely';

const exists = (ref: string, cause?: unknown): ConflictError =>
  new ConflictError(`VNFD ${ref} is already on-boarded; delete it or raise its version`, { code: 'VNFD_EXISTS', ...(cause === undefined ? {} : { cause }), details: { vnfd: ref } });

const duplicate = (e: unknown, ref: string): never => {
  if (isUniqueViolation(e)) throw exists(ref, e);
  throw e;
};


const contentColumns = (c: DescriptorContent, vnfd: Vnfd) => ({
  package_id: c.packageId,
  vendor: c.vendor,
  name: c.name,
  version: c.version,
  format: c.format,
  file: c.file,
  vnfd_id: vnfd.descriptorId,
  provider: vnfd.provider ?? c.vendor,
  descriptor: jsonb(vnfd),
});

/** One VNFD to insert as on-boarded: its row id, where it came from, its model. */
export interface OnboardedVnfd {
  readonly id: string;
  readonly content: DescriptorContent;
  readonly vnfd: Vnfd;
}

/**
 * The `vnfds` aggregate: each row is a VNFD and a SOL005 VnfPkgInfo. Pass a transaction
 * as `db` to join it; `now` stamps `updated_at`.
 */
export function vnfdRepository(db: Kysely<Database>, now: () => Date = () => new Date()) {
  const states = descriptorStates(db, 'vnfds', now);
  const rec = (r: Selectable<VnfdsTable>) => toVnfdRecord(r);
  return {
    ...states,
    ...descriptorReads(db, 'vnfds', rec),

    /** Creates an empty VnfPkgInfo (SOL005: CREATED, DISABLED, NOT_IN_USE). */
    async create(id: string, userDefinedData: Record<string, unknown>, tenant?: string): Promise<VnfdRecord> {
      const at = now();
      const row = await db
        .insertInto('vnfds')
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
          vnfd_id: null,
          provider: null,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rec(row);
    },

    /** Inserts an on-boarded VNFD (ONBOARDED, ENABLED). ConflictError `VNFD_EXISTS` on a duplicate. */
    async insertOnboarded(id: string, c: DescriptorContent, vnfd: Vnfd, userDefinedData: Record<string, unknown> = {}): Promise<VnfdRecord> {
      const at = now();
      try {
        const row = await db
          .insertInto('vnfds')
          .values({
            id,
            ...(c.tenant ? { tenant: c.tenant } : {}),
            onboarding_state: 'ONBOARDED',
            operational_state: 'ENABLED',
            user_defined_data: jsonb(userDefinedData),
            failure_details: null,
            created_at: at,
            updated_at: at,
            ...contentColumns(c, vnfd),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return rec(row);
      } catch (e) {
        return duplicate(e, `${c.vendor}/${c.name}/${c.version}`);
      }
    },

    /**
     * Inserts on-boarded VNFDs (ONBOARDED, ENABLED) in batches
     * ({@link insertAllOrClash}) and returns their records in the order given. ConflictError
     * `VNFD_EXISTS` names the first one that is on-boarded already (or repeats an earlier
     * one of the list), the one that inserting them one by one would have failed on.
     */
    async insertOnboardedMany(rows: readonly OnboardedVnfd[]): Promise<VnfdRecord[]> {
      const inserted = await insertAllOrClash(
        rows,
        (chunk) => db.insertInto('vnfds').values(chunk.map(({ id, content: c, vnfd }) => ({ ...onboardedColumns(id, c.tenant, now()), ...contentColumns(c, vnfd) }))).onConflict((oc) => oc.doNothing()).returningAll().execute(),
        ({ content: c }) => exists(`${c.vendor}/${c.name}/${c.version}`),
      );
      return inserted.map(rec);
    },

    /** Fills a PROCESSING VnfPkgInfo with its content: ONBOARDED, ENABLED (guarded). */
    async completeOnboarding(id: string, c: DescriptorContent, vnfd: Vnfd): Promise<VnfdRecord> {
      let row: Selectable<VnfdsTable> | undefined;
      try {
        row = await db
          .updateTable('vnfds')
          .set({ ...contentColumns(c, vnfd), onboarding_state: 'ONBOARDED', operational_state: 'ENABLED', failure_details: null, updated_at: now() })
          .where('id', '=', id)
          .where('onboarding_state', '=', 'PROCESSING')
          .returningAll()
          .executeTakeFirst();
      } catch (e) {
        return duplicate(e, `${c.vendor}/${c.name}/${c.version}`);
      }
      return row ? rec(row) : states.conflict(id, 'expected onboardingState PROCESSING');
    },


    /** An ONBOARDED VNFD by 5GTANGO vendor/name/version or ETSI descriptor id. */
    async findOnboarded(tenant: string, ref: DescriptorRef | { descriptorId: string }): Promise<VnfdRecord | undefined> {
      let q = db.selectFrom('vnfds').selectAll().where('tenant', '=', tenant).where('onboarding_state', '=', 'ONBOARDED');
      q = 'descriptorId' in ref
        ? q.where('vnfd_id', '=', ref.descriptorId)
        : q.where('vendor', '=', ref.vendor).where('name', '=', ref.name).where('version', '=', ref.version);
      const row = await q.executeTakeFirst();
      return row && rec(row);
    },

    /** Ids of NSDs (other than `exceptPackage`'s) whose vnfd_ids name this VNFD. */
    async referencingNsds(id: string, exceptPackage?: string): Promise<string[]> {
      let q = db.selectFrom('nsds').select('id').where(sql<boolean>`vnfd_ids @> ${jsonb([id])}::jsonb`);
      if (exceptPackage) q = q.where((eb) => eb.or([eb('package_id', 'is', null), eb('package_id', '<>', exceptPackage)]));
      return (await q.execute()).map((r) => r.id);
    },
  };
}

/** The VNFD repository's type. */
export type VnfdRepository = ReturnType<typeof vnfdRepository>;
