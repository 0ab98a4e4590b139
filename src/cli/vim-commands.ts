import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { contextOf } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

interface Capacity { cpu: number; memoryMiB: number }
interface VimView { id: string; name: string; type: string; endpoint: string; capacity: Capacity | null; usage: Capacity; hasCredentials: boolean; createdAt: string; version?: string; config?: { imageMap?: Record<string, string> } }

/** `vm=container` image map entries, repeatable. */
const collectMapping = (value: string, acc: Record<string, string>): Record<string, string> => {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new CliError(`--image-map ${value}: expected vm-image=container-image`, EXIT.usage, undefined, 'e.g. --image-map ubuntu20.04=vnf/busybox:latest');
  return { ...acc, [value.slice(0, eq)]: value.slice(eq + 1) };
};
const imageMapText = (v: VimView): string => Object.entries(v.config?.imageMap ?? {}).map(([k, x]) => `${k}=${x}`).join(', ');

const cap = (c: Capacity | null | undefined) => (c ? `${c.cpu} CPU / ${c.memoryMiB} MiB` : 'unlimited');
const vimPath = (id: string) => `/admin/v1/vims/${encodeURIComponent(id)}`;

interface AddOptions {
  type: string; endpoint?: string; cpu?: string; memory?: string; check: boolean;
  authUrl?: string; project?: string; user?: string; password?: string; region?: string; userDomain: string; projectDomain: string;
  dockerHost?: string; tlsCa?: string; tlsCert?: string; tlsKey?: string;
}

/** The PEM files of `--tls-ca`, `--tls-cert`, `--tls-key` (all three or none), read here: the API takes their text. */
function dockerTlsCredentials(o: AddOptions): { tlsCaCert: string; tlsCert: string; tlsKey: string } | undefined {
  const files = { '--tls-ca': o.tlsCa, '--tls-cert': o.tlsCert, '--tls-key': o.tlsKey };
  const given = Object.entries(files).filter(([, f]) => f !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < 3) throw new CliError('vim add: mutual TLS needs --tls-ca, --tls-cert and --tls-key', EXIT.usage, undefined, 'e.g. --tls-ca ca.pem --tls-cert cert.pem --tls-key key.pem');
  const read = (flag: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(`vim add: ${flag} ${file}: ${(e as Error).message}`, EXIT.usage);
    }
  };
  return { tlsCaCert: read('--tls-ca', o.tlsCa as string), tlsCert: read('--tls-cert', o.tlsCert as string), tlsKey: read('--tls-key', o.tlsKey as string) };
}

