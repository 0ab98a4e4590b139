import { posix } from 'node:path';
import { isSol006Document, openSol006Document, parseYamlSafe, readSol006Nsd, readSol006Vnfd } from '../descriptors/index.js';
import { isRecord } from '../descriptors/issue-collector.js';
import type { Result, ValidationIssue } from '../model/index.js';
import { err, ok } from '../model/index.js';
import type { PackageContext } from './package-context.js';
import { verifyChecksum } from './package-context.js';
import type { PackageContent } from './tango-package.js';

/**
 * OSM's package layout (osmclient `package-create` / `package-build`): one folder, usually
 * shipped as `<name>.tar.gz` with the folder inside, holding
 *
 *     <name>_vnfd.yaml | <name>_nsd.yaml   the descriptor (SOL006 or OSM IM; YAML or JSON)
 *     checksums.txt                        optional: `<md5> <path>` per line, verified when present
 *     cloud_init/                          files a VDU's cloud-init-file names
 *     charms/  scripts/  icons/  helm-charts/  ...   stored with the package
 *
 * The descriptor is the one YAML/JSON file directly in the folder that holds a SOL006 or
 * OSM IM descriptor (OSM's NBI takes the folder's only descriptor file the same way).
 */
export const SOL006_LAYOUT = { checksums: 'checksums.txt', cloudInit: 'cloud_init/', charms: 'charms/' } as const;

const DESCRIPTOR_EXT = /\.(ya?ml|json)$/i;

/** The package's folder: the single top-level folder every file is in (`name/`), or '' for none. */
export const packageRoot = (paths: readonly string[]): string => {
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/') + 1) : '')));
  const only = [...tops][0];
  return tops.size === 1 && only !== undefined ? only : '';
};

