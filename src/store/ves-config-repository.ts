import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { VesAgentConfigsTable, VesBacklogDomain, VesBacklogsTable } from './monitoring-schema.js';

/** One backlog of a VIM's VES agent with its polling state. Intervals in seconds. */
export interface VesBacklogRecord {
  readonly id: string;
  readonly vimId: string;
  readonly position: number;
  readonly domain: VesBacklogDomain;
  readonly type: string;
  readonly tenant: string | null;
  readonly source: string | null;
  readonly pollInterval: number | null;
  readonly lastPollAt: Date | null;
  readonly lastEvent: unknown;
}

/** A VIM's durable VES agent configuration. The password is only ever stored sealed. */
export interface VesAgentConfigRecord {
  readonly vimId: string;
  readonly endpoint: string;
  readonly username: string | null;
  readonly passwordSealed: string | null;
  readonly pollIntervalDefault: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly backlogs: readonly VesBacklogRecord[];
}

/** What {@link VesConfigRepository.put} writes; backlog polling state starts empty. */
export type VesAgentConfigInput = Omit<VesAgentConfigRecord, 'createdAt' | 'backlogs'> & {
  readonly backlogs: readonly Omit<VesBacklogRecord, 'vimId' | 'lastPollAt' | 'lastEvent'>[];
};

const toBacklog = (r: Selectable<VesBacklogsTable>): VesBacklogRecord => ({
  id: r.id,
  vimId: r.vim_id,
  position: r.position,
  domain: r.domain,
  type: r.type,
  tenant: r.tenant,
  source: r.source,
  pollInterval: r.poll_interval,
  lastPollAt: r.last_poll_at,
  lastEvent: r.last_event ?? null,
});

const toConfig = (r: Selectable<VesAgentConfigsTable>, backlogs: Selectable<VesBacklogsTable>[]): VesAgentConfigRecord => ({
  vimId: r.vim_id,
  endpoint: r.endpoint,
  username: r.username,
  passwordSealed: r.password_sealed,
  pollIntervalDefault: r.poll_interval_default,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  backlogs: backlogs.filter((b) => b.vim_id === r.vim_id).sort((a, b) => a.position - b.position).map(toBacklog),
});

/** The VES agent configuration aggregate (config + backlogs), one per VIM. */
export function vesConfigRepository(db: Kysely<Database>) {
  return {
    /**
     * Replaces the VIM's configuration and backlogs in one transaction (seed 001: a POST
     * rebuilds the backlogs). Keeps `createdAt` of an existing config.
     */
    async put(c: VesAgentConfigInput): Promise<VesAgentConfigRecord> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('ves_backlogs').where('vim_id', '=', c.vimId).execute();
        await tx
          .insertInto('ves_agent_configs')
          .values({
            vim_id: c.vimId,
            endpoint: c.endpoint,
            username: c.username,
            password_sealed: c.passwordSealed,
            poll_interval_default: c.pollIntervalDefault,
            created_at: c.updatedAt,
            updated_at: c.updatedAt,
          })
          .onConflict((oc) =>
            oc.column('vim_id').doUpdateSet({
              endpoint: c.endpoint,
              username: c.username,
              password_sealed: c.passwordSealed,
              poll_interval_default: c.pollIntervalDefault,
              updated_at: c.updatedAt,
            }),
          )
          .execute();
        if (c.backlogs.length > 0) {
          await tx
            .insertInto('ves_backlogs')
            .values(
              c.backlogs.map((b) => ({
                id: b.id,
                vim_id: c.vimId,
                position: b.position,
                domain: b.domain,
                type: b.type,
                tenant: b.tenant,
                source: b.source,
                poll_interval: b.pollInterval,
              })),
            )
            .execute();
        }
      });
      const saved = await this.get(c.vimId);
      if (!saved) throw new Error(`ves agent config of ${c.vimId} vanished after write`);
      return saved;
    },

    /** The VIM's configuration, or undefined. */
    async get(vimId: string): Promise<VesAgentConfigRecord | undefined> {
      const row = await db.selectFrom('ves_agent_configs').selectAll().where('vim_id', '=', vimId).executeTakeFirst();
      if (!row) return undefined;
      const backlogs = await db.selectFrom('ves_backlogs').selectAll().where('vim_id', '=', vimId).execute();
      return toConfig(row, backlogs);
    },

    /** Every configuration (the agent resumes them all at start-up). */
    async list(): Promise<VesAgentConfigRecord[]> {
      const rows = await db.selectFrom('ves_agent_configs').selectAll().orderBy('vim_id').execute();
      const backlogs = await db.selectFrom('ves_backlogs').selectAll().execute();
      return rows.map((r) => toConfig(r, backlogs));
    },

    /** Deletes the configuration and its backlogs; true if there was one. */
    async delete(vimId: string): Promise<boolean> {
      const r = await db.deleteFrom('ves_agent_configs').where('vim_id', '=', vimId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    /** Records one poll of a backlog: its time and, when one was sent, the last event. */
    async recordPoll(backlogId: string, at: Date, lastEvent?: unknown): Promise<void> {
      await db
        .updateTable('ves_backlogs')
        .set(lastEvent === undefined ? { last_poll_at: at } : { last_poll_at: at, last_event: JSON.stringify(lastEvent) })
        .where('id', '=', backlogId)
        .execute();
    },
  };
}

/** The VES config repository's type. */
export type VesConfigRepository = ReturnType<typeof vesConfigRepository>;
