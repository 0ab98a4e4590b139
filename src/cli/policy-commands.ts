import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printJson, printTable } from './output.js';
import type { Output } from './output.js';

/** One policy as `/admin/v1/ns_instances/{id}/policies` shows it. */
export interface NsPolicyView {
  id: string;
  type: string;
  nsInstanceId: string;
  vnfId: string;
  enabled: boolean;
  maxAttempts: number;
  backoffSeconds: number;
  source: string;
  origin?: string;
  probe?: { kind: string; intervalSeconds: number; timeoutSeconds: number; retries: number };
  state: { attempts: number; lastFiredAt: string | null; exhaustedAt: string | null };
}

const policiesPath = (ns: string) => `/admin/v1/ns_instances/${encodeURIComponent(ns)}/policies`;

/** A whole number flag within bounds. */
function count(flag: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new CliError(`${flag} ${raw}: not a whole number from 0 to ${max}`, EXIT.usage, undefined, `e.g. ${flag} 3`);
  return n;
}

function printPolicies(out: Output, list: readonly NsPolicyView[]): void {
  printTable(
    out,
    ['POLICY', 'VNF', 'ENABLED', 'MAX', 'BACKOFF', 'SOURCE', 'PROBE', 'ATTEMPTS', 'STATE'],
    list.map((p) => [
      p.id, p.vnfId, p.enabled ? 'on' : 'off', String(p.maxAttempts), `${p.backoffSeconds}s`, p.source,
      p.probe ? `${p.probe.kind}/${p.probe.intervalSeconds}s` : '-', String(p.state.attempts), p.state.exhaustedAt ? 'EXHAUSTED' : p.enabled ? 'ARMED' : '-',
    ]),
  );
}

interface SetOptions { vnf?: string; policy?: string; autoHeal?: string; maxAttempts?: string; backoff?: string }

/** `rondo policy list|set|disable`: the auto-heal policies of an NS instance and their per-instance overrides. */
export function registerPolicyCommands(program: Command, out: Output): void {
  const policy = program.command('policy').description('policies of NS instances (auto-heal per VNF): from the descriptor, the default, or set here');

  policy.command('list')
    .description('list the policies of an NS instance as they apply now, with their firing state')
    .argument('<nsInstanceId>', 'NS instance id')
    .action(async (ns: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.get<NsPolicyView[]>(`listing the policies of ${ns}`, policiesPath(ns));
      if (ctx.json) printJson(out, list);
      else printPolicies(out, list);
    });

  policy.command('set')
    .description('override the auto-heal policy of one VNF of an NS instance (its attempts start afresh)')
    .argument('<nsInstanceId>', 'NS instance id')
    .option('--vnf <vnfId>', 'the VNF member (NSD vnf_id) whose policy to set')
    .option('--policy <policyId>', 'or the policy id (see "rondo policy list")')
    .option('--auto-heal <on|off>', 'heal the VNF automatically when it dies or fails health')
    .option('--max-attempts <n>', 'heals in one run of failures before a CRITICAL alarm stops healing')
    .option('--backoff <seconds>', 'seconds before the second heal (doubling after each)')
    .action(async (ns: string, o: SetOptions, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const id = o.policy ?? o.vnf;
      if (!id) throw new CliError('say which policy: --vnf <vnfId> or --policy <policyId>', EXIT.usage, undefined, `e.g. rondo policy set ${ns} --vnf firewall --auto-heal on`);
      if (o.autoHeal !== undefined && o.autoHeal !== 'on' && o.autoHeal !== 'off') throw new CliError(`--auto-heal ${o.autoHeal}: say on or off`, EXIT.usage);
      const body = {
        ...(o.autoHeal !== undefined ? { enabled: o.autoHeal === 'on' } : {}),
        ...(o.maxAttempts !== undefined ? { maxAttempts: count('--max-attempts', o.maxAttempts, 1000) } : {}),
        ...(o.backoff !== undefined ? { backoffSeconds: count('--backoff', o.backoff, 86_400) } : {}),
      };
      const p = await ctx.client.put<NsPolicyView>(`setting policy ${id} of ${ns}`, `${policiesPath(ns)}/${encodeURIComponent(id)}`, body);
      if (ctx.json) printJson(out, p);
      else printPolicies(out, [p]);
    });

  policy.command('disable')
    .description('turn a policy of an NS instance off')
    .argument('<nsInstanceId>', 'NS instance id')
    .argument('<policyId>', 'policy id, or the VNF member id')
    .action(async (ns: string, id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const p = await ctx.client.put<NsPolicyView>(`disabling policy ${id} of ${ns}`, `${policiesPath(ns)}/${encodeURIComponent(id)}`, { enabled: false });
      if (ctx.json) printJson(out, p);
      else out.out(`policy ${p.id} of ${ns} disabled`);
    });
}
