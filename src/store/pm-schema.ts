import type { ColumnType } from 'kysely';
import type { CrossingState, PmJobCriteria, PmReportEntry, ThresholdCriteria } from '../monitoring/index.js';

/** A JSON column: read as `T`, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;
type Time = ColumnType<Date, Date, Date>;

/** SOL005 PM jobs (migration 015). */
export interface PmJobsTable {
  id: string;
  tenant: string;
  object_type: string;
  object_instance_ids: Json<string[]>;
  sub_object_instance_ids: Json<string[]>;
  criteria: Json<PmJobCriteria>;
  callback_uri: string | null;
  auth_sealed: string | null;
  created_at: Time;
}

/** Performance reports of PM jobs. */
export interface PmReportsTable {
  id: string;
  pm_job_id: string;
  entries: Json<PmReportEntry[]>;
  ready_time: Time;
  file_size: number;
}

/** SOL005 thresholds; `crossing` keeps each sub-object's side for the hysteresis. */
export interface PmThresholdsTable {
  id: string;
  tenant: string;
  object_type: string;
  object_instance_id: string;
  sub_object_instance_ids: Json<string[]>;
  criteria: Json<ThresholdCriteria>;
  callback_uri: string | null;
  auth_sealed: string | null;
  crossing: Json<CrossingState>;
  created_at: Time;
}

/** Tables of NS performance management. */
export interface PmTables {
  pm_jobs: PmJobsTable;
  pm_reports: PmReportsTable;
  pm_thresholds: PmThresholdsTable;
}
