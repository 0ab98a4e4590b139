import type { Kysely } from 'kysely';
import type { Clock } from '../model/index.js';
import type { LifecycleRepositories } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { SqlIpAllocationRepository } from './ip-allocation-repository.js';
import { SqlNsInstanceRepository } from './ns-instance-repository.js';
import { SqlOpOccRepository } from './op-occ-repository.js';
import { SqlOpStepRepository } from './op-step-repository.js';
import { SqlVnfInstanceRepository } from './vnf-instance-repository.js';

/** Every repository the lifecycle needs, over one Kysely instance or transaction (the composition root calls this). */
export function createRuntimeRepositories(db: Kysely<Database>, clock?: Clock): LifecycleRepositories {
  const repos: LifecycleRepositories = {
    nsInstances: new SqlNsInstanceRepository(db),
    vnfInstances: new SqlVnfInstanceRepository(db),
    opOccs: new SqlOpOccRepository(db),
    opSteps: new SqlOpStepRepository(db),
    subnets: new SqlIpAllocationRepository(db, clock),
    transaction: (work) => (db.isTransaction ? work(repos) : db.transaction().execute((trx) => work(createRuntimeRepositories(trx, clock)))),
  };
  return repos;
}
