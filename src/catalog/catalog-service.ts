import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import { DEFAULT_TENANT } from './catalog-states.js';
import type { OperationalState } from './catalog-states.js';
import type { NsdRecord, PackageRecord, VnfdRecord } from './catalog-records.js';
import type { CatalogStore, PackageRepository } from './catalog-store-port.js';
import type { PackageReader } from './package-reader-port.js';
import { receiveUpload } from './upload-receiver.js';
import type { UploadedFile } from './upload-receiver.js';
import { onboardUpload } from './onboarding.js';
import type { OnboardResult } from './onboarding.js';
import { onboardingFailure } from './onboarding-failure.js';

/** What the catalog service is built from (the composition root passes these). */
export interface CatalogDeps {
  /** The catalog tables (`catalogStore(db, now)` of `src/store`). */
  readonly store: CatalogStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly reader: PackageReader;
  /** Uploads go to `dataDir/tmp`, on-boarded packages to `dataDir/packages`. */
  readonly dataDir: string;
  readonly maxUploadBytes: number;
}

/** One upload as the API hands it over. */
export interface UploadInput {
  readonly source: Readable;
  readonly fileName?: string;
  readonly contentType?: string;
  readonly declaredBytes?: number;
  /** Called once the bytes are on disk (5GTANGO reports size and sha1 even on failure). */
  readonly onReceived?: (u: UploadedFile) => void;
}

/** A package with the descriptors it brought. */
export type PackageView = OnboardResult;

/**
 * Which tenants' records a read may see: one tenant, or every tenant (`undefined`, for
 * admins; see `tenantFilter` in `src/auth`). Single-record reads return any tenant's
 * record: the API checks ownership (`assertVisible`) so another tenant's answers 404.
 */
export type TenantScope = string | undefined;

/** A merge-patch of a VnfPkgInfo or NsdInfo (SOL005 VnfPkgInfoModifications / NsdInfoModifications). */
export interface DescriptorPatch {
  readonly operationalState?: OperationalState;
  readonly userDefinedData?: Record<string, unknown>;
}

/**
 * The catalog: on-boarding, SOL005 resources (VnfPkgInfo = VNFD row, NsdInfo = NSD row),
 * Rondo's package view, and usage counting for the NS lifecycle. Everything created
 * belongs to a tenant (`default` unless told); lists take a {@link TenantScope}.
 */
