import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { tenantFilter } from '../../auth/index.js';
import { POLICY_SOURCES, POLICY_TYPES, PROBE_KINDS, SCALE_METRICS } from '../../monitoring/index.js';
import type { NsPolicy } from '../../monitoring/index.js';
import { callerOf } from '../http/caller.js';
import { StringEnum } from '../http/schema-types.js';
import type { RoutePluginOptions } from '../app-deps.js';

const tags = ['admin'];

const ProbeSchema = Type.Object({
  kind: StringEnum(PROBE_KINDS),
  intervalSeconds: Type.Number(),
  timeoutSeconds: Type.Number(),
  retries: Type.Integer(),
  delaySeconds: Type.Number(),
  port: Type.Optional(Type.Integer()),
  path: Type.Optional(Type.String()),
});

const Threshold = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

/** One policy of an NS instance as it applies now: AUTO_HEAL fields or AUTO_SCALE fields by `type`. */
export const NsPolicySchema = Type.Object({
  id: Type.String({ description: 'Policy id (`auto-heal-<vnfId>`, `auto-scale-<vnfId>-<name>`)' }),
  type: StringEnum(POLICY_TYPES),
  nsInstanceId: Type.String(),
  vnfId: Type.String({ description: 'The VNF member (NSD vnf_id) the policy acts on' }),
  enabled: Type.Boolean(),
  maxAttempts: Type.Optional(Type.Integer({ description: 'AUTO_HEAL: heals in one run of failures before a CRITICAL alarm stops healing' })),
  backoffSeconds: Type.Optional(Type.Integer({ description: 'AUTO_HEAL: seconds before the second heal; each later one waits twice as long' })),
  aspectId: Type.Optional(Type.String({ description: 'AUTO_SCALE: the scaling aspect it moves, one step at a time' })),
  metric: Type.Optional(StringEnum(SCALE_METRICS, { description: "AUTO_SCALE: the metric watched, in percent (of one CPU, or of the memory limit), averaged over the VNF's instances" })),
  scaleOutThreshold: Type.Optional(Threshold('AUTO_SCALE: scale out when the metric stays above this for windowSeconds (null: never)')),
  scaleInThreshold: Type.Optional(Threshold('AUTO_SCALE: scale in when the metric stays below this for windowSeconds (null: never)')),
  windowSeconds: Type.Optional(Type.Number({ description: 'AUTO_SCALE: how long a condition must hold' })),
  cooldownSeconds: Type.Optional(Type.Number({ description: 'AUTO_SCALE: seconds after a scale before the next' })),
  source: StringEnum(POLICY_SOURCES, { description: 'DESCRIPTOR, DEFAULT, or OVERRIDE (set through this API)' }),
  origin: Type.Optional(Type.String({ description: 'The descriptor field the policy was declared in' })),
  probe: Type.Optional(ProbeSchema),
  state: Type.Object({
    attempts: Type.Integer({ description: 'AUTO_HEAL: heals in the current run of failures; AUTO_SCALE: scales started since the policy was set' }),
    lastFiredAt: Type.Union([Type.String(), Type.Null()]),
    exhaustedAt: Type.Union([Type.String(), Type.Null()]),
  }),
});

const PolicyUpdate = Type.Object(
  {
    enabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: 'null: back to the descriptor/default' })),
    maxAttempts: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1000 }), Type.Null()])),
    backoffSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 86_400 }), Type.Null()])),
    scaleOutThreshold: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100_000 }), Type.Null()])),
    scaleInThreshold: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100_000 }), Type.Null()])),
    windowSeconds: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 86_400 }), Type.Null()])),
    cooldownSeconds: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 86_400 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const NsParams = Type.Object({ nsInstanceId: Type.String({ minLength: 1, maxLength: 128 }) });
const PolicyParams = Type.Object({ nsInstanceId: Type.String({ minLength: 1, maxLength: 128 }), policyId: Type.String({ minLength: 1, maxLength: 200 }) });

const toView = (p: NsPolicy) => {
  const common = { id: p.policyId, type: p.type, nsInstanceId: p.nsInstanceId, vnfId: p.vnfId, enabled: p.enabled, source: p.source, ...(p.origin ? { origin: p.origin } : {}) };
  if (p.type === 'AUTO_SCALE') {
    return {
      ...common, aspectId: p.aspectId, metric: p.metric, scaleOutThreshold: p.scaleOutThreshold, scaleInThreshold: p.scaleInThreshold, windowSeconds: p.windowSeconds, cooldownSeconds: p.cooldownSeconds,
      state: { attempts: p.firings, lastFiredAt: p.lastFiredAt?.toISOString() ?? null, exhaustedAt: null },
    };
  }
  return {
    ...common, maxAttempts: p.maxAttempts, backoffSeconds: p.backoffSeconds, ...(p.probe ? { probe: p.probe } : {}),
    state: { attempts: p.attempts, lastFiredAt: p.lastFiredAt?.toISOString() ?? null, exhaustedAt: p.exhaustedAt?.toISOString() ?? null },
  };
};

/**
 * Policies of an NS instance (auto-heal per VNF, from the descriptor or the default;
 * auto-scale per scaling policy a VNFD declares):
 * `GET /admin/v1/ns_instances/{id}/policies` lists them as they apply now, with their
 * firing state; `PUT .../policies/{policyId}` overrides `enabled`, `maxAttempts`,
 * `backoffSeconds` (auto-heal) or the thresholds, window and cooldown (auto-scale) for this instance (null returns a value to the descriptor's) and starts
 * a fresh run of attempts (how an exhausted policy heals again). `policyId` may also be the
 * VNF member id. 404 for an NS of another tenant, 422 `POLICY_UNKNOWN` for an unknown policy.
 * Present where monitoring runs (the policy engine runs beside the watchers).
 */
export const nsPolicyRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const policies = deps.services.monitoring?.policies.service;
  if (!policies) return;
  const { lifecycle } = deps.services;
  app.get(
    '/admin/v1/ns_instances/:nsInstanceId/policies',
    { config: { action: 'policy:read' }, schema: { tags, summary: 'The policies of an NS instance (auto-heal per VNF, auto-scale per declared scaling policy) and their firing state', params: NsParams, response: { 200: Type.Array(NsPolicySchema) } } },
    async (req) => {
      await lifecycle.getNs(req.params.nsInstanceId, { tenant: tenantFilter(callerOf(req)) });
      return (await policies.list(req.params.nsInstanceId)).map(toView);
    },
  );
  app.put(
    '/admin/v1/ns_instances/:nsInstanceId/policies/:policyId',
    {
      config: { action: 'policy:update' },
      schema: { tags, summary: 'Override a policy of an NS instance (enable, disable; cap and backoff, or thresholds, window and cooldown); its firing state starts afresh', params: PolicyParams, body: PolicyUpdate, response: { 200: NsPolicySchema } },
    },
    async (req) => {
      await lifecycle.getNs(req.params.nsInstanceId, { tenant: tenantFilter(callerOf(req)) });
      const set = await policies.set(req.params.nsInstanceId, req.params.policyId, req.body);
      // This process's auto-scale engine uses the new values at once (others within their policy TTL).
      deps.services.monitoring?.policies.scaleEngine.policiesChanged(req.params.nsInstanceId);
      return toView(set);
    },
  );
};
