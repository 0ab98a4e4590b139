import type { AlarmRecord } from '../../store/index.js';

/** SOL005 `Alarm` as the NS FM API returns it. */
export interface AlarmView {
  readonly id: string;
  readonly managedObjectId: string;
  readonly rootCauseFaultyResource: unknown;
  readonly alarmRaisedTime: string;
  readonly alarmChangedTime?: string;
  readonly alarmClearedTime?: string;
  readonly ackState: AlarmRecord['ackState'];
  readonly perceivedSeverity: AlarmRecord['perceivedSeverity'];
  readonly eventTime: string;
  readonly eventType: AlarmRecord['eventType'];
  readonly faultType?: string;
  readonly probableCause: string;
  readonly isRootCause: boolean;
  readonly correlatedAlarmIds?: readonly string[];
  readonly faultDetails?: readonly string[];
  readonly _links: { readonly self: { readonly href: string }; readonly objectInstance: { readonly href: string } };
  readonly [field: string]: unknown;
}

/** Renders an alarm row; optional attributes are omitted when empty (SOL005 0..1 / 0..N). */
export function toAlarmView(a: AlarmRecord, apiBase = ''): AlarmView {
  const base = apiBase.replace(/\/+$/, '');
  return {
    id: a.id,
    managedObjectId: a.managedObjectId,
    rootCauseFaultyResource: a.rootCauseFaultyResource,
    alarmRaisedTime: a.alarmRaisedTime.toISOString(),
    ...(a.alarmChangedTime ? { alarmChangedTime: a.alarmChangedTime.toISOString() } : {}),
    ...(a.alarmClearedTime ? { alarmClearedTime: a.alarmClearedTime.toISOString() } : {}),
    ackState: a.ackState,
    perceivedSeverity: a.perceivedSeverity,
    eventTime: a.eventTime.toISOString(),
    eventType: a.eventType,
    ...(a.faultType ? { faultType: a.faultType } : {}),
    probableCause: a.probableCause,
    isRootCause: a.isRootCause,
    ...(a.correlatedAlarmIds.length > 0 ? { correlatedAlarmIds: a.correlatedAlarmIds } : {}),
    ...(a.faultDetails.length > 0 ? { faultDetails: a.faultDetails } : {}),
    _links: {
      self: { href: `${base}/nsfm/v1/alarms/${a.id}` },
      objectInstance: { href: `${base}/nslcm/v1/ns_instances/${a.managedObjectId}` },
    },
  };
}
