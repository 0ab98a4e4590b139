import type { OpStep } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { LABEL_LINK, LABEL_NS, LABEL_POP, LABEL_POPS, LABEL_STEP, LABEL_VNF, startComputeOf, stopComputeOf, tunnelsOf } from '../vim/index.js';
import type { ComputeInfo, Labels, VimDriver } from '../vim/index.js';
import type { ComputeStepParams, PlannedInterface, PowerStepParams, RecreateStepParams, TunnelStepParams } from './ns-plan-types.js';
import { typedStep } from './op-step-view.js';
import { isSick } from './day2-planner.js';
import { routeCommands } from './service-chain.js';
import { runStackStep } from './heat-step-runner.js';
import { forEachInLanes } from './lanes.js';

/** A command inside a compute exited non-zero. */
export class StepCommandError extends RondoError {
  constructor(readonly compute: string, readonly cmd: readonly string[], readonly exitCode: number, stderr: string) {
    super('STEP_COMMAND_FAILED', `\`${cmd.join(' ')}\` exited with ${exitCode} in ${compute}${stderr ? `: ${stderr.trim().slice(0, 500)}` : ''}`, {
      details: { compute, cmd, exitCode },
    });
  }
}

/** Interfaces of a created compute as recorded in its step result (a type alias: see ns-plan-types.ts). */
export type ComputeStepResult = {
  readonly computeId: string;
  readonly name: string;
  readonly interfaces: readonly {
    readonly network: string; readonly linkId: string; readonly cp: string; readonly address: string; readonly prefix: number; readonly ifName?: string; readonly macAddress?: string;
  }[];
};

/** What a step needs besides its own params. */
export interface StepContext {
  readonly nsInstanceId: string;
  readonly driver: (popId: string) => VimDriver;
  /** Results of the op's DONE compute steps by compute name (device names for routes). */
  readonly computes: ReadonlyMap<string, ComputeStepResult>;
  readonly signal: AbortSignal;
  /** How many deletions of a sweep run at once. */
  readonly sweepConcurrency: number;
  /**
   * Computes that a route or start step of this operation, not yet done, execs into after
   * they are made: that exec names their interfaces (see {@link interfaceNames}), so their
   * create step leaves it to it (`ComputeSpec.nameInterfacesLater`).
   */
  readonly namedLater?: ReadonlySet<string>;
}

/**
 * The interface names a route or start step makes sure of in its exec: those of the
 * compute's step result, when there is something a VIM may have got wrong (more than one
 * interface, or one not called eth0) and every name is known.
 */
function interfaceNames(itfs: ComputeStepResult['interfaces']): { address: string; ifName: string }[] | undefined {
  if (itfs.length === 0 || (itfs.length === 1 && itfs[0]?.ifName === 'eth0')) return undefined;
  const named = itfs.flatMap((i) => (i.ifName ? [{ address: i.address, ifName: i.ifName }] : []));
  return named.length === itfs.length ? named : undefined;
}

/**
 * Runs `commands` in `compute` in order, stopping at the first that fails: one round trip
 * where the driver can (naming the interfaces first, when asked), else one exec each.
 */
async function execEach(driver: VimDriver, compute: string, commands: readonly (readonly string[])[], signal: AbortSignal, interfaces?: readonly { address: string; ifName: string }[]): Promise<void> {
  if (driver.execAll && (commands.length > 1 || interfaces)) {
    const r = await driver.execAll(compute, commands, signal, interfaces ? { interfaces } : {});
    if (r.exitCode !== 0) throw new StepCommandError(compute, r.failedCommand ?? commands.flat(), r.exitCode, r.stderr);
    return;
  }
  for (const cmd of commands) await execChecked(driver, compute, cmd, signal);
}

