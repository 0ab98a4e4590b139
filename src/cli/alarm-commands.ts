import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

/** SOL005 `PerceivedSeverityType`. */
const SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'] as const;
const ACK_STATES = ['UNACKNOWLEDGED', 'ACKNOWLEDGED'] as const;
/** The API's page size of `/nsfm/v1/alarms`; a full page means there may be more. */

/** A SOL005 Alarm as `/nsfm/v1/alarms` returns it. */
export interface AlarmView {
  id: string;
  managedObjectId: string;
  rootCauseFaultyResource?: { faultyResource?: { vimConnectionId?: string; resourceId?: string }; faultyResourceType?: string } | null;
  alarmRaisedTime: string;
  alarmChangedTime?: string;
  alarmClearedTime?: string;
  ackState: string;
  perceivedSeverity: string;
  eventTime: string;
  eventType: string;
  faultType?: string;
  probableCause: string;
  isRootCause: boolean;
  faultDetails?: string[];
}

/** The VNF an alarm is about: Rondo puts `vnfInstanceId=<member>` in `faultDetails`. */
export const alarmVnf = (a: Pick<AlarmView, 'faultDetails'>): string | undefined =>
  a.faultDetails?.find((d) => d.startsWith('vnfInstanceId='))?.slice('vnfInstanceId='.length);

const alarmPath = (id: string) => `/nsfm/v1/alarms/${encodeURIComponent(id)}`;
const when = (iso: string | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : undefined);

/** Comma-separated values, each checked against `allowed` (case-insensitive). */
function oneOf(flag: string, raw: string, allowed: readonly string[]): string[] {
  const values = raw.split(',').map((v) => v.trim().toUpperCase()).filter((v) => v !== '');
  const bad = values.filter((v) => !allowed.includes(v));
  if (values.length === 0 || bad.length > 0) throw new CliError(`${flag} ${raw}: unknown value ${bad.join(', ')}`, EXIT.usage, `allowed: ${allowed.join(', ')}`, `e.g. ${flag} ${allowed.slice(0, 2).join(',')}`);
  return values;
}

/** SOL013 filter of the list options (attribute names of the SOL005 Alarm). */
function filterOf(o: ListOptions): string | undefined {
  const terms: string[] = [];
  if (o.ns) terms.push(`(eq,managedObjectId,${o.ns})`);
  if (o.severity) terms.push(`(in,perceivedSeverity,${oneOf('--severity', o.severity, SEVERITIES).join(',')})`);
  if (o.ack) terms.push(`(eq,ackState,${oneOf('--ack', o.ack, ACK_STATES)[0]})`);
  if (o.active) terms.push('(neq,perceivedSeverity,CLEARED)');
  return terms.length > 0 ? terms.join(';') : undefined;
}

interface ListOptions { ns?: string; severity?: string; ack?: string; active?: boolean }

/** `rondo alarm list|show|ack` (SOL005 NS fault management, `/nsfm/v1/alarms`). */
export function registerAlarmCommands(program: Command, out: Output): void {
  const alarm = program.command('alarm').description('alarms raised on NS instances by VNF faults (SOL005 fault management)');

  alarm.command('list')
    .description('list alarms, newest last')
    .option('--ns <nsInstanceId>', 'only the alarms of this NS instance')
    .option('--severity <list>', `only these severities, comma-separated: ${SEVERITIES.join(', ')}`)
    .option('--ack <state>', 'UNACKNOWLEDGED or ACKNOWLEDGED')
    .option('--active', 'leave out cleared alarms')
    .action(async (o: ListOptions, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const filter = filterOf(o);
      const list = await ctx.client.getAll<AlarmView>('listing alarms', `/nsfm/v1/alarms${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`);
      if (ctx.json) printJson(out, list);
      else {
        printTable(
          out,
          ['ID', 'NS', 'VNF', 'SEVERITY', 'ACK', 'RAISED', 'CAUSE'],
          list.map((a) => [a.id, a.managedObjectId.slice(0, 8), alarmVnf(a), a.perceivedSeverity, a.ackState, when(a.alarmRaisedTime), a.probableCause]),
        );
      }
    });

  alarm.command('show')
    .description('show one alarm')
    .argument('<alarmId>', 'alarm id (see "rondo alarm list")')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const a = await ctx.client.get<AlarmView>(`showing alarm ${id}`, alarmPath(id));
      if (ctx.json) return printJson(out, a);
      const r = a.rootCauseFaultyResource?.faultyResource;
      printFields(out, [
        ['id', a.id],
        ['ns', a.managedObjectId],
        ['vnf', alarmVnf(a)],
        ['severity', a.perceivedSeverity],
        ['ack', a.ackState],
        ['cause', a.probableCause],
        ['fault', a.faultType],
        ['event type', a.eventType],
        ['resource', r ? `${a.rootCauseFaultyResource?.faultyResourceType ?? ''} ${r.resourceId ?? ''} on PoP ${r.vimConnectionId ?? '?'}`.trim() : undefined],
        ['raised', a.alarmRaisedTime],
        ['changed', a.alarmChangedTime],
        ['cleared', a.alarmClearedTime],
        ['details', a.faultDetails?.join(' ')],
      ]);
    });

  alarm.command('ack')
    .description('acknowledge an alarm (it stays listed until the VNF recovers and clears it)')
    .argument('<alarmId>', 'alarm id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const r = await ctx.client.patch<{ ackState: string }>(`acknowledging alarm ${id}`, alarmPath(id), { ackState: 'ACKNOWLEDGED' });
      if (ctx.json) printJson(out, { id, ...r });
      else out.out(`alarm ${id} acknowledged`);
    });
}