/** `rondo vim add|list|show|update|check|remove` (VIM accounts = PoPs). */
export function registerVimCommands(program: Command, out: Output): void {
  const vim = program.command('vim').description('VIM accounts (points of presence)');

  vim.command('add')
    .description('add a PoP (checks that it answers)')
    .argument('<name>', 'PoP name (also its id)')
    .option('--type <type>', 'docker | openstack | memory', 'docker')
    .option('--endpoint <url>', 'docker: unix:///var/run/docker.sock or tcp://host:2375')
    .option('--docker-host <url>', 'docker: the engine, as DOCKER_HOST says it (tcp://host:2376 with --tls-*)')
    .option('--tls-ca <file>', "docker: PEM of the CA that signed the engine's certificate")
    .option('--tls-cert <file>', 'docker: PEM client certificate the engine trusts')
    .option('--tls-key <file>', 'docker: PEM key of the client certificate')
    .option('--cpu <n>', 'CPU capacity offered to Rondo')
    .option('--memory <MiB>', 'memory capacity offered to Rondo, MiB')
    .option('--auth-url <url>', 'openstack: Keystone v3 URL')
    .option('--project <name>', 'openstack: project')
    .option('--user <name>', 'openstack: user')
    .option('--password <password>', 'openstack: password (or env OS_PASSWORD)')
    .option('--region <name>', 'openstack: region')
    .option('--user-domain <name>', 'openstack: user domain', 'Default')
    .option('--project-domain <name>', 'openstack: project domain', 'Default')
    .option('--no-check', 'store it without checking connectivity')
    .action(async (name: string, o: AddOptions, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const endpoint = o.type === 'openstack' ? o.authUrl ?? o.endpoint : o.endpoint ?? o.dockerHost ?? (o.type === 'docker' ? 'unix:///var/run/docker.sock' : `memory://${name}`);
      if (!endpoint) throw new CliError('vim add: no endpoint', EXIT.usage, 'an openstack PoP needs --auth-url', 'e.g. --auth-url http://keystone:5000/v3');
      const password = o.password ?? process.env.OS_PASSWORD;
      const credentials = o.type === 'openstack'
        ? { username: o.user ?? '', password: password ?? '', projectName: o.project ?? '', userDomainName: o.userDomain, projectDomainName: o.projectDomain, ...(o.region ? { region: o.region } : {}) }
        : o.type === 'docker' ? dockerTlsCredentials(o) : undefined;
      const capacity = o.cpu !== undefined || o.memory !== undefined ? { cpu: Number(o.cpu ?? 0), memoryMiB: Number(o.memory ?? 0) } : undefined;
      const r = await ctx.client.post<VimView>(`adding PoP ${name}`, `/admin/v1/vims${o.check ? '' : '?check=false'}`, { name, type: o.type, endpoint, ...(capacity ? { capacity } : {}), ...(credentials ? { credentials } : {}) });
      if (ctx.json) printJson(out, r.body);
      else out.out(`added PoP ${r.body.id} (${r.body.type} ${r.body.endpoint}${r.body.version ? `, ${r.body.version}` : ''})`);
    });

  vim.command('list')
    .description('list PoPs with capacity and use')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.getAll<VimView>('listing PoPs', '/admin/v1/vims');
      if (ctx.json) printJson(out, list);
      else printTable(out, ['ID', 'TYPE', 'ENDPOINT', 'CAPACITY', 'IN USE'], list.map((v) => [v.id, v.type, v.endpoint, cap(v.capacity), cap(v.usage)]));
    });

  vim.command('show')
    .description('show one PoP')
    .argument('<id>', 'PoP id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const v = await ctx.client.get<VimView>(`showing PoP ${id}`, vimPath(id));
      if (ctx.json) printJson(out, v);
      else printFields(out, [['id', v.id], ['type', v.type], ['endpoint', v.endpoint], ['capacity', cap(v.capacity)], ['in use', cap(v.usage)], ['image map', imageMapText(v) || null], ['credentials', v.hasCredentials ? 'stored (hidden)' : 'none'], ['created', v.createdAt]]);
    });

  vim.command('update')
    .description('change a PoP: the image it runs for a VM image that descriptors name (OSM packages): a container image on Docker, a Glance image on OpenStack')
    .argument('<id>', 'PoP id')
    .option('--image-map <vm=image>', 'run this image (container image on Docker, Glance image on OpenStack) for that VM image (repeatable)', collectMapping, {})
    .option('--unmap <vm-image>', 'remove a VM image from the map (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (id: string, o: { imageMap: Record<string, string>; unmap: string[] }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const imageMap: Record<string, string | null> = { ...o.imageMap, ...Object.fromEntries(o.unmap.map((k) => [k, null])) };
      if (Object.keys(imageMap).length === 0) throw new CliError('vim update: nothing to change', EXIT.usage, undefined, 'give --image-map vm=container or --unmap vm');
      const v = await ctx.client.patch<VimView>(`updating PoP ${id}`, vimPath(id), { imageMap });
      if (ctx.json) printJson(out, v);
      else out.out(`updated PoP ${v.id}; image map: ${imageMapText(v) || '(empty)'}`);
    });

  vim.command('check')
    .description('check that a PoP answers')
    .argument('<id>', 'PoP id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const r = (await ctx.client.post<{ version: string; capacity: Capacity | null }>(`checking PoP ${id}`, `${vimPath(id)}/check`)).body;
      if (ctx.json) printJson(out, r);
      else out.out(`PoP ${id} answers: ${r.version}; reports ${cap(r.capacity)}`);
    });

  vim.command('remove')
    .description('remove a PoP (refused while an NS instance uses it)')
    .argument('<id>', 'PoP id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await ctx.client.delete(`removing PoP ${id}`, vimPath(id));
      if (ctx.json) printJson(out, { id, removed: true });
      else out.out(`removed PoP ${id}`);
    });
}
