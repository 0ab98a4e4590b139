import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { HandledEvents, OutboxEvent, OutboxStore } from '../bus/index.js';
import type { Database } from './schema.js';
import { isoMillis } from './list-conditions.js';

/**
 * The outbox for the relay (`src/bus/outbox-relay.ts`). A pass is one transaction: a
 * transaction-level advisory lock, keyed by the schema so deployments (and test files)
 * sharing a server do not wait for each other, lets one relay at a time read the unsent
 * rows in `seq` order, publish them and mark them sent. A relay that finds the lock
 * taken answers `busy` instead of waiting: the holder will send what it would have.
 */
export function outboxStore(db: Kysely<Database>): OutboxStore {
  return {
    relay: (limit, publish) =>
      db.transaction().execute(async (trx) => {
        const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext(current_schema() || '.rondo.outbox')) as ok`.execute(trx);
        if (lock.rows[0]?.ok !== true) return 'busy' as const;
        const rows = await trx
          .selectFrom('outbox')
          .select(['seq', 'id', 'topic', 'key', 'payload', isoMillis(sql.ref('created_at')).as('time')])
          .where('sent_at', 'is', null)
          .orderBy('seq')
          .limit(Math.max(1, limit))
          .execute();
        if (rows.length === 0) return 0;
        const events: OutboxEvent[] = rows.map((r) => ({ id: r.id, topic: r.topic, key: r.key, payload: r.payload, time: r.time }));
        await publish(events);
        await trx.updateTable('outbox').set({ sent_at: sql<Date>`now()` }).where('seq', 'in', rows.map((r) => r.seq)).execute();
        return rows.length;
      }),
    async prune(before) {
      const r = await db.deleteFrom('outbox').where('sent_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** Unsent outbox events, oldest first (doctor, tests). */
export async function unsentOutboxEvents(db: Kysely<Database>, limit = 100): Promise<OutboxEvent[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'topic', 'key', 'payload', isoMillis(sql.ref('created_at')).as('time')])
    .where('sent_at', 'is', null)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, topic: r.topic, key: r.key, payload: r.payload, time: r.time }));
}

/**
 * The event ids each consumer group handled, in the store, so any process of the group
 * knows them (`idempotent()` of `src/bus`). Records older than `keepMs` (default a day,
 * far beyond any redelivery) are pruned now and then as records are added.
 */
export function consumedEvents(db: Kysely<Database>, { keepMs = 86_400_000 }: { readonly keepMs?: number } = {}): HandledEvents {
  let added = 0;
  return {
    async has(scope, id) {
      const row = await db.selectFrom('consumed_events').select('event_id').where('consumer', '=', scope).where('event_id', '=', id).executeTakeFirst();
      return row !== undefined;
    },
    async add(scope, id) {
      await db.insertInto('consumed_events').values({ consumer: scope, event_id: id }).onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing()).execute();
      if (++added % 1000 === 1) await db.deleteFrom('consumed_events').where('consumed_at', '<', new Date(Date.now() - keepMs)).execute();
    },
  };
}
