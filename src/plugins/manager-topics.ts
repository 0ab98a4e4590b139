import { PLUGIN_TOPICS } from './plugin-topics.js';

/**
 * Topics of one NS's specific managers (docs/plugins.md, "Specific managers"). Every
 * topic a manager of NS `<nsId>` may use starts with `mano.ns.<nsId>.`, so one topic
 * permission per manager user keeps it inside its own NS.
 */
export const nsTopicPrefix = (nsInstanceId: string): string => `mano.ns.${nsInstanceId}`;

/** The NS-scoped request topics. */
export const NS_MANAGER_TOPICS = {
  /** Request, Rondo → the NS's placement SSM: {@link PlacementRequest} → {@link PlacementReply}. */
  place: (ns: string) => `${nsTopicPrefix(ns)}.service.place`,
  /** Request, Rondo → the NS's configure SSM, once every VNF started: {@link ServiceConfigureRequest} → {@link ManagerAck}. */
  configure: (ns: string) => `${nsTopicPrefix(ns)}.service.configure`,
  /** Request, Rondo → one FSM, per VNF it manages: {@link FunctionManagerRequest} → {@link ManagerAck}. */
  fsm: (ns: string, managerId: string, action: FsmAction) => `${nsTopicPrefix(ns)}.function.${managerId}.${action}`,
  /** Event, Rondo → the NS's managers (a monitoring SSM): each alarm raised or cleared on the NS ({@link ServiceAlarmEvent}). */
  alarm: (ns: string) => `${nsTopicPrefix(ns)}.service.alarm`,
  /** Request, a manager (a monitoring SSM) → Rondo: heal or scale a VNF of this NS ({@link ServiceActionRequest} → {@link ServiceActionReply}). */
  action: (ns: string) => `${nsTopicPrefix(ns)}.service.action`,
  /** Event, Rondo → anyone: a manager's failure Rondo went on without (an FSM's `stop` at termination): {@link ManagerWarning}. */
  warning: (ns: string) => `${nsTopicPrefix(ns)}.manager.warning`,
  /** Request, a manager → Rondo: run a command in a VNF of this NS ({@link ExecRequest} → {@link ExecReply}). */
  exec: (ns: string) => `${nsTopicPrefix(ns)}.exec`,
} as const;

/** What Rondo asks an FSM, per VNF. */
export const FSM_ACTIONS = ['start', 'stop', 'configure', 'scale'] as const;
export type FsmAction = (typeof FSM_ACTIONS)[number];

/** `mano.ns.<nsId>.function.<managerId>.<action>`: one VNF of the NS. */
export interface FunctionManagerRequest {
  readonly nsInstanceId: string;
  readonly nsLcmOpOccId: string;
  readonly action: FsmAction;
  readonly vnfInstanceId: string;
  readonly memberId: string;
  readonly vnfdId: string | null;
  readonly popId: string;
  readonly computeIds: readonly string[];
  /** `scale` only: the aspect and the direction (computeIds are the VNF's VNFC computes after the scaling). */
  readonly aspectId?: string;
  readonly direction?: 'SCALE_OUT' | 'SCALE_IN';
}

/** `mano.ns.<nsId>.manager.warning`: what failed, and that Rondo went on. */
export interface ManagerWarning {
  readonly nsInstanceId: string;
  readonly nsLcmOpOccId: string;
  readonly manager: string;
  readonly action: FsmAction;
  /** The VNF it was asked about, when the failure is about one. */
  readonly vnfInstanceId?: string;
  readonly reason: string;
}

/** `mano.ns.<nsId>.service.configure`: every VNF of the NS, started. */
export interface ServiceConfigureRequest {
  readonly nsInstanceId: string;
  readonly nsLcmOpOccId: string;
  readonly vnfs: readonly { readonly vnfInstanceId: string; readonly memberId: string; readonly vnfdId: string | null; readonly popId: string }[];
}

