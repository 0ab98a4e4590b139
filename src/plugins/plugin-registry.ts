import type { PluginState } from './plugin-topics.js';

/** A registered plugin, as the registry keeps it and `GET /admin/v1/plugins` shows it. */
export interface PluginRecord {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description: string | null;
  readonly topics: readonly string[];
  readonly state: PluginState;
  readonly registeredAt: string;
  readonly lastHeartbeatAt: string;
}

/**
 * The plugin registry's store port (`src/store/plugin-repository.ts`: the `plugins`
 * table, so every process of a split-role deployment sees one registry). Every state
 * change is one guarded statement: of processes racing on one change, one gets the row.
 */
export interface PluginRepository {
  insert(p: PluginRecord): Promise<PluginRecord>;
  /** Every plugin, oldest registration first. */
  list(): Promise<PluginRecord[]>;
  get(id: string): Promise<PluginRecord | undefined>;
  /**
   * Records a heartbeat at `at` (and makes a `DEAD` plugin `ACTIVE`); `revived` says it
   * was `DEAD`. Undefined for an unknown id.
   */
  heartbeat(id: string, at: Date): Promise<{ readonly record: PluginRecord; readonly revived: boolean } | undefined>;
  /** Marks `DEAD` every `ACTIVE` plugin whose last heartbeat is older than `before`; returns those this call marked. */
  markDead(before: Date): Promise<PluginRecord[]>;
  /** Replaces the topics of a registered plugin (a re-registration); undefined for an unknown id. */
  setTopics(id: string, topics: readonly string[]): Promise<PluginRecord | undefined>;
  /** Removes the plugin; the removed record, undefined when this call removed nothing. */
  remove(id: string): Promise<PluginRecord | undefined>;
}
