import type { Command } from 'commander';
import type { NsdInfo, VnfPkgInfo } from '../api/index.js';
import type { ApiClient } from './api-client.js';
import { contextOf } from './cli-context.js';
import type { CommandContext } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { followOp } from './op-commands.js';
import { printJson, printTable } from './output.js';
import type { Output } from './output.js';
import { packageFileOf } from './package-commands.js';

/*
 * osmclient-shaped aliases, for OSM users' habits: `rondo nsd-create|nsd-list|vnfd-create|
 * vnfd-list|ns-create|ns-list|ns-delete` with osmclient's flag names where the meaning
 * matches. Each maps onto the SOL005 API the native commands use; their help names the
 * native command. Flags of osmclient's that Rondo has no meaning for are not taken (an
 * unknown flag is a usage error, not silently ignored).
 */

interface NsView { id: string; nsInstanceName: string; nsdId: string; nsdInfoId: string; nsState: string; nsInstanceDescription?: string }
interface NsdModel { nsd: { vnfs: { vnfId: string }[]; saps: { id: string }[] } }

const nsPath = (id: string) => `/nslcm/v1/ns_instances/${encodeURIComponent(id)}`;
const opIdOf = (location: unknown): string => String(location ?? '').split('/').pop() ?? '';
/** Help text after an alias's options: what it maps onto. */
const native = (cmd: string): string => `\nosmclient-style alias. The native Rondo command: ${cmd}`;

/** osmclient's `--filter name=value` (several allowed), applied to the listed rows by field. */
const collectFilter = (value: string, acc: [string, string][]): [string, string][] => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`--filter ${value}: expected field=value`, EXIT.usage, undefined, 'e.g. --filter name=hackfest_multivdu-ns');
  return [...acc, [value.slice(0, eq), value.slice(eq + 1)]];
};
const matches = (row: Record<string, unknown>, filters: readonly [string, string][], aliases: Readonly<Record<string, string>>): boolean =>
  filters.every(([k, v]) => String(row[aliases[k] ?? k] ?? '') === v);

/**
 * Uploads a package through SOL005 as osmclient does through OSM's NBI: create the resource,
 * then upload its content; a content the server refuses leaves nothing behind (the created
 * resource is deleted again), as OSM's `*_content` upload does.
 */
async function createAndUpload(ctx: CommandContext, kind: 'vnfd' | 'nsd', path: string): Promise<{ id: string }> {
  const base = kind === 'vnfd' ? '/vnfpkgm/v1/vnf_packages' : '/nsd/v1/ns_descriptors';
  const content = kind === 'vnfd' ? 'package_content' : 'nsd_content';
  // osmclient builds a folder with package-build, which (re)writes checksums.txt.
  const f = await packageFileOf(path, `${kind}-create`, { fillChecksums: true });
  try {
    const created = (await ctx.client.post<{ id: string }>(`creating the ${kind === 'vnfd' ? 'VNF package' : 'NSD'}`, base, {})).body;
    try {
      await ctx.client.upload(`uploading ${path}`, `${base}/${created.id}/${content}`, f.file, 'PUT');
    } catch (e) {
      await ctx.client.delete('removing the refused upload', `${base}/${created.id}`).catch(() => undefined);
      throw e;
    }
    return created;
  } finally {
    await f.done();
  }
}

/** The on-boarded NSD that osmclient's `--nsd_name` names: by name, else by nsdId, else by NsdInfo id. */
async function nsdByName(client: ApiClient, name: string): Promise<NsdInfo> {
  const all = (await client.getAll<NsdInfo>('listing NSDs', '/nsd/v1/ns_descriptors')).filter((n) => n.nsdOnboardingState === 'ONBOARDED');
  for (const pick of [(n: NsdInfo) => n.nsdName === name, (n: NsdInfo) => n.nsdId === name, (n: NsdInfo) => n.id === name]) {
    const found = all.filter(pick);
    if (found.length === 1 && found[0]) return found[0];
    if (found.length > 1) throw new CliError(`${found.length} on-boarded NSDs are named ${name}`, EXIT.failed, found.map((n) => `${n.id} (${n.nsdId ?? ''} ${n.nsdVersion ?? ''})`).join('\n'), 'name one by its id: --nsd_name <id>');
  }
  throw new CliError(`no on-boarded NSD named ${name}`, EXIT.failed, undefined, 'see "rondo nsd-list"; on-board it with "rondo nsd-create <package>"');
}

