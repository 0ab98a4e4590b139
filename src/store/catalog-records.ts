// The catalog owns its records (its store port); re-exported for the repositories.
export type * from '../catalog/catalog-records.js';
