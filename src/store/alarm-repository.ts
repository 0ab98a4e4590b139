import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { AlarmAckState, AlarmEventType, AlarmsTable, PerceivedSeverity } from './monitoring-schema.js';

/** An alarm row. `sourceKey` names the faulty resource (the VNF instance) for de-duplication. */
export interface AlarmRecord {
  readonly id: string;
  readonly tenant: string;
  readonly managedObjectId: string;
  readonly sourceKey: string;
  readonly rootCauseFaultyResource: unknown;
  readonly alarmRaisedTime: Date;
  readonly alarmChangedTime: Date | null;
  readonly alarmClearedTime: Date | null;
  readonly ackState: AlarmAckState;
  readonly perceivedSeverity: PerceivedSeverity;
  readonly eventTime: Date;
  readonly eventType: AlarmEventType;
  readonly faultType: string | null;
  readonly probableCause: string;
  readonly isRootCause: boolean;
  readonly correlatedAlarmIds: readonly string[];
  readonly faultDetails: readonly string[];
}

/** Filters of {@link AlarmRepository.list}; all optional, combined with AND. */
export interface AlarmFilter {
  readonly tenant?: string;
  readonly managedObjectId?: string;
  readonly ackState?: AlarmAckState;
  readonly perceivedSeverity?: PerceivedSeverity;
  readonly eventType?: AlarmEventType;
  readonly probableCause?: string;
  /** true: only not yet cleared; false: only cleared. */
  readonly active?: boolean;
}

const toAlarm = (r: Selectable<AlarmsTable>): AlarmRecord => ({
  id: r.id,
  tenant: r.tenant,
  managedObjectId: r.managed_object_id,
  sourceKey: r.source_key,
  rootCauseFaultyResource: r.root_cause_faulty_resource,
  alarmRaisedTime: r.alarm_raised_time,
  alarmChangedTime: r.alarm_changed_time,
  alarmClearedTime: r.alarm_cleared_time,
  ackState: r.ack_state,
  perceivedSeverity: r.perceived_severity,
  eventTime: r.event_time,
  eventType: r.event_type,
  faultType: r.fault_type,
  probableCause: r.probable_cause,
  isRootCause: r.is_root_cause,
  correlatedAlarmIds: r.correlated_alarm_ids,
  faultDetails: r.fault_details,
});

const isUniqueViolation = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/** The alarm aggregate (SOL005 fault management). */
export function alarmRepository(db: Kysely<Database>) {
  const active = (managedObjectId: string, sourceKey: string, probableCause: string) =>
    db
      .selectFrom('alarms')
      .selectAll()
      .where('managed_object_id', '=', managedObjectId)
      .where('source_key', '=', sourceKey)
      .where('probable_cause', '=', probableCause)
      .where('alarm_cleared_time', 'is', null)
      .executeTakeFirst();

  return {
    /**
     * Raises an alarm. When an active alarm exists for the same NS, source and cause
     * (the partial unique index `alarms_active_source`), returns it with `created: false`.
     * The alarm belongs to its NS's tenant unless `tenant` is given (`default` when the
     * NS is unknown), so tenants see only their own NSes' alarms.
     */
    async raise(a: Omit<AlarmRecord, 'tenant'> & { tenant?: string }): Promise<{ alarm: AlarmRecord; created: boolean }> {
      const existing = await active(a.managedObjectId, a.sourceKey, a.probableCause);
      if (existing) return { alarm: toAlarm(existing), created: false };
      try {
        const row = await db
          .insertInto('alarms')
          .values({
            id: a.id,
            tenant: a.tenant ?? sql<string>`coalesce((select tenant from ns_instances where id = ${a.managedObjectId}), 'default')`,
            managed_object_id: a.managedObjectId,
            source_key: a.sourceKey,
            root_cause_faulty_resource: JSON.stringify(a.rootCauseFaultyResource),
            alarm_raised_time: a.alarmRaisedTime,
            alarm_changed_time: a.alarmChangedTime,
            alarm_cleared_time: a.alarmClearedTime,
            ack_state: a.ackState,
            perceived_severity: a.perceivedSeverity,
            event_time: a.eventTime,
            event_type: a.eventType,
            fault_type: a.faultType,
            probable_cause: a.probableCause,
            is_root_cause: a.isRootCause,
            correlated_alarm_ids: JSON.stringify(a.correlatedAlarmIds),
            fault_details: JSON.stringify(a.faultDetails),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { alarm: toAlarm(row), created: true };
      } catch (e) {
        // Lost a race with another raiser of the same alarm: theirs is the alarm.
        if (!isUniqueViolation(e)) throw e;
        const winner = await active(a.managedObjectId, a.sourceKey, a.probableCause);
        if (!winner) throw e;
        return { alarm: toAlarm(winner), created: false };
      }
    },

    /** Clears every active alarm of the NS raised for `sourceKey`; returns the cleared ones. */
    async clear(managedObjectId: string, sourceKey: string, at: Date): Promise<AlarmRecord[]> {
      const rows = await db
        .updateTable('alarms')
        .set({ alarm_cleared_time: at, alarm_changed_time: at, perceived_severity: 'CLEARED' })
        .where('managed_object_id', '=', managedObjectId)
        .where('source_key', '=', sourceKey)
        .where('alarm_cleared_time', 'is', null)
        .returningAll()
        .execute();
      return rows.map(toAlarm);
    },

    /** The alarm, or undefined. */
    async get(id: string): Promise<AlarmRecord | undefined> {
      const row = await db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAlarm(row);
    },

    /** Alarms matching `f`, oldest first. */
    async list(f: AlarmFilter = {}): Promise<AlarmRecord[]> {
      let q = db.selectFrom('alarms').selectAll();
      if (f.tenant !== undefined) q = q.where('tenant', '=', f.tenant);
      if (f.managedObjectId !== undefined) q = q.where('managed_object_id', '=', f.managedObjectId);
      if (f.ackState !== undefined) q = q.where('ack_state', '=', f.ackState);
      if (f.perceivedSeverity !== undefined) q = q.where('perceived_severity', '=', f.perceivedSeverity);
      if (f.eventType !== undefined) q = q.where('event_type', '=', f.eventType);
      if (f.probableCause !== undefined) q = q.where('probable_cause', '=', f.probableCause);
      if (f.active === true) q = q.where('alarm_cleared_time', 'is', null);
      if (f.active === false) q = q.where('alarm_cleared_time', 'is not', null);
      const rows = await q.orderBy('alarm_raised_time').orderBy('id').execute();
      return rows.map(toAlarm);
    },

    /**
     * Sets ackState ACKNOWLEDGED if it is UNACKNOWLEDGED (one guarded statement); undefined
     * when no row moved (missing, or already acknowledged: the caller tells them apart).
     */
    async acknowledge(id: string, at: Date): Promise<AlarmRecord | undefined> {
      const row = await db
        .updateTable('alarms')
        .set({ ack_state: 'ACKNOWLEDGED', alarm_changed_time: at })
        .where('id', '=', id)
        .where('ack_state', '=', 'UNACKNOWLEDGED')
        .returningAll()
        .executeTakeFirst();
      return row && toAlarm(row);
    },
  };
}

/** The alarm repository's type. */
export type AlarmRepository = ReturnType<typeof alarmRepository>;