/** The NS instance osmclient's NAME argument names: by name, else by id. */
async function nsByName(client: ApiClient, name: string): Promise<NsView> {
  const all = await client.getAll<NsView>('listing NS instances', '/nslcm/v1/ns_instances');
  const byName = all.filter((n) => n.nsInstanceName === name);
  if (byName.length > 1) throw new CliError(`${byName.length} NS instances are named ${name}`, EXIT.failed, byName.map((n) => n.id).join('\n'), 'name one by its id');
  const found = byName[0] ?? all.find((n) => n.id === name);
  if (!found) throw new CliError(`no NS instance named ${name}`, EXIT.failed, undefined, 'see "rondo ns-list"');
  return found;
}

/** Registers the osmclient-style aliases. */
export function registerOsmCommands(program: Command, out: Output): void {
  for (const [name, kind, alias] of [['vnfd-create', 'vnfd', 'vnfpkg-create'], ['nsd-create', 'nsd', 'nspkg-create']] as const) {
    program
      .command(name)
      .alias(alias)
      .description(`on-board ${kind === 'vnfd' ? 'a VNF package' : 'an NS package'} (OSM package folder, .tar.gz, zip or descriptor file); prints its id (osmclient alias)`)
      .addHelpText('after', native('rondo package onboard <package>'))
      .argument('<filename>', 'package folder, .tar.gz, zip, or a YAML/JSON descriptor')
      .action(async (path: string, _o: unknown, cmd: Command) => {
        const ctx = contextOf(cmd, out);
        const created = await createAndUpload(ctx, kind, path);
        if (ctx.json) printJson(out, { id: created.id });
        else out.out(created.id);
      });
  }

  program
    .command('vnfd-list')
    .alias('vnfpkg-list')
    .description('list VNF packages (osmclient alias)')
    .addHelpText('after', native('rondo package list'))
    .option('--filter <field=value>', 'only rows whose field has this value: name, id, vnfdId, ... (repeatable)', collectFilter, [])
    .option('--long', 'more columns')
    .action(async (o: { filter: [string, string][]; long?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = (await ctx.client.getAll<VnfPkgInfo>('listing VNF packages', '/vnfpkgm/v1/vnf_packages')).filter((v) => matches(v as unknown as Record<string, unknown>, o.filter, { name: 'vnfProductName', _id: 'id' }));
      if (ctx.json) return printJson(out, list);
      const rows = list.map((v) => [v.vnfProductName, v.id, ...(o.long ? [v.vnfdId, v.vnfProvider, v.vnfdVersion, v.onboardingState, v.operationalState, v.usageState] : [])]);
      printTable(out, ['NFPKG NAME', 'ID', ...(o.long ? ['VNFD ID', 'PROVIDER', 'VERSION', 'ONBOARDING', 'OPERATIONAL', 'USAGE'] : [])], rows);
    });

  program
    .command('nsd-list')
    .alias('nspkg-list')
    .description('list NS descriptors (osmclient alias)')
    .addHelpText('after', native('rondo nsd list'))
    .option('--filter <field=value>', 'only rows whose field has this value: name, id, nsdId, ... (repeatable)', collectFilter, [])
    .option('--long', 'more columns')
    .action(async (o: { filter: [string, string][]; long?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = (await ctx.client.getAll<NsdInfo>('listing NSDs', '/nsd/v1/ns_descriptors')).filter((n) => matches(n as unknown as Record<string, unknown>, o.filter, { name: 'nsdName', _id: 'id' }));
      if (ctx.json) return printJson(out, list);
      const rows = list.map((n) => [n.nsdName, n.id, ...(o.long ? [n.nsdId, n.nsdDesigner, n.nsdVersion, n.nsdOnboardingState, n.nsdOperationalState, n.nsdUsageState] : [])]);
      printTable(out, ['NSD NAME', 'ID', ...(o.long ? ['NSD ID', 'DESIGNER', 'VERSION', 'ONBOARDING', 'OPERATIONAL', 'USAGE'] : [])], rows);
    });

  program
    .command('ns-create')
    .description('create an NS instance and instantiate it with every VNF on one VIM account; prints its id (osmclient alias)')
    .addHelpText('after', native('rondo ns create --nsd <id> --name <name>, then rondo ns instantiate <id> --pin <member>=<pop> ...'))
    .requiredOption('--ns_name <name>', 'name of the NS instance')
    .requiredOption('--nsd_name <name>', 'NSD name (or its nsdId or NsdInfo id)')
    .requiredOption('--vim_account <name>', 'VIM account (PoP) to deploy every VNF on')
    .option('--description <text>', 'NS instance description')
    .option('--wait', 'wait until the instantiation ends')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '300')
    .action(async (o: { ns_name: string; nsd_name: string; vim_account: string; description?: string; wait?: boolean; timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const nsd = await nsdByName(ctx.client, o.nsd_name);
      await ctx.client.get(`finding VIM account ${o.vim_account}`, `/admin/v1/vims/${encodeURIComponent(o.vim_account)}`);
      const model = await ctx.client.get<NsdModel>(`reading NSD ${nsd.id}`, `/admin/v1/ns_descriptors/${encodeURIComponent(nsd.id)}/model`);
      const pins = Object.fromEntries([...model.nsd.vnfs.map((v) => v.vnfId), ...model.nsd.saps.map((s) => s.id)].map((m) => [m, o.vim_account]));
      const ns = (await ctx.client.post<NsView>('creating the NS instance', '/nslcm/v1/ns_instances', { nsdId: nsd.id, nsName: o.ns_name, ...(o.description ? { nsDescription: o.description } : {}) })).body;
      // As OSM's ns_instances_content: an instantiation refused up front leaves no NS instance behind.
      const r = await ctx.client.post(`instantiating NS ${ns.id}`, `${nsPath(ns.id)}/instantiate`, { additionalParamsForNs: { pins } }).catch(async (e: unknown) => {
        await ctx.client.delete('removing the NS instance', nsPath(ns.id)).catch(() => undefined);
        throw e;
      });
      const opId = opIdOf(r.headers.location);
      if (o.wait) {
        await followOp(ctx, opId, Number(o.timeout));
        if (!ctx.json) out.out(ns.id);
        return;
      }
      if (ctx.json) printJson(out, { id: ns.id, nsInstanceId: ns.id, opId });
      else out.out(ns.id);
    });

  program
    .command('ns-list')
    .description('list NS instances (osmclient alias)')
    .addHelpText('after', native('rondo ns list'))
    .option('--filter <field=value>', 'only rows whose field has this value: name, id, nsState, ... (repeatable)', collectFilter, [])
    .option('--long', 'more columns')
    .action(async (o: { filter: [string, string][]; long?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = (await ctx.client.getAll<NsView>('listing NS instances', '/nslcm/v1/ns_instances')).filter((n) => matches(n as unknown as Record<string, unknown>, o.filter, { name: 'nsInstanceName', _id: 'id' }));
      if (ctx.json) return printJson(out, list);
      printTable(out, ['NS INSTANCE NAME', 'ID', 'NS STATE', ...(o.long ? ['NSD ID', 'NSD INFO ID', 'DESCRIPTION'] : [])], list.map((n) => [n.nsInstanceName, n.id, n.nsState, ...(o.long ? [n.nsdId, n.nsdInfoId, n.nsInstanceDescription] : [])]));
    });

  program
    .command('ns-delete')
    .description('terminate an NS instance (when instantiated) and delete it (osmclient alias)')
    .addHelpText('after', native('rondo ns terminate <id> --wait, then rondo ns delete <id>'))
    .argument('<name>', 'NS instance name or id')
    .option('--timeout <seconds>', 'give up waiting for the termination after this long', '300')
    .action(async (name: string, o: { timeout: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const ns = await nsByName(ctx.client, name);
      if (ns.nsState !== 'NOT_INSTANTIATED') {
        const r = await ctx.client.post(`terminating NS ${ns.id}`, `${nsPath(ns.id)}/terminate`, {});
        // The instance can only be deleted once the termination ended; its progress goes to stderr.
        await followOp({ ...ctx, json: true, out: { out: () => undefined, err: (l) => out.err(l) } }, opIdOf(r.headers.location), Number(o.timeout));
      }
      await ctx.client.delete(`deleting NS ${ns.id}`, nsPath(ns.id));
      if (ctx.json) printJson(out, { id: ns.id, deleted: true });
      else out.out(`deleted NS instance ${ns.nsInstanceName} (${ns.id})`);
    });
}
