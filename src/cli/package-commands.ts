import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AdminPackage } from '../api/index.js';
import { CliError, EXIT } from './cli-error.js';
import { contextOf } from './cli-context.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

const ref = (d: { vendor: string; name: string; version: string }) => `${d.vendor}/${d.name}/${d.version}`;

function printPackage(out: Output, p: AdminPackage): void {
  printFields(out, [
    ['id', p.id],
    ['package', ref(p)],
    ['format', p.format],
    ['file', p.fileName],
    ['size', `${p.size} bytes`],
    ['sha256', p.sha256],
    ['created', p.createdAt],
  ]);
  out.out('');
  printTable(
    out,
    ['KIND', 'ID', 'DESCRIPTOR', 'STATE', 'OPERATIONAL', 'USAGE'],
    [...p.nsds.map((d) => ['NSD', d] as const), ...p.vnfds.map((d) => ['VNFD', d] as const)].map(([k, d]) => [k, d.id, ref(d), d.onboardingState, d.operationalState, d.usageState]),
  );
}

/** Exits 2 with a clear message when a local file cannot be read. */
async function requireFile(path: string, what: string): Promise<void> {
  await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`${what}: cannot read ${path}`, EXIT.usage, e.code ?? e.message, 'check the path');
  });
}

/** `rondo package build|validate|onboard|list|show|delete`. */
export function registerPackageCommands(program: Command, out: Output): void {
  const pkg = program.command('package').description('build, validate and on-board NS/VNF packages');

  pkg
    .command('build')
    .description('zip a package folder (5GTANGO or SOL004 CSAR) into a package file')
    .argument('<dir>', 'package source folder')
    .requiredOption('-o, --output <file>', 'package file to write')
    .action(async (dir: string, opts: { output: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await requireFile(dir, 'package build');
      let r;
      try {
        const { buildPackage } = await import('../packages/index.js');
        r = await buildPackage(dir, opts.output);
      } catch (e) {
        throw new CliError(`package build failed for ${dir}`, EXIT.usage, (e as Error).message, 'the folder needs TOSCA-Metadata/TOSCA.meta and the files it names');
      }
      if (ctx.json) printJson(out, { file: opts.output, format: r.format, files: r.files.length, bytes: r.bytes });
      else out.out(`built ${opts.output}: ${r.format} package, ${r.files.length} files, ${r.bytes} bytes`);
    });

  pkg
    .command('validate')
    .description('check a package offline; prints every issue as "file path: message"')
    .argument('<file>', 'package file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await requireFile(file, 'package validate');
      let r;
      try {
        const { readPackageFile } = await import('../packages/index.js');
        r = await readPackageFile(file);
      } catch (e) {
        throw new CliError(`package validate: cannot read ${file}`, EXIT.usage, (e as Error).message);
      }
      if (r.ok) {
        const p = r.value;
        if (ctx.json) printJson(out, { valid: true, format: p.format, package: p.ref, nsds: p.nsds.map((n) => n.ref), vnfds: p.vnfds.map((v) => v.ref), issues: [] });
        else out.out(`valid ${p.format} package ${ref(p.ref)}: ${p.nsds.length} NSD(s), ${p.vnfds.length} VNFD(s), ${p.files.length} files`);
        return;
      }
      if (ctx.json) printJson(out, { valid: false, issues: r.error });
      else {
        out.out(`invalid package ${file}: ${r.error.length} issue(s)`);
        for (const i of r.error) out.out(`${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`);
      }
      process.exitCode = EXIT.failed;
    });

  pkg
    .command('onboard')
    .description('upload a package to the server and on-board it')
    .argument('<file>', 'package file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const p = await ctx.client.upload<AdminPackage>(`on-boarding ${file}`, '/admin/v1/packages', file);
      if (ctx.json) printJson(out, p);
      else {
        out.out(`on-boarded ${file} as package ${p.id}`);
        printPackage(out, p);
      }
    });

  pkg
    .command('list')
    .description('list on-boarded packages')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.getAll<AdminPackage>('listing packages', '/admin/v1/packages');
      if (ctx.json) printJson(out, list);
      else printTable(out, ['ID', 'PACKAGE', 'FORMAT', 'NSDS', 'VNFDS', 'SIZE', 'CREATED'], list.map((p) => [p.id, ref(p), p.format, p.nsds.length, p.vnfds.length, p.size, p.createdAt]));
    });

  pkg
    .command('show')
    .description('show a package and its descriptors')
    .argument('<id>', 'package id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const p = await ctx.client.get<AdminPackage>(`showing package ${id}`, `/admin/v1/packages/${encodeURIComponent(id)}`);
      if (ctx.json) printJson(out, p);
      else printPackage(out, p);
    });

  pkg
    .command('delete')
    .description('delete a package and its descriptors (none may be in use)')
    .argument('<id>', 'package id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      await ctx.client.delete(`deleting package ${id}`, `/admin/v1/packages/${encodeURIComponent(id)}`);
      if (ctx.json) printJson(out, { deleted: id });
      else out.out(`deleted package ${id}`);
    });
}
