import { Type } from 'typebox';
import type { Static } from 'typebox';
import { ONBOARDING_STATES, OPERATIONAL_STATES, USAGE_STATES } from '../../../catalog/index.js';
import type { NsdRecord } from '../../../catalog/index.js';
import { KeyValuePairs, Link, ProblemDetailsSchema, StringEnum } from '../../http/schema-types.js';

/** SOL005 v3.x NsdInfo, attribute names byte-for-byte. */
export const NsdInfoSchema = Type.Object({
  id: Type.String(),
  nsdId: Type.Optional(Type.String()),
  nsdName: Type.Optional(Type.String()),
  nsdVersion: Type.Optional(Type.String()),
  nsdDesigner: Type.Optional(Type.String()),
  nsdInvariantId: Type.Optional(Type.String()),
  vnfPkgIds: Type.Array(Type.String()),
  pnfdInfoIds: Type.Array(Type.String()),
  nestedNsdInfoIds: Type.Array(Type.String()),
  nsdOnboardingState: StringEnum(ONBOARDING_STATES),
  onboardingFailureDetails: Type.Optional(ProblemDetailsSchema),
  nsdOperationalState: StringEnum(OPERATIONAL_STATES),
  nsdUsageState: StringEnum(USAGE_STATES),
  userDefinedData: Type.Optional(KeyValuePairs),
  _links: Type.Object({ self: Link, nsd_content: Link }),
});
export type NsdInfo = Static<typeof NsdInfoSchema>;

/** Attributes a filter may name. */
export const NSD_ATTRIBUTES = new Set(Object.keys(NsdInfoSchema.properties));
/** SOL005 §5.4.2.3.2: left out of lists unless selected. */
export const NSD_DEFAULT_EXCLUDED = ['userDefinedData', 'onboardingFailureDetails'] as const;

/** SOL005 CreateNsdInfoRequest. */
export const CreateNsdInfoRequest = Type.Object({ userDefinedData: Type.Optional(KeyValuePairs) }, { additionalProperties: false });

/** SOL005 NsdInfoModifications (a JSON merge patch). */
export const NsdInfoModifications = Type.Object(
  { nsdOperationalState: Type.Optional(StringEnum(OPERATIONAL_STATES)), userDefinedData: Type.Optional(KeyValuePairs) },
  { additionalProperties: false, minProperties: 1 },
);

/** Maps an NSD row to an NsdInfo; `base` is the URL prefix for `_links`. */
export function toNsdInfo(n: NsdRecord, base: string): NsdInfo {
  const self = `${base}/nsd/v1/ns_descriptors/${n.id}`;
  // SOL005 attribute order (the serializer still emits required attributes first).
  return {
    id: n.id,
    ...(n.descriptor
      ? {
          nsdId: n.nsdId ?? n.descriptor.descriptorId,
          nsdName: n.name ?? '',
          nsdVersion: n.version ?? '',
          nsdDesigner: n.designer ?? n.vendor ?? '',
          nsdInvariantId: n.invariantId ?? '',
        }
      : {}),
    vnfPkgIds: [...n.vnfdIds],
    pnfdInfoIds: [],
    nestedNsdInfoIds: [],
    nsdOnboardingState: n.onboardingState,
    ...(n.failureDetails ? { onboardingFailureDetails: n.failureDetails as NonNullable<NsdInfo['onboardingFailureDetails']> } : {}),
    nsdOperationalState: n.operationalState,
    nsdUsageState: n.usageState,
    userDefinedData: n.userDefinedData,
    _links: { self: { href: self }, nsd_content: { href: `${self}/nsd_content` } },
  };
}
