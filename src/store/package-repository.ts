import type { Kysely } from 'kysely';
import { ConflictError } from '../model/index.js';
import type { Database } from './schema.js';
import type { PackageRecord } from './catalog-records.js';
import { isUniqueViolation, jsonb, toPackageRecord } from './catalog-row-mapping.js';

/** The `packages` aggregate: on-boarded package files. Pass a transaction as `db` to join it. */
export function packageRepository(db: Kysely<Database>) {
  return {
    /** Inserts an on-boarded package; ConflictError `PACKAGE_EXISTS` on a duplicate vendor/name/version. */
    async insert(p: Omit<PackageRecord, 'tenant'> & { tenant?: string }): Promise<PackageRecord> {
      try {
        const row = await db
          .insertInto('packages')
          .values({
            id: p.id,
            ...(p.tenant ? { tenant: p.tenant } : {}),
            format: p.format,
            vendor: p.vendor,
            name: p.name,
            version: p.version,
            description: p.description,
            file_name: p.fileName,
            content_type: p.contentType,
            size: p.size,
            sha1: p.sha1,
            sha256: p.sha256,
            files: jsonb(p.files),
            metadata: jsonb(p.metadata),
            created_at: p.createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toPackageRecord(row);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new ConflictError(`package ${p.vendor}/${p.name}/${p.version} is already on-boarded; delete it or raise its version`, {
            code: 'PACKAGE_EXISTS',
            cause: e,
            details: { vendor: p.vendor, name: p.name, version: p.version },
          });
        }
        throw e;
      }
    },

    /** The package, or undefined. */
    async get(id: string): Promise<PackageRecord | undefined> {
      const row = await db.selectFrom('packages').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPackageRecord(row);
    },

    /** Every package of a tenant (of every tenant when undefined), oldest first. */
    async list(tenant: string | undefined): Promise<PackageRecord[]> {
      let q = db.selectFrom('packages').selectAll();
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      const rows = await q.orderBy('created_at').orderBy('id').execute();
      return rows.map(toPackageRecord);
    },

    /** Deletes the package row when no descriptor row points at it any more; true if deleted. */
    async deleteIfUnreferenced(id: string): Promise<boolean> {
      const r = await db
        .deleteFrom('packages')
        .where('id', '=', id)
        .where((eb) =>
          eb.and([
            eb.not(eb.exists(eb.selectFrom('vnfds').select('vnfds.id').where('vnfds.package_id', '=', id))),
            eb.not(eb.exists(eb.selectFrom('nsds').select('nsds.id').where('nsds.package_id', '=', id))),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/** The package repository's type. */
export type PackageRepository = ReturnType<typeof packageRepository>;
