// Public face of package reading (SOL004 CSAR, 5GTANGO .tgo, SONATA .son): safe unzip,
// format detection, checksums, descriptor validation; and building packages from folders.
export type { PackageLimits } from './package-limits.js';
export { DEFAULT_PACKAGE_LIMITS, MAX_DESCRIPTOR_BYTES } from './package-limits.js';
export type { ReadPackageOptions } from './read-package.js';
export { readPackageFile, readDescriptorFile, readDescriptorFiles, readPackageEntry } from './read-package.js';
export { buildPackage } from './build-package.js';
export { NSD_CONTENT_TYPES, VNFD_CONTENT_TYPES } from './tango-package.js';
