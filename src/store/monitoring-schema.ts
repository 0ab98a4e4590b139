import type { ColumnType, Generated } from 'kysely';

/** jsonb: written as a JSON string (so arrays are not taken for SQL arrays), read parsed. */
type Json<T> = ColumnType<T, string, string>;
/** timestamptz: read and written as Date. */
type Time = ColumnType<Date, Date, Date>;

/** VES domains the agent polls (seed 001 backlog `domain`). */
export const VES_BACKLOG_DOMAINS = ['fault', 'measurement', 'heartbeat'] as const;
export type VesBacklogDomain = (typeof VES_BACKLOG_DOMAINS)[number];

/** SOL005 `AckState`. */
export const ALARM_ACK_STATES = ['UNACKNOWLEDGED', 'ACKNOWLEDGED'] as const;
export type AlarmAckState = (typeof ALARM_ACK_STATES)[number];

/** SOL005 `PerceivedSeverityType`. */
export const PERCEIVED_SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'] as const;
export type PerceivedSeverity = (typeof PERCEIVED_SEVERITIES)[number];

/** SOL005 `EventType` of an alarm. */
export const ALARM_EVENT_TYPES = [
  'COMMUNICATIONS_ALARM',
  'PROCESSING_ERROR_ALARM',
  'ENVIRONMENTAL_ALARM',
  'QOS_ALARM',
  'EQUIPMENT_ALARM',
] as const;
export type AlarmEventType = (typeof ALARM_EVENT_TYPES)[number];

// The two SOL005 APIs that own subscriptions: notify owns the list (its store port; a
// leaf module, so no import cycle), the SQL CHECK of migration 003 reads it from there.
export { SUBSCRIPTION_APIS } from '../notify/subscription-store.js';
export type { SubscriptionApi } from '../notify/subscription-store.js';
import type { SubscriptionApi } from '../notify/subscription-store.js';

/** One VES agent configuration per VIM (seed 001 `vesagent_config`). */
export interface VesAgentConfigsTable {
  vim_id: string;
  endpoint: string;
  username: string | null;
  /** `SecretBox.seal` output; never the clear password. */
  password_sealed: string | null;
  /** Seconds. */
  poll_interval_default: number;
  created_at: Time;
  updated_at: Time;
}

/** One backlog entry of a VIM's VES agent, with its polling state. */
export interface VesBacklogsTable {
  id: string;
  vim_id: string;
  position: number;
  domain: VesBacklogDomain;
  type: string;
  tenant: string | null;
  source: string | null;
  /** Seconds; null: the config's default. */
  poll_interval: number | null;
  last_poll_at: Time | null;
  last_event: Json<unknown> | null;
}

/** SOL005 alarms on NS instances. `source_key` names the faulty resource for de-duplication. */
export interface AlarmsTable {
  id: string;
  tenant: Generated<string>;
  managed_object_id: string;
  source_key: string;
  root_cause_faulty_resource: Json<unknown>;
  alarm_raised_time: Time;
  alarm_changed_time: Time | null;
  alarm_cleared_time: Time | null;
  ack_state: AlarmAckState;
  perceived_severity: PerceivedSeverity;
  event_time: Time;
  event_type: AlarmEventType;
  fault_type: string | null;
  probable_cause: string;
  is_root_cause: boolean;
  correlated_alarm_ids: Json<string[]>;
  fault_details: Json<string[]>;
}

/** SOL005 subscriptions (LccnSubscription, FmSubscription). */
export interface SubscriptionsTable {
  id: string;
  tenant: Generated<string>;
  api: SubscriptionApi;
  callback_uri: string;
  filter: Json<unknown>;
  /** Canonical JSON of `filter`: two subscriptions with equal keys are duplicates (SOL005 303). */
  filter_key: string;
  /** Sealed JSON of the `authentication` block (it carries a password); null: none. */
  auth_sealed: string | null;
  /** An admin's subscription: it hears about every tenant's NS instances. */
  all_tenants: Generated<boolean>;
  created_at: Time;
}

/** Tables of monitoring (VES agent configs, alarms, subscriptions). */
export interface MonitoringTables {
  ves_agent_configs: VesAgentConfigsTable;
  ves_backlogs: VesBacklogsTable;
  alarms: AlarmsTable;
  subscriptions: SubscriptionsTable;
}
