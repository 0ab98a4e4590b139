import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';
import type { CommandContext } from './cli-context.js';
import { followOp } from './op-commands.js';
import { shortTarget } from './op-progress.js';
import type { OpView } from './op-progress.js';

interface Iface { cp: string; linkId: string; address: string; prefix: number }
interface Member { id: string; memberId: string; popId: string; state: string; interfaces: Iface[]; computeIds?: string[]; instantiatedVnfInfo?: { vnfState?: string; vnfcResourceInfo: { computeResource: { resourceId: string } }[] } }
interface NsView { id: string; nsInstanceName: string; nsdId: string; nsdInfoId: string; nsState: string; vnfInstance?: Member[]; sapInfo?: Member[] }
interface Plan {
  placement: Record<string, string>;
  networks: { linkId: string; name: string; subnet: string; popId: string }[];
  computes: { name: string; memberId: string; memberKind: string; image: string; interfaces: Iface[] }[];
  steps: { seq: number; phase: number; kind: string; target: string; popId: string; params?: Record<string, unknown> }[];
}

/** What the dry run shows of a `tunnel` step (an inter-PoP link). */
interface TunnelParams {
  linkId: string;
  vni: number;
  endpoints: { popId: string }[];
  bandwidthMbps?: number;
}

const nsPath = (id: string) => `/nslcm/v1/ns_instances/${encodeURIComponent(id)}`;
const opIdOf = (location: unknown): string => String(location ?? '').split('/').pop() ?? '';

/** `vnf=pop` pins, repeatable. */
const collectPin = (value: string, acc: Record<string, string>): Record<string, string> => {
  const [member, pop] = value.split('=');
  if (!member || !pop) throw new CliError(`--pin ${value}: expected member=pop`, EXIT.usage, undefined, 'e.g. --pin firewall=dc2');
  return { ...acc, [member]: pop };
};

/** Repeatable option values. */
const collect = (value: string, acc: string[]): string[] => [...acc, value];

