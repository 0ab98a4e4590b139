import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

/** The VES backlog domains the agent polls (see `VES_BACKLOG_DOMAINS` in the store). */
const DOMAINS = ['fault', 'measurement', 'heartbeat'] as const;

interface BacklogInput { domain: string; type: string; tenant: null; source: string | null; poll_interval?: number }
interface BacklogView {
  backlog_uuid: string; domain: string; type: string; tenant: string | null; source: string | null; poll_interval: number;
  last_poll_time: string | null; last_event: VesEventLike | null;
}
interface VesEventLike {
  commonEventHeader?: { domain?: string; eventName?: string; sourceName?: string; lastEpochMicrosec?: number };
  faultFields?: { eventSeverity?: string; alarmCondition?: string };
}
interface VesView {
  vesagent_config: { ves_subscription: { endpoint: string; username: string | null }; poll_interval_default: number } | null;
  vesagent_backlogs: { vimid: string; poll_interval_default: number; backlogs: BacklogView[] } | null;
}

const vesPath = (vimId: string) => `/api/multicloud/v0/${encodeURIComponent(vimId)}/vesagent`;

const wholeSeconds = (v: string, what: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new CliError(`${what} ${v}: expected whole seconds from 1 to 86400`, EXIT.usage, undefined, 'e.g. 10');
  return n;
};

/** `domain:type[:interval[:source]]`, repeatable; e.g. `fault:vm`, `measurement:vm:10`, `fault:vm::firewall`. */
const collectBacklog = (value: string, acc: BacklogInput[]): BacklogInput[] => {
  const [domain = '', type, interval, ...rest] = value.split(':');
  if (!(DOMAINS as readonly string[]).includes(domain)) {
    throw new CliError(`--backlog ${value}: unknown domain "${domain}"`, EXIT.usage, `the domain is one of ${DOMAINS.join(', ')}`, 'e.g. --backlog fault:vm or --backlog measurement:vm:10');
  }
  const source = rest.join(':');
  return [
    ...acc,
    { domain, type: type || 'vm', tenant: null, source: source || null, ...(interval ? { poll_interval: wholeSeconds(interval, `--backlog ${value}: interval`) } : {}) },
  ];
};

/** Reads all of stdin (for `--password-stdin`), without the final line break. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliError('ves set: --password-stdin reads a pipe, not a terminal', EXIT.usage, undefined, 'e.g. "cat ves-password.txt | rondo ves set … --password-stdin", or set RONDO_VES_PASSWORD');
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** One line about the last event a backlog sent (VES header, plus severity for faults). */
function describeEvent(e: VesEventLike | null): string {
  const h = e?.commonEventHeader;
  if (!h) return '-';
  const fault = e.faultFields ? ` ${e.faultFields.alarmCondition ?? ''} ${e.faultFields.eventSeverity ?? ''}`.trimEnd() : '';
  return `${h.eventName ?? h.domain ?? 'event'} from ${h.sourceName ?? '?'}${fault}`;
}

interface SetOptions { endpoint: string; username?: string; password?: string; passwordStdin?: boolean; pollInterval?: string; backlog: BacklogInput[] }

/**
 * `rondo ves set|show|delete <vimId>`: the VES agent of a PoP (ONAP multicloud's
 * `/api/multicloud/v0/{vimId}/vesagent`): where its fault, measurement and heartbeat events
 * go and what it polls.
 */
