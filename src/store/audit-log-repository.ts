import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { AuditLogTable } from './auth-schema.js';
import type { AuditRecord, AuditLogRepository } from '../auth/index.js';

export type { AuditEntry, AuditRecord, AuditFilter, AuditLogRepository } from '../auth/index.js';

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
