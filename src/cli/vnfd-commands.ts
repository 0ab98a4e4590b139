import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { isRondoError, PackageInvalidError } from '../model/index.js';
import { CliError, EXIT } from './cli-error.js';
import { contextOf } from './cli-context.js';
import { printJson } from './output.js';
import type { Output } from './output.js';

/** Translation targets of `rondo vnfd translate`. */
export const VNFD_TRANSLATE_TARGETS = ['heat'] as const;

/**
 * `rondo vnfd translate VNFD.yaml --to heat -o DIR [--flavour ID] [--named-flavors] [--no-qos] [--strict]`:
 * translates a SOL001 VNFD (imports resolved beside it) into HOT, `DIR/main.yaml` plus one
 * nested template per scaling aspect. Offline: no server needed. Like heat-translator, it
 * drops (or turns into a template parameter) what heat-translator translates with a warning,
 * and prints each warning; `--strict` refuses those instead. Exits 1 with every issue
 * (`file path: message`) when the VNFD has no faithful Heat mapping, 2 for a bad path or target.
 */
export function registerVnfdCommands(program: Command, out: Output): void {
  const vnfd = program.command('vnfd').description('VNF descriptors (offline tools)');

  vnfd
    .command('translate')
    .description('translate a SOL001 VNFD into Heat templates (HOT) as Tacker would deploy it')
    .argument('<vnfd>', 'SOL001 VNFD file (its imports are read from beside it)')
    .requiredOption('--to <target>', `target format: ${VNFD_TRANSLATE_TARGETS.join(', ')}`)
    .requiredOption('-o, --output <dir>', 'folder to write main.yaml (and nested templates) into')
    .option('--flavour <id>', 'deployment flavour, when the VNFD imports several')
    .option('--named-flavors', 'reference rondo-c<vcpus>-m<MiB>-d<GiB> flavors instead of OS::Nova::Flavor resources (no admin needed)')
    .option('--no-qos', 'skip Neutron QoS policies (clouds without the qos extension)')
    .option('--strict', 'refuse what heat-translator would translate with a warning (dropped links, rules, missing image or CIDR)')
    .action(async (file: string, opts: { to: string; output: string; flavour?: string; namedFlavors?: boolean; qos: boolean; strict?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      if (!(VNFD_TRANSLATE_TARGETS as readonly string[]).includes(opts.to)) {
        throw new CliError(`vnfd translate: unknown target ${opts.to}`, EXIT.usage, undefined, `use --to ${VNFD_TRANSLATE_TARGETS.join('|')}`);
      }
      await stat(file).catch((e: NodeJS.ErrnoException) => {
        throw new CliError(`vnfd translate: cannot read ${file}`, EXIT.usage, e.code ?? e.message, 'check the path');
      });
      let written: string[];
      let warnings: readonly { file: string; path: string; message: string }[];
      try {
        const { translateVnfdFile } = await import('../descriptors/etsi/hot/index.js');
        ({ written, warnings } = await translateVnfdFile(file, opts.output, {
          ...(opts.flavour ? { flavour: opts.flavour } : {}),
          ...(opts.namedFlavors ? { flavors: 'named' as const } : {}),
          qos: opts.qos,
          unsupported: opts.strict === true ? 'refuse' : 'warn',
        }));
      } catch (e) {
        if (e instanceof PackageInvalidError) {
          if (ctx.json) printJson(out, { translated: false, code: e.code, issues: e.issues });
          else {
            out.out(`cannot translate ${file} to Heat (${e.code}): ${e.issues.length} issue(s)`);
            for (const i of e.issues) out.out(`${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`);
          }
          process.exitCode = EXIT.failed;
          return;
        }
        throw new CliError(`vnfd translate failed for ${file}`, EXIT.usage, isRondoError(e) || e instanceof Error ? e.message : String(e), 'check that the output folder is writable');
      }
      if (ctx.json) printJson(out, { translated: true, target: opts.to, files: written, warnings });
      else {
        out.out(`translated ${file} to ${written.length} Heat template(s):`);
        for (const w of written) out.out(`  ${w}`);
        for (const w of warnings) out.out(`warning: ${w.file}${w.path ? ` ${w.path}` : ''}: ${w.message}`);
        out.out(`deploy with: openstack stack create -t ${written[0]} <name>`);
      }
    });
}