export function createCatalogService(deps: CatalogDeps) {
  const tmpDir = join(deps.dataDir, 'tmp');
  const packagePath = (id: string) => join(deps.dataDir, 'packages', `${id}.pkg`);
  const onboardingDeps = (tenant: string) => ({ store: deps.store, clock: deps.clock, ids: deps.ids, reader: deps.reader, tenant, packagePath });
  const packages = () => deps.store.packages;
  const vnfds = () => deps.store.vnfds;
  const nsds = () => deps.store.nsds;

  const receive = async (input: UploadInput, name: string): Promise<UploadedFile> => {
    const upload = await receiveUpload(input.source, {
      dir: tmpDir,
      name,
      maxBytes: deps.maxUploadBytes,
      ...(input.declaredBytes !== undefined ? { declaredBytes: input.declaredBytes } : {}),
    });
    input.onReceived?.(upload);
    return upload;
  };
  // Issues name the client's file name, never the temp file ("package" when it gave none).
  const meta = (input: UploadInput) => ({
    fileName: input.fileName || 'package',
    ...(input.contentType ? { contentType: input.contentType } : {}),
  });

  /** Removes a package file whose rows are gone; a leftover file is harmless, so errors are ignored. */
  const dropFile = (id: string) => rm(packagePath(id), { force: true });

  /** Deletes the package row (and then its file) when its last descriptor is gone. */
  const collectPackage = async (pkgs: PackageRepository, packageId: string | null): Promise<string | null> =>
    packageId && (await pkgs.deleteIfUnreferenced(packageId)) ? packageId : null;

  /** SOL005 content upload: CREATED → UPLOADING → PROCESSING → ONBOARDED, or ERROR with details. */
  const uploadContent = async (kind: 'vnfd' | 'nsd', id: string, input: UploadInput): Promise<OnboardResult> => {
    const repo = kind === 'vnfd' ? vnfds() : nsds();
    // The package and the descriptors it brings belong to the resource's tenant.
    const owner = (await repo.get(id))?.tenant ?? DEFAULT_TENANT;
    await repo.moveOnboarding(id, ['CREATED'], 'UPLOADING');
    const packageId = deps.ids.next();
    let upload: UploadedFile | undefined;
    try {
      upload = await receive(input, packageId);
      await repo.moveOnboarding(id, ['UPLOADING'], 'PROCESSING');
      return await onboardUpload(onboardingDeps(owner), upload, { packageId, ...meta(input), target: { kind, id }, descriptorOnly: kind === 'nsd' });
    } catch (e) {
      await repo.moveOnboarding(id, ['UPLOADING', 'PROCESSING'], 'ERROR', onboardingFailure(e)).catch(() => undefined);
      throw e;
    } finally {
      if (upload) await rm(upload.path, { force: true });
    }
  };

  return {
    /** Path of an on-boarded package's file. */
    packagePath,

    /**
     * The stored file of a package: where it is, whether it is a zip, a tar.gz (an OSM
     * package) or neither (a bare YAML/JSON descriptor), and its media type.
     */
    async packageFile(packageId: string): Promise<{ path: string; isZip: boolean; isTarGz: boolean; mediaType: string; size: number }> {
      const path = packagePath(packageId);
      const fh = await open(path, 'r').catch((e: unknown) => {
        throw new NotFoundError('package file', packageId, { cause: e });
      });
      try {
        const head = Buffer.alloc(4);
        await fh.read(head, 0, 4, 0);
        const isZip = head.readUInt32LE(0) === 0x04034b50;
        const isTarGz = head[0] === 0x1f && head[1] === 0x8b;
        const mediaType = isZip ? 'application/zip' : isTarGz ? 'application/gzip' : 'text/plain; charset=utf-8';
        return { path, isZip, isTarGz, mediaType, size: (await fh.stat()).size };
      } finally {
        await fh.close();
      }
    },

    /** Reads one file of an on-boarded package; NotFoundError when absent. */
    async readEntry(packageId: string, entryPath: string): Promise<Buffer> {
      return deps.reader.readPackageEntry(packagePath(packageId), entryPath);
    },

    /**
     * Receives and on-boards a whole package (5GTANGO `/packages`, admin API) for
     * `tenant`. Throws PayloadTooLargeError, BadRequestError (empty),
     * PackageInvalidError, ConflictError; on failure nothing is stored and no file is left.
     */
    async onboard(input: UploadInput, tenant: string = DEFAULT_TENANT): Promise<OnboardResult> {
      const packageId = deps.ids.next();
      const upload = await receive(input, packageId);
      try {
        return await onboardUpload(onboardingDeps(tenant), upload, { packageId, ...meta(input) });
      } finally {
        await rm(upload.path, { force: true });
      }
    },

    /** SOL005 POST vnf_packages: a new VnfPkgInfo of `tenant` in CREATED. */
    createVnfPackage: (userDefinedData: Record<string, unknown> = {}, tenant: string = DEFAULT_TENANT) => vnfds().create(deps.ids.next(), userDefinedData, tenant),
    /** SOL005 POST ns_descriptors: a new NsdInfo of `tenant` in CREATED. */
    createNsd: (userDefinedData: Record<string, unknown> = {}, tenant: string = DEFAULT_TENANT) => nsds().create(deps.ids.next(), userDefinedData, tenant),

    /** SOL005 PUT package_content. ConflictError unless CREATED. */
    uploadVnfPackageContent: (id: string, input: UploadInput) => uploadContent('vnfd', id, input),
    /** SOL005 PUT nsd_content. ConflictError unless CREATED. */
    uploadNsdContent: (id: string, input: UploadInput) => uploadContent('nsd', id, input),

    /** A VnfPkgInfo of any tenant (its `tenant` tells whose); NotFoundError when absent. */
    async getVnfPackage(id: string): Promise<VnfdRecord> {
      const r = await vnfds().get(id);
      if (!r) throw new NotFoundError('VNF package', id);
      return r;
    },
    /** An NsdInfo of any tenant (its `tenant` tells whose); NotFoundError when absent. */
    async getNsd(id: string): Promise<NsdRecord> {
      const r = await nsds().get(id);
      if (!r) throw new NotFoundError('NSD', id);
      return r;
    },
    /** VnfPkgInfos of the scope's tenant (every tenant's when undefined). */
    listVnfPackages: (scope: TenantScope) => vnfds().list(scope),
    /** NsdInfos of the scope's tenant (every tenant's when undefined). */
    listNsds: (scope: TenantScope) => nsds().list(scope),

    /** SOL005 PATCH: operationalState (only when ONBOARDED) and merged userDefinedData. */
    async patchVnfPackage(id: string, patch: DescriptorPatch): Promise<VnfdRecord> {
      return patchDescriptor(deps.store, 'vnfd', id, patch);
    },
    async patchNsd(id: string, patch: DescriptorPatch): Promise<NsdRecord> {
      return patchDescriptor(deps.store, 'nsd', id, patch);
    },

    /**
     * SOL005 DELETE vnf_packages/{id}: only DISABLED and NOT_IN_USE (§9.4.3.3.5), and not
     * while an NSD still uses the VNFD. The package file goes with its last descriptor.
     */
    async deleteVnfPackage(id: string): Promise<void> {
      const dropped = await deps.store.transaction(async (trx) => {
        // State first (the SOL005 rule), then references; a throw rolls the delete back.
        const row = await trx.vnfds.deleteGuarded(id, true);
        const users = await trx.vnfds.referencingNsds(id);
        if (users.length > 0) {
          throw new ConflictError(`VNF package ${id} is used by NSD ${users.join(', ')}; delete those NSDs first`, { code: 'VNFD_REFERENCED', details: { nsdInfoIds: users } });
        }
        return collectPackage(trx.packages, row.package_id);
      });
      if (dropped) await dropFile(dropped);
    },
    /** SOL005 DELETE ns_descriptors/{id}: only DISABLED and NOT_IN_USE (§5.4.2.3.5). */
    async deleteNsd(id: string): Promise<void> {
      const dropped = await deps.store.transaction(async (trx) => {
        const row = await trx.nsds.deleteGuarded(id, true);
        return collectPackage(trx.packages, row.package_id);
      });
      if (dropped) await dropFile(dropped);
    },

    /** Rondo's package view: every on-boarded package of the scope with its descriptors. */
    async listPackages(scope: TenantScope): Promise<PackageView[]> {
      const [pkgs, allNsds, allVnfds] = await Promise.all([packages().list(scope), nsds().list(scope), vnfds().list(scope)]);
      return pkgs.map((p) => ({ package: p, nsds: allNsds.filter((n) => n.packageId === p.id), vnfds: allVnfds.filter((v) => v.packageId === p.id) }));
    },
    /** One package of any tenant with its descriptors; NotFoundError when absent. */
    async getPackage(id: string): Promise<PackageView> {
      const p = await packages().get(id);
      if (!p) throw new NotFoundError('package', id);
      const [n, v] = await Promise.all([nsds().listByPackage(id), vnfds().listByPackage(id)]);
      return { package: p, nsds: n, vnfds: v };
    },
    /**
     * Deletes a package with all its descriptors, in one transaction. ConflictError when
     * one is IN_USE or another package's NSD uses one of its VNFDs.
     */
    async deletePackage(id: string): Promise<PackageRecord> {
      const pkg = await deps.store.transaction(async (trx) => {
        const p = await trx.packages.get(id);
        if (!p) throw new NotFoundError('package', id);
        const v = trx.vnfds;
        const n = trx.nsds;
        for (const nsd of await n.listByPackage(id)) await n.deleteGuarded(nsd.id, false);
        for (const vnfd of await v.listByPackage(id)) {
          const users = await v.referencingNsds(vnfd.id, id);
          if (users.length > 0) {
            throw new ConflictError(`VNFD ${vnfd.id} of package ${id} is used by NSD ${users.join(', ')}; delete those first`, { code: 'VNFD_REFERENCED', details: { nsdInfoIds: users } });
          }
          await v.deleteGuarded(vnfd.id, false);
        }
        await collectPackage(trx.packages, id);
        return p;
      });
      await dropFile(id);
      return pkg;
    },
  };
}

