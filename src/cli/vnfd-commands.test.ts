import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { registerVnfdCommands } from './vnfd-commands.js';

const dirs: string[] = [];
afterEach(async () => {
  process.exitCode = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Runs `rondo <args>` with only the vnfd commands; returns the lines written. */
async function rondo(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command('rondo').option('--json').option('--url <url>').exitOverride();
  registerVnfdCommands(program, { out: (l) => void lines.push(l), err: (l) => void lines.push(l) });
  await program.parseAsync(args, { from: 'user' });
  return lines;
}

describe('rondo vnfd translate --to heat', () => {
  it('writes main.yaml and the nested scaling template of the SOL004 example, and lists them with --json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'rondo-hot-'));
    dirs.push(out);
    const lines = await rondo(['--json', 'vnfd', 'translate', 'examples/sol004-csar/Definitions/relay_top.vnfd.yaml', '--to', 'heat', '-o', out]);
    expect(JSON.parse(lines.join('\n'))).toEqual({ translated: true, target: 'heat', files: [join(out, 'main.yaml'), join(out, 'back_aspect.hot.yaml')], warnings: [] });
    const main = parse(await readFile(join(out, 'main.yaml'), 'utf8')) as { resources: Record<string, { type: string }>; parameters: Record<string, unknown> };
    expect(main.resources['front']?.type).toBe('OS::Nova::Server');
    expect(main.resources['back_aspect']?.type).toBe('OS::Heat::AutoScalingGroup');
    expect(Object.keys(main.parameters)).toEqual(['front_ext_cp_network', 'back_ext_cp_network']);
    expect(process.exitCode ?? 0).toBe(0);
  });

  /** The SOL004 example with its internal link's CIDR removed, in a fresh folder; returns the VNFD path. */
  const withoutCidr = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'rondo-hot-'));
    dirs.push(dir);
    const vnfd = (await readFile('examples/sol004-csar/Definitions/relay_top.vnfd.yaml', 'utf8')).replace(/ {10}virtual_link_protocol_data:[\s\S]*?cidr: \S+\n/, '');
    await writeFile(join(dir, 'vnfd.yaml'), vnfd);
    await copyFile('examples/sol004-csar/Definitions/relay_types.yaml', join(dir, 'relay_types.yaml'));
    return join(dir, 'vnfd.yaml');
  };

  it('with --strict, prints every issue and exits 1 for a VNFD without a faithful Heat mapping', async () => {
    const file = await withoutCidr();
    const lines = await rondo(['vnfd', 'translate', file, '--to', 'heat', '-o', join(file, '..', 'out'), '--named-flavors', '--no-qos', '--strict']);
    expect(process.exitCode).toBe(1);
    expect(lines).toEqual([
      `cannot translate ${file} to Heat (HOT_UNSUPPORTED): 1 issue(s)`,
      expect.stringMatching(/^vnfd\.yaml \/topology_template\/node_templates\/internal_vl\/properties\/vl_profile\/virtual_link_protocol_data: .*CIDR/),
    ]);
  });

  it('without --strict, translates what heat-translator translates with a warning, and prints the warning', async () => {
    const file = await withoutCidr();
    const out = join(file, '..', 'out');
    const lines = await rondo(['vnfd', 'translate', file, '--to', 'heat', '-o', out, '--named-flavors', '--no-qos']);
    expect(process.exitCode ?? 0).toBe(0);
    expect(lines).toContainEqual(expect.stringMatching(/^warning: vnfd\.yaml \/topology_template\/node_templates\/internal_vl\/properties\/vl_profile\/virtual_link_protocol_data: .*CIDR.*internal_vl_cidr/));
    const main = parse(await readFile(join(out, 'main.yaml'), 'utf8')) as { resources: Record<string, { properties?: Record<string, unknown> }>; parameters: Record<string, unknown> };
    expect(main.resources['internal_vl_subnet']?.properties?.['cidr']).toEqual({ get_param: 'internal_vl_cidr' });
    expect(Object.keys(main.parameters)).toContain('internal_vl_cidr');
  });

  it('rejects an unknown target as a usage error', async () => {
    await expect(rondo(['vnfd', 'translate', 'examples/sol004-csar/Definitions/relay_top.vnfd.yaml', '--to', 'cfn', '-o', '/tmp/x'])).rejects.toMatchObject({ exitCode: 2 });
  });
});