/** `mano.ns.<nsId>.service.alarm`: an alarm of the NS raised or cleared (the SOL005 alarm's main fields). */
export interface ServiceAlarmEvent {
  readonly event: 'alarm.raised' | 'alarm.cleared';
  readonly nsInstanceId: string;
  readonly alarm: {
    readonly id: string;
    /** The VNF instance (and its NS member) at fault, when it is still known. */
    readonly vnfInstanceId: string | null;
    readonly memberId: string | null;
    /** `VNF_DOWN`, `VNF_OUT_OF_MEMORY`, `VNF_UNHEALTHY`, … */
    readonly probableCause: string;
    readonly perceivedSeverity: string;
    readonly faultType: string | null;
    readonly eventType: string;
    readonly alarmRaisedTime: string;
    readonly alarmClearedTime: string | null;
    readonly faultDetails: readonly string[];
  };
}

/** `mano.ns.<nsId>.service.action`: what a manager asks Rondo to do to a VNF of its NS (an automatic operation). */
export type ServiceActionRequest =
  | { readonly action: 'HEAL'; readonly vnfInstanceId: string; readonly cause?: string }
  | { readonly action: 'SCALE'; readonly vnfInstanceId: string; readonly aspectId: string; readonly direction: 'SCALE_OUT' | 'SCALE_IN'; readonly steps?: number };

/** The answer to a {@link ServiceActionRequest}: the operation Rondo started (an error is the bus's error reply). */
export interface ServiceActionReply {
  readonly status: 'OK';
  readonly nsLcmOpOccId: string;
}

/** What a manager answers Rondo's lifecycle requests with. */
export interface ManagerAck {
  readonly status: 'OK';
  /** Free text shown in the log. */
  readonly detail?: string;
}

/** `mano.ns.<nsId>.exec`: a command (argv, no shell) in one VNF of the NS (its first compute unless `computeId`). */
export interface ExecRequest {
  readonly vnfInstanceId: string;
  readonly command: readonly string[];
  readonly computeId?: string;
}

/** The answer to an exec. */
export interface ExecReply {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The broker names of one manager: its user, and what its own queues start with. */
export interface ManagerBrokerNames {
  readonly user: string;
  readonly queuePrefix: string;
}

/** A manager's user and queue prefix: `<prefix>.mgr.<nsId>.<managerId>` (user and queue prefix alike). */
export function managerBrokerNames(prefix: string, nsInstanceId: string, managerId: string): ManagerBrokerNames {
  const name = `${prefix}.mgr.${nsInstanceId}.${managerId}`;
  return { user: name, queuePrefix: name };
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** The vhost and topic permissions of a manager's user (RabbitMQ regexes). */
export interface ManagerPermissions {
  /** Vhost permissions: resource names (queues, exchanges). */
  readonly configure: string;
  readonly write: string;
  readonly read: string;
  /** Topic permissions on the exchange: routing keys. */
  readonly topic: { readonly exchange: string; readonly write: string; readonly read: string };
}

/**
 * What a manager of NS `nsId` may do on the broker:
 * - make, bind and consume only queues named `<queuePrefix>.…` (configure, read);
 * - publish to the exchange `<prefix>.events` and answer requests through the default
 *   exchange (`amq.default`: replies go to the requester's reply queue by name);
 * - on the exchange, publish only routing keys of its NS (`mano.ns.<nsId>.…`) and the
 *   plugin manager's `register`, `heartbeat`, `deregister`; bind (hear) only its NS's
 *   keys and the plugin lifecycle topics (`platform.management.plugin.<uuid>.lifecycle`).
 */
export function managerPermissions(prefix: string, nsInstanceId: string, managerId: string): ManagerPermissions {
  const { queuePrefix } = managerBrokerNames(prefix, nsInstanceId, managerId);
  const exchange = `${prefix}.events`;
  const own = `${esc(queuePrefix)}\\..*`;
  const ns = `${esc(nsTopicPrefix(nsInstanceId))}\\..*`;
  const pm = [PLUGIN_TOPICS.register, PLUGIN_TOPICS.heartbeat, PLUGIN_TOPICS.deregister].map(esc).join('|');
  return {
    configure: `^${own}$`,
    write: `^(${own}|${esc(exchange)}|amq\\.default)$`,
    read: `^(${own}|${esc(exchange)})$`,
    topic: { exchange, write: `^(${ns}|${pm})$`, read: `^(${ns}|platform\\.management\\.plugin\\.[^.]+\\.lifecycle)$` },
  };
}
