import type { Command } from 'commander';
import type { ReconcileReport } from '../lifecycle/index.js';
import { contextOf } from './cli-context.js';
import { printJson, printTable } from './output.js';
import type { Output } from './output.js';

/**
 * `rondo reconcile [--dry-run] [--json]`: one reconciliation pass on the server
 * (`POST /admin/v1/reconcile`). Prints the orphans found, how many were removed, the
 * VNFs whose computes vanished and the PoPs that could not be listed; exit 1 when a PoP
 * could not be listed or an orphan could not be removed.
 */
export function registerReconcileCommands(program: Command, out: Output): void {
  program
    .command('reconcile')
    .description('compare the PoPs with the records: remove orphaned containers/networks, mark VNFs whose computes vanished')
    .option('--dry-run', 'only report, change nothing')
    .action(async (opts: { dryRun?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const path = `/admin/v1/reconcile${opts.dryRun ? '?dry_run=true' : ''}`;
      const r = (await ctx.client.post<ReconcileReport>('reconciling', path)).body;
      if (ctx.json) printJson(out, r);
      else {
        out.out(`orphans: ${r.orphans.length}${r.dryRun ? ' (dry run: nothing removed)' : `, removed: ${r.removed}`}`);
        printTable(out, ['POP', 'KIND', 'NAME', 'NS', 'REASON'], r.orphans.map((o) => [o.pop, o.kind, o.name, o.ns, o.reason]));
        out.out(`vanished VNFs: ${r.vanished.length}${r.dryRun ? ' (dry run: not marked)' : ' (marked FAILED)'}`);
        if (r.vanished.length > 0) printTable(out, ['NS', 'VNF', 'MEMBER', 'POP', 'MISSING'], r.vanished.map((v) => [v.nsInstanceId, v.vnfInstanceId, v.memberId, v.popId, v.missingComputeIds.join(',')]));
        for (const e of r.errors) out.err(`error: PoP ${e.pop}: ${e.code}: ${e.message}`);
      }
      if (r.errors.length > 0) process.exitCode = 1;
    });
}
