import { Type } from 'typebox';
import type { Static } from 'typebox';
import { ONBOARDING_STATES, OPERATIONAL_STATES, USAGE_STATES } from '../../../catalog/index.js';
import type { PackageRecord, VnfdRecord } from '../../../catalog/index.js';
import { KeyValuePairs, Link, ProblemDetailsSchema, StringEnum } from '../../http/schema-types.js';

const Checksum = Type.Object({ algorithm: Type.String(), hash: Type.String() });

/** SOL005 VnfPackageSoftwareImageInfo (the fields Rondo knows for its VDU images). */
const SoftwareImage = Type.Object({
  id: Type.String(),
  name: Type.String(),
  provider: Type.String(),
  version: Type.String(),
  checksum: Checksum,
  containerFormat: Type.String(),
  diskFormat: Type.String(),
  createdAt: Type.String(),
  minDisk: Type.Integer(),
  minRam: Type.Integer(),
  size: Type.Integer(),
  imagePath: Type.String(),
});

/** SOL005 VnfPackageArtifactInfo. */
const ArtifactInfo = Type.Object({ artifactPath: Type.String(), checksum: Checksum, metadata: Type.Optional(KeyValuePairs) });

/** SOL005 v3.x VnfPkgInfo, attribute names byte-for-byte. */
export const VnfPkgInfoSchema = Type.Object({
  id: Type.String(),
  vnfdId: Type.Optional(Type.String()),
  vnfProvider: Type.Optional(Type.String()),
  vnfProductName: Type.Optional(Type.String()),
  vnfSoftwareVersion: Type.Optional(Type.String()),
  vnfdVersion: Type.Optional(Type.String()),
  checksum: Type.Optional(Checksum),
  softwareImages: Type.Optional(Type.Array(SoftwareImage)),
  additionalArtifacts: Type.Optional(Type.Array(ArtifactInfo)),
  onboardingState: StringEnum(ONBOARDING_STATES),
  operationalState: StringEnum(OPERATIONAL_STATES),
  usageState: StringEnum(USAGE_STATES),
  onboardingFailureDetails: Type.Optional(ProblemDetailsSchema),
  userDefinedData: Type.Optional(KeyValuePairs),
  _links: Type.Object({ self: Link, vnfd: Type.Optional(Link), packageContent: Link }),
});
export type VnfPkgInfo = Static<typeof VnfPkgInfoSchema>;

/** Attributes a filter may name. */
export const VNF_PKG_ATTRIBUTES = new Set(Object.keys(VnfPkgInfoSchema.properties));
/** SOL005 §9.4.2.3.2: left out of lists unless selected. */
export const VNF_PKG_DEFAULT_EXCLUDED = ['softwareImages', 'additionalArtifacts', 'userDefinedData', 'checksum', 'onboardingFailureDetails'] as const;

/** SOL005 CreateVnfPkgInfoRequest. */
export const CreateVnfPkgInfoRequest = Type.Object({ userDefinedData: Type.Optional(KeyValuePairs) }, { additionalProperties: false });

/** SOL005 VnfPkgInfoModifications (a JSON merge patch). */
export const VnfPkgInfoModifications = Type.Object(
  { operationalState: Type.Optional(StringEnum(OPERATIONAL_STATES)), userDefinedData: Type.Optional(KeyValuePairs) },
  { additionalProperties: false, minProperties: 1 },
);

/**
 * Maps a VNFD row (and its package, once on-boarded) to a VnfPkgInfo. `base` is the URL
 * prefix for `_links`.
 */
export function toVnfPkgInfo(v: VnfdRecord, pkg: PackageRecord | undefined, base: string): VnfPkgInfo {
  const self = `${base}/vnfpkgm/v1/vnf_packages/${v.id}`;
  const d = pkg ? v.descriptor : null;
  const provider = v.provider ?? v.vendor ?? '';
  // SOL005 attribute order (the serializer still emits required attributes first).
  return {
    id: v.id,
    ...(d && pkg
      ? {
          vnfdId: v.vnfdId ?? d.descriptorId,
          vnfProvider: provider,
          vnfProductName: v.name ?? '',
          vnfSoftwareVersion: v.version ?? '',
          vnfdVersion: v.version ?? '',
          checksum: { algorithm: 'SHA-256', hash: pkg.sha256 },
          softwareImages: d.vdus.map((vdu) => ({
            id: vdu.id,
            name: vdu.image,
            provider,
            version: vdu.image.includes(':') ? (vdu.image.split(':').pop() as string) : 'latest',
            // The image lives in a registry or the VIM, not in the package: no checksum to give.
            checksum: { algorithm: 'SHA-256', hash: '' },
            containerFormat: vdu.imageFormat === 'docker' ? 'DOCKER' : 'BARE',
            diskFormat: vdu.imageFormat === 'docker' ? 'RAW' : vdu.imageFormat.toUpperCase(),
            createdAt: pkg.createdAt.toISOString(),
            minDisk: vdu.storageGiB ?? 0,
            minRam: vdu.memoryMiB,
            size: 0,
            imagePath: vdu.image,
          })),
          additionalArtifacts: pkg.files
            .filter((f) => f.path !== v.file)
            .map((f) => ({ artifactPath: f.path, checksum: { algorithm: 'SHA-256', hash: f.sha256 }, ...(f.contentType ? { metadata: { contentType: f.contentType } } : {}) })),
        }
      : {}),
    onboardingState: v.onboardingState,
    operationalState: v.operationalState,
    usageState: v.usageState,
    ...(v.failureDetails ? { onboardingFailureDetails: v.failureDetails as NonNullable<VnfPkgInfo['onboardingFailureDetails']> } : {}),
    userDefinedData: v.userDefinedData,
    _links: {
      self: { href: self },
      ...(d ? { vnfd: { href: `${self}/vnfd` } } : {}),
      packageContent: { href: `${self}/package_content` },
    },
  };
}
