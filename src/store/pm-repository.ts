import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { PmJobsTable, PmReportsTable, PmThresholdsTable } from './pm-schema.js';
import type { CrossingState, PmJobRecord, PmReportRecord, PmRepository, ThresholdRecord } from '../monitoring/index.js';

const toJob = (r: Selectable<PmJobsTable>): PmJobRecord => ({
  id: r.id,
  tenant: r.tenant,
  objectType: r.object_type,
  objectInstanceIds: r.object_instance_ids,
  subObjectInstanceIds: r.sub_object_instance_ids,
  criteria: r.criteria,
  callbackUri: r.callback_uri,
  authSealed: r.auth_sealed,
  createdAt: r.created_at,
});

const toReport = (r: Selectable<PmReportsTable>): PmReportRecord => ({ id: r.id, pmJobId: r.pm_job_id, entries: r.entries, readyTime: r.ready_time, fileSize: r.file_size });

const toThreshold = (r: Selectable<PmThresholdsTable>): ThresholdRecord => ({
  id: r.id,
  tenant: r.tenant,
  objectType: r.object_type,
  objectInstanceId: r.object_instance_id,
  subObjectInstanceIds: r.sub_object_instance_ids,
  criteria: r.criteria,
  callbackUri: r.callback_uri,
  authSealed: r.auth_sealed,
  crossing: r.crossing,
  createdAt: r.created_at,
});

/** PM jobs, reports and thresholds: monitoring's {@link PmRepository} port. */
export function pmRepository(db: Kysely<Database>): PmRepository {
  return {
    async insertJob(j) {
      const row = await db
        .insertInto('pm_jobs')
        .values({
          id: j.id,
          tenant: j.tenant,
          object_type: j.objectType,
          object_instance_ids: JSON.stringify(j.objectInstanceIds),
          sub_object_instance_ids: JSON.stringify(j.subObjectInstanceIds),
          criteria: JSON.stringify(j.criteria),
          callback_uri: j.callbackUri,
          auth_sealed: j.authSealed,
          created_at: j.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toJob(row);
    },
    async getJob(id) {
      const row = await db.selectFrom('pm_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toJob(row);
    },
    async listJobs(tenant) {
      let q = db.selectFrom('pm_jobs').selectAll();
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(toJob);
    },
    async setJobCallback(id, callbackUri, authSealed) {
      const row = await db.updateTable('pm_jobs').set({ callback_uri: callbackUri, auth_sealed: authSealed }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && toJob(row);
    },
    async deleteJob(id) {
      // pm_reports go with their job (ON DELETE CASCADE).
      const r = await db.deleteFrom('pm_jobs').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    async insertReport(r) {
      await db
        .insertInto('pm_reports')
        .values({ id: r.id, pm_job_id: r.pmJobId, entries: JSON.stringify(r.entries), ready_time: r.readyTime, file_size: r.fileSize })
        .execute();
    },
    async listReports(pmJobId) {
      return (await db.selectFrom('pm_reports').selectAll().where('pm_job_id', '=', pmJobId).orderBy('ready_time').orderBy('id').execute()).map(toReport);
    },
    async getReport(pmJobId, reportId) {
      const row = await db.selectFrom('pm_reports').selectAll().where('pm_job_id', '=', pmJobId).where('id', '=', reportId).executeTakeFirst();
      return row && toReport(row);
    },
    async insertThreshold(t) {
      const row = await db
        .insertInto('pm_thresholds')
        .values({
          id: t.id,
          tenant: t.tenant,
          object_type: t.objectType,
          object_instance_id: t.objectInstanceId,
          sub_object_instance_ids: JSON.stringify(t.subObjectInstanceIds),
          criteria: JSON.stringify(t.criteria),
          callback_uri: t.callbackUri,
          auth_sealed: t.authSealed,
          crossing: JSON.stringify(t.crossing),
          created_at: t.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toThreshold(row);
    },
    async getThreshold(id) {
      const row = await db.selectFrom('pm_thresholds').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toThreshold(row);
    },
    async listThresholds(tenant) {
      let q = db.selectFrom('pm_thresholds').selectAll();
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(toThreshold);
    },
    async setThresholdCallback(id, callbackUri, authSealed) {
      const row = await db.updateTable('pm_thresholds').set({ callback_uri: callbackUri, auth_sealed: authSealed }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && toThreshold(row);
    },
    async setCrossing(id: string, crossing: CrossingState) {
      await db.updateTable('pm_thresholds').set({ crossing: JSON.stringify(crossing) }).where('id', '=', id).execute();
    },
    async deleteThreshold(id) {
      const r = await db.deleteFrom('pm_thresholds').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
