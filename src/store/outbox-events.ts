import { sql } from 'kysely';
import type { AliasedRawBuilder, RawBuilder } from 'kysely';
import type { NsState, OpState } from '../model/index.js';
import { isoMillis } from './list-conditions.js';

/**
 * The outbox rows a state change writes in its own statement: a data-modifying CTE makes
 * the change (`… RETURNING *` as `alias`), and `insert into outbox (OUTBOX_COLUMNS)
 * select <these columns> from alias` records its event, so the change and its event
 * commit together or not at all. Payloads are built in SQL from the changed row, in the
 * shapes of `src/lifecycle/lifecycle-events.ts`; the event id is a new UUID.
 */
export const OUTBOX_COLUMNS = ['id', 'topic', 'key', 'payload'] as const;

type EventColumns = [AliasedRawBuilder<string, 'id'>, AliasedRawBuilder<string, 'topic'>, AliasedRawBuilder<string, 'key'>, AliasedRawBuilder<string, 'payload'>];

/** The event's columns; `key` is the NS instance id column (the ordering key). */
const columns = (key: RawBuilder<string>, topic: string, payload: RawBuilder<string>): EventColumns => [
  sql<string>`gen_random_uuid()::text`.as('id'),
  sql<string>`${topic}::text`.as('topic'),
  key.as('key'),
  payload.as('payload'),
];

const ref = (alias: string) => (name: string) => sql<string>`${sql.ref(`${alias}.${name}`)}`;

/**
 * `op.changed` of the `lcm_op_occs` rows of `alias`; `previous` is the state they left
 * (null: created). A created INSTANTIATE whose placement skipped PoPs that did not answer
 * says which, and why (`placementSkipped`).
 */
export function opChangedColumns(alias: string, previous: OpState | null): EventColumns {
  const c = ref(alias);
  return columns(
    c('ns_instance_id'),
    'op.changed',
    sql<string>`jsonb_build_object(
      'opId', ${c('id')}, 'nsInstanceId', ${c('ns_instance_id')}, 'operationState', ${c('operation_state')}, 'previousState', ${previous}::text,
      'lcmOperationType', ${c('lcm_operation_type')}, 'tenant', ${c('tenant')}, 'isAutomaticInvocation', ${c('is_automatic_invocation')},
      'startTime', ${isoMillis(c('start_time'))}, 'statusEnteredTime', ${isoMillis(c('status_entered_time'))}, 'error', ${c('error')})
      || case when ${previous}::text is null and ${c('internal_params')} ? 'placementSkipped'
           then jsonb_build_object('placementSkipped', ${c('internal_params')} -> 'placementSkipped') else '{}'::jsonb end`,
  );
}

/** `ns.created` / `ns.deleted` of the `ns_instances` rows of `alias` . */
export function nsInstanceColumns(alias: string, topic: 'ns.created' | 'ns.deleted'): EventColumns {
  const c = ref(alias);
  return columns(c('id'), topic, sql<string>`jsonb_build_object('nsInstanceId', ${c('id')}, 'tenant', ${c('tenant')}, 'nsInstanceName', ${c('name')}, 'nsdInfoId', ${c('nsd_info_id')})`);
}

/** `ns.changed` of the `ns_instances` rows of `alias` , which left state `previous`. */
export function nsChangedColumns(alias: string, previous: NsState): EventColumns {
  const c = ref(alias);
  return columns(c('id'), 'ns.changed', sql<string>`jsonb_build_object('nsInstanceId', ${c('id')}, 'tenant', ${c('tenant')}, 'state', ${c('state')}, 'previousState', ${previous}::text)`);
}
