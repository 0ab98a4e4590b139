import type { Command } from 'commander';
import type { NsdInfo } from '../api/index.js';
import { contextOf } from './cli-context.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

/** `rondo nsd list|show` (SOL005 NSD management). */
export function registerNsdCommands(program: Command, out: Output): void {
  const nsd = program.command('nsd').description('NS descriptors in the catalog');

  nsd
    .command('list')
    .description('list NSDs')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.getAll<NsdInfo>('listing NSDs', '/nsd/v1/ns_descriptors');
      if (ctx.json) printJson(out, list);
      else
        printTable(
          out,
          ['ID', 'NAME', 'VERSION', 'DESIGNER', 'VNFDS', 'ONBOARDING', 'OPERATIONAL', 'USAGE'],
          list.map((n) => [n.id, n.nsdName, n.nsdVersion, n.nsdDesigner, n.vnfPkgIds.length, n.nsdOnboardingState, n.nsdOperationalState, n.nsdUsageState]),
        );
    });

  nsd
    .command('show')
    .description('show one NSD')
    .argument('<id>', 'NsdInfo id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const n = await ctx.client.get<NsdInfo>(`showing NSD ${id}`, `/nsd/v1/ns_descriptors/${encodeURIComponent(id)}`);
      if (ctx.json) printJson(out, n);
      else
        printFields(out, [
          ['id', n.id],
          ['nsdId', n.nsdId],
          ['name', n.nsdName],
          ['version', n.nsdVersion],
          ['designer', n.nsdDesigner],
          ['onboarding', n.nsdOnboardingState],
          ['operational', n.nsdOperationalState],
          ['usage', n.nsdUsageState],
          ['vnfPkgIds', n.vnfPkgIds.join(', ')],
        ]);
    });
}
