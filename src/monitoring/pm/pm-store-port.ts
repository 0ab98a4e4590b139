// The store as NS performance management uses it: a port monitoring owns, implemented by
// `src/store` (`pmRepository`) and handed over by the composition root.

/** SOL005 §7.5.3.3 PmJobCriteria (periods in seconds). */
export interface PmJobCriteria {
  readonly performanceMetric?: readonly string[];
  readonly performanceMetricGroup?: readonly string[];
  readonly collectionPeriod: number;
  readonly reportingPeriod: number;
  readonly reportingBoundary?: string;
}

/** A stored PM job. `authSealed` holds the sealed `authentication` of its own callback. */
export interface PmJobRecord {
  readonly id: string;
  readonly tenant: string;
  readonly objectType: string;
  readonly objectInstanceIds: readonly string[];
  readonly subObjectInstanceIds: readonly string[];
  readonly criteria: PmJobCriteria;
  /** Set by PATCH (PmJobModifications); null: notifications go to the `nspm` subscriptions only. */
  readonly callbackUri: string | null;
  readonly authSealed: string | null;
  readonly createdAt: Date;
}

/** SOL005 §7.5.2.10 PerformanceReport `entries` item. */
export interface PmReportEntry {
  readonly objectType: string;
  readonly objectInstanceId: string;
  readonly subObjectInstanceId?: string;
  readonly performanceMetric: string;
  readonly performanceValues: readonly { readonly timeStamp: string; readonly value: number }[];
}

/** A stored performance report of a PM job. */
export interface PmReportRecord {
  readonly id: string;
  readonly pmJobId: string;
  readonly entries: readonly PmReportEntry[];
  readonly readyTime: Date;
  readonly fileSize: number;
}

/** SOL005 §7.5.3.4 ThresholdCriteria (SIMPLE only, the one type SOL005 v2.6.1 defines). */
export interface ThresholdCriteria {
  readonly performanceMetric: string;
  readonly thresholdType: 'SIMPLE';
  readonly simpleThresholdDetails: { readonly thresholdValue: number; readonly hysteresis: number };
}

/** Which side of a threshold each measured sub-object is on. */
export type CrossingState = Readonly<Record<string, 'UP' | 'DOWN'>>;

/** A stored threshold. */
export interface ThresholdRecord {
  readonly id: string;
  readonly tenant: string;
  readonly objectType: string;
  readonly objectInstanceId: string;
  readonly subObjectInstanceIds: readonly string[];
  readonly criteria: ThresholdCriteria;
  readonly callbackUri: string | null;
  readonly authSealed: string | null;
  readonly crossing: CrossingState;
  readonly createdAt: Date;
}

/** PM jobs, reports and thresholds as the PM service reads and writes them. */
export interface PmRepository {
  insertJob(j: PmJobRecord): Promise<PmJobRecord>;
  getJob(id: string): Promise<PmJobRecord | undefined>;
  /** One tenant's, or every tenant's without `tenant`, oldest first. */
  listJobs(tenant?: string): Promise<PmJobRecord[]>;
  /** Sets the job's callback; undefined when the job is gone. */
  setJobCallback(id: string, callbackUri: string, authSealed: string | null): Promise<PmJobRecord | undefined>;
  /** Deletes the job and its reports. */
  deleteJob(id: string): Promise<boolean>;
  insertReport(r: PmReportRecord): Promise<void>;
  /** The job's reports, oldest first. */
  listReports(pmJobId: string): Promise<PmReportRecord[]>;
  getReport(pmJobId: string, reportId: string): Promise<PmReportRecord | undefined>;
  insertThreshold(t: ThresholdRecord): Promise<ThresholdRecord>;
  getThreshold(id: string): Promise<ThresholdRecord | undefined>;
  listThresholds(tenant?: string): Promise<ThresholdRecord[]>;
  setThresholdCallback(id: string, callbackUri: string, authSealed: string | null): Promise<ThresholdRecord | undefined>;
  /** Records the sides the threshold's sub-objects are on now. */
  setCrossing(id: string, crossing: CrossingState): Promise<void>;
  deleteThreshold(id: string): Promise<boolean>;
}
