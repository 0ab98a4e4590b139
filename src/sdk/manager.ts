import { RondoError } from '../model/index.js';
import { NS_MANAGER_TOPICS } from '../plugins/index.js';
import type { ExecReply, FsmAction, FunctionManagerRequest, ManagerAck, PlacementReply, PlacementRequest, ServiceActionReply, ServiceActionRequest, ServiceAlarmEvent, ServiceConfigureRequest } from '../plugins/index.js';
import { connectPlugin } from './plugin-sdk.js';
import type { ConnectPluginOptions, RondoPlugin } from './plugin-sdk.js';

/** What Rondo tells a specific manager it started, by environment (docs/plugins.md). */
export interface ManagerEnv {
  /** `RONDO_AMQP_URL`: the broker, with this manager's own user. */
  readonly amqpUrl: string;
  readonly prefix: string;
  /** `RONDO_AMQP_QUEUE_PREFIX`: the only queue names its user may make. */
  readonly queuePrefix: string;
  readonly nsInstanceId: string;
  readonly managerId: string;
  readonly kind: 'ssm' | 'fsm';
  /** The name it must register under (`<nsId>.<managerId>`): Rondo waits for it. */
  readonly name: string;
  /** FSMs: the NS members it manages. */
  readonly members: readonly string[];
  /** The descriptor's options. */
  readonly options: Readonly<Record<string, string>>;
}

/** Reads {@link ManagerEnv}; throws RondoError `PLUGIN_INVALID` naming what is missing (not started by Rondo). */
export function managerEnv(env: NodeJS.ProcessEnv = process.env): ManagerEnv {
  const need = (k: string): string => {
    const v = env[k];
    if (!v) throw new RondoError('PLUGIN_INVALID', `${k} is not set: a specific manager runs in the container Rondo starts for it (docs/plugins.md)`);
    return v;
  };
  const kind = need('RONDO_MANAGER_KIND');
  return {
    amqpUrl: need('RONDO_AMQP_URL'), prefix: env['RONDO_AMQP_PREFIX'] ?? 'rondo', queuePrefix: need('RONDO_AMQP_QUEUE_PREFIX'),
    nsInstanceId: need('RONDO_NS_ID'), managerId: need('RONDO_MANAGER_ID'), kind: kind === 'fsm' ? 'fsm' : 'ssm', name: need('RONDO_MANAGER_NAME'),
    members: JSON.parse(env['RONDO_MANAGER_MEMBERS'] ?? '[]') as string[],
    options: JSON.parse(env['RONDO_MANAGER_OPTIONS'] ?? '{}') as Record<string, string>,
  };
}

/** A connected specific manager: typed handlers for the lifecycle points of its NS, and the mediated exec. */
export interface ManagerConnection {
  readonly env: ManagerEnv;
  readonly plugin: RondoPlugin;
  /** Placement SSM: answers `mano.ns.<nsId>.service.place`. */
  onPlace(handler: (req: PlacementRequest) => Promise<PlacementReply> | PlacementReply): Promise<void>;
  /** Configure SSM: `mano.ns.<nsId>.service.configure`, once every VNF started. */
  onConfigure(handler: (req: ServiceConfigureRequest) => Promise<ManagerAck | void> | ManagerAck | void): Promise<void>;
  /** FSM: `mano.ns.<nsId>.function.<managerId>.<action>`, per VNF it manages. */
  onFunction(action: FsmAction, handler: (req: FunctionManagerRequest) => Promise<ManagerAck | void> | ManagerAck | void): Promise<void>;
  /** Monitoring SSM: each alarm raised or cleared on its NS (`mano.ns.<nsId>.service.alarm`), while it is connected. */
  onAlarm(handler: (event: ServiceAlarmEvent) => Promise<void> | void): Promise<void>;
  /**
   * Monitoring SSM: asks Rondo to HEAL or SCALE a VNF of its NS (`mano.ns.<nsId>.service.action`);
   * resolves with the automatic operation Rondo started, rejects with Rondo's error (e.g. a
   * 409 code when another operation of the NS runs).
   */
  requestAction(req: ServiceActionRequest, timeoutMs?: number): Promise<ServiceActionReply>;
  /** Runs a command (argv) in a VNF of its NS, through Rondo (`mano.ns.<nsId>.exec`). */
  exec(vnfInstanceId: string, command: readonly string[], timeoutMs?: number): Promise<ExecReply>;
  close(): Promise<void>;
}

/**
 * Connects a specific manager from the environment Rondo gave its container, and
 * registers it under the name Rondo waits for. Each `on…` serves one NS-scoped request
 * topic and announces it to the registry (Rondo asks only managers that serve a point).
 */
export async function connectManager(o: { readonly version?: string; readonly description?: string; readonly env?: NodeJS.ProcessEnv } & Pick<ConnectPluginOptions, 'onError' | 'onLifecycle'> = {}): Promise<ManagerConnection> {
  const env = managerEnv(o.env);
  const plugin = await connectPlugin({
    name: env.name, version: o.version ?? '1.0.0', ...(o.description ? { description: o.description } : {}),
    amqpUrl: env.amqpUrl, prefix: env.prefix, queuePrefix: env.queuePrefix,
    ...(o.onError ? { onError: o.onError } : {}), ...(o.onLifecycle ? { onLifecycle: o.onLifecycle } : {}),
  });
  const ns = env.nsInstanceId;
  const ok = (a: ManagerAck | void): ManagerAck => a ?? { status: 'OK' };
  return {
    env,
    plugin,
    onPlace: (handler) => plugin.serve(NS_MANAGER_TOPICS.place(ns), async (req) => handler(req as PlacementRequest)),
    onConfigure: (handler) => plugin.serve(NS_MANAGER_TOPICS.configure(ns), async (req) => ok(await handler(req as ServiceConfigureRequest))),
    onFunction: (action, handler) => plugin.serve(NS_MANAGER_TOPICS.fsm(ns, env.managerId, action), async (req) => ok(await handler(req as FunctionManagerRequest))),
    onAlarm: (handler) => plugin.on(NS_MANAGER_TOPICS.alarm(ns), async (event) => handler(event as ServiceAlarmEvent)),
    requestAction: async (req, timeoutMs = 30_000) => (await plugin.request(NS_MANAGER_TOPICS.action(ns), req, timeoutMs)) as ServiceActionReply,
    exec: async (vnfInstanceId, command, timeoutMs = 30_000) => (await plugin.request(NS_MANAGER_TOPICS.exec(ns), { vnfInstanceId, command }, timeoutMs)) as ExecReply,
    close: () => plugin.close(),
  };
}
