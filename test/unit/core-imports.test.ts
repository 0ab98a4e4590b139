/**
 * The core never loads a driver, an HTTP framework or a database client (DESIGN.md, "Key
 * contracts") nor the broker client: the static import graph of every production file of the core folders,
 * followed transitively through whatever they import, reaches none of them. Type-only
 * imports count too. Unit tests beside the code (`*.test.ts`) may use the memory driver.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CORE = ['src/lifecycle', 'src/model', 'src/descriptors', 'src/placement', 'src/ipam'];
const FORBIDDEN_FILES = ['src/vim/docker/', 'src/vim/openstack/', 'src/vim/memory/'];
const FORBIDDEN_PACKAGES = ['dockerode', 'fastify', 'pg', 'kysely', '@electric-sql', 'amqplib'];

/** Module specifiers of `import … from`, `export … from`, side-effect `import '…'` and `import('…')`. */
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter((s) => s !== '');
}

/** A relative specifier as a source file: `./x.js` → `./x.ts`, a folder → its `index.ts`. */
function resolveLocal(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${spec}`);
}

const packageOf = (spec: string): string => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
const isForbiddenPackage = (spec: string): boolean => FORBIDDEN_PACKAGES.some((p) => packageOf(spec) === p || packageOf(spec).startsWith(`${p}/`));

function productionFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => join(ROOT, dir, f));
}

/** Every forbidden import reachable from `start`, as `importer → specifier` with the path that leads there. */
function forbiddenReach(start: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, trail: readonly string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const rel = relative(ROOT, file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        if (isForbiddenPackage(spec)) found.push(`${[...trail, rel].join(' → ')} → ${spec}`);
        continue;
      }
      const target = resolveLocal(file, spec);
      const targetRel = relative(ROOT, target);
      if (FORBIDDEN_FILES.some((f) => targetRel.startsWith(f))) {
        found.push(`${[...trail, rel].join(' → ')} → ${targetRel}`);
        continue;
      }
      walk(target, [...trail, rel]);
    }
  };
  walk(start, []);
  return found;
}

describe('the core import graph', () => {
  it('finds the imports it must judge (the walker works)', () => {
    const graph = specifiers(join(ROOT, 'src/app/vim-drivers.ts'));
    expect(graph).toEqual(expect.arrayContaining(['../vim/docker/docker-vim-driver.js', '../vim/memory/memory-vim-driver.js']));
    // The composition root may load drivers; the walker sees it.
    expect(forbiddenReach(join(ROOT, 'src/app/vim-drivers.ts')).some((p) => p.endsWith('src/vim/docker/docker-vim-driver.ts'))).toBe(true);
  });

  it.each(['src/catalog', 'src/auth', 'src/notify'])('%s reaches the store only through its own port (no import of src/store)', (dir) => {
    const problems = readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f))
      .flatMap((f) => specifiers(join(ROOT, dir, f)).filter((spec) => spec.startsWith('.') && relative(ROOT, resolve(ROOT, dir, dirname(f), spec)).startsWith('src/store')).map((spec) => `${dir}/${f} → ${spec}`));
    expect(problems).toEqual([]);
  });

  it.each(CORE)('%s never reaches a VIM driver, dockerode, fastify, pg, kysely or PGlite', (dir) => {
    const files = productionFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    const problems = [...new Set(files.flatMap((f) => forbiddenReach(f)))];
    expect(problems, `forbidden imports:\n  ${problems.join('\n  ')}`).toEqual([]);
  });
});
