import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RondoError } from '../../model/index.js';
import { RECONCILE_RESOURCE_KINDS } from '../../lifecycle/index.js';
import type { ReconcileReport } from '../../lifecycle/index.js';
import type { AppServices, RoutePluginOptions } from '../app-deps.js';
import { StringEnum } from '../http/schema-types.js';

const tags = ['admin'];

const OrphanSchema = Type.Object({
  pop: Type.String(), kind: StringEnum(RECONCILE_RESOURCE_KINDS), id: Type.String(), name: Type.String(), ns: Type.String(),
  reason: StringEnum(['NS_UNKNOWN', 'NS_NOT_INSTANTIATED'] as const),
});
const VanishedSchema = Type.Object({
  nsInstanceId: Type.String(), vnfInstanceId: Type.String(), memberId: Type.String(), popId: Type.String(), missingComputeIds: Type.Array(Type.String()),
});

/** The answer of `POST /admin/v1/reconcile`. */
export const ReconcileReportSchema = Type.Object({
  startedAt: Type.String(),
  finishedAt: Type.String(),
  dryRun: Type.Boolean(),
  orphans: Type.Array(OrphanSchema),
  removed: Type.Integer({ description: 'Orphans deleted (0 on a dry run)' }),
  vanished: Type.Array(VanishedSchema, { description: 'VNFs whose computes are gone, marked FAILED (on a dry run: would be)' }),
  errors: Type.Array(Type.Object({ pop: Type.String(), code: Type.String(), message: Type.String() })),
});

/** What this plugin needs from the services: the composition root adds `reconciler` when it wires one. */
type ReconcileServices = AppServices & { readonly reconciler?: { runOnce(opts: { dryRun?: boolean }): Promise<ReconcileReport> } };

/**
 * `POST /admin/v1/reconcile[?dry_run=true]`: one reconciliation pass now (see
 * `Reconciler`). 503 `RECONCILER_DISABLED` when the server runs without one. A pass spans
 * every tenant's NS instances and every PoP, so it is no tenant's resource: the policy
 * (`reconcile:run`, admins by default) is its only gate, and the report names NS ids of
 * all tenants — keep the rule admin-only.
 */
export const reconcileRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  app.post(
    '/admin/v1/reconcile',
    {
      config: { action: 'reconcile:run' },
      schema: {
        tags,
        summary: 'Compare the PoPs with the records: report (and unless dry_run remove) orphaned resources, mark VNFs whose computes vanished',
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }),
        response: { 200: ReconcileReportSchema },
      },
    },
    async (request) => {
      const reconciler = (deps.services as ReconcileServices).reconciler;
      if (!reconciler) throw new RondoError('RECONCILER_DISABLED', 'this server runs no reconciler; call a server with role api or all');
      const r = await reconciler.runOnce({ dryRun: request.query.dry_run === true });
      return { ...r, orphans: [...r.orphans], vanished: r.vanished.map((v) => ({ ...v, missingComputeIds: [...v.missingComputeIds] })), errors: [...r.errors] };
    },
  );
};