export function registerVesCommands(program: Command, out: Output): void {
  const ves = program.command('ves').description('VES agent of a PoP: send fault, measurement and heartbeat events to an ONAP VES collector');

  ves.command('set')
    .description('configure (or replace) the VES agent of a PoP and start polling')
    .argument('<vimId>', 'PoP id (see "rondo vim list")')
    .requiredOption('--endpoint <url>', 'VES collector, e.g. http://collector:8080/eventListener/v7')
    .option('--username <name>', 'collector basic-auth user')
    .option('--password <password>', 'collector basic-auth password (visible in the process list: prefer env RONDO_VES_PASSWORD or --password-stdin)')
    .option('--password-stdin', 'read the password from stdin')
    .option('--poll-interval <seconds>', 'default poll interval of the backlogs (server default 60)')
    .option('--backlog <domain:type[:interval[:source]]>', 'what to poll, repeatable: domain fault|measurement|heartbeat, type vm, optional interval (s) and source (a VNF name; default every VNF). Default: fault:vm', collectBacklog, [])
    .addHelpText('after', '\nExamples:\n  RONDO_VES_PASSWORD=… rondo ves set dc1 --endpoint http://ves:8080/eventListener/v7 --username ves\n  rondo ves set dc1 --endpoint http://ves:8080/eventListener/v7 --backlog fault:vm --backlog measurement:vm:10 --backlog heartbeat:vm:60')
    .action(async (vimId: string, o: SetOptions, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      if (o.password !== undefined && o.passwordStdin) throw new CliError('ves set: --password and --password-stdin both given', EXIT.usage, undefined, 'use one of them');
      const password = o.passwordStdin ? await readStdin() : (o.password ?? (process.env.RONDO_VES_PASSWORD || undefined));
      if (password !== undefined && o.username === undefined) {
        throw new CliError('ves set: a password without --username', EXIT.usage, 'the collector password is sent with basic auth, which needs a user', 'add --username <name>');
      }
      const backlogs = o.backlog.length > 0 ? o.backlog : [{ domain: 'fault', type: 'vm', tenant: null, source: null }];
      const body = {
        vesagent_config: {
          ves_subscription: { endpoint: o.endpoint, ...(o.username !== undefined ? { username: o.username } : {}), ...(password !== undefined ? { password } : {}) },
          ...(o.pollInterval !== undefined ? { poll_interval_default: wholeSeconds(o.pollInterval, '--poll-interval') } : {}),
          backlogs,
        },
      };
      const r = (await ctx.client.post<VesView>(`configuring the VES agent of PoP ${vimId}`, vesPath(vimId), body)).body;
      if (ctx.json) return printJson(out, r);
      const list = r.vesagent_backlogs?.backlogs ?? [];
      out.out(`VES agent of PoP ${vimId} sends to ${o.endpoint}${o.username !== undefined ? ` as ${o.username}` : ''}; polling ${list.map((b) => `${b.domain}/${b.type}${b.source ? `:${b.source}` : ''} every ${b.poll_interval} s`).join(', ')}`);
    });

  ves.command('show')
    .description('show the VES agent of a PoP: collector, backlogs, last poll and last event (the password is never shown)')
    .argument('<vimId>', 'PoP id')
    .action(async (vimId: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const r = await ctx.client.get<VesView>(`showing the VES agent of PoP ${vimId}`, vesPath(vimId));
      if (!r.vesagent_config || !r.vesagent_backlogs) {
        throw new CliError(`PoP ${vimId} has no VES agent configuration`, EXIT.failed, undefined, `configure one with "rondo ves set ${vimId} --endpoint <collector url>"`, r);
      }
      if (ctx.json) return printJson(out, r);
      const sub = r.vesagent_config.ves_subscription;
      printFields(out, [['PoP', vimId], ['collector', sub.endpoint], ['user', sub.username], ['poll interval', `${r.vesagent_config.poll_interval_default} s (default)`]]);
      out.out('');
      printTable(
        out,
        ['BACKLOG', 'DOMAIN', 'TYPE', 'SOURCE', 'EVERY', 'LAST POLL', 'LAST EVENT'],
        r.vesagent_backlogs.backlogs.map((b) => [b.backlog_uuid.slice(0, 8), b.domain, b.type, b.source ?? 'all', `${b.poll_interval} s`, b.last_poll_time, describeEvent(b.last_event)]),
      );
    });

  ves.command('delete')
    .description('stop the VES agent of a PoP and delete its configuration')
    .argument('<vimId>', 'PoP id')
    .action(async (vimId: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await ctx.client.delete(`deleting the VES agent of PoP ${vimId}`, vesPath(vimId));
      if (ctx.json) printJson(out, { vimId, deleted: true });
      else out.out(`VES agent of PoP ${vimId} stopped; its configuration is deleted`);
    });
}
