import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AdminPackage } from '../api/index.js';
import type { Vnfd } from '../model/index.js';
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

/**
 * A package file for `path`: the file itself, or, for an OSM package folder, a
 * `<folder>.tar.gz` packed in a temp dir as it is (checksums.txt unchanged, so it is
 * verified). Call `done()` when finished with it.
 */
export async function packageFileOf(path: string, what: string, opts: { fillChecksums?: boolean } = {}): Promise<{ file: string; name: string; done: () => Promise<void> }> {
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`${what}: cannot read ${path}`, EXIT.usage, e.code ?? e.message, 'check the path');
  });
  if (!s.isDirectory()) return { file: path, name: basename(path), done: async () => undefined };
  const { isSol006Folder, packFolderTarGz } = await import('../packages/index.js');
  if (!(await isSol006Folder(path))) {
    throw new CliError(`${what}: ${path} is a folder, not an OSM package folder`, EXIT.usage, 'no YAML/JSON file in it holds a SOL006 or OSM IM descriptor', 'build 5GTANGO and SOL004 folders first: rondo package build <dir> -o <file>');
  }
  const tmp = await mkdtemp(join(tmpdir(), 'rondo-pkg-'));
  const name = `${basename(resolve(path))}.tar.gz`;
  const file = join(tmp, name);
  await packFolderTarGz(path, file, opts);
  return { file, name, done: () => rm(tmp, { recursive: true, force: true }) };
}

/** `rondo package build|validate|onboard|list|show|delete`. */
export function registerPackageCommands(program: Command, out: Output): void {
  const pkg = program.command('package').description('build, validate and on-board NS/VNF packages');

  pkg
    .command('build')
    .description('pack a package folder into a package file: 5GTANGO/SONATA or SOL004 CSAR (zip), OSM SOL006 (.tar.gz, checksums.txt computed)')
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
        throw new CliError(`package build failed for ${dir}`, EXIT.usage, (e as Error).message, 'the folder needs TOSCA-Metadata/TOSCA.meta and the files it names, or a SOL006 descriptor (<name>_vnfd.yaml / <name>_nsd.yaml)');
      }
      if (ctx.json) printJson(out, { file: opts.output, format: r.format, files: r.files.length, bytes: r.bytes });
      else out.out(`built ${opts.output}: ${r.format} package, ${r.files.length} files, ${r.bytes} bytes`);
    });

  pkg
    .command('validate')
    .description('check a package offline (file, or OSM package folder); prints every issue as "file path: message"')
    .argument('<package>', 'package file (.tgo, .son, .csar, .zip, .tar.gz) or OSM package folder')
    .option('--with <package>', 'a package whose VNFDs the NSD may use, as if on-boarded (repeatable; OSM NS packages carry no VNFD)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (path: string, opts: { with: string[] }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const main = await packageFileOf(path, 'package validate');
      const others = await Promise.all(opts.with.map((w) => packageFileOf(w, 'package validate --with')));
      let r;
      try {
        const { readPackageFile } = await import('../packages/index.js');
        const known: Vnfd[] = [];
        for (const o of others) {
          const w = await readPackageFile(o.file, { fileName: o.name });
          if (!w.ok) throw new CliError(`package validate: --with ${o.name} is not a valid package`, EXIT.failed, w.error.map((i) => `${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`).join('\n'));
          known.push(...w.value.vnfds);
        }
        const { vnfdMatches } = await import('../descriptors/index.js');
        r = await readPackageFile(main.file, { fileName: main.name, externalVnfd: (ref) => Promise.resolve(known.find((v) => vnfdMatches(v, ref))) });
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(`package validate: cannot read ${path}`, EXIT.usage, (e as Error).message);
      } finally {
        await Promise.all([main, ...others].map((f) => f.done()));
      }
      if (r.ok) {
        const p = r.value;
        const warnings = p.warnings ?? [];
        if (ctx.json) printJson(out, { valid: true, format: p.format, package: p.ref, nsds: p.nsds.map((n) => n.ref), vnfds: p.vnfds.map((v) => v.ref), issues: [], warnings });
        else {
          out.out(`valid ${p.format} package ${ref(p.ref)}: ${p.nsds.length} NSD(s), ${p.vnfds.length} VNFD(s), ${p.files.length} files`);
          for (const w of warnings) out.out(`warning: ${w.file}${w.path ? ` ${w.path}` : ''}: ${w.message}`);
        }
        return;
      }
      if (ctx.json) printJson(out, { valid: false, issues: r.error });
      else {
        out.out(`invalid package ${path}: ${r.error.length} issue(s)`);
        for (const i of r.error) out.out(`${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`);
      }
      process.exitCode = EXIT.failed;
    });

  pkg
    .command('onboard')
    .description('upload a package (file, or OSM package folder) to the server and on-board it')
    .argument('<package>', 'package file (.tgo, .son, .csar, .zip, .tar.gz) or OSM package folder')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const f = await packageFileOf(file, 'package onboard');
      const p = await ctx.client.upload<AdminPackage>(`on-boarding ${file}`, '/admin/v1/packages', f.file).finally(() => f.done());
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
