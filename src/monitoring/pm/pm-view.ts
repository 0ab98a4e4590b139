import type { PmJobRecord, PmReportRecord, ThresholdRecord } from './pm-store-port.js';

/** PmJobCriteria as the API shows it. */
export interface PmJobCriteriaView {
  performanceMetric?: string[];
  performanceMetricGroup?: string[];
  collectionPeriod: number;
  reportingPeriod: number;
  reportingBoundary?: string;
}

/** ThresholdCriteria as the API shows it. */
export interface ThresholdCriteriaView {
  performanceMetric: string;
  thresholdType: 'SIMPLE';
  simpleThresholdDetails: { thresholdValue: number; hysteresis: number };
}

/** SOL005 §7.5.2.7 PmJob as the API returns it. */
export interface PmJobView {
  id: string;
  objectType: string;
  objectInstanceIds: string[];
  subObjectInstanceIds?: string[];
  criteria: PmJobCriteriaView;
  reports?: { href: string; readyTime: string; fileSize: number }[];
  _links: { self: { href: string }; objects: { href: string }[] };
}

/** SOL005 §7.5.2.9 Threshold as the API returns it. */
export interface ThresholdView {
  id: string;
  objectType: string;
  objectInstanceId: string;
  subObjectInstanceIds?: string[];
  criteria: ThresholdCriteriaView;
  _links: { self: { href: string }; object: { href: string } };
}

/** A job and its reports as SOL005 PmJob (links under `base`). */
export function toPmJobView(j: PmJobRecord, reports: readonly PmReportRecord[], base: string): PmJobView {
  const self = `${base}/nspm/v1/pm_jobs/${j.id}`;
  return {
    id: j.id,
    objectType: j.objectType,
    objectInstanceIds: [...j.objectInstanceIds],
    ...(j.subObjectInstanceIds.length > 0 ? { subObjectInstanceIds: [...j.subObjectInstanceIds] } : {}),
    criteria: {
      ...(j.criteria.performanceMetric ? { performanceMetric: [...j.criteria.performanceMetric] } : {}),
      ...(j.criteria.performanceMetricGroup ? { performanceMetricGroup: [...j.criteria.performanceMetricGroup] } : {}),
      collectionPeriod: j.criteria.collectionPeriod,
      reportingPeriod: j.criteria.reportingPeriod,
      ...(j.criteria.reportingBoundary ? { reportingBoundary: j.criteria.reportingBoundary } : {}),
    },
    ...(reports.length > 0 ? { reports: reports.map((r) => ({ href: `${self}/reports/${r.id}`, readyTime: r.readyTime.toISOString(), fileSize: r.fileSize })) } : {}),
    _links: { self: { href: self }, objects: j.objectInstanceIds.map((id) => ({ href: `${base}/nslcm/v1/ns_instances/${id}` })) },
  };
}

/** A threshold as SOL005 Threshold (links under `base`). */
export function toThresholdView(t: ThresholdRecord, base: string): ThresholdView {
  return {
    id: t.id,
    objectType: t.objectType,
    objectInstanceId: t.objectInstanceId,
    ...(t.subObjectInstanceIds.length > 0 ? { subObjectInstanceIds: [...t.subObjectInstanceIds] } : {}),
    criteria: { ...t.criteria, simpleThresholdDetails: { ...t.criteria.simpleThresholdDetails } },
    _links: { self: { href: `${base}/nspm/v1/thresholds/${t.id}` }, object: { href: `${base}/nslcm/v1/ns_instances/${t.objectInstanceId}` } },
  };
}
