import type { Kysely } from 'kysely';
import type { CatalogRepositories, CatalogStore } from '../catalog/index.js';
import type { Database } from './schema.js';
import { nsdRepository } from './nsd-repository.js';
import { packageRepository } from './package-repository.js';
import { vnfdRepository } from './vnfd-repository.js';

/** The catalog's repositories over `db` (a connection or a transaction); `now` stamps changes. */
export function catalogRepositories(db: Kysely<Database>, now: () => Date = () => new Date()): CatalogRepositories {
  return { packages: packageRepository(db), vnfds: vnfdRepository(db, now), nsds: nsdRepository(db, now) };
}

/** The catalog's store port: its repositories, and transactions over them. */
export function catalogStore(db: Kysely<Database>, now: () => Date = () => new Date()): CatalogStore {
  return {
    ...catalogRepositories(db, now),
    transaction: (work) => db.transaction().execute((trx) => work(catalogRepositories(trx, now))),
  };
}
