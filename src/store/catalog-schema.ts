/** Tables of the catalog (packages, NSDs, VNFDs). Filled in by the catalog work. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CatalogTables {}
