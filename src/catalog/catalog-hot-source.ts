import { ConflictError, NotFoundError } from '../model/index.js';
import type { Nsd, Vnfd } from '../model/index.js';
import { translateModelVnfdToHot, translateVnfdToHot } from '../descriptors/etsi/hot/index.js';
import type { HotTranslateOptions } from '../descriptors/etsi/hot/index.js';
import type { HotBundle, HotSource } from '../lifecycle/index.js';
import { DEFAULT_TENANT } from './catalog-states.js';
import type { VnfdRecord } from './catalog-records.js';
import type { CatalogRepositories } from './catalog-store-port.js';

/** What {@link createCatalogHotSource} needs. */
export interface CatalogHotSourceDeps {
  /** The catalog tables (read only). */
  readonly repos: CatalogRepositories;
  /** Where an on-boarded package's file is (the catalog service's `packagePath`). */
  readonly packagePath: (packageId: string) => string;
  /** Reads one entry of a stored package (`readPackageEntry` of `src/packages`). */
  readonly readEntry: (path: string, entryPath: string) => Promise<Buffer>;
  /**
   * Translator options. Default: `flavors: 'resource'` (an `OS::Nova::Flavor` per VDU,
   * deleted with the stack; needs admin).
   */
  readonly translate?: HotTranslateOptions;
}

const TOSCA_FILE = /\.ya?ml$/i;

const sameRef = (vnfd: Vnfd, ref: Nsd['vnfs'][number]['vnfd']): boolean =>
  'descriptorId' in ref
    ? vnfd.descriptorId === ref.descriptorId
    : vnfd.ref.vendor === ref.vendor && vnfd.ref.name === ref.name && vnfd.ref.version === ref.version;

/**
 * The lifecycle's {@link HotSource} over the catalog: for each member it finds the
 * on-boarded VNFD record, reads the YAML files of its package (imports resolve inside the
 * package) and translates the VNFD file with `translateVnfdToHot`; a SOL006 VNFD is
 * translated from its stored model with `translateModelVnfdToHot` (no package read). Each
 * package is read once per call.
 * @throws NotFoundError (unknown NSD), ConflictError `PLAN_HOT_UNAVAILABLE` (a member's
 *   VNFD is neither SOL006 nor an on-boarded SOL001 VNFD from a package), PackageInvalidError
 *   `HOT_UNSUPPORTED`/`HOT_INPUT_INVALID` from the translator.
 */
export function createCatalogHotSource(deps: CatalogHotSourceDeps): HotSource {
  const unavailable = (vnfId: string, why: string): ConflictError =>
    new ConflictError(`no Heat template for VNF ${vnfId}: ${why}`, { code: 'PLAN_HOT_UNAVAILABLE', details: { vnfId } });

  const recordOf = async (vnfdIds: readonly string[], tenant: string, ref: Nsd['vnfs'][number]['vnfd']): Promise<VnfdRecord | undefined> => {
    const repo = deps.repos.vnfds;
    for (const id of vnfdIds) {
      const r = await repo.get(id);
      if (r?.descriptor && sameRef(r.descriptor, ref)) return r;
    }
    return repo.findOnboarded(tenant, ref);
  };

  const packageFiles = async (packageId: string): Promise<Map<string, string>> => {
    const pkg = await deps.repos.packages.get(packageId);
    if (!pkg) throw new NotFoundError('package', packageId);
    const files = new Map<string, string>();
    for (const f of pkg.files.filter((x) => TOSCA_FILE.test(x.path))) {
      files.set(f.path, (await deps.readEntry(deps.packagePath(packageId), f.path)).toString('utf8'));
    }
    return files;
  };

  return {
    async getHots(nsdInfoId, vnfIds) {
      const nsd = await deps.repos.nsds.get(nsdInfoId);
      if (!nsd?.descriptor) throw new NotFoundError('NSD', nsdInfoId);
      const byPackage = new Map<string, Promise<Map<string, string>>>();
      const out: Record<string, HotBundle> = {};
      for (const vnfId of vnfIds) {
        const member = nsd.descriptor.vnfs.find((m) => m.vnfId === vnfId);
        if (!member) throw unavailable(vnfId, `NSD ${nsdInfoId} has no such member`);
        const rec = await recordOf(nsd.vnfdIds, nsd.tenant ?? DEFAULT_TENANT, member.vnfd);
        if (rec?.descriptor && rec.format === 'sol006') {
          // No TOSCA topology to translate: the HOT comes from the model the SOL006 reader made.
          out[vnfId] = translateModelVnfdToHot(rec.descriptor, { flavors: deps.translate?.flavors ?? 'resource', ...(rec.file ? { file: rec.file } : {}) });
          continue;
        }
        if (!rec?.descriptor || !rec.packageId || !rec.file) throw unavailable(vnfId, 'its VNFD is not on-boarded from a package; on-board it first');
        if (rec.format !== 'etsi') throw unavailable(vnfId, `its VNFD is ${rec.format ?? 'unknown'}, and only SOL001 and SOL006 VNFDs translate to HOT; place it on a Docker PoP`);
        const packageId = rec.packageId;
        if (!byPackage.has(packageId)) byPackage.set(packageId, packageFiles(packageId));
        const files = await (byPackage.get(packageId) as Promise<Map<string, string>>);
        const { main, nested } = translateVnfdToHot(files, { flavors: 'resource', ...deps.translate, entry: rec.file });
        out[vnfId] = { main, nested };
      }
      return out;
    },
  };
}
