import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';
import { followOp } from './op-commands.js';
import { shortTarget } from './op-progress.js';

interface Iface { cp: string; linkId: string; address: string; prefix: number }
interface Member { id: string; memberId: string; popId: string; state: string; interfaces: Iface[]; computeIds?: string[]; instantiatedVnfInfo?: { vnfcResourceInfo: { computeResource: { resourceId: string } }[] } }
interface NsView { id: string; nsInstanceName: string; nsdId: string; nsdInfoId: string; nsState: string; vnfInstance?: Member[]; sapInfo?: Member[] }
interface Plan {
  placement: Record<string, string>;
  networks: { linkId: string; name: string; subnet: string; popId: string }[];
  computes: { name: string; memberId: string; memberKind: string; image: string; interfaces: Iface[] }[];
  steps: { seq: number; phase: number; kind: string; target: string; popId: string }[];
}

const nsPath = (id: string) => `/nslcm/v1/ns_instances/${encodeURIComponent(id)}`;
const opIdOf = (location: unknown): string => String(location ?? '').split('/').pop() ?? '';

/** `vnf=pop` pins, repeatable. */
const collectPin = (value: string, acc: Record<string, string>): Record<string, string> => {
  const [member, pop] = value.split('=');
  if (!member || !pop) throw new CliError(`--pin ${value}: expected member=pop`, EXIT.usage, undefined, 'e.g. --pin firewall=dc2');
  return { ...acc, [member]: pop };
};

/** `rondo ns create|instantiate|terminate|list|show|delete` (SOL005 NS lifecycle). */
export function registerNsCommands(program: Command, out: Output): void {
  const ns = program.command('ns').description('network service instances');

  ns.command('create')
    .description('create an NS instance from an on-boarded NSD')
    .requiredOption('--nsd <id>', 'NSD id (see "rondo nsd list")')
    .requiredOption('--name <name>', 'instance name')
    .option('--description <text>', 'instance description')
    .action(async (opts: { nsd: string; name: string; description?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const r = await ctx.client.post<NsView>('creating the NS instance', '/nslcm/v1/ns_instances', { nsdId: opts.nsd, nsName: opts.name, ...(opts.description ? { nsDescription: opts.description } : {}) });
      if (ctx.json) printJson(out, r.body);
      else out.out(`created NS instance ${r.body.id} (${r.body.nsState}); instantiate it with "rondo ns instantiate ${r.body.id} --wait"`);
    });

  ns.command('instantiate')
    .description('place and start an NS instance on the PoPs')
    .argument('<id>', 'NS instance id')
    .option('--placement <strategy>', 'first-pop | round-robin | round-robin-with-saps | capacity-aware')
    .option('--pin <member=pop>', 'put a VNF or SAP on a PoP (repeatable)', collectPin, {})
    .option('--no-rollback', 'leave a failed instantiation in FAILED_TEMP instead of rolling it back')
    .option('--dry-run', 'print the plan (placement, addresses, steps) without touching a VIM')
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { placement?: string; pin: Record<string, string>; rollback: boolean; dryRun?: boolean; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const body = {
        nsFlavourId: 'default',
        additionalParamsForNs: { ...(opts.placement ? { placement: opts.placement } : {}), ...(Object.keys(opts.pin).length ? { pins: opts.pin } : {}), ...(opts.rollback ? {} : { autoRollback: false }) },
      };
      if (opts.dryRun) {
        const plan = (await ctx.client.post<Plan>(`planning NS ${id}`, `${nsPath(id)}/instantiate?dry_run=true`, body)).body;
        if (ctx.json) return printJson(out, plan);
        out.out('placement:');
        printTable(out, ['MEMBER', 'POP'], Object.entries(plan.placement));
        out.out('\nnetworks:');
        printTable(out, ['LINK', 'NAME', 'SUBNET', 'POP'], plan.networks.map((n) => [n.linkId, n.name, n.subnet, n.popId]));
        out.out('\naddresses:');
        printTable(out, ['MEMBER', 'KIND', 'CP', 'LINK', 'ADDRESS'], plan.computes.flatMap((c) => c.interfaces.map((i) => [c.memberId, c.memberKind, i.cp, i.linkId, `${i.address}/${i.prefix}`])));
        out.out('\nsteps:');
        printTable(out, ['#', 'PHASE', 'KIND', 'TARGET', 'POP'], plan.steps.map((s) => [s.seq + 1, s.phase, s.kind, shortTarget(s.target), s.popId]));
        return;
      }
      const r = await ctx.client.post(`instantiating NS ${id}`, `${nsPath(id)}/instantiate`, body);
      const opId = opIdOf(r.headers.location);
      if (opts.wait) return followOp(ctx, opId, Number(opts.timeout));
      if (ctx.json) printJson(out, { nsInstanceId: id, opId });
      else out.out(`instantiation ${opId} started; follow it with "rondo op watch ${opId}"`);
    });

  ns.command('terminate')
    .description('stop and remove everything of an NS instance')
    .argument('<id>', 'NS instance id')
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const r = await ctx.client.post(`terminating NS ${id}`, `${nsPath(id)}/terminate`, {});
      const opId = opIdOf(r.headers.location);
      if (opts.wait) return followOp(ctx, opId, Number(opts.timeout));
      if (ctx.json) printJson(out, { nsInstanceId: id, opId });
      else out.out(`termination ${opId} started; follow it with "rondo op watch ${opId}"`);
    });

  ns.command('list')
    .description('list NS instances')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.getAll<NsView>('listing NS instances', '/nslcm/v1/ns_instances?fields=vnfInstance');
      if (ctx.json) printJson(out, list);
      else printTable(out, ['ID', 'NAME', 'STATE', 'NSD', 'VNFS'], list.map((n) => [n.id, n.nsInstanceName, n.nsState, n.nsdInfoId, n.vnfInstance?.length ?? 0]));
    });

  ns.command('show')
    .description('show an NS instance: VNFs and SAPs with PoP, containers and addresses')
    .argument('<id>', 'NS instance id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const n = await ctx.client.get<NsView>(`showing NS ${id}`, nsPath(id));
      if (ctx.json) return printJson(out, n);
      printFields(out, [['id', n.id], ['name', n.nsInstanceName], ['state', n.nsState], ['nsdId', n.nsdId], ['nsdInfoId', n.nsdInfoId]]);
      const members = [...(n.vnfInstance ?? []).map((v) => ({ ...v, kind: 'vnf' })), ...(n.sapInfo ?? []).map((s) => ({ ...s, kind: 'sap' }))];
      if (members.length === 0) return;
      out.out('');
      printTable(
        out,
        ['MEMBER', 'KIND', 'POP', 'STATE', 'CONTAINER', 'ADDRESSES'],
        members.map((m) => {
          const ids = m.computeIds ?? m.instantiatedVnfInfo?.vnfcResourceInfo.map((r) => r.computeResource.resourceId) ?? [];
          return [m.memberId, m.kind, m.popId, m.state, ids.map((c) => c.slice(0, 12)).join(','), m.interfaces.map((i) => `${i.cp}=${i.address}/${i.prefix}`).join(' ')];
        }),
      );
    });

  ns.command('delete')
    .description('delete a NOT_INSTANTIATED NS instance')
    .argument('<id>', 'NS instance id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await ctx.client.delete(`deleting NS ${id}`, nsPath(id));
      if (ctx.json) printJson(out, { id, deleted: true });
      else out.out(`deleted NS instance ${id}`);
    });
}