/** The catalog service's type. */
export type CatalogService = ReturnType<typeof createCatalogService>;

async function patchDescriptor<K extends 'vnfd' | 'nsd'>(
  store: CatalogStore,
  kind: K,
  id: string,
  patch: DescriptorPatch,
): Promise<K extends 'vnfd' ? VnfdRecord : NsdRecord> {
  return store.transaction(async (trx) => {
    const repo = kind === 'vnfd' ? trx.vnfds : trx.nsds;
    const current = await repo.get(id);
    if (!current) throw new NotFoundError(kind === 'vnfd' ? 'VNF package' : 'NSD', id);
    if (patch.operationalState && patch.operationalState !== current.operationalState) await repo.setOperational(id, patch.operationalState);
    else if (patch.operationalState) {
      // SOL005 §9.4.3.3.4: 409 when the package is already in the requested state.
      throw new ConflictError(`already ${patch.operationalState}`, { code: 'STATE_CONFLICT', details: { operationalState: current.operationalState } });
    }
    if (patch.userDefinedData) await repo.setUserDefinedData(id, mergePatch(current.userDefinedData, patch.userDefinedData));
    return (await repo.get(id)) as K extends 'vnfd' ? VnfdRecord : NsdRecord;
  });
}

/** RFC 7396 JSON merge patch of plain objects (null removes a key). */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null && !Array.isArray(out[k])) {
      out[k] = mergePatch(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}
