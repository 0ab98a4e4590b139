import type { Logger } from 'pino';
import type { Bus, BusSubscription } from '../bus/index.js';
import { RondoError } from '../model/index.js';
import type { VnfInstance } from '../model/index.js';
import type { ManagerSpec, SpecificManagers } from '../lifecycle/index.js';
import { NS_MANAGER_TOPICS } from '../plugins/index.js';
import type { ExecReply, FsmAction, FunctionManagerRequest, ManagerWarning, PluginRecord, PluginRepository, ServiceConfigureRequest } from '../plugins/index.js';
import type { VimDriver } from '../vim/index.js';
import { MANAGER_LABELS } from './manager-host.js';
import type { ManagerHost } from './manager-host.js';
import { forwardAlarm, serviceAction } from './ns-service-wiring.js';
import type { ServiceActionLifecycle } from './ns-service-wiring.js';
import type { AlarmRecord } from '../store/index.js';

/** The responder group that runs managers' exec requests (one member of it answers each). */
export const MANAGER_EXEC_GROUP = 'specific-manager-exec';
/** The responder group that runs managers' `service.action` requests. */
export const MANAGER_ACTION_GROUP = 'specific-manager-action';

/** What {@link wireSpecificManagers} is built from. */
export interface ManagerWiringDeps {
  readonly bus: Bus<Record<string, unknown>>;
  readonly host: ManagerHost;
  readonly plugins: PluginRepository;
  /** The VNF records of an NS (exec checks the VNF is one of them). */
  listVnfs(nsInstanceId: string): Promise<VnfInstance[]>;
  /** The VIM driver of a PoP (exec runs through its `exec`). */
  driver(popId: string): VimDriver;
  /** The NS ids whose managers run (containers on the engine), to serve their exec topics again after a restart. */
  runningNs(): Promise<string[]>;
  readonly logger: Logger;
  /** The NS lifecycle service a monitoring SSM's `service.action` requests go to (late: built after this wiring). */
  readonly lifecycle?: () => ServiceActionLifecycle | undefined;
  /** How long a lifecycle request to a manager may take (ms, default 30 000). */
  readonly requestTimeoutMs?: number;
  /** How long one mediated exec may run (ms, default 30 000). */
  readonly execTimeoutMs?: number;
}

