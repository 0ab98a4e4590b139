import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PmService } from '../../../monitoring/index.js';
import { tenantFilter } from '../../../auth/index.js';
import { callerOf } from '../../http/caller.js';
import { listResponse } from '../../http/list-response.js';
import { ListQuery, Link } from '../../http/schema-types.js';
import type { RoutePluginOptions } from '../../app-deps.js';

/** SOL005 §7.5.3.3 PmJobCriteria. */
export const PmJobCriteria = Type.Object({
  performanceMetric: Type.Optional(Type.Array(Type.String())),
  performanceMetricGroup: Type.Optional(Type.Array(Type.String())),
  collectionPeriod: Type.Integer({ minimum: 1, description: 'seconds' }),
  reportingPeriod: Type.Integer({ minimum: 1, description: 'seconds' }),
  reportingBoundary: Type.Optional(Type.String({ format: 'date-time' })),
});
/** SOL005 §7.5.2.6 CreatePmJobRequest. */
const CreatePmJobRequest = Type.Object({
  objectType: Type.String({ description: 'NS (the measured objects are NS instances; their VNF instances are the sub-objects)' }),
  objectInstanceIds: Type.Array(Type.String(), { minItems: 1 }),
  subObjectInstanceIds: Type.Optional(Type.Array(Type.String())),
  criteria: PmJobCriteria,
});
/** SOL005 §7.5.2.7 PmJob. */
const PmJob = Type.Object({
  id: Type.String(),
  objectType: Type.String(),
  objectInstanceIds: Type.Array(Type.String()),
  subObjectInstanceIds: Type.Optional(Type.Array(Type.String())),
  criteria: PmJobCriteria,
  reports: Type.Optional(Type.Array(Type.Object({ href: Type.String(), readyTime: Type.String({ format: 'date-time' }), expiryTime: Type.Optional(Type.String()), fileSize: Type.Optional(Type.Integer()) }))),
  _links: Type.Object({ self: Link, objects: Type.Optional(Type.Array(Link)) }),
});
/** SOL005 §7.5.2.10 PerformanceReport. */
const PerformanceReport = Type.Object({
  entries: Type.Array(
    Type.Object({
      objectType: Type.String(),
      objectInstanceId: Type.String(),
      subObjectInstanceId: Type.Optional(Type.String()),
      performanceMetric: Type.String(),
      performanceValues: Type.Array(Type.Object({ timeStamp: Type.String({ format: 'date-time' }), value: Type.Unknown(), context: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })),
    }),
  ),
});
/**
 * PmJobModifications: the job's own callback and its credentials. SOL005 v2.6.1 delivers
 * NS PM notifications through `/nspm/v1/subscriptions` only; later SOL005 versions add
 * PATCH with this body, which Rondo accepts beside the subscriptions.
 */
export const CallbackModifications = Type.Object(
  { callbackUri: Type.String({ minLength: 1, maxLength: 2048 }), authentication: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);
const CallbackModified = Type.Object({ callbackUri: Type.String() });
const JobParams = Type.Object({ pmJobId: Type.String({ minLength: 1, maxLength: 128 }) });
const ReportParams = Type.Object({ pmJobId: Type.String({ minLength: 1, maxLength: 128 }), reportId: Type.String({ minLength: 1, maxLength: 128 }) });
/** SOL005 §7.4.2.3.2: the attributes a PM job list may be filtered on. */
const JOB_ATTRIBUTES = new Set(['id', 'objectType', 'objectInstanceIds', 'subObjectInstanceIds', 'criteria', 'reports', '_links']);
const tags = ['nspm'];

/** Options of {@link pmJobRoutes}. */
export interface PmJobRoutesOptions {
  /** Items per page of the list (SOL013 §5.4; the configured `pageSize`). Default 100. */
  readonly pageSize?: number;
  readonly pm: Pick<PmService, 'createJob' | 'listJobs' | 'getJob' | 'modifyJob' | 'deleteJob' | 'getReport'>;
}

/**
 * SOL005 NS performance management PM jobs (§7.4.2–7.4.4): POST (201 + Location), GET list
 * (SOL013 filter, `reports` excluded by default as SOL005 §7.4.2.3.2 says), GET/PATCH/DELETE
 * one, GET a report. A job belongs to its NS instances' tenant; another tenant's answers 404.
 */
export const pmJobRoutes: FastifyPluginAsyncTypebox<PmJobRoutesOptions> = async (app, { pm, pageSize = 100 }) => {
  const base = '/nspm/v1/pm_jobs';
  app.post(base, { schema: { tags, body: CreatePmJobRequest, response: { 201: PmJob } }, config: { action: 'nspm:create' } }, async (req, reply) => {
    const job = await pm.createJob(req.body, tenantFilter(callerOf(req)));
    return reply.code(201).header('location', job._links.self.href).send(job);
  });
  app.get(base, { schema: { tags, querystring: ListQuery, response: { 200: Type.Array(Type.Partial(PmJob)) } }, config: { action: 'nspm:read' } }, async (req, reply) =>
    listResponse(req, reply, (await pm.listJobs(tenantFilter(callerOf(req)))).map((j) => ({ ...j })), req.query, { attributes: JOB_ATTRIBUTES, defaultExcluded: ['reports'], pageSize }),
  );
  app.get(`${base}/:pmJobId`, { schema: { tags, params: JobParams, response: { 200: PmJob } }, config: { action: 'nspm:read' } }, async (req) => pm.getJob(req.params.pmJobId, tenantFilter(callerOf(req))));
  app.patch(`${base}/:pmJobId`, { schema: { tags, params: JobParams, body: CallbackModifications, response: { 200: CallbackModified } }, config: { action: 'nspm:update' } }, async (req, reply) =>
    reply.type('application/merge-patch+json').send(await pm.modifyJob(req.params.pmJobId, req.body, tenantFilter(callerOf(req)))),
  );
  app.delete(`${base}/:pmJobId`, { schema: { tags, params: JobParams }, config: { action: 'nspm:delete' } }, async (req, reply) => {
    await pm.deleteJob(req.params.pmJobId, tenantFilter(callerOf(req)));
    return reply.code(204).send();
  });
  app.get(`${base}/:pmJobId/reports/:reportId`, { schema: { tags, params: ReportParams, response: { 200: PerformanceReport } }, config: { action: 'nspm:read' } }, async (req) =>
    pm.getReport(req.params.pmJobId, req.params.reportId, tenantFilter(callerOf(req))),
  );
};

/** {@link pmJobRoutes} on the monitoring services of `deps`; none when monitoring is not built. */
export const pmJobsPlugin: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const m = deps.services.monitoring;
  if (m) await app.register(pmJobRoutes, { pm: m.pm, pageSize: deps.config.pageSize });
};