/** Parses a descriptor file's text: JSON for `.json` (and text starting with `{`), else YAML as PyYAML reads it. */
export const parseDescriptorText = (text: string, file: string, limits: { maxAliases: number; maxDepth: number }, warnings?: ValidationIssue[]): Result<unknown, ValidationIssue[]> => {
  if (/\.json$/i.test(file) || /^\s*\{/.test(text)) {
    try {
      const value: unknown = JSON.parse(text);
      const depth = maxDepth(value);
      if (depth > limits.maxDepth) return err([{ file, path: '', message: `nesting deeper than ${limits.maxDepth} levels` }]);
      return ok(value);
    } catch (e) {
      if (/\.json$/i.test(file)) return err([{ file, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
    }
  }
  return parseYamlSafe(text, file, limits, warnings);
};

/** Depth of a parsed JSON value, walked without recursion. */
const maxDepth = (v: unknown): number => {
  let deepest = 0;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [unknown, number];
    if (x === null || typeof x !== 'object') continue;
    deepest = Math.max(deepest, d);
    for (const y of Array.isArray(x) ? x : Object.values(x)) stack.push([y, d + 1]);
  }
  return deepest;
};

/**
 * The SOL006 descriptor files of an archive in OSM's layout (files directly in the package
 * folder whose document is a SOL006 / OSM IM descriptor); empty when it is not one.
 */
export const findSol006Descriptors = async (ctx: PackageContext): Promise<{ root: string; descriptors: string[] }> => {
  const root = packageRoot(ctx.files.map((f) => f.path));
  const candidates = ctx.files.map((f) => f.path).filter((p) => p.startsWith(root) && !p.slice(root.length).includes('/') && DESCRIPTOR_EXT.test(p));
  const descriptors: string[] = [];
  for (const p of candidates) {
    const doc = await readDescriptor(ctx, p);
    // A file named as OSM names descriptors that cannot be read is one, with its issues.
    if (doc.ok ? isSol006Document(doc.value) : /_(vnfd|nsd)\.(ya?ml|json)$/i.test(p)) descriptors.push(p);
  }
  return { root, descriptors };
};

const parsedCache = new WeakMap<PackageContext, Map<string, Result<unknown, ValidationIssue[]>>>();

/** Reads and parses one descriptor file of the archive (cached per archive). */
const readDescriptor = async (ctx: PackageContext, path: string): Promise<Result<unknown, ValidationIssue[]>> => {
  const cache = parsedCache.get(ctx) ?? new Map<string, Result<unknown, ValidationIssue[]>>();
  parsedCache.set(ctx, cache);
  const hit = cache.get(path);
  if (hit) return hit;
  const text = await ctx.readText(path);
  const r = text.ok ? parseDescriptorText(text.value, path, { maxAliases: ctx.limits.maxYamlAliases, maxDepth: ctx.limits.maxDepth }, ctx.warnings) : text;
  cache.set(path, r);
  return r;
};

/**
 * Reads a package in OSM's layout: verifies `checksums.txt` when present (MD5 per file,
 * paths with or without the package folder), collects `cloud_init/` files for the VDUs
 * that name them, and reads the one descriptor as a SOL006 VNFD or NSD. Issues go to
 * `ctx.issues`.
 */
export const readSol006Package = async (ctx: PackageContext, root: string, descriptors: readonly string[]): Promise<PackageContent | undefined> => {
  if (descriptors.length !== 1) {
    ctx.issues.push({ file: ctx.name, path: '', message: `an OSM package holds one descriptor in its folder; found ${descriptors.length}: ${descriptors.join(', ')}` });
    return undefined;
  }
  const path = descriptors[0] as string;
  const checksums = `${root}${SOL006_LAYOUT.checksums}`;
  if (ctx.digests.has(checksums)) await verifyChecksums(ctx, checksums, root);
  const cloudInit = new Map<string, { content: string; file: string }>();
  for (const f of ctx.files) {
    if (!f.path.startsWith(`${root}${SOL006_LAYOUT.cloudInit}`)) continue;
    const text = await ctx.readText(f.path);
    if (!text.ok) ctx.issues.push(...text.error);
    else cloudInit.set(f.path.slice(root.length + SOL006_LAYOUT.cloudInit.length), { content: text.value, file: f.path });
  }
  const charms = ctx.files.filter((f) => f.path.startsWith(`${root}${SOL006_LAYOUT.charms}`));
  if (charms.length > 0) ctx.warnings.push({ file: `${root}${SOL006_LAYOUT.charms}`, path: '', message: `the package carries Juju charms (${charms.length} files); they are stored, but Rondo does not run charms: day-1/day-2 config primitives are listed, not executed` });
  const doc = await readDescriptor(ctx, path);
  if (!doc.ok) return void ctx.issues.push(...doc.error);
  const opened = openSol006Document(doc.value, path);
  if (!opened.ok) return void ctx.issues.push(...opened.error);
  const metadata = { layout: 'osm', descriptor: path, form: opened.value.form, checksums: ctx.digests.has(checksums) ? checksums : null, cloudInit: [...cloudInit.values()].map((v) => v.file) };
  if (opened.value.kind === 'vnfd') {
    const r = readSol006Vnfd(doc.value, path, { warnings: ctx.warnings, cloudInit });
    if (!r.ok) return void ctx.issues.push(...r.error);
    return { ref: r.value.ref, ...(r.value.description === undefined ? {} : { description: r.value.description }), nsds: [], vnfds: [{ ...r.value, file: path }], metadata };
  }
  const r = readSol006Nsd(doc.value, path, { warnings: ctx.warnings });
  if (!r.ok) return void ctx.issues.push(...r.error);
  return { ref: r.value.ref, ...(r.value.description === undefined ? {} : { description: r.value.description }), nsds: [{ ...r.value, file: path }], vnfds: [], metadata };
};

/**
 * `checksums.txt`: `<md5><blank><path>` per line (osmclient writes a tab), paths relative to
 * the archive (`name/file`, as osmclient writes them) or to the package folder. Every line
 * must name a file of the package whose MD5 matches.
 */
const verifyChecksums = async (ctx: PackageContext, file: string, root: string): Promise<void> => {
  const text = await ctx.readText(file);
  if (!text.ok) return void ctx.issues.push(...text.error);
  const folder = root.replace(/\/$/, '');
  for (const [i, raw] of text.value.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([0-9a-fA-F]{32})\s+(.+)$/.exec(line);
    if (!m) {
      ctx.issues.push({ file, path: `/line/${i + 1}`, message: 'expected "<md5> <path>"' });
      continue;
    }
    const listed = posix.normalize((m[2] ?? '').trim().replace(/^\.\//, ''));
    // Paths as osmclient writes them (`name/x`) or relative to the folder (`x`); the folder's
    // own name may differ from the archive's when the package was renamed.
    const candidates = [listed, `${root}${listed}`, `${root}${listed.slice(listed.indexOf('/') + 1)}`];
    const target = candidates.find((p) => !p.startsWith('../') && ctx.digests.has(p)) ?? (folder && !listed.startsWith(`${folder}/`) ? `${root}${listed}` : listed);
    const bad = await verifyChecksum(ctx, target, 'MD5', m[1], { file, path: `/line/${i + 1}` });
    if (bad) ctx.issues.push(bad);
  }
};

/** True when `doc` is a parsed SOL006 / OSM IM descriptor (for single-file uploads). */
export const isSol006Descriptor = (doc: unknown): boolean => isRecord(doc) && isSol006Document(doc);
