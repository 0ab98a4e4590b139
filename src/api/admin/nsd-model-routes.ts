import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConflictError, CP_TYPES, NotFoundError, DESCRIPTOR_FORMATS, LINK_TYPES, SAP_TYPES } from '../../model/index.js';
import type { Nsd, Vnfd } from '../../model/index.js';
import type { NsdRecord, VnfdRecord } from '../../catalog/index.js';
import { assertVisible } from '../../auth/index.js';
import type { AuthContext } from '../../auth/index.js';
import { callerOf } from '../http/caller.js';
import type { RoutePluginOptions } from '../app-deps.js';
import { StringEnum } from '../http/schema-types.js';

const DescriptorRefSchema = Type.Object({ vendor: Type.String(), name: Type.String(), version: Type.String() });

/** A VNF's external CP (`client:input`) or a SAP (`input`). */
const CpRefSchema = Type.Union([
  Type.Object({ kind: Type.Literal('vnf'), vnfId: Type.String(), cp: Type.String() }),
  Type.Object({ kind: Type.Literal('sap'), sap: Type.String() }),
]);

/** The NSD as Rondo's descriptor model (`Nsd` of src/model), whatever format it came in. */
export const NsdModelSchema = Type.Object({
  descriptorId: Type.String(),
  ref: DescriptorRefSchema,
  format: StringEnum(DESCRIPTOR_FORMATS),
  description: Type.Optional(Type.String()),
  vnfs: Type.Array(Type.Object({
    vnfId: Type.String({ description: 'member id used in CP references' }),
    vnfd: Type.Union([DescriptorRefSchema, Type.Object({ descriptorId: Type.String() })]),
  })),
  saps: Type.Array(Type.Object({ id: Type.String(), type: StringEnum(SAP_TYPES) })),
  virtualLinks: Type.Array(Type.Object({
    id: Type.String(),
    type: StringEnum(LINK_TYPES),
    cpRefs: Type.Array(CpRefSchema),
    management: Type.Boolean({ description: 'the management network' }),
    externalNetwork: Type.Optional(Type.String({ description: 'an existing PoP network to attach to, by name' })),
  })),
  forwardingGraphs: Type.Array(Type.Object({
    id: Type.String(),
    paths: Type.Array(Type.Object({ id: Type.String(), hops: Type.Array(CpRefSchema, { description: 'in traffic order' }) })),
  })),
  deploymentFlavours: Type.Optional(Type.Array(Type.Object({ id: Type.String(), vnfIds: Type.Array(Type.String()) }))),
});

const ThresholdSchema = Type.Object({ operator: Type.String(), threshold: Type.Number() });

/** A VNFD as Rondo's descriptor model (`Vnfd` of src/model). */
export const VnfdModelSchema = Type.Object({
  descriptorId: Type.String(),
  ref: DescriptorRefSchema,
  format: StringEnum(DESCRIPTOR_FORMATS),
  description: Type.Optional(Type.String()),
  provider: Type.Optional(Type.String()),
  vdus: Type.Array(Type.Object({
    id: Type.String(),
    image: Type.String(),
    imageFormat: Type.String(),
    vcpus: Type.Number(),
    cpuBw: Type.Optional(Type.Number()),
    memoryMiB: Type.Number(),
    storageGiB: Type.Optional(Type.Number()),
    connectionPoints: Type.Array(Type.Object({ id: Type.String(), type: StringEnum(CP_TYPES), address: Type.Optional(Type.String()), internalLink: Type.Optional(Type.String()) })),
    env: Type.Optional(Type.Record(Type.String(), Type.String())),
    initialInstances: Type.Optional(Type.Integer()),
    maxInstances: Type.Optional(Type.Integer()),
    alternativeImages: Type.Optional(Type.Array(Type.Object({ vimType: Type.String(), image: Type.String() }))),
    imageChecksum: Type.Optional(Type.Object({ algorithm: Type.String(), hash: Type.String() })),
    userData: Type.Optional(Type.Object({ content: Type.String(), file: Type.Optional(Type.String()) }, { description: 'cloud-init user data' })),
  })),
  connectionPoints: Type.Array(Type.Object({ id: Type.String(), type: StringEnum(CP_TYPES), vdu: Type.String(), vduCp: Type.String() })),
  monitoringParameters: Type.Array(Type.Object({
    name: Type.String(), unit: Type.Optional(Type.String()), description: Type.Optional(Type.String()), id: Type.Optional(Type.String()), metric: Type.Optional(Type.String()), vdu: Type.Optional(Type.String()),
  })),
  scalingAspects: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.Optional(Type.String()),
    maxScaleLevel: Type.Integer(),
    deltas: Type.Record(Type.String(), Type.Integer()),
    triggers: Type.Optional(Type.Array(Type.Object({
      name: Type.String(), parameter: Type.String(), automatic: Type.Boolean(), scaleOut: Type.Optional(ThresholdSchema), scaleIn: Type.Optional(ThresholdSchema),
      cooldownSeconds: Type.Optional(Type.Number()), thresholdSeconds: Type.Optional(Type.Number()),
    }), { description: 'stored for day-2 policies; not acted on yet' })),
  })),
  startCommands: Type.Array(Type.String()),
  stopCommands: Type.Array(Type.String()),
  internalLinks: Type.Optional(Type.Array(Type.Object({ id: Type.String(), description: Type.Optional(Type.String()) }))),
  deploymentFlavours: Type.Optional(Type.Array(Type.Object({
    id: Type.String(),
    description: Type.Optional(Type.String()),
    vduProfiles: Type.Array(Type.Object({ vdu: Type.String(), minInstances: Type.Integer(), maxInstances: Type.Optional(Type.Integer()) })),
    instantiationLevels: Type.Array(Type.Object({ id: Type.String(), description: Type.Optional(Type.String()), vduInstances: Type.Record(Type.String(), Type.Integer()) })),
    defaultInstantiationLevel: Type.Optional(Type.String()),
    scalingAspects: Type.Array(Type.String()),
  }))),
  configPrimitives: Type.Optional(Type.Array(Type.Object({
    name: Type.String(),
    stage: StringEnum(['initial', 'on-demand', 'terminate'] as const),
    vdu: Type.Optional(Type.String()),
    order: Type.Optional(Type.Integer()),
    parameters: Type.Array(Type.Object({ name: Type.String(), dataType: Type.Optional(Type.String()), value: Type.Optional(Type.String()) })),
    executionEnvironment: Type.Optional(Type.String({ description: 'what implements it (a Juju charm, a Helm chart); Rondo does not run it' })),
  }), { description: 'day-1 (initial) and day-2 (on-demand) configuration primitives: stored and listed, not run' })),
});

