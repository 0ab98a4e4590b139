import type { Kysely } from 'kysely';
import type { NsInstance, NsState } from '../model/index.js';
import { ConflictError, NotFoundError } from '../model/index.js';
import type { NsInstanceRepository } from '../lifecycle/index.js';
import type { Database } from './schema.js';
import { toNsInstance } from './runtime-rows.js';

/** NS instance records; implements the lifecycle's NsInstanceRepository port. */
export class SqlNsInstanceRepository implements NsInstanceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(ns: NsInstance): Promise<NsInstance> {
    const row = await this.db
      .insertInto('ns_instances')
      .values({ id: ns.id, name: ns.name, description: ns.description, nsd_id: ns.nsdId, nsd_info_id: ns.nsdInfoId, state: ns.state, tenant: ns.tenant, created_at: ns.createdAt, updated_at: ns.updatedAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toNsInstance(row);
  }

  async get(id: string): Promise<NsInstance | undefined> {
    const row = await this.db.selectFrom('ns_instances').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toNsInstance(row);
  }

  async list(filter: { readonly tenant?: string } = {}): Promise<NsInstance[]> {
    let q = this.db.selectFrom('ns_instances').selectAll().orderBy('created_at').orderBy('id');
    if (filter.tenant !== undefined) q = q.where('tenant', '=', filter.tenant);
    return (await q.execute()).map(toNsInstance);
  }

  /** Guarded state change: zero rows means someone else moved it (409). */
  async setState(id: string, expected: NsState, next: NsState, now: Date): Promise<NsInstance> {
    const row = await this.db
      .updateTable('ns_instances')
      .set({ state: next, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', expected)
      .returningAll()
      .executeTakeFirst();
    if (row) return toNsInstance(row);
    if (!(await this.get(id))) throw new NotFoundError('NS instance', id);
    throw new ConflictError(`NS instance ${id} is no longer ${expected}`, { code: 'NS_STATE_CHANGED', details: { id, expected } });
  }

  async delete(id: string, expected: NsState): Promise<void> {
    const r = await this.db.deleteFrom('ns_instances').where('id', '=', id).where('state', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) > 0) return;
    if (!(await this.get(id))) throw new NotFoundError('NS instance', id);
    throw new ConflictError(`NS instance ${id} is not ${expected}`, { code: 'NS_STATE_CONFLICT', details: { id, expected } });
  }
}
