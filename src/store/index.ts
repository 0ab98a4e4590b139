export { openStore, migrate, pingStore } from './db.js';
export type { Store, StoreTarget } from './db.js';
export type { Database } from './schema.js';
