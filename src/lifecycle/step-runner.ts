import type { OpStep } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { LABEL_LINK, LABEL_NS, LABEL_POP, LABEL_STEP, LABEL_VNF } from '../vim/index.js';
import type { ComputeInfo, VimDriver } from '../vim/index.js';
import type { CommandStepParams, ComputeStepParams, NetworkStepParams, RouteStepParams } from './ns-plan-types.js';
import { routeCommand } from './service-chain.js';
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

/** Interfaces of a created compute as recorded in its step result. */
export interface ComputeStepResult {
  readonly computeId: string;
  readonly name: string;
  readonly interfaces: readonly {
    readonly network: string; readonly linkId: string; readonly cp: string; readonly address: string; readonly prefix: number; readonly ifName?: string; readonly macAddress?: string;
  }[];
}

/** What a step needs besides its own params. */
export interface StepContext {
  readonly nsInstanceId: string;
  readonly driver: (popId: string) => VimDriver;
  /** Results of the op's DONE compute steps by compute name (device names for routes). */
  readonly computes: ReadonlyMap<string, ComputeStepResult>;
  readonly signal: AbortSignal;
  /** How many deletions of a sweep run at once. */
  readonly sweepConcurrency: number;
}

// Start commands run detached: 5GTANGO ran them in a thread because many never return
// (servers); an exec that waits would hold the step until its deadline.
const detached = (cmd: string): string[] => ['sh', '-c', `nohup sh -c '${cmd.replace(/'/g, `'\\''`)}' >/tmp/rondo-start.log 2>&1 &`];

/**
 * Runs one step against its PoP's driver and returns the step result to persist. Every
 * verb is idempotent (create by name + `rondo.step` label, delete of missing succeeds),
 * so a step found RUNNING after a crash simply runs again. Throws the VimError, or
 * StepCommandError for a route/start command that exits non-zero. Stop commands are
 * best effort: their outcome is recorded, never thrown.
 */
export async function runStep(step: OpStep, ctx: StepContext): Promise<Record<string, unknown>> {
  const driver = ctx.driver(step.popId);
  const base = { [LABEL_NS]: ctx.nsInstanceId, [LABEL_STEP]: step.id, [LABEL_POP]: step.popId };
  const params = step.params as Record<string, unknown>;
  // Heat path: `stack` steps create or sweep Heat stacks (heat-step-runner.ts).
  if (step.kind === 'stack') return runStackStep(step, ctx, driver);
  if (params['action'] === 'sweep') return sweep(step, ctx, driver);
  switch (step.kind) {
    case 'network': {
      const p = params as unknown as NetworkStepParams;
      const net = await driver.createNetwork({ name: p.name, subnet: p.subnet, gateway: p.gateway, labels: { ...base, [LABEL_LINK]: p.linkId } }, ctx.signal);
      return { networkId: net.id, name: net.name, subnet: net.subnet };
    }
    case 'compute': {
      const p = params as unknown as ComputeStepParams;
      const info = await driver.createCompute(
        {
          name: p.name, image: p.image, vcpus: p.vcpus, ...(p.cpuBw === undefined ? {} : { cpuBw: p.cpuBw }), memoryMiB: p.memoryMiB,
          interfaces: p.interfaces.map((i) => ({ network: i.network, address: i.address })), env: p.env,
          labels: { ...base, [LABEL_VNF]: p.memberId }, ...(p.command ? { command: p.command } : {}),
        },
        ctx.signal,
      );
      return computeResult(p, info) as unknown as Record<string, unknown>;
    }
    case 'route': {
      const p = params as unknown as RouteStepParams;
      const itfs = ctx.computes.get(p.compute)?.interfaces ?? [];
      const commands = p.routes.map((r) => routeCommand(r, itfs.find((i) => i.linkId === r.viaLinkId)?.ifName));
      for (const cmd of commands) await execChecked(driver, p.compute, cmd, ctx.signal);
      return { commands };
    }
    case 'start': {
      const p = params as unknown as CommandStepParams;
      const commands = p.commands.map((c) => (p.detach ? detached(c) : ['sh', '-c', c]));
      for (const cmd of commands) await execChecked(driver, p.compute, cmd, ctx.signal);
      return { commands };
    }
    case 'stop': {
      const p = params as unknown as CommandStepParams;
      const outcomes: Record<string, unknown>[] = [];
      for (const c of p.commands) {
        try {
          const r = await driver.exec(p.compute, ['sh', '-c', c], ctx.signal);
          outcomes.push({ command: c, exitCode: r.exitCode });
        } catch (e) {
          outcomes.push({ command: c, error: e instanceof Error ? e.message : String(e) });
        }
      }
      return { outcomes };
    }
  }
}

async function execChecked(driver: VimDriver, compute: string, cmd: readonly string[], signal: AbortSignal): Promise<void> {
  const r = await driver.exec(compute, cmd, signal);
  if (r.exitCode !== 0) throw new StepCommandError(compute, cmd, r.exitCode, r.stderr);
}

function computeResult(p: ComputeStepParams, info: ComputeInfo): ComputeStepResult {
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

async function sweep(step: OpStep, ctx: StepContext, driver: VimDriver): Promise<Record<string, unknown>> {
  const kind = step.kind === 'network' ? 'network' : 'compute';
  const found = (await driver.listByLabel({ [LABEL_NS]: ctx.nsInstanceId }, ctx.signal)).filter((r) => r.kind === kind);
  // Networks one after another (Docker serialises bridge changes anyway).
  await forEachInLanes(found, kind === 'network' ? 1 : ctx.sweepConcurrency, (r) =>
    kind === 'network' ? driver.deleteNetwork(r.id, ctx.signal) : driver.deleteCompute(r.id, {}, ctx.signal),
  );
  return { deleted: found.map((r) => r.name) };
}