// Start commands run detached: 5GTANGO ran them in a thread because many never return
// (servers); an exec that waits would hold the step until its deadline.
const detached = (cmd: string): string[] => ['sh', '-c', `nohup sh -c '${cmd.replace(/'/g, `'\\''`)}' >/tmp/rondo-start.log 2>&1 &`];

/**
 * Runs one step against its PoP's driver and returns the step result to persist. Every
 * verb is idempotent (create by name + `rondo.step` label, delete of missing succeeds),
 * so a step found PENDING or RUNNING after a crash simply runs again. Throws the VimError, or
 * StepCommandError for a route/start command that exits non-zero. Stop commands are
 * best effort: their outcome is recorded, never thrown.
 */
export async function runStep(step: OpStep, ctx: StepContext): Promise<Record<string, unknown>> {
  const driver = ctx.driver(step.popId);
  const base = { [LABEL_NS]: ctx.nsInstanceId, [LABEL_STEP]: step.id, [LABEL_POP]: step.popId };
  const s = typedStep(step);
  switch (s.kind) {
    // Heat path: `stack` steps create or sweep Heat stacks (heat-step-runner.ts).
    case 'stack':
      return runStackStep(s, ctx, driver);
    case 'network': {
      const p = s.params;
      if (p.action === 'sweep') return sweep(step, ctx, driver);
      const net = await driver.createNetwork(
        {
          name: p.name, subnet: p.subnet, gateway: p.gateway, ...(p.mtu ? { mtu: p.mtu } : {}), ...(p.noGateway ? { noGateway: true } : {}),
          labels: { ...base, [LABEL_LINK]: p.linkId, ...(p.pops ? { [LABEL_POPS]: p.pops.join(',') } : {}) },
        },
        ctx.signal,
      );
      return { networkId: net.id, name: net.name, subnet: net.subnet };
    }
    case 'tunnel':
      return tunnel(step, s.params, ctx);
    case 'compute': {
      const p = s.params;
      switch (p.action) {
        case 'sweep':
          return sweep(step, ctx, driver);
        case 'recreate':
          return recreate(step, p, driver, base, ctx.signal);
        case 'stop':
        case 'start':
          return power(p, driver, ctx.signal);
        case 'remove':
          // SCALE in: deleting a compute that is already gone succeeds, so a re-run is harmless.
          await driver.deleteCompute(p.name, {}, ctx.signal);
          return { name: p.name, removedComputeId: p.computeId };
      }
      const info = await driver.createCompute({ ...computeSpec(p, base), ...(ctx.namedLater?.has(p.name) ? { nameInterfacesLater: true } : {}) }, ctx.signal);
      return computeResult(p, info);
    }
    case 'route': {
      const p = s.params;
      const itfs = ctx.computes.get(p.compute)?.interfaces ?? [];
      const commands = p.routes.flatMap((r) => routeCommands(r, itfs.find((i) => i.linkId === r.viaLinkId)?.ifName));
      // A scaled neighbour's routes are up to 16 blocks per destination: one round trip for all where the driver can.
      await execEach(driver, p.compute, commands, ctx.signal, interfaceNames(itfs));
      return { commands };
    }
    case 'start': {
      const p = s.params;
      const commands = p.commands.map((c) => (p.detach ? detached(c) : ['sh', '-c', c]));
      await execEach(driver, p.compute, commands, ctx.signal, interfaceNames(ctx.computes.get(p.compute)?.interfaces ?? []));
      return { commands };
    }
    case 'stop': {
      const p = s.params;
      // A graceful stop gives its commands `timeoutSeconds` together; then the stop goes on.
      const signal = p.timeoutSeconds === undefined ? ctx.signal : AbortSignal.any([ctx.signal, AbortSignal.timeout(p.timeoutSeconds * 1000)]);
      const outcomes: Record<string, unknown>[] = [];
      for (const c of p.commands) {
        try {
          const r = await driver.exec(p.compute, ['sh', '-c', c], signal);
          outcomes.push({ command: c, exitCode: r.exitCode });
        } catch (e) {
          outcomes.push({ command: c, error: e instanceof Error ? e.message : String(e) });
        }
      }
      return { outcomes };
    }
  }
}

/**
 * An inter-PoP link: its endpoint on every engine (made concurrently; each idempotent),
 * then each pointed at the others' underlay addresses with the link's rate. A re-run
 * makes nothing twice and sets the peering again (endpoints made again get new underlay
 * addresses, which every peer then learns).
 */
async function tunnel(step: OpStep, p: TunnelStepParams, ctx: StepContext): Promise<Record<string, unknown>> {
  const made = await Promise.all(
    p.endpoints.map(async (e) => {
      const labels = { [LABEL_NS]: ctx.nsInstanceId, [LABEL_STEP]: step.id, [LABEL_POP]: e.popId, [LABEL_LINK]: p.linkId };
      const info = await tunnelsOf(ctx.driver(e.popId)).createTunnelEndpoint({ name: e.name, network: e.network, address: e.address, vni: p.vni, underlay: e.underlay, labels }, ctx.signal);
      return { popId: e.popId, id: info.id, name: info.name, underlayAddress: info.underlayAddress };
    }),
  );
  await Promise.all(
    made.map((e) => {
      const peers = made.filter((x) => x !== e).map((x) => x.underlayAddress);
      return tunnelsOf(ctx.driver(e.popId)).connectTunnel(e.name, { peers, ...(p.bandwidthMbps === undefined ? {} : { bandwidthMbps: p.bandwidthMbps }) }, ctx.signal);
    }),
  );
  return { vni: p.vni, linkId: p.linkId, endpoints: made, ...(p.bandwidthMbps === undefined ? {} : { bandwidthMbps: p.bandwidthMbps }) };
}

async function execChecked(driver: VimDriver, compute: string, cmd: readonly string[], signal: AbortSignal): Promise<void> {
  const r = await driver.exec(compute, cmd, signal);
  if (r.exitCode !== 0) throw new StepCommandError(compute, cmd, r.exitCode, r.stderr);
}

/** The VIM's spec of a planned compute, labelled with the step that makes it. */
function computeSpec(p: ComputeStepParams, base: Labels, macs: Readonly<Record<string, string>> = {}): Parameters<VimDriver['createCompute']>[0] {
  return {
    name: p.name, image: p.image, vcpus: p.vcpus, ...(p.cpuBw === undefined ? {} : { cpuBw: p.cpuBw }), memoryMiB: p.memoryMiB,
    interfaces: p.interfaces.map((i) => ({ network: i.network, address: i.address, ...(macs[i.network] ? { macAddress: macs[i.network] } : {}) })), env: p.env,
    labels: { ...base, [LABEL_VNF]: p.memberId }, ...(p.command ? { command: p.command } : {}),
  };
}

/**
 * HEAL: the compute made again from its spec. One this step already made (its `rondo.step`
 * label) that runs healthy is kept, so a re-run after a crash does not re-create twice;
 * anything else by that name (the dead or sick one, or a half-made one of this step) is
 * removed first. The result also names the compute it replaced.
 */
async function recreate(step: OpStep, p: RecreateStepParams, driver: VimDriver, base: Labels, signal: AbortSignal): Promise<Record<string, unknown>> {
  const now = await driver.status(p.name, signal);
  const ours = now.state !== 'DELETED' && now.labels[LABEL_STEP] === step.id && !isSick(now);
  if (!ours && now.state !== 'DELETED') await driver.deleteCompute(p.name, {}, signal);
  const { replaces, macs, action: _a, ...spec } = p;
  const info = await driver.createCompute(computeSpec({ ...spec, action: 'create' }, base, macs), signal);
  return { ...computeResult(spec, info), replaced: replaces };
}

/** OPERATE_VNF: the compute stopped (kept) or started again; a started one's result names its interfaces for the routes. */
async function power(p: PowerStepParams, driver: VimDriver, signal: AbortSignal): Promise<Record<string, unknown>> {
  if (p.action === 'stop') {
    const info = await stopComputeOf(driver)(p.name, { graceSeconds: p.graceSeconds ?? 0 }, signal);
    return { computeId: info.id, name: p.name, state: info.state, stopped: true };
  }
  const info = await startComputeOf(driver)(p.name, signal);
  return { ...computeResult(p, info), name: p.name, state: info.state };
}

function computeResult(p: { readonly interfaces: readonly PlannedInterface[] }, info: ComputeInfo): ComputeStepResult {
  return {
    computeId: info.id,
    name: info.name,
    interfaces: p.interfaces.map((i, n) => {
      const realised = info.interfaces?.find((x) => x.network === i.network);
      const ifName = realised?.ifName ?? info.interfaces?.[n]?.ifName;
      const macAddress = realised?.macAddress ?? info.interfaces?.[n]?.macAddress;
      return { network: i.network, linkId: i.linkId, cp: i.cp, address: i.address, prefix: i.prefix, ...(ifName ? { ifName } : {}), ...(macAddress ? { macAddress } : {}) };
    }),
  };
}

/** How many networks a sweep deletes at once. */
const NETWORK_SWEEP_LANES = 4;

async function sweep(step: OpStep, ctx: StepContext, driver: VimDriver): Promise<Record<string, unknown>> {
  const kind = step.kind === 'network' ? 'network' : 'compute';
  const found = (await driver.listByLabel({ [LABEL_NS]: ctx.nsInstanceId }, ctx.signal)).filter((r) => r.kind === kind);
  // Networks 4 at a time: Docker 20.10 removes 11 bridges in about 390 ms so, 460 ms one
  // by one (its creates are the other way round: ten times slower side by side, so an
  // instantiation makes them one at a time).
  await forEachInLanes(found, kind === 'network' ? Math.min(NETWORK_SWEEP_LANES, ctx.sweepConcurrency) : ctx.sweepConcurrency, (r) =>
    kind === 'network' ? driver.deleteNetwork(r.id, ctx.signal) : driver.deleteCompute(r.id, {}, ctx.signal),
  );
  return { deleted: found.map((r) => r.name) };
}
