import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { PluginRecord, PluginRepository, PluginState } from '../plugins/index.js';
import type { Database } from './schema.js';

type Time = ColumnType<Date, Date, Date>;

/** The plugin registry (migration 019). */
export interface PluginsTable {
  id: string;
  name: string;
  version: string;
  description: string | null;
  topics: ColumnType<string[], string, string>;
  state: PluginState;
  registered_at: Time;
  last_heartbeat_at: Time;
}

/** The tables this repository reads. */
export interface PluginTables {
  plugins: PluginsTable;
}

const toRecord = (r: Selectable<PluginsTable>): PluginRecord => ({
  id: r.id,
  name: r.name,
  version: r.version,
  description: r.description,
  topics: r.topics,
  state: r.state,
  registeredAt: r.registered_at.toISOString(),
  lastHeartbeatAt: r.last_heartbeat_at.toISOString(),
});

/** Plugin rows: the plugin manager's {@link PluginRepository} port. */
export function pluginRepository(db: Kysely<Database>): PluginRepository {
  return {
    async insert(p) {
      const row = await db
        .insertInto('plugins')
        .values({
          id: p.id, name: p.name, version: p.version, description: p.description, topics: JSON.stringify(p.topics), state: p.state,
          registered_at: new Date(p.registeredAt), last_heartbeat_at: new Date(p.lastHeartbeatAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async list() {
      return (await db.selectFrom('plugins').selectAll().orderBy('registered_at').orderBy('id').execute()).map(toRecord);
    },
    async get(id) {
      const row = await db.selectFrom('plugins').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async heartbeat(id, at) {
      // Two guarded statements, so the caller learns whether this heartbeat revived a DEAD plugin.
      const revived = await db.updateTable('plugins').set({ state: 'ACTIVE', last_heartbeat_at: at }).where('id', '=', id).where('state', '=', 'DEAD').returningAll().executeTakeFirst();
      if (revived) return { record: toRecord(revived), revived: true };
      const row = await db.updateTable('plugins').set({ last_heartbeat_at: at }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && { record: toRecord(row), revived: false };
    },
    async markDead(before) {
      // One statement: of the processes sweeping at once, each plugin is returned to one.
      const rows = await db.updateTable('plugins').set({ state: 'DEAD' }).where('state', '=', 'ACTIVE').where('last_heartbeat_at', '<', before).returningAll().execute();
      return rows.map(toRecord);
    },
    async setTopics(id, topics) {
      const row = await db.updateTable('plugins').set({ topics: JSON.stringify(topics) }).where('id', '=', id).returningAll().executeTakeFirst();
      return row && toRecord(row);
    },
    async remove(id) {
      const row = await db.deleteFrom('plugins').where('id', '=', id).returningAll().executeTakeFirst();
      return row && toRecord(row);
    },
  };
}
