// Public face of package reading (SOL004 CSAR, 5GTANGO .tgo, SONATA .son, OSM SOL006
// folders and .tar.gz): safe unzip/untar, format detection, checksums, descriptor
// validation; and building packages from folders.
export type { PackageLimits } from './package-limits.js';
export { DEFAULT_PACKAGE_LIMITS, MAX_DESCRIPTOR_BYTES } from './package-limits.js';
export type { ReadPackageOptions } from './read-package.js';
export { readPackageFile, readDescriptorFile, readDescriptorFiles, readPackageEntry } from './read-package.js';
export { buildPackage, isSol006Folder } from './build-package.js';
export { packFolderTarGz, tarGz } from './tar-writer.js';
export type { TarFile } from './tar-writer.js';
export { isGzip } from './safe-tar.js';
export { NSD_CONTENT_TYPES, VNFD_CONTENT_TYPES } from './tango-package.js';
