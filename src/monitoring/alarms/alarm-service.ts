import type { EventBus } from '../../bus/index.js';
import { ConflictError, NotFoundError } from '../../model/index.js';
import type { Clock, IdGenerator } from '../../model/index.js';
import type { NotificationService } from '../../notify/index.js';
import type { AlarmEventType, AlarmFilter, AlarmRecord, AlarmRepository, PerceivedSeverity } from '../../store/index.js';
import type { MonitoringTopics, VnfEvent, VnfEventType } from '../monitoring-events.js';
import { toAlarmView } from './alarm-view.js';
import type { AlarmView } from './alarm-view.js';

/** What kind of alarm a fault raises. */
export interface AlarmProfile {
  readonly probableCause: string;
  readonly severity: PerceivedSeverity;
  readonly eventType: AlarmEventType;
  readonly faultType: string;
}

const PROFILES: Partial<Record<VnfEventType, AlarmProfile>> = {
  'vnf.down': { probableCause: 'VNF_DOWN', severity: 'CRITICAL', eventType: 'PROCESSING_ERROR_ALARM', faultType: 'VNF compute stopped' },
  'vnf.oom': { probableCause: 'VNF_OUT_OF_MEMORY', severity: 'MAJOR', eventType: 'PROCESSING_ERROR_ALARM', faultType: 'VNF compute out of memory' },
  'vnf.unhealthy': { probableCause: 'VNF_UNHEALTHY', severity: 'MAJOR', eventType: 'QOS_ALARM', faultType: 'VNF health check failing' },
};

/** Options of {@link AlarmService}. */
export interface AlarmServiceOptions {
  readonly repo: AlarmRepository;
  readonly bus: EventBus<MonitoringTopics>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly notifications?: Pick<NotificationService, 'publishAlarm' | 'publishAlarmCleared'>;
  /** Absolute base of this API for `_links`, or a function read each time; '' for relative links. */
  readonly apiBase?: string | (() => string);
  readonly onError?: (error: unknown) => void;
}

/**
 * SOL005 fault management over VNF events: a VNF fault (`vnf.down`, `vnf.oom`,
 * `vnf.unhealthy`) raises an alarm on its NS (`managedObjectId`), one per VNF and cause;
 * `vnf.up` clears the VNF's active alarms. Each change is published on the bus
 * (`alarm.raised`, `alarm.cleared`) and as an Alarm(Cleared)Notification to the NS's
 * tenant's subscribers. An alarm belongs to its NS's tenant; reads take a scope
 * (a tenant, or undefined for every tenant) and another tenant's alarm is NotFoundError.
 */
export class AlarmService {
  readonly #o: AlarmServiceOptions;
  readonly #unsubs: (() => void)[] = [];
  readonly #pending = new Set<Promise<void>>();

  constructor(opts: AlarmServiceOptions) {
    this.#o = opts;
  }

  #apiBase(): string {
    const b = this.#o.apiBase;
    return typeof b === 'function' ? b() : (b ?? '');
  }

  /** Subscribes to the VNF events. */
  start(): void {
    if (this.#unsubs.length > 0) return;
    for (const t of ['vnf.down', 'vnf.oom', 'vnf.unhealthy', 'vnf.up'] as const) {
      this.#unsubs.push(this.#o.bus.subscribe(t, (e) => this.#track(e.type === 'vnf.up' ? this.clearFor(e) : this.raiseFor(e).then(() => undefined))));
    }
  }

  /** Unsubscribes and waits for changes in progress. */
  async stop(): Promise<void> {
    for (const u of this.#unsubs.splice(0)) u();
    await this.settled();
  }

  /** Resolves once every event received so far has been handled. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Raises (or finds the active) alarm for a VNF fault; undefined for a non-fault event. */
  async raiseFor(e: VnfEvent): Promise<AlarmView | undefined> {
    const p = PROFILES[e.type];
    if (!p) return undefined;
    return this.raise(e, p);
  }

  /**
   * Raises (or finds the active) alarm of `profile` for a fault of VNF `e.vnfId` on NS
   * `e.nsId` (policies raise theirs here: an auto-heal cap reached is CRITICAL).
   */
  async raise(e: Omit<VnfEvent, 'type'>, p: AlarmProfile): Promise<AlarmView> {
    const { alarm, created } = await this.#o.repo.raise({
      id: this.#o.ids.next(),
      managedObjectId: e.nsId,
      sourceKey: e.vnfId,
      rootCauseFaultyResource: {
        faultyResource: { vimId: e.popId, vimConnectionId: e.popId, resourceId: e.computeId, vimLevelResourceType: 'compute' },
        faultyResourceType: 'COMPUTE',
      },
      alarmRaisedTime: this.#o.clock.now(),
      alarmChangedTime: null,
      alarmClearedTime: null,
      ackState: 'UNACKNOWLEDGED',
      perceivedSeverity: p.severity,
      eventTime: e.at,
      eventType: p.eventType,
      faultType: p.faultType,
      probableCause: p.probableCause,
      isRootCause: true,
      correlatedAlarmIds: [],
      faultDetails: [`vnfInstanceId=${e.vnfId}`, `computeId=${e.computeId}`, ...(e.exitCode === undefined ? [] : [`exitCode=${e.exitCode}`])],
    });
    const view = toAlarmView(alarm, this.#apiBase());
    if (created) {
      this.#o.bus.publish('alarm.raised', alarm);
      await this.#o.notifications?.publishAlarm(view, alarm.tenant);
    }
    return view;
  }

  /** Clears the VNF's active alarms on its NS; returns them. */
  async clearFor(e: Pick<VnfEvent, 'nsId' | 'vnfId'>): Promise<void> {
    for (const alarm of await this.#o.repo.clear(e.nsId, e.vnfId, this.#o.clock.now())) {
      this.#o.bus.publish('alarm.cleared', alarm);
      await this.#o.notifications?.publishAlarmCleared(toAlarmView(alarm, this.#apiBase()), alarm.tenant);
    }
  }

  /** Alarms matching the filter, as the API shows them. */
  async list(filter: AlarmFilter = {}): Promise<AlarmView[]> {
    return (await this.#o.repo.list(filter)).map((a) => toAlarmView(a, this.#apiBase()));
  }

  /** One alarm; NotFoundError when missing or of a tenant other than `scope` (when given). */
  async get(id: string, scope?: string): Promise<AlarmView> {
    return toAlarmView(await this.#record(id, scope), this.#apiBase());
  }

  /**
   * Acknowledges (SOL005 §7.4.3.3.4 PATCH). NotFoundError when missing or of a tenant
   * other than `scope` (when given); ConflictError `ALARM_ALREADY_ACKNOWLEDGED` (409)
   * when it already is.
   */
  async acknowledge(id: string, scope?: string): Promise<AlarmView> {
    await this.#record(id, scope);
    const a = await this.#o.repo.acknowledge(id, this.#o.clock.now());
    if (a) return toAlarmView(a, this.#apiBase());
    throw new ConflictError(`alarm ${id} is already acknowledged`, { code: 'ALARM_ALREADY_ACKNOWLEDGED', details: { alarmId: id } });
  }

  async #record(id: string, scope: string | undefined): Promise<AlarmRecord> {
    const a = await this.#o.repo.get(id);
    // Another tenant's alarm answers exactly like a missing one.
    if (!a || (scope !== undefined && a.tenant !== scope)) throw new NotFoundError('alarm', id);
    return a;
  }

  #track(p: Promise<void>): void {
    const w = p.catch((e) => this.#o.onError?.(e));
    this.#pending.add(w);
    void w.finally(() => this.#pending.delete(w));
  }
}
