import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { AuditLogTable } from './auth-schema.js';

/** One audited API call. */
export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly userId: string | null;
  readonly username: string | null;
  readonly tenant: string | null;
  readonly action: string;
  readonly method: string;
  /** The route pattern (`/nslcm/v1/ns_instances/:id/instantiate`), not the raw URL. */
  readonly route: string;
  /** Route parameters (the ids the call was about). */
  readonly target: Readonly<Record<string, string>>;
  readonly status: number;
  readonly requestId: string;
}

/** A stored entry with its paging position. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
}

/** Filters of {@link AuditLogRepository.list}. */
export interface AuditFilter {
  readonly username?: string;
  readonly action?: string;
  /** Entries at or after this instant. */
  readonly since?: Date;
  /** Paging cursor: entries older than this `seq`. */
  readonly before?: number;
  /** Page size (the caller bounds it). */
  readonly limit: number;
}

const toRecord = (r: Selectable<AuditLogTable>): AuditRecord => ({
  seq: Number(r.seq),
  id: r.id,
  at: new Date(r.at),
  userId: r.user_id,
  username: r.username,
  tenant: r.tenant,
  action: r.action,
  method: r.method,
  route: r.route,
  target: r.target,
  status: r.status,
  requestId: r.request_id,
});

/** The append-only audit log. */
export interface AuditLogRepository {
  append(e: AuditEntry): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditRecord[]>;
}

/** The {@link AuditLogRepository} over Kysely. */
export function auditLogRepository(db: Kysely<Database>): AuditLogRepository {
  return {
    async append(e) {
      await db
        .insertInto('audit_log')
        .values({
          id: e.id, at: e.at, user_id: e.userId, username: e.username, tenant: e.tenant, action: e.action, method: e.method,
          route: e.route, target: JSON.stringify(e.target), status: e.status, request_id: e.requestId,
        })
        .execute();
    },
    async list(f) {
      let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(f.limit);
      if (f.username !== undefined) q = q.where('username', '=', f.username);
      if (f.action !== undefined) q = q.where('action', '=', f.action);
      if (f.since !== undefined) q = q.where('at', '>=', f.since);
      if (f.before !== undefined) q = q.where('seq', '<', f.before);
      return (await q.execute()).map(toRecord);
    },
  };
}
