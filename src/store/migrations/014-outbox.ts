import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).

/**
 * The transactional outbox and the consumers' memory of handled events.
 * - `outbox`: an event per state change, written by the statement that makes the change;
 *   the relay publishes unsent rows in `seq` order and sets `sent_at`. `id` is the event
 *   id consumers dedupe on. Sent rows are pruned after a while.
 * - `consumed_events`: which consumer (group) handled which event id, so a redelivered or
 *   republished event is not handled twice; pruned after a day.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  // The relay reads unsent rows in order; pruning reads sent ones by age.
  await db.schema.createIndex('outbox_unsent_idx').on('outbox').column('seq').where(sql.ref('sent_at'), 'is', null).execute();
  await db.schema.createIndex('outbox_sent_idx').on('outbox').column('sent_at').where(sql.ref('sent_at'), 'is not', null).execute();

  await db.schema
    .createTable('consumed_events')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('consumed_events_pkey', ['consumer', 'event_id'])
    .execute();
  await db.schema.createIndex('consumed_events_age_idx').on('consumed_events').column('consumed_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('consumed_events').ifExists().execute();
  await db.schema.dropTable('outbox').ifExists().execute();
}
