import type { Bus, BusEvent, BusSubscription } from '../bus/index.js';
import type { OpState, VnfInstance } from '../model/index.js';
import type { LifecycleTopics, OpChangedEvent } from '../lifecycle/index.js';
import { MANO_TOPICS, SERVICE_EVENT_OPS } from './plugin-topics.js';
import type { FunctionLifecycleEvent, ManoTopic, PluginTopics, ServiceLifecycleEvent } from './plugin-topics.js';

/** The consumer group that turns operation changes into service and function events. */
export const LIFECYCLE_EVENTS_GROUP = 'plugin-lifecycle-events';

/** States an operation runs in; leaving them ends a run. */
const RUNNING: readonly OpState[] = ['PROCESSING', 'ROLLING_BACK'];

/** One event to publish, with the id it is published under. */
export interface ManoEvent {
  readonly id: string;
  readonly topic: ManoTopic;
  readonly payload: ServiceLifecycleEvent | FunctionLifecycleEvent;
}

/**
 * Whether an operation change starts a run (it entered `PROCESSING`: created, or retried)
 * or ends one (it left `PROCESSING`/`ROLLING_BACK` for any other state), or neither.
 */
export function runTransition(e: Pick<OpChangedEvent, 'operationState' | 'previousState'>): 'start' | 'end' | null {
  if (e.operationState === 'PROCESSING' && e.previousState !== 'PROCESSING') return 'start';
  if (e.previousState !== null && RUNNING.includes(e.previousState) && !RUNNING.includes(e.operationState)) return 'end';
  return null;
}

/**
 * The service event (`mano.service.<op>.start|end`) and, when an instantiation (or an
 * UPDATE adding VNFs) completed, the `mano.function.start` of each of its (new) VNFs (`vnfs`, read after the
 * change) that one `op.changed` event stands for. Ids derive from the source event's
 * id, so a redelivered change publishes the same ids again (plugins dedupe on them).
 * `mano.function.stop` is written by the store with the deletion of the VNF records.
 */
export function manoEventsOf(source: { readonly id: string; readonly payload: OpChangedEvent }, vnfs: readonly VnfInstance[]): ManoEvent[] {
  const e = source.payload;
  const topics = (SERVICE_EVENT_OPS as Partial<Record<string, { start: ManoTopic; end: ManoTopic }>>)[e.lcmOperationType];
  const when = runTransition(e);
  if (!when || (!topics && !startsFunctions(e))) return [];
  const service: ServiceLifecycleEvent = {
    nsInstanceId: e.nsInstanceId, tenant: e.tenant, nsLcmOpOccId: e.opId, lcmOperationType: e.lcmOperationType, operationState: e.operationState,
    isAutomaticInvocation: e.isAutomaticInvocation, startTime: e.startTime, statusEnteredTime: e.statusEnteredTime,
  };
  const out: ManoEvent[] = topics ? [{ id: `${source.id}.${when}`, topic: topics[when], payload: service }] : [];
  if (startsFunctions(e) && when === 'end') {
    for (const v of vnfs) {
      if (v.kind !== 'vnf') continue;
      // An UPDATE (ADD_VNF) starts the VNFs it made: those whose record is not older than the operation.
      if (e.lcmOperationType === 'UPDATE' && Date.parse(v.createdAt) < Date.parse(e.startTime)) continue;
      const payload: FunctionLifecycleEvent = {
        nsInstanceId: e.nsInstanceId, tenant: e.tenant, nsLcmOpOccId: e.opId, vnfInstanceId: v.id, memberId: v.memberId, vnfdId: v.vnfdId,
        popId: v.popId, computeIds: [...v.computeIds], time: e.statusEnteredTime,
      };
      out.push({ id: `${source.id}.vnf.${v.id}`, topic: MANO_TOPICS.functionStart, payload });
    }
  }
  return out;
}

/** An operation whose completion starts VNFs: INSTANTIATE, and UPDATE (ADD_VNF). */
const startsFunctions = (e: Pick<OpChangedEvent, 'lcmOperationType' | 'operationState'>): boolean =>
  (e.lcmOperationType === 'INSTANTIATE' || e.lcmOperationType === 'UPDATE') && e.operationState === 'COMPLETED';

/** What {@link publishLifecycleEvents} needs. */
export interface LifecycleEventPublisherDeps {
  /** The bus, seen with both the lifecycle topics it reads and the plugin topics it writes. */
  readonly bus: Bus<LifecycleTopics & PluginTopics>;
  /** The VNF records of an NS (read when an instantiation completed). */
  listVnfs(nsInstanceId: string): Promise<VnfInstance[]>;
}

/**
 * Joins the ordered group {@link LIFECYCLE_EVENTS_GROUP} on `op.changed` and publishes
 * the service and function events each change stands for ({@link manoEventsOf}), keyed
 * by NS, so per-NS order holds. One member of the group in the deployment handles each
 * change; a failed publication is retried by the group.
 */
export async function publishLifecycleEvents(deps: LifecycleEventPublisherDeps): Promise<BusSubscription> {
  return deps.bus.consume(LIFECYCLE_EVENTS_GROUP, ['op.changed'], async (event: BusEvent<LifecycleTopics & PluginTopics, 'op.changed'>) => {
    const e = event.payload;
    const needsVnfs = startsFunctions(e) && runTransition(e) === 'end';
    const vnfs = needsVnfs ? await deps.listVnfs(e.nsInstanceId) : [];
    for (const m of manoEventsOf(event, vnfs)) await deps.bus.publish(m.topic, m.payload as never, { id: m.id, key: e.nsInstanceId });
  });
}
