import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BadRequestError } from '../../../model/index.js';
import type { AlarmService } from '../../../monitoring/index.js';
import { listResponse } from '../../http/list-response.js';
import { ListQuery, StringEnum } from '../../http/schema-types.js';
import { tenantFilter } from '../../../auth/index.js';
import { callerOf } from '../../http/caller.js';
import type { RoutePluginOptions } from '../../app-deps.js';

/** Options of {@link alarmsRoutes}. */
export interface AlarmsRoutesOptions {
  /** Items per page of the list (SOL013 §5.4; the configured `pageSize`). Default 100. */
  readonly pageSize?: number;
  readonly alarms: Pick<AlarmService, 'list' | 'get' | 'acknowledge'>;
}

const Alarm = Type.Object(
  {
    id: Type.String(),
    managedObjectId: Type.String(),
    ackState: Type.String(),
    perceivedSeverity: Type.String(),
    eventType: Type.String(),
    probableCause: Type.String(),
    alarmRaisedTime: Type.String(),
    eventTime: Type.String(),
    isRootCause: Type.Boolean(),
    _links: Type.Object({ self: Type.Object({ href: Type.String() }), objectInstance: Type.Object({ href: Type.String() }) }),
  },
  { additionalProperties: true },
);
const AlarmParams = Type.Object({ alarmId: Type.String({ minLength: 1, maxLength: 128 }) });
const AlarmModifications = Type.Object({ ackState: StringEnum(['ACKNOWLEDGED'] as const) }, { additionalProperties: false });

/** SOL005 §8.4.2.3.2: the attributes an alarm list may be filtered on (SOL013 syntax). */
const ALARM_ATTRIBUTES = new Set([
  'id', 'managedObjectId', 'rootCauseFaultyResource', 'eventType', 'perceivedSeverity', 'probableCause', 'ackState', 'alarmRaisedTime', 'alarmClearedTime', 'isRootCause',
]);

/**
 * SOL005 NS fault management alarms: `GET /nsfm/v1/alarms` (SOL013 filter, e.g.
 * `(eq,managedObjectId,<nsId>);(eq,ackState,UNACKNOWLEDGED)`, selectors, paging),
 * `GET /nsfm/v1/alarms/{alarmId}`, `PATCH` with `{"ackState": "ACKNOWLEDGED"}` (200 with
 * the AlarmModifications; 409 ALARM_ALREADY_ACKNOWLEDGED if it already is). An alarm
 * belongs to its NS instance's tenant; another tenant's answers 404 like a missing one.
 */
export const alarmsRoutes: FastifyPluginAsyncTypebox<AlarmsRoutesOptions> = async (app, { alarms, pageSize = 100 }) => {
  app.get('/nsfm/v1/alarms', { schema: { tags: ['nsfm'], querystring: ListQuery, response: { 200: Type.Array(Type.Object({}, { additionalProperties: true })) } }, config: { action: 'nsfm:read' } }, async (req, reply) =>
    listResponse(req, reply, await alarms.list({ tenant: tenantFilter(callerOf(req)) }), req.query, { attributes: ALARM_ATTRIBUTES, defaultExcluded: [], pageSize }),
  );
  app.get('/nsfm/v1/alarms/:alarmId', { schema: { tags: ['nsfm'], params: AlarmParams, response: { 200: Alarm } }, config: { action: 'nsfm:read' } }, async (req) =>
    alarms.get(req.params.alarmId, tenantFilter(callerOf(req))),
  );
  app.patch(
    '/nsfm/v1/alarms/:alarmId',
    { schema: { tags: ['nsfm'], params: AlarmParams, body: AlarmModifications, response: { 200: AlarmModifications } }, config: { action: 'nsfm:ack' } },
    async (req, reply) => {
      const ct = req.headers['content-type'] ?? '';
      // SOL013 §4.2: PATCH bodies are JSON merge patches; plain JSON is accepted too.
      if (!/^application\/(merge-patch\+)?json/.test(ct)) throw new BadRequestError('send the modification as application/merge-patch+json', { code: 'BAD_CONTENT_TYPE' });
      await alarms.acknowledge(req.params.alarmId, tenantFilter(callerOf(req)));
      return reply.type('application/json').send({ ackState: 'ACKNOWLEDGED' as const });
    },
  );
  // JSON merge patch is JSON: parse it with the JSON parser.
  if (!app.hasContentTypeParser('application/merge-patch+json')) {
    app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (e) {
        done(new BadRequestError('the body is not valid JSON', { code: 'INVALID_JSON', cause: e }), undefined);
      }
    });
  }
};

/** {@link alarmsRoutes} on the monitoring services of `deps`; none when monitoring is not built. */
export const alarmsPlugin: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const m = deps.services.monitoring;
  if (m) await app.register(alarmsRoutes, { alarms: m.alarms, pageSize: deps.config.pageSize });
};
