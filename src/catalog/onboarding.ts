import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PackageInvalidError } from '../model/index.js';
import type { Clock, IdGenerator, Nsd, NsdVnf, ParsedPackage, Vnfd } from '../model/index.js';
import type { DescriptorContent, NsdContent, NsdRecord, PackageRecord, VnfdRecord } from './catalog-records.js';
import type { CatalogStore } from './catalog-store-port.js';
import type { PackageReader } from './package-reader-port.js';
import type { UploadedFile } from './upload-receiver.js';

/** What one on-boarding created. */
export interface OnboardResult {
  readonly package: PackageRecord;
  readonly nsds: readonly NsdRecord[];
  readonly vnfds: readonly VnfdRecord[];
}

/** An existing SOL005 resource (in PROCESSING) that receives the package's first NSD or VNFD. */
export type OnboardTarget = { readonly kind: 'vnfd' | 'nsd'; readonly id: string };

/** What on-boarding needs from the composition root. */
export interface OnboardingDeps {
  readonly store: CatalogStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly reader: PackageReader;
  /** Owner of the package and of every descriptor it brings; external VNFDs resolve in it. */
  readonly tenant: string;
  /** Final path of a package file by id (`dataDir/packages/<id>.pkg`). */
  readonly packagePath: (id: string) => string;
}

/** Per upload: the name the client gave it, its content type, and the resource it fills. */
export interface OnboardOptions {
  readonly packageId: string;
  readonly fileName?: string;
  readonly contentType?: string;
  readonly target?: OnboardTarget;
  /** SOL005 `nsd_content`: a single YAML NSD is accepted as well as a zip. */
  readonly descriptorOnly?: boolean;
}

const refKey = (r: NsdVnf['vnfd']): string => ('descriptorId' in r ? `id:${r.descriptorId}` : `ref:${r.vendor}/${r.name}/${r.version}`);

/**
 * Validates an uploaded file and, in ONE transaction, inserts the package, its NSDs and
 * VNFDs, then moves the file to its final place before committing. Throws
 * PackageInvalidError (422) with every issue, ConflictError on a duplicate descriptor or
 * a target in the wrong state. On any failure nothing is stored: the transaction rolls
 * back and a file already moved is removed again. The caller removes the temp file.
 */
export async function onboardUpload(deps: OnboardingDeps, upload: UploadedFile, opts: OnboardOptions): Promise<OnboardResult> {
  const vnfdsInCatalog = deps.store.vnfds;
  const readOpts = {
    ...(opts.fileName ? { fileName: opts.fileName } : {}),
    resolveExternalVnfd: async (ref: NsdVnf['vnfd']) => (await vnfdsInCatalog.findOnboarded(deps.tenant, ref)) !== undefined,
    externalVnfd: async (ref: NsdVnf['vnfd']) => (await vnfdsInCatalog.findOnboarded(deps.tenant, ref))?.descriptor ?? undefined,
  };
  const read = opts.descriptorOnly
    ? await deps.reader.readDescriptorFile(upload.path, readOpts)
    : await deps.reader.readPackageFile(upload.path, readOpts);
  if (!read.ok) throw new PackageInvalidError(read.error);
  const parsed = read.value;
  requireTargetContent(parsed, opts);

  const finalPath = deps.packagePath(opts.packageId);
  let moved = false;
  try {
    return await deps.store.transaction(async (trx) => {
      const { packages, vnfds, nsds } = trx;
      const pkg = await packages.insert({
        id: opts.packageId,
        tenant: deps.tenant,
        format: parsed.format,
        vendor: parsed.ref.vendor,
        name: parsed.ref.name,
        version: parsed.ref.version,
        description: parsed.description ?? null,
        fileName: opts.fileName ?? null,
        contentType: opts.contentType ?? null,
        size: upload.size,
        sha1: upload.sha1,
        sha256: upload.sha256,
        files: parsed.files,
        metadata: parsed.metadata ?? null,
        createdAt: deps.clock.now(),
      });

      // The VNFDs, then the NSDs, each in one statement; ids are drawn in package order, as
      // the records are returned.
      const byRef = new Map<string, string>();
      const vnfdRecords: VnfdRecord[] = [];
      const newVnfds: { id: string; content: DescriptorContent; vnfd: Vnfd }[] = [];
      for (const [i, v] of parsed.vnfds.entries()) {
        const content = { packageId: pkg.id, tenant: deps.tenant, vendor: v.ref.vendor, name: v.ref.name, version: v.ref.version, format: v.format, file: v.file };
        if (i === 0 && opts.target?.kind === 'vnfd') vnfdRecords.push(await vnfds.completeOnboarding(opts.target.id, content, v));
        else newVnfds.push({ id: deps.ids.next(), content, vnfd: v });
      }
      if (newVnfds.length > 0) vnfdRecords.push(...(await vnfds.insertOnboardedMany(newVnfds)));
      parsed.vnfds.forEach((v, i) => {
        const id = (vnfdRecords[i] as VnfdRecord).id;
        byRef.set(refKey(v.ref), id);
        byRef.set(refKey({ descriptorId: v.descriptorId }), id);
      });

      const nsdRecords: NsdRecord[] = [];
      const newNsds: { id: string; content: NsdContent; nsd: Nsd }[] = [];
      for (const [i, n] of parsed.nsds.entries()) {
        const vnfdIds: string[] = [];
        for (const member of n.vnfs) {
          let id = byRef.get(refKey(member.vnfd));
          if (!id) id = (await vnfds.findOnboarded(deps.tenant, member.vnfd))?.id;
          // The reader already rejected references that resolve nowhere.
          if (id && !vnfdIds.includes(id)) vnfdIds.push(id);
        }
        const content = { packageId: pkg.id, tenant: deps.tenant, vendor: n.ref.vendor, name: n.ref.name, version: n.ref.version, format: n.format, file: n.file, vnfdIds };
        if (i === 0 && opts.target?.kind === 'nsd') nsdRecords.push(await nsds.completeOnboarding(opts.target.id, content, n));
        else newNsds.push({ id: deps.ids.next(), content, nsd: n });
      }
      if (newNsds.length > 0) nsdRecords.push(...(await nsds.insertOnboardedMany(newNsds)));

      await mkdir(dirname(finalPath), { recursive: true });
      await rename(upload.path, finalPath);
      moved = true;
      return { package: pkg, nsds: nsdRecords, vnfds: vnfdRecords };
    });
  } catch (e) {
    // The commit (or a statement after the move) failed: the file must not outlive its rows.
    if (moved) await rm(finalPath, { force: true });
    throw e;
  }
}

function requireTargetContent(parsed: ParsedPackage, opts: OnboardOptions): void {
  const file = opts.fileName ?? 'package';
  if (opts.target?.kind === 'vnfd' && parsed.vnfds.length === 0) {
    throw new PackageInvalidError([{ file, path: '', message: 'the package holds no VNFD; upload NS-only packages as nsd_content' }]);
  }
  if (opts.target?.kind === 'nsd' && parsed.nsds.length === 0) {
    throw new PackageInvalidError([{ file, path: '', message: 'the content holds no NSD; upload VNF packages to /vnfpkgm/v1/vnf_packages' }]);
  }
}
