import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { SubscriptionsTable } from './monitoring-schema.js';
import type { SubscriptionApi, SubscriptionRecord, SubscriptionRepository } from '../notify/index.js';

export type { SubscriptionRecord, SubscriptionRepository } from '../notify/index.js';

const toSubscription = (r: Selectable<SubscriptionsTable>): SubscriptionRecord => ({
  id: r.id,
  tenant: r.tenant,
  api: r.api,
  callbackUri: r.callback_uri,
  filter: r.filter,
  filterKey: r.filter_key,
  authSealed: r.auth_sealed,
  allTenants: r.all_tenants,
  createdAt: r.created_at,
});

const isUniqueViolation = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/** The subscription aggregate of the SOL005 NS LCM and NS FM APIs: notify's {@link SubscriptionRepository} port. */
export function subscriptionRepository(db: Kysely<Database>): SubscriptionRepository {
  const duplicate = (s: Pick<SubscriptionRecord, 'tenant' | 'api' | 'callbackUri' | 'filterKey'>) =>
    db
      .selectFrom('subscriptions')
      .selectAll()
      .where('tenant', '=', s.tenant)
      .where('api', '=', s.api)
      .where('callback_uri', '=', s.callbackUri)
      .where('filter_key', '=', s.filterKey)
      .executeTakeFirst();

  return {
    /** The existing subscription with the same tenant, API, callback and filter, if any. */
    async findDuplicate(s: Pick<SubscriptionRecord, 'tenant' | 'api' | 'callbackUri' | 'filterKey'>): Promise<SubscriptionRecord | undefined> {
      const row = await duplicate(s);
      return row && toSubscription(row);
    },

    /** Inserts; when an equal one exists (or wins a race), returns it with `created: false`. */
    async insert(s: SubscriptionRecord): Promise<{ subscription: SubscriptionRecord; created: boolean }> {
      try {
        const row = await db
          .insertInto('subscriptions')
          .values({
            id: s.id,
            tenant: s.tenant,
            api: s.api,
            callback_uri: s.callbackUri,
            filter: JSON.stringify(s.filter),
            filter_key: s.filterKey,
            auth_sealed: s.authSealed,
            all_tenants: s.allTenants,
            created_at: s.createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { subscription: toSubscription(row), created: true };
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        const existing = await duplicate(s);
        if (!existing) throw e;
        return { subscription: toSubscription(existing), created: false };
      }
    },

    /** The subscription of `api`, or undefined. */
    async get(api: SubscriptionApi, id: string): Promise<SubscriptionRecord | undefined> {
      const row = await db.selectFrom('subscriptions').selectAll().where('api', '=', api).where('id', '=', id).executeTakeFirst();
      return row && toSubscription(row);
    },

    /** Every subscription of `api` (of one tenant when given), oldest first. */
    async list(api: SubscriptionApi, tenant?: string): Promise<SubscriptionRecord[]> {
      let q = db.selectFrom('subscriptions').selectAll().where('api', '=', api);
      if (tenant !== undefined) q = q.where('tenant', '=', tenant);
      const rows = await q.orderBy('created_at').orderBy('id').execute();
      return rows.map(toSubscription);
    },

    /** The subscriptions of `api` that hear about an NS instance of `tenant`: that tenant's and admins'. */
    async listeners(api: SubscriptionApi, tenant: string): Promise<SubscriptionRecord[]> {
      const rows = await db
        .selectFrom('subscriptions')
        .selectAll()
        .where('api', '=', api)
        .where((eb) => eb.or([eb('tenant', '=', tenant), eb('all_tenants', '=', true)]))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toSubscription);
    },

    /** Deletes; true if it existed. */
    async delete(api: SubscriptionApi, id: string): Promise<boolean> {
      const r = await db.deleteFrom('subscriptions').where('api', '=', api).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
