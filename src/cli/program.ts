import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import { DEFAULT_URL } from './api-client.js';
import { printError, processOutput } from './output.js';
import type { Output } from './output.js';
import { registerPackageCommands } from './package-commands.js';
import { registerNsdCommands } from './nsd-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerNsCommands } from './ns-commands.js';
import { registerOpCommands } from './op-commands.js';
import { registerVimCommands } from './vim-commands.js';
import { registerPopCommands } from './pop-commands.js';
import { registerReconcileCommands } from './reconcile-commands.js';
import { registerVnfdCommands } from './vnfd-commands.js';
import { registerAuthCommands } from './auth-commands.js';
import { registerVesCommands } from './ves-commands.js';
import { registerAlarmCommands } from './alarm-commands.js';
import { registerEventsCommands } from './events-commands.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerCompletionCommand } from './completion-command.js';
import { registerOsmCommands } from './osm-commands.js';
import { registerPluginCommands } from './plugin-commands.js';
import { registerPolicyCommands } from './policy-commands.js';

/**
 * Builds the `rondo` program: one module per noun registers its commands. To add a noun,
 * write `src/cli/<noun>-commands.ts` with `register<Noun>Commands(program, out)` and call
 * it here.
 */
export function buildProgram(out: Output = processOutput): Command {
  const program = new Command('rondo')
    .description('Rondo NFV MANO: on-board, instantiate and watch network services')
    .version('0.1.0')
    .option('--url <url>', `Rondo API address (env RONDO_URL, default ${DEFAULT_URL})`)
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.out(s.trimEnd()), writeErr: (s) => out.err(s.trimEnd()) });
  registerServeCommand(program);
  registerPackageCommands(program, out);
  registerNsdCommands(program, out);
  registerVimCommands(program, out);
  registerPopCommands(program, out);
  registerNsCommands(program, out);
  registerOpCommands(program, out);
  registerReconcileCommands(program, out);
  registerVnfdCommands(program, out);
  registerAuthCommands(program, out);
  registerVesCommands(program, out);
  registerAlarmCommands(program, out);
  registerEventsCommands(program, out);
  registerPolicyCommands(program, out);
  registerDoctorCommand(program, out);
  // osmclient-style aliases (nsd-create, ns-create --nsd_name …) for OSM users' habits.
  registerOsmCommands(program, out);
  registerPluginCommands(program, out);
  // `completion` reads the whole tree when it runs, so commands registered after it are included.
  registerCompletionCommand(program, out);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/**
 * Runs the CLI and returns its exit code: 0 ok, 1 invalid/failed, 2 usage or I/O or
 * connection error. `serve` keeps the process alive after it resolves.
 */
export async function runCli(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const program = buildProgram(out);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const json = argv.includes('--json');
    if (e instanceof CliError) {
      printError(out, e, json);
      return e.exitCode;
    }
    printError(out, new CliError('unexpected failure', EXIT.usage, (e as Error).stack ?? String(e)), json);
    return EXIT.usage;
  }
}