/** `GET /admin/v1/ns_descriptors/{nsdInfoId}/model`. */
export const NsdModelResponse = Type.Object({
  nsdInfoId: Type.String(),
  nsd: NsdModelSchema,
  vnfds: Type.Array(Type.Object({ vnfPkgId: Type.String(), vnfd: VnfdModelSchema }), { description: "the VNFDs the NSD's members use" }),
});
export type NsdModelResponse = Static<typeof NsdModelResponse>;

const NsdInfoIdParams = Type.Object({ nsdInfoId: Type.String({ minLength: 1, maxLength: 128 }) });

/** `T` with every property and array readonly, as the model types are. */
type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** Casts a model to a schema's static type once the compiler saw it fits (readonly aside). */
const fitting = <S>() => <M extends DeepReadonly<S>>(m: M): S => m as unknown as S;

/** The NSD model without `source` (the original document, which `nsd_content` serves). */
function nsdModel(d: Nsd): Static<typeof NsdModelSchema> {
  const { source: _source, ...model } = d;
  return fitting<Static<typeof NsdModelSchema>>()(model);
}

/** The VNFD model without `source` (the original document, which `.../vnfd` serves). */
function vnfdModel(d: Vnfd): Static<typeof VnfdModelSchema> {
  const { source: _source, ...model } = d;
  return fitting<Static<typeof VnfdModelSchema>>()(model);
}

/** A VNFD deleted since (the catalog refuses that while an NSD uses it): left out. */
const gone = (e: unknown): null => {
  if (e instanceof NotFoundError) return null;
  throw e;
};

const tags = ['admin'];

/**
 * `/admin/v1/ns_descriptors/{nsdInfoId}/model`: the parsed descriptor model the catalog
 * keeps for an on-boarded NSD and its VNFDs, so clients (the dashboard's topology) need no
 * YAML or TOSCA reader of their own. Rondo-specific: SOL005 has no such resource. Tenant-
 * scoped like the SOL005 NSD reads: another tenant's NSD answers 404 like a missing one.
 */
export const nsdModelRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { deps }) => {
  const catalog = deps.services.catalog;

  /** The on-boarded NSD if `ctx` may see it; NotFoundError, or ConflictError before on-boarding. */
  const onboarded = async (ctx: AuthContext, id: string): Promise<NsdRecord & { descriptor: Nsd }> => {
    const n = await catalog.getNsd(id);
    assertVisible(ctx, n.tenant, 'NSD', id);
    if (n.onboardingState !== 'ONBOARDED' || !n.descriptor) {
      // As SOL005 §5.4.4.3.2 answers nsd_content of an NSD not ONBOARDED yet.
      throw new ConflictError(`NSD ${id} is ${n.onboardingState}; upload its content first`, { code: 'STATE_CONFLICT', details: { nsdOnboardingState: n.onboardingState } });
    }
    return n as NsdRecord & { descriptor: Nsd };
  };

  app.get(
    '/admin/v1/ns_descriptors/:nsdInfoId/model',
    {
      schema: { tags, summary: "An on-boarded NSD and its VNFDs as Rondo's descriptor model (any format)", params: NsdInfoIdParams, response: { 200: NsdModelResponse } },
      config: { action: 'nsd:read' },
    },
    async (request): Promise<NsdModelResponse> => {
      const ctx = callerOf(request);
      const n = await onboarded(ctx, request.params.nsdInfoId);
      const records = await Promise.all(n.vnfdIds.map((id) => catalog.getVnfPackage(id).catch(gone)));
      const vnfds = records.filter((r): r is VnfdRecord & { descriptor: Vnfd } => r?.descriptor != null && (ctx.isAdmin || r.tenant === ctx.tenant));
      return {
        nsdInfoId: n.id,
        nsd: nsdModel(n.descriptor),
        vnfds: vnfds.map((r) => ({ vnfPkgId: r.id, vnfd: vnfdModel(r.descriptor) })),
      };
    },
  );
};
