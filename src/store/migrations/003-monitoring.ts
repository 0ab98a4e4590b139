import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: this migration has run on released databases, so it holds its own copies of the
// values it was written with, never the live constants (PERCEIVED_SEVERITIES, ...): editing
// a constant must not change what an old migration does. A new value needs a new migration.
// test/unit/migrations-frozen.test.ts keeps this folder free of imports other than kysely.
const VES_BACKLOG_DOMAINS = ['fault', 'measurement', 'heartbeat'];
const ALARM_ACK_STATES = ['UNACKNOWLEDGED', 'ACKNOWLEDGED'];
const PERCEIVED_SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'];
const ALARM_EVENT_TYPES = ['COMMUNICATIONS_ALARM', 'PROCESSING_ERROR_ALARM', 'ENVIRONMENTAL_ALARM', 'QOS_ALARM', 'EQUIPMENT_ALARM'];
const SUBSCRIPTION_APIS = ['nslcm', 'nsfm'];

/** `col IN ('A','B')` from a list of literals. */
const oneOf = (column: string, values: readonly string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/** Monitoring tables: VES agent configs and backlogs, alarms, SOL005 subscriptions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ves_agent_configs')
    .addColumn('vim_id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('password_sealed', 'text')
    .addColumn('poll_interval_default', 'integer', (c) => c.notNull().check(sql`poll_interval_default > 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ves_backlogs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vim_id', 'text', (c) => c.notNull().references('ves_agent_configs.vim_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull().check(oneOf('domain', VES_BACKLOG_DOMAINS)))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text')
    .addColumn('source', 'text')
    .addColumn('poll_interval', 'integer', (c) => c.check(sql`poll_interval > 0`))
    .addColumn('last_poll_at', 'timestamptz')
    .addColumn('last_event', 'jsonb')
    .addUniqueConstraint('ves_backlogs_vim_position', ['vim_id', 'position'])
    .execute();

  await db.schema
    .createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('managed_object_id', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('root_cause_faulty_resource', 'jsonb', (c) => c.notNull())
    .addColumn('alarm_raised_time', 'timestamptz', (c) => c.notNull())
    .addColumn('alarm_changed_time', 'timestamptz')
    .addColumn('alarm_cleared_time', 'timestamptz')
    .addColumn('ack_state', 'text', (c) => c.notNull().check(oneOf('ack_state', ALARM_ACK_STATES)))
    .addColumn('perceived_severity', 'text', (c) => c.notNull().check(oneOf('perceived_severity', PERCEIVED_SEVERITIES)))
    .addColumn('event_time', 'timestamptz', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull().check(oneOf('event_type', ALARM_EVENT_TYPES)))
    .addColumn('fault_type', 'text')
    .addColumn('probable_cause', 'text', (c) => c.notNull())
    .addColumn('is_root_cause', 'boolean', (c) => c.notNull())
    .addColumn('correlated_alarm_ids', 'jsonb', (c) => c.notNull())
    .addColumn('fault_details', 'jsonb', (c) => c.notNull())
    .execute();
  // At most one active alarm per faulty resource and cause: a second "down" while the
  // first is still raised is the same alarm, not a new one.
  await sql`create unique index alarms_active_source on alarms (managed_object_id, source_key, probable_cause) where alarm_cleared_time is null`.execute(db);
  await db.schema.createIndex('alarms_managed_object').on('alarms').columns(['managed_object_id', 'alarm_raised_time']).execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('api', 'text', (c) => c.notNull().check(oneOf('api', SUBSCRIPTION_APIS)))
    .addColumn('callback_uri', 'text', (c) => c.notNull())
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('filter_key', 'text', (c) => c.notNull())
    .addColumn('auth_sealed', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('subscriptions_unique', ['tenant', 'api', 'callback_uri', 'filter_key'])
    .execute();
}

/** Drops the monitoring tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['subscriptions', 'alarms', 'ves_backlogs', 'ves_agent_configs']) await db.schema.dropTable(t).ifExists().execute();
}
