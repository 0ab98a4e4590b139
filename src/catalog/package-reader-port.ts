import type { NsdVnf, ParsedPackage, Result, ValidationIssue, Vnfd } from '../model/index.js';

/** Options the catalog passes to a package reader. */
export interface ReadPackageOptions {
  /** The name the client gave the upload; used in issues instead of the temp path. */
  readonly fileName?: string;
  /** True when an NSD's VNF reference that is not in the package exists in the catalog. */
  readonly resolveExternalVnfd?: (ref: NsdVnf['vnfd']) => Promise<boolean>;
  /** The on-boarded VNFD an NSD's member names (its CPs are then checked too); undefined when unknown. */
  readonly externalVnfd?: (ref: NsdVnf['vnfd']) => Promise<Vnfd | undefined>;
}

/**
 * What the catalog needs from `src/packages`: the composition root passes the real
 * readers (`readPackageFile`, `readDescriptorFile`, `readPackageEntry`); the catalog
 * never reaches into the archive itself.
 */
export interface PackageReader {
  /** Reads and validates a package (5GTANGO/SONATA or SOL004 CSAR). */
  readPackageFile(path: string, opts?: ReadPackageOptions): Promise<Result<ParsedPackage, ValidationIssue[]>>;
  /** Reads SOL005 `nsd_content`: a zip or one YAML document. */
  readDescriptorFile(path: string, opts?: ReadPackageOptions): Promise<Result<ParsedPackage, ValidationIssue[]>>;
  /** One file of a stored package; throws NotFoundError when it is not there. */
  readPackageEntry(path: string, entryPath: string): Promise<Buffer>;
}
