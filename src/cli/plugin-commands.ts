import type { Command } from 'commander';
import type { PluginRecord } from '../plugins/index.js';
import { contextOf } from './cli-context.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

const pluginPath = (id: string) => `/admin/v1/plugins/${encodeURIComponent(id)}`;

/**
 * `rondo plugin list|show|deregister`: the plugins registered over the event bus
 * (`/admin/v1/plugins`, docs/plugins.md). `deregister` removes one; the plugin is told on
 * its lifecycle topic.
 */
export function registerPluginCommands(program: Command, out: Output): void {
  const plugin = program.command('plugin').description('plugins registered over the event bus (SSMs, FSMs, MANO plugins)');

  plugin.command('list')
    .description('list registered plugins with their state and last heartbeat')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.getAll<PluginRecord>('listing plugins', '/admin/v1/plugins');
      if (ctx.json) printJson(out, list);
      else printTable(out, ['ID', 'NAME', 'VERSION', 'STATE', 'LAST HEARTBEAT', 'TOPICS'], list.map((p) => [p.id, p.name, p.version, p.state, p.lastHeartbeatAt, String(p.topics.length)]));
    });

  plugin.command('show')
    .description('show one plugin')
    .argument('<id>', 'plugin uuid')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const p = await ctx.client.get<PluginRecord>(`showing plugin ${id}`, pluginPath(id));
      if (ctx.json) printJson(out, p);
      else printFields(out, [['id', p.id], ['name', p.name], ['version', p.version], ['description', p.description], ['state', p.state], ['registered', p.registeredAt], ['last heartbeat', p.lastHeartbeatAt], ['topics', p.topics.join(', ') || null]]);
    });

  plugin.command('deregister')
    .description('remove a plugin from the registry (it is told on its lifecycle topic)')
    .argument('<id>', 'plugin uuid')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await ctx.client.delete(`deregistering plugin ${id}`, pluginPath(id));
      if (ctx.json) printJson(out, { id, deregistered: true });
      else out.out(`deregistered plugin ${id}`);
    });
}
