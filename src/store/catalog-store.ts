// Public face of the catalog part of the store (until src/store/index.ts re-exports it).
export * from './catalog-states.js';
export type * from './catalog-records.js';
export { packageRepository } from './package-repository.js';
export type { PackageRepository } from './package-repository.js';
export { vnfdRepository } from './vnfd-repository.js';
export type { VnfdRepository } from './vnfd-repository.js';
export { nsdRepository } from './nsd-repository.js';
export type { NsdRepository } from './nsd-repository.js';
