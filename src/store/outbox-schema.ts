import type { ColumnType, Generated } from 'kysely';

/** The outbox (migration 014): one row per lifecycle event, sent once the relay published it. */
export interface OutboxTable {
  /** bigserial: publish order. */
  seq: Generated<string>;
  id: string;
  topic: string;
  key: string | null;
  payload: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Event ids each consumer (group) handled (migration 014). */
export interface ConsumedEventsTable {
  consumer: string;
  event_id: string;
  consumed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The tables of migration 014. */
export interface OutboxTables {
  outbox: OutboxTable;
  consumed_events: ConsumedEventsTable;
}