/** The lifecycle's {@link SpecificManagers} port, and the exec topics this process serves. */
export interface ManagerWiring extends SpecificManagers {
  /** Serves the exec and action topics of the NSs whose managers run now (call once the bus is up). */
  start(): Promise<void>;
  /** Publishes an alarm raised or cleared on its NS's `service.alarm` topic when the NS has a registered manager; never throws. */
  alarm(event: 'alarm.raised' | 'alarm.cleared', alarm: AlarmRecord): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const isAck = (a: unknown): boolean => typeof a === 'object' && a !== null && (a as { status?: unknown }).status === 'OK';

/** Whether a manager's options make it optional: its failure is logged and the lifecycle goes on (docs/plugins.md). */
const optional = (spec: ManagerSpec): boolean => spec.options['mandatory'] === 'false';

/**
 * The specific managers of NS instances (docs/plugins.md, "Specific managers"): started
 * through the host before placement, asked at the end of an instantiation (FSM `start`
 * per VNF, then configure SSMs), removed at termination and rollback; and, while they
 * run, the NS's Rondo-mediated exec topic (`mano.ns.<nsId>.exec`), which runs a command
 * in a VNF of that NS only.
 */
export function wireSpecificManagers(deps: ManagerWiringDeps): ManagerWiring {
  const timeoutMs = deps.requestTimeoutMs ?? 30_000;
  const execTimeoutMs = deps.execTimeoutMs ?? 30_000;
  const execSubs = new Map<string, BusSubscription>();

  const exec = async (ns: string, payload: unknown): Promise<ExecReply> => {
    const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
    const command = p['command'];
    if (typeof p['vnfInstanceId'] !== 'string' || !Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string')) {
      throw new RondoError('PLUGIN_INVALID', `${NS_MANAGER_TOPICS.exec(ns)}: expected { vnfInstanceId, command: [argv…], computeId? }`);
    }
    const vnf = (await deps.listVnfs(ns)).find((v) => v.id === p['vnfInstanceId']);
    if (!vnf) throw new RondoError('MANAGER_FORBIDDEN', `VNF instance ${String(p['vnfInstanceId'])} is not part of NS ${ns}; a manager may only exec in its own NS's VNFs`);
    const computeId = typeof p['computeId'] === 'string' ? p['computeId'] : vnf.computeIds[0];
    if (!computeId || !vnf.computeIds.includes(computeId)) throw new RondoError('MANAGER_FORBIDDEN', `compute ${String(computeId)} is not one of VNF ${vnf.id}'s`);
    const r = await deps.driver(vnf.popId).exec(computeId, command as string[], AbortSignal.timeout(execTimeoutMs));
    deps.logger.info({ nsInstanceId: ns, vnfInstanceId: vnf.id, command, exitCode: r.exitCode }, 'specific manager: exec in a VNF');
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };

  const serveExec = async (ns: string): Promise<void> => {
    if (execSubs.has(ns)) return;
    execSubs.set(ns, await deps.bus.respond(MANAGER_EXEC_GROUP, [NS_MANAGER_TOPICS.exec(ns)], async (e) => exec(ns, e.payload), { prefetch: 4 }));
    // A monitoring SSM's requests for a HEAL or SCALE of its NS's VNFs (automatic operations).
    const actions = await deps.bus.respond(MANAGER_ACTION_GROUP, [NS_MANAGER_TOPICS.action(ns)], async (e) => serviceAction(ns, e.payload, deps.lifecycle?.(), deps.logger), { prefetch: 2 });
    const execSub = execSubs.get(ns);
    execSubs.set(ns, { close: async () => { await execSub?.close(); await actions.close(); } });
  };

  const registration = async (ns: string, spec: ManagerSpec): Promise<PluginRecord | undefined> =>
    (await deps.plugins.list()).find((p) => p.name === deps.host.pluginName(ns, spec.id) && p.state === 'ACTIVE');

  /** One request to one manager; a failure is MANAGER_FAILED naming it, or a logged fallback when it is optional. */
  const ask = async (ns: string, spec: ManagerSpec, topic: string, payload: unknown, what: string): Promise<void> => {
    const watch = new AbortController();
    try {
      // A manager whose container died answers nothing: stop waiting once it is gone (bounded by the timeout anyway).
      const died = (async (): Promise<never> => {
        while (!watch.signal.aborted) {
          await sleep(500);
          if (!watch.signal.aborted && !(await deps.host.alive(ns, spec.id).catch(() => true))) {
            throw new RondoError('BUS_REQUEST_FAILED', `the container of ${spec.id} stopped while Rondo waited for its answer to ${topic}`);
          }
        }
        return new Promise<never>(() => undefined);
      })();
      const answer = await Promise.race([deps.bus.request(topic, payload, { timeoutMs, key: ns }), died]);
      if (!isAck(answer)) throw new RondoError('BUS_REQUEST_FAILED', `the answer to ${topic} is not { status: "OK" }`);
      deps.logger.info({ nsInstanceId: ns, manager: spec.id, topic, answer }, `specific manager ${spec.id}: ${what} done`);
    } catch (e) {
      const reason = e instanceof RondoError ? `${e.code}: ${e.message}` : String(e);
      if (optional(spec)) {
        deps.logger.warn({ nsInstanceId: ns, manager: spec.id, topic, reason }, `specific manager ${spec.id} (optional) failed ${what}; Rondo goes on without it`);
        return;
      }
      throw new RondoError('MANAGER_FAILED', `${spec.kind.toUpperCase()} ${spec.id} (${spec.image}) failed ${what}: ${reason}`, {
        details: { manager: spec.id, managerKind: spec.kind, image: spec.image, topic, reason },
      });
    } finally {
      watch.abort();
    }
  };

  /**
   * One FSM's `action` for each VNF it manages among `vnfs` (`extra` adds to a VNF's request);
   * `onFailure` set: a failure is handed to it (and the next VNF asked) instead of thrown.
   */
  const fsmCall = async (
    op: { id: string; nsInstanceId: string }, spec: ManagerSpec, action: FsmAction, vnfs: readonly VnfInstance[],
    extra: (v: VnfInstance) => Partial<FunctionManagerRequest> = () => ({}), onFailure?: (e: unknown, v?: VnfInstance) => Promise<void>,
  ): Promise<void> => {
    const ns = op.nsInstanceId;
    const topic = NS_MANAGER_TOPICS.fsm(ns, spec.id, action);
    const reg = await registration(ns, spec);
    if (!reg?.topics.includes(topic)) {
      if (!reg && !optional(spec)) {
        const e = new RondoError('MANAGER_FAILED', `FSM ${spec.id} (${spec.image}) is not registered (dead or gone): cannot ${action} its VNFs`, { details: { manager: spec.id, managerKind: 'fsm' } });
        if (!onFailure) throw e;
        await onFailure(e);
      }
      return;
    }
    for (const v of vnfs) {
      if (v.kind !== 'vnf' || !spec.members.includes(v.memberId)) continue;
      const req: FunctionManagerRequest = {
        nsInstanceId: ns, nsLcmOpOccId: op.id, action, vnfInstanceId: v.id, memberId: v.memberId, vnfdId: v.vnfdId, popId: v.popId, computeIds: [...v.computeIds], ...extra(v),
      };
      try {
        await ask(ns, spec, topic, req, `${action} of VNF ${v.memberId}`);
      } catch (e) {
        if (!onFailure) throw e;
        await onFailure(e, v);
      }
    }
  };

  /** Logs a manager failure Rondo goes on without, and publishes it on the NS's warning topic. */
  const warn = async (op: { id: string; nsInstanceId: string }, spec: ManagerSpec, action: FsmAction, e: unknown, v?: VnfInstance): Promise<void> => {
    const reason = e instanceof RondoError ? `${e.code}: ${e.message}` : String(e);
    const w: ManagerWarning = { nsInstanceId: op.nsInstanceId, nsLcmOpOccId: op.id, manager: spec.id, action, ...(v ? { vnfInstanceId: v.id } : {}), reason };
    deps.logger.warn(w, `specific manager ${spec.id} failed ${action}${v ? ` of VNF ${v.memberId}` : ''}; Rondo goes on without it`);
    await deps.bus.publish(NS_MANAGER_TOPICS.warning(op.nsInstanceId), w as unknown as Record<string, unknown>).catch((err: unknown) => {
      deps.logger.warn({ nsInstanceId: op.nsInstanceId, err }, 'specific manager warning not published');
    });
  };

  return {
    async prepare(ns, specs) {
      await serveExec(ns);
      await deps.host.start(ns, specs);
    },
    async instantiated(op, specs, vnfs) {
      for (const spec of specs.filter((s) => s.kind === 'fsm')) await fsmCall(op, spec, 'start', vnfs);
      const ns = op.nsInstanceId;
      for (const spec of specs.filter((s) => s.kind === 'ssm')) {
        const topic = NS_MANAGER_TOPICS.configure(ns);
        if (!(await registration(ns, spec))?.topics.includes(topic)) continue;
        const req: ServiceConfigureRequest = {
          nsInstanceId: ns, nsLcmOpOccId: op.id,
          vnfs: vnfs.filter((v) => v.kind === 'vnf').map((v) => ({ vnfInstanceId: v.id, memberId: v.memberId, vnfdId: v.vnfdId, popId: v.popId })),
        };
        await ask(ns, spec, topic, req, 'the NS configuration');
      }
    },
    async terminating(op, specs, vnfs) {
      for (const spec of specs.filter((s) => s.kind === 'fsm')) {
        // Its failure never holds the termination back: an optional FSM is treated as a mandatory one here, so it is recorded too.
        const strict: ManagerSpec = { ...spec, options: { ...spec.options, mandatory: 'true' } };
        await fsmCall(op, strict, 'stop', vnfs, () => ({}), (e, v) => warn(op, spec, 'stop', e, v));
      }
    },
    async scaled(op, specs, vnfs, changes) {
      for (const c of changes) {
        const scaledVnfs = vnfs.filter((v) => v.memberId === c.memberId);
        for (const spec of specs.filter((s) => s.kind === 'fsm' && s.members.includes(c.memberId))) {
          await fsmCall(op, spec, 'scale', scaledVnfs, () => ({ aspectId: c.aspectId, direction: c.direction }));
        }
      }
    },
    async release(ns) {
      await deps.host.remove(ns);
      const sub = execSubs.get(ns);
      execSubs.delete(ns);
      await sub?.close();
    },
    async start() {
      for (const ns of await deps.runningNs()) await serveExec(ns);
    },
    alarm: (event, alarm) => forwardAlarm({ bus: deps.bus, plugins: deps.plugins, lifecycle: () => deps.lifecycle?.(), logger: deps.logger }, event, alarm),
    async stop() {
      const subs = [...execSubs.values()];
      execSubs.clear();
      for (const s of subs) await s.close();
    },
  };
}

/** The NS ids of the manager containers on the default engine. */
export const runningManagerNs = async (docker: { listContainers(o: object): Promise<{ Labels: Record<string, string> }[]> }): Promise<string[]> =>
  [...new Set((await docker.listContainers({ all: true, filters: { label: [MANAGER_LABELS.ns] } })).map((c) => c.Labels[MANAGER_LABELS.ns] ?? '').filter((x) => x !== ''))];