/** Seconds as a whole number ≥ 0, or a usage error naming the option. */
const seconds = (option: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${option} ${value}: expected whole seconds`, EXIT.usage, undefined, `e.g. ${option} 10`);
  return n;
};

/**
 * The VNF instance ids of `--vnf` values, each a member id (`firewall`) or a VNF instance id;
 * a usage error listing the NS's VNFs for one that is neither.
 */
async function vnfInstanceIds(ctx: CommandContext, nsId: string, wanted: readonly string[]): Promise<string[]> {
  const n = await ctx.client.get<NsView>(`reading NS ${nsId}`, nsPath(nsId));
  const vnfs = n.vnfInstance ?? [];
  return wanted.map((w) => {
    const hit = vnfs.find((v) => v.id === w || v.memberId === w);
    if (!hit) throw new CliError(`NS ${nsId} has no VNF ${w}`, EXIT.usage, undefined, `its VNFs: ${vnfs.map((v) => v.memberId).join(', ') || 'none'} (see "rondo ns show ${nsId}")`);
    return hit.id;
  });
}

/** Starts a task and follows it (`--wait`), or says how to follow it. */
async function runTask(ctx: CommandContext, what: string, nsId: string, path: string, body: unknown, opts: { wait?: boolean; timeout: string }): Promise<OpView | undefined> {
  const r = await ctx.client.post(`${what} NS ${nsId}`, `${nsPath(nsId)}/${path}`, body);
  const opId = opIdOf(r.headers.location);
  if (opts.wait) return followOp(ctx, opId, Number(opts.timeout));
  if (ctx.json) printJson(ctx.out, { nsInstanceId: nsId, opId });
  else ctx.out.out(`${what} ${opId} started; follow it with "rondo op watch ${opId}"`);
  return undefined;
}

/** `rondo ns create|instantiate|terminate|heal|operate|scale|list|show|delete` (SOL005 NS lifecycle). */
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
    .option('--flavour <id>', "NS deployment flavour of the NSD (SOL006 df id, SOL001 flavour_id); default: the NSD's first (5GTANGO: default)")
    .option('--placement <strategy>', 'first-pop | round-robin | round-robin-with-saps | capacity-aware')
    .option('--pin <member=pop>', 'put a VNF or SAP on a PoP (repeatable)', collectPin, {})
    .option('--no-rollback', 'leave a failed instantiation in FAILED_TEMP instead of rolling it back')
    .option('--dry-run', 'print the plan (placement, addresses, steps) without touching a VIM')
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { flavour?: string; placement?: string; pin: Record<string, string>; rollback: boolean; dryRun?: boolean; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const body = {
        // Without --flavour the API takes the NSD's own (first) flavour.
        ...(opts.flavour ? { nsFlavourId: opts.flavour } : {}),
        additionalParamsForNs: { ...(opts.placement ? { placement: opts.placement } : {}), ...(Object.keys(opts.pin).length ? { pins: opts.pin } : {}), ...(opts.rollback ? {} : { autoRollback: false }) },
      };
      if (opts.dryRun) {
        const plan = (await ctx.client.post<Plan>(`planning NS ${id}`, `${nsPath(id)}/instantiate?dry_run=true`, body)).body;
        if (ctx.json) return printJson(out, plan);
        out.out('placement:');
        printTable(out, ['MEMBER', 'POP'], Object.entries(plan.placement));
        out.out('\nnetworks:');
        printTable(out, ['LINK', 'NAME', 'SUBNET', 'POP'], plan.networks.map((n) => [n.linkId, n.name, n.subnet, n.popId]));
        const tunnels = plan.steps.filter((s) => s.kind === 'tunnel').map((s) => s.params as unknown as TunnelParams);
        if (tunnels.length > 0) {
          // Links whose members sit on PoPs of different engines: one segment per engine, joined by VXLAN.
          out.out('\ninter-PoP tunnels (VXLAN; latency emulation unavailable: no netem):');
          printTable(out, ['LINK', 'VNI', 'POPS', 'BANDWIDTH'], tunnels.map((t) => [t.linkId, t.vni, t.endpoints.map((e) => e.popId).join(' ↔ '), t.bandwidthMbps === undefined ? '-' : `${t.bandwidthMbps} Mbit/s`]));
        }
        out.out('\naddresses:');
        printTable(out, ['MEMBER', 'KIND', 'CP', 'LINK', 'ADDRESS'], plan.computes.flatMap((c) => c.interfaces.map((i) => [c.memberId, c.memberKind, i.cp, i.linkId, `${i.address}/${i.prefix}`])));
        out.out('\nsteps:');
        printTable(out, ['#', 'PHASE', 'KIND', 'TARGET', 'POP'], plan.steps.map((s) => [s.seq + 1, s.phase, s.kind, shortTarget(s.target), s.popId]));
        return;
      }
      const r = await ctx.client.post(`instantiating NS ${id}`, `${nsPath(id)}/instantiate`, body);
      const opId = opIdOf(r.headers.location);
      if (opts.wait) return void (await followOp(ctx, opId, Number(opts.timeout)));
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
      if (opts.wait) return void (await followOp(ctx, opId, Number(opts.timeout)));
      if (ctx.json) printJson(out, { nsInstanceId: id, opId });
      else out.out(`termination ${opId} started; follow it with "rondo op watch ${opId}"`);
    });

  ns.command('heal')
    .description('re-create the dead or sick containers of VNFs (default: of every member) with their addresses, routes and start commands')
    .argument('<id>', 'NS instance id')
    .option('--vnf <vnf>', 'a VNF to heal, by member id (e.g. firewall) or VNF instance id (repeatable); default: the whole NS', collect, [])
    .option('--cause <text>', 'why it needs healing (kept with the operation)')
    .option('--all', 'every container, not only the dead or sick ones (the whole NS: HEAL_RESET)')
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { vnf: string[]; cause?: string; all?: boolean; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const body = opts.vnf.length === 0
        ? { healNsData: { degreeHealing: opts.all ? 'HEAL_RESET' : 'HEAL_RESTORE' } }
        : {
            healVnfData: (await vnfInstanceIds(ctx, id, opts.vnf)).map((vnfInstanceId) => ({
              vnfInstanceId, ...(opts.cause ? { cause: opts.cause } : {}), ...(opts.all ? { additionalParams: { all: true } } : {}),
            })),
          };
      if (opts.vnf.length === 0 && opts.cause) throw new CliError('--cause goes with --vnf', EXIT.usage, 'SOL005 keeps a cause per VNF (healVnfData)', `e.g. rondo ns heal ${id} --vnf firewall --cause "${opts.cause}"`);
      const op = await runTask(ctx, 'healing', id, 'heal', body, opts);
      if (op && !ctx.json && (op.steps ?? []).length === 0) out.out(`nothing to heal: every container runs${opts.all ? '' : ' (--all re-creates them anyway)'}`);
    });

  ns.command('operate')
    .description('stop VNFs (their stop commands, then their containers) or start them again (containers, routes, start commands): SOL005 OPERATE_VNF')
    .argument('<id>', 'NS instance id')
    .option('--vnf <vnf>', 'a VNF, by member id (e.g. firewall) or VNF instance id (repeatable)', collect, [])
    .option('--start', 'start the VNFs')
    .option('--stop', 'stop the VNFs')
    .option('--graceful-timeout <seconds>', 'with --stop: seconds the stop commands get to take the VNFs out of service (GRACEFUL)', '10')
    .option('--forceful', 'with --stop: stop at once, without the stop commands (FORCEFUL)')
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { vnf: string[]; start?: boolean; stop?: boolean; gracefulTimeout: string; forceful?: boolean; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      if (Boolean(opts.start) === Boolean(opts.stop)) throw new CliError('give --start or --stop', EXIT.usage, undefined, `e.g. rondo ns operate ${id} --vnf firewall --stop`);
      if (opts.vnf.length === 0) throw new CliError('give the VNFs with --vnf', EXIT.usage, undefined, `e.g. rondo ns operate ${id} --vnf firewall --${opts.start ? 'start' : 'stop'}`);
      if (opts.start && (opts.forceful || cmd.getOptionValueSource('gracefulTimeout') === 'cli')) throw new CliError('--forceful and --graceful-timeout go with --stop', EXIT.usage);
      const timeout = seconds('--graceful-timeout', opts.gracefulTimeout);
      const stop = opts.forceful ? { stopType: 'FORCEFUL' } : { stopType: 'GRACEFUL', gracefulStopTimeout: timeout };
      const operateVnfData = (await vnfInstanceIds(ctx, id, opts.vnf)).map((vnfInstanceId) => ({ vnfInstanceId, changeStateTo: opts.start ? 'STARTED' : 'STOPPED', ...(opts.stop ? stop : {}) }));
      await runTask(ctx, opts.start ? 'starting VNFs of' : 'stopping VNFs of', id, 'update', { updateType: 'OPERATE_VNF', operateVnfData }, opts);
    });

  ns.command('remove-vnf')
    .description("take VNFs out of the NS (stop commands, containers, addresses): SOL005 REMOVE_VNF; only members whose NSD vnf profile allows 0 instances")
    .argument('<id>', 'NS instance id')
    .option('--vnf <vnf>', 'a VNF, by member id or VNF instance id (repeatable)', collect, [])
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { vnf: string[]; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      if (opts.vnf.length === 0) throw new CliError('give the VNFs with --vnf', EXIT.usage, undefined, `e.g. rondo ns remove-vnf ${id} --vnf probe`);
      const removeVnfInstanceId = await vnfInstanceIds(ctx, id, opts.vnf);
      await runTask(ctx, 'removing VNFs of', id, 'update', { updateType: 'REMOVE_VNF', removeVnfInstanceId }, opts);
    });

  ns.command('add-vnf')
    .description("bring NSD members the NS does not run back, as at instantiation (containers, addresses, routes, start commands): SOL005 ADD_VNF by vnf profile")
    .argument('<id>', 'NS instance id')
    .option('--profile <vnfProfileId>', 'the NSD member (vnf profile / vnf_id) to add (repeatable)', collect, [])
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { profile: string[]; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      if (opts.profile.length === 0) throw new CliError('give the members with --profile', EXIT.usage, undefined, `e.g. rondo ns add-vnf ${id} --profile probe`);
      // SOL005 spells the field addVnfIstance; the VNF instance id is Rondo's to make (the profile's member comes back with a new one).
      const addVnfIstance = opts.profile.map((vnfProfileId) => ({ vnfInstanceId: `${vnfProfileId}-new`, vnfProfileId }));
      await runTask(ctx, 'adding VNFs to', id, 'update', { updateType: 'ADD_VNF', addVnfIstance }, opts);
    });

  ns.command('scale')
    .description('add (--out) or remove (--in) VNFC instances of a VNF by steps of its scaling aspect (SOL005 SCALE_VNF), or scale the whole NS by an NS scaling aspect or to an NS instantiation level (SCALE_NS); traffic is spread over every instance')
    .argument('<id>', 'NS instance id')
    .option('--vnf <vnf>', 'SCALE_VNF: the VNF, by member id (e.g. firewall) or VNF instance id')
    .option('--aspect <aspect>', 'SCALE_VNF: its scaling aspect (a 5GTANGO VNFD: the VDU id, e.g. vdu01)')
    .option('--ns-aspect <aspect>', "SCALE_NS: an NS scaling aspect of the NSD (with --out or --in)")
    .option('--ns-level <level>', 'SCALE_NS: an NS instantiation level of the NSD to go to')
    .option('--out', 'scale out: add instances')
    .option('--in', 'scale in: remove the newest instances (stop commands first)')
    .option('--steps <n>', 'aspect steps to scale by', '1')
    .option('--wait', 'follow the operation until it rests')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (id: string, opts: { vnf?: string; aspect?: string; nsAspect?: string; nsLevel?: string; out?: boolean; in?: boolean; steps: string; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const kinds = [opts.vnf !== undefined || opts.aspect !== undefined, opts.nsAspect !== undefined, opts.nsLevel !== undefined].filter(Boolean).length;
      if (kinds !== 1) {
        throw new CliError('say what to scale: --vnf and --aspect (a VNF), --ns-aspect (the NS by an aspect) or --ns-level (the NS to a level)', EXIT.usage, undefined, `e.g. rondo ns scale ${id} --vnf firewall --aspect vdu01 --out`);
      }
      if (opts.nsLevel !== undefined) {
        if (opts.out || opts.in) throw new CliError('--ns-level goes to a level: no --out or --in', EXIT.usage, undefined, `e.g. rondo ns scale ${id} --ns-level ${opts.nsLevel}`);
        const body = { scaleType: 'SCALE_NS', scaleNsData: { scaleNsToLevelData: { nsInstantiationLevel: opts.nsLevel } } };
        await runTask(ctx, `scaling to level ${opts.nsLevel}`, id, 'scale', body, opts);
        return;
      }
      if (Boolean(opts.out) === Boolean(opts.in)) throw new CliError('give --out or --in', EXIT.usage, undefined, `e.g. rondo ns scale ${id} ${opts.nsAspect ? `--ns-aspect ${opts.nsAspect}` : `--vnf ${opts.vnf ?? 'firewall'} --aspect ${opts.aspect ?? 'vdu01'}`} --out`);
      const steps = Number(opts.steps);
      if (!Number.isInteger(steps) || steps < 1) throw new CliError(`--steps ${opts.steps}: expected a whole number of at least 1`, EXIT.usage, undefined, 'e.g. --steps 2');
      const direction = opts.out ? 'SCALE_OUT' : 'SCALE_IN';
      if (opts.nsAspect !== undefined) {
        const body = { scaleType: 'SCALE_NS', scaleNsData: { scaleNsByStepsData: { scalingDirection: direction, aspectId: opts.nsAspect, numberOfSteps: steps } } };
        await runTask(ctx, opts.out ? 'scaling out' : 'scaling in', id, 'scale', body, opts);
        return;
      }
      if (opts.vnf === undefined || opts.aspect === undefined) throw new CliError('SCALE_VNF needs both --vnf and --aspect', EXIT.usage, undefined, `e.g. rondo ns scale ${id} --vnf firewall --aspect vdu01 --out`);
      const [vnfInstanceId] = await vnfInstanceIds(ctx, id, [opts.vnf]);
      const body = { scaleType: 'SCALE_VNF', scaleVnfData: [{ vnfInstanceId, scaleVnfType: direction, scaleByStepData: { aspectId: opts.aspect, numberOfSteps: steps } }] };
      await runTask(ctx, opts.out ? 'scaling out' : 'scaling in', id, 'scale', body, opts);
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
