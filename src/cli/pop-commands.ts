import type { Command } from 'commander';
import type * as LocalPopModule from '../vim/docker/local-pop.js';
// The engine code (dockerode and its SSH stack, ~300 ms to load) is imported when a pop
// command runs, not each time any `rondo` command starts.
type LocalPop = typeof LocalPopModule;
const localPop = (): Promise<LocalPop> => import('../vim/docker/local-pop.js');
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printJson } from './output.js';
import type { Output } from './output.js';

interface VimView { id: string; endpoint: string }

const vimPath = (id: string) => `/admin/v1/vims/${encodeURIComponent(id)}`;
const statusOf = (e: unknown): number | undefined => (e instanceof CliError ? (e.details as { status?: number } | undefined)?.status : undefined);

/** The local engine of a PoP, or a usage error for a name it cannot carry. */
async function engineOf(pop: string, bridgeAddress?: string): Promise<ReturnType<LocalPop['localPopEngine']>> {
  const { localPopEngine } = await localPop();
  try {
    return localPopEngine(pop, bridgeAddress);
  } catch (e) {
    throw new CliError(`pop: ${(e as Error).message}`, EXIT.usage);
  }
}

const needRoot = (verb: string): void => {
  if (process.getuid?.() !== 0) throw new CliError(`pop ${verb}: starting and stopping a Docker engine needs root`, EXIT.usage, undefined, `run "sudo rondo pop ${verb} …"`);
};

/**
 * `rondo pop up <name>` / `rondo pop down <name>`: a PoP on an extra Docker engine of this
 * machine, for local labs. `up` starts a dockerd with its own socket, data root, exec root,
 * pidfile and bridge (`--iptables=false`), builds the VNF images in it from busybox-static
 * and registers it as Docker VIM account `<name>` on the server (idempotent: a running
 * engine and an account on its socket are kept). `down` removes the account (refused
 * while an NS instance uses it), then stops the engine and removes its files and bridge.
 * Needs root, and a server on this machine (the account's endpoint is a local socket).
 */
export function registerPopCommands(program: Command, out: Output): void {
  const pop = program.command('pop').description('local lab PoPs: an extra Docker engine on this machine per PoP');

  pop.command('up')
    .description('start a Docker engine of its own for PoP <name> and register it as a VIM account')
    .argument('<name>', 'PoP name (also the VIM account id)')
    .option('--bridge-address <cidr>', "the engine's bridge gateway, e.g. 172.31.150.1/24 (default: a free 172.31.100-199.1/24)")
    .option('--no-images', 'do not build the VNF images (vnf/busybox, vnf/sap) in it')
    .action(async (name: string, o: { bridgeAddress?: string; images: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      needRoot('up');
      const { engine, state } = await engineOf(name, o.bridgeAddress);
      const say = (line: string): void => {
        if (!ctx.json) out.err(line);
      };
      const running = engine.pid !== null && (await engine.answers());
      if (running) say(`PoP ${name}: engine already running (pid ${engine.pid})`);
      else {
        say(`PoP ${name}: starting dockerd on ${engine.socket} (bridge ${state.bridge} ${state.bridgeAddress})…`);
        await engine.start().catch((e: unknown) => {
          throw new CliError(`pop up ${name}: the engine did not start`, EXIT.failed, (e as Error).message, `see ${engine.logFile}`);
        });
      }
      (await localPop()).saveLocalPopState(engine, state);
      if (o.images) {
        say(`PoP ${name}: building the VNF and tunnel helper images from busybox-static…`);
        await engine.importVnfImages().catch((e: unknown) => {
          throw new CliError(`pop up ${name}: could not build the VNF images`, EXIT.failed, (e as Error).message, 'run with --no-images to skip them');
        });
      }
      say(`PoP ${name}: registering VIM account ${name} (${engine.endpoint})…`);
      const existing = await ctx.client.get<VimView>(`reading PoP ${name}`, vimPath(name)).catch((e: unknown) => {
        if (statusOf(e) === 404) return undefined;
        throw e;
      });
      if (existing && existing.endpoint !== engine.endpoint) {
        throw new CliError(`pop up ${name}: VIM account ${name} exists with endpoint ${existing.endpoint}`, EXIT.failed, undefined, `pick another name, or remove it with "rondo vim remove ${name}"`);
      }
      if (!existing) await ctx.client.post(`registering PoP ${name}`, '/admin/v1/vims', { name, type: 'docker', endpoint: engine.endpoint, config: { localEngine: true } });
      const result = {
        name, endpoint: engine.endpoint, pid: engine.pid, socket: engine.socket, dataRoot: engine.dataRoot, execRoot: engine.execRoot,
        pidfile: engine.pidfile, bridge: state.bridge, bridgeAddress: state.bridgeAddress, registered: !existing, log: engine.logFile,
      };
      if (ctx.json) printJson(out, result);
      else out.out(`PoP ${name} is up: docker engine ${engine.endpoint} (pid ${result.pid}), VIM account ${name}`);
    });

  pop.command('down')
    .description('deregister PoP <name> and stop and remove its Docker engine')
    .argument('<name>', 'PoP name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      needRoot('down');
      const { engine } = await engineOf(name);
      // The account first: the server refuses (409) while an NS instance uses the PoP,
      // and then the engine must stay.
      const deregistered = await ctx.client.delete(`removing PoP ${name}`, vimPath(name)).then(() => true, (e: unknown) => {
        if (statusOf(e) === 404) return false;
        throw e;
      });
      if (engine.pid !== null && (await engine.answers())) await engine.wipe();
      await engine.remove();
      if (ctx.json) printJson(out, { name, deregistered, removed: true });
      else out.out(`PoP ${name} is down: ${deregistered ? 'VIM account removed, ' : ''}engine stopped, ${engine.runDir} and ${engine.dataRoot} removed`);
    });
}
