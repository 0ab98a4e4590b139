import type { Logger } from 'pino';
import type { Bus } from '../bus/index.js';
import type { NsLifecycleService } from '../lifecycle/index.js';
import { RondoError } from '../model/index.js';
import { NS_MANAGER_TOPICS } from '../plugins/index.js';
import type { PluginRepository, ServiceActionReply, ServiceAlarmEvent } from '../plugins/index.js';
import type { AlarmRecord } from '../store/index.js';

/** The lifecycle calls a monitoring SSM's action requests become. */
export type ServiceActionLifecycle = Pick<NsLifecycleService, 'heal' | 'scale' | 'listVnfs'>;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/**
 * Answers one `mano.ns.<nsId>.service.action` request of a manager of NS `ns`: a HEAL or
 * a one-aspect SCALE of a VNF **of that NS**, started as an automatic operation
 * (`isAutomaticInvocation: true`) through the NS lifecycle service. Throws what the
 * lifecycle throws (e.g. 409 when another operation of the NS runs), `PLUGIN_INVALID`
 * for a malformed request and `MANAGER_FORBIDDEN` for a VNF of another NS.
 */
export async function serviceAction(ns: string, payload: unknown, lifecycle: ServiceActionLifecycle | undefined, logger: Logger): Promise<ServiceActionReply> {
  const topic = NS_MANAGER_TOPICS.action(ns);
  const p = isObject(payload) ? payload : {};
  const vnfInstanceId = p['vnfInstanceId'];
  if (typeof vnfInstanceId !== 'string' || (p['action'] !== 'HEAL' && p['action'] !== 'SCALE')) {
    throw new RondoError('PLUGIN_INVALID', `${topic}: expected { action: "HEAL", vnfInstanceId } or { action: "SCALE", vnfInstanceId, aspectId, direction: "SCALE_OUT" | "SCALE_IN", steps? }`);
  }
  if (!lifecycle) throw new RondoError('MANAGER_FAILED', 'the NS lifecycle is not ready; ask again');
  const vnf = (await lifecycle.listVnfs(ns)).find((v) => v.id === vnfInstanceId && v.kind === 'vnf');
  if (!vnf) throw new RondoError('MANAGER_FORBIDDEN', `VNF instance ${vnfInstanceId} is not part of NS ${ns}; a manager may only act on its own NS's VNFs`);
  const requestedBy = { requestedBy: 'specific manager', topic };
  if (p['action'] === 'HEAL') {
    const cause = typeof p['cause'] === 'string' ? p['cause'] : 'requested by a specific manager';
    const op = await lifecycle.heal(ns, {
      vnfs: [{ vnfInstanceId, cause }], automatic: true,
      operationParams: { healVnfData: [{ vnfInstanceId, cause, additionalParams: requestedBy }] },
    });
    logger.info({ nsInstanceId: ns, vnfInstanceId, opId: op.id }, 'specific manager: HEAL started');
    return { status: 'OK', nsLcmOpOccId: op.id };
  }
  const { aspectId, direction } = p;
  const steps = p['steps'] ?? 1;
  if (typeof aspectId !== 'string' || (direction !== 'SCALE_OUT' && direction !== 'SCALE_IN') || typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1) {
    throw new RondoError('PLUGIN_INVALID', `${topic}: SCALE needs aspectId, direction "SCALE_OUT" | "SCALE_IN" and steps (a positive integer, default 1)`);
  }
  const data = { vnfInstanceId, scaleVnfType: direction as 'SCALE_OUT' | 'SCALE_IN', scaleByStepData: { aspectId, numberOfSteps: steps } };
  const op = await lifecycle.scale(ns, {
    scaleType: 'SCALE_VNF', scaleVnfData: [data], automatic: true,
    operationParams: { scaleType: 'SCALE_VNF', scaleVnfData: [{ ...data, scaleByStepData: { ...data.scaleByStepData, additionalParams: requestedBy } }] },
  });
  logger.info({ nsInstanceId: ns, vnfInstanceId, aspectId, direction, steps, opId: op.id }, 'specific manager: SCALE started');
  return { status: 'OK', nsLcmOpOccId: op.id };
}

/**
 * Publishes an alarm of an NS on its `mano.ns.<nsId>.service.alarm` topic, when a manager
 * of that NS is registered (an NS without managers costs nothing). Never throws: a failure
 * is logged (the alarm is still in the SOL005 API and notifications).
 */
export async function forwardAlarm(
  deps: { readonly bus: Bus<Record<string, unknown>>; readonly plugins: Pick<PluginRepository, 'list'>; readonly lifecycle: () => ServiceActionLifecycle | undefined; readonly logger: Logger },
  event: ServiceAlarmEvent['event'], alarm: AlarmRecord,
): Promise<void> {
  const ns = alarm.managedObjectId;
  try {
    if (!(await deps.plugins.list()).some((p) => p.state === 'ACTIVE' && p.name.startsWith(`${ns}.`))) return;
    const vnf = (await deps.lifecycle()?.listVnfs(ns).catch(() => []))?.find((v) => v.id === alarm.sourceKey || v.memberId === alarm.sourceKey);
    const payload: ServiceAlarmEvent = {
      event, nsInstanceId: ns,
      alarm: {
        id: alarm.id, vnfInstanceId: vnf?.id ?? null, memberId: vnf?.memberId ?? null, probableCause: alarm.probableCause, perceivedSeverity: alarm.perceivedSeverity,
        faultType: alarm.faultType, eventType: alarm.eventType, alarmRaisedTime: alarm.alarmRaisedTime.toISOString(),
        alarmClearedTime: alarm.alarmClearedTime ? alarm.alarmClearedTime.toISOString() : null, faultDetails: [...alarm.faultDetails],
      },
    };
    await deps.bus.publish(NS_MANAGER_TOPICS.alarm(ns), payload as unknown as Record<string, unknown>);
    deps.logger.info({ nsInstanceId: ns, alarmId: alarm.id, event }, 'specific managers: alarm published on the NS topic');
  } catch (e) {
    deps.logger.warn({ nsInstanceId: ns, alarmId: alarm.id, err: e }, 'specific managers: alarm not published on the NS topic');
  }
}
