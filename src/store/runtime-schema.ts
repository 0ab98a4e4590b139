/** Tables of the runtime (VIM accounts, NS/VNF instances, operations, steps, IPAM). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RuntimeTables {}
