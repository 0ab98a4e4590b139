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
  /** AUTO_HEAL. */
  maxAttempts?: number;
  backoffSeconds?: number;
  /** AUTO_SCALE. */
  aspectId?: string;
  metric?: string;
  scaleOutThreshold?: number | null;
  scaleInThreshold?: number | null;
  windowSeconds?: number;
  cooldownSeconds?: number;
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

/** A number flag within bounds (thresholds, seconds). */
function amount(flag: string, raw: string, max: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new CliError(`${flag} ${raw}: not a number from 0 to ${max}`, EXIT.usage, undefined, `e.g. ${flag} 60`);
  return n;
}

/** What a policy does, in one column: the heal cap and backoff, or the scale rule. */
function ruleOf(p: NsPolicyView): string {
  if (p.type === 'AUTO_SCALE') {
    const rules = [p.scaleOutThreshold == null ? '' : `out >${p.scaleOutThreshold}`, p.scaleInThreshold == null ? '' : `in <${p.scaleInThreshold}`].filter(Boolean).join(' ');
    return `${p.aspectId}: ${p.metric} ${rules} for ${p.windowSeconds}s, cooldown ${p.cooldownSeconds}s`;
  }
  return `max ${p.maxAttempts}, backoff ${p.backoffSeconds}s${p.probe ? `, ${p.probe.kind} every ${p.probe.intervalSeconds}s` : ''}`;
}

function printPolicies(out: Output, list: readonly NsPolicyView[]): void {
  printTable(
    out,
    ['POLICY', 'TYPE', 'VNF', 'ENABLED', 'RULE', 'SOURCE', 'FIRED', 'STATE'],
    list.map((p) => [
      p.id, p.type, p.vnfId, p.enabled ? 'on' : 'off', ruleOf(p), p.source,
      String(p.state.attempts), p.state.exhaustedAt ? 'EXHAUSTED' : p.enabled ? 'ARMED' : '-',
    ]),
  );
}

interface SetOptions {
  vnf?: string; policy?: string; autoHeal?: string; enabled?: string; maxAttempts?: string; backoff?: string;
  scaleOut?: string; scaleIn?: string; window?: string; cooldown?: string;
}

/** `rondo policy list|set|disable`: the auto-heal and auto-scale policies of an NS instance and their per-instance overrides. */
export function registerPolicyCommands(program: Command, out: Output): void {
  const policy = program.command('policy').description('policies of NS instances (auto-heal per VNF, auto-scale per declared scaling policy): from the descriptor, the default, or set here');

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
    .description('override a policy of an NS instance: the auto-heal policy of a VNF (--vnf) or any policy by id (--policy); its firing state starts afresh')
    .argument('<nsInstanceId>', 'NS instance id')
    .option('--vnf <vnfId>', "the VNF member (NSD vnf_id) whose auto-heal policy to set")
    .option('--policy <policyId>', 'or the policy id (see "rondo policy list"), e.g. an auto-scale policy')
    .option('--auto-heal <on|off>', 'heal the VNF automatically when it dies or fails health')
    .option('--enabled <on|off>', 'turn the policy on or off (any type)')
    .option('--max-attempts <n>', 'auto-heal: heals in one run of failures before a CRITICAL alarm stops healing')
    .option('--backoff <seconds>', 'auto-heal: seconds before the second heal (doubling after each)')
    .option('--scale-out <percent>', 'auto-scale: scale out when the mean metric stays above this')
    .option('--scale-in <percent>', 'auto-scale: scale in when the mean metric stays below this')
    .option('--window <seconds>', 'auto-scale: how long a condition must hold')
    .option('--cooldown <seconds>', 'auto-scale: seconds after a scale before the next')
    .action(async (ns: string, o: SetOptions, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const id = o.policy ?? o.vnf;
      if (!id) throw new CliError('say which policy: --vnf <vnfId> or --policy <policyId>', EXIT.usage, undefined, `e.g. rondo policy set ${ns} --vnf firewall --auto-heal on`);
      for (const [flag, v] of [['--auto-heal', o.autoHeal], ['--enabled', o.enabled]] as const) {
        if (v !== undefined && v !== 'on' && v !== 'off') throw new CliError(`${flag} ${v}: say on or off`, EXIT.usage);
      }
      const onOff = o.autoHeal ?? o.enabled;
      const body = {
        ...(onOff !== undefined ? { enabled: onOff === 'on' } : {}),
        ...(o.maxAttempts !== undefined ? { maxAttempts: count('--max-attempts', o.maxAttempts, 1000) } : {}),
        ...(o.backoff !== undefined ? { backoffSeconds: count('--backoff', o.backoff, 86_400) } : {}),
        ...(o.scaleOut !== undefined ? { scaleOutThreshold: amount('--scale-out', o.scaleOut, 100_000) } : {}),
        ...(o.scaleIn !== undefined ? { scaleInThreshold: amount('--scale-in', o.scaleIn, 100_000) } : {}),
        ...(o.window !== undefined ? { windowSeconds: amount('--window', o.window, 86_400) } : {}),
        ...(o.cooldown !== undefined ? { cooldownSeconds: amount('--cooldown', o.cooldown, 86_400) } : {}),
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
