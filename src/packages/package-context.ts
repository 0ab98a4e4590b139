import { posix } from 'node:path';
import { parseYamlSafe } from '../descriptors/index.js';
import type { PackageFile, Result, ValidationIssue } from '../model/index.js';
import { err, ok } from '../model/index.js';
import type { PackageLimits } from './package-limits.js';
import { MAX_DESCRIPTOR_BYTES } from './package-limits.js';
import type { EntryDigest, SafeArchive } from './safe-zip.js';

/** What the format readers share while reading one archive. */
export interface PackageContext {
  /** The upload's name, used for archive-level issues. */
  readonly name: string;
  readonly limits: PackageLimits;
  readonly zip: SafeArchive;
  /** Every file with its digests (streamed once at the start). */
  readonly digests: ReadonlyMap<string, EntryDigest>;
  readonly files: PackageFile[];
  readonly issues: ValidationIssue[];
  /** What the reference tools accept with a warning; the package stays valid. */
  readonly warnings: ValidationIssue[];
  readText(path: string): Promise<Result<string, ValidationIssue[]>>;
  readYaml(path: string): Promise<Result<unknown, ValidationIssue[]>>;
}

/** Streams every entry once for its digests, then returns the shared context. */
export const createPackageContext = async (zip: SafeArchive, name: string, limits: PackageLimits): Promise<Result<PackageContext, ValidationIssue[]>> => {
  const digests = new Map<string, EntryDigest>();
  const files: PackageFile[] = [];
  const issues: ValidationIssue[] = [];
  for (const e of [...zip.entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const d = await zip.digest(e.path);
    if (!d.ok) {
      issues.push({ file: name, path: '', message: d.error });
      continue;
    }
    digests.set(e.path, d.value);
    files.push({ path: e.path, size: d.value.size, sha256: d.value.sha256 });
  }
  if (issues.length > 0) return err(issues);
  const yamlCache = new Map<string, Result<unknown, ValidationIssue[]>>();
  const warnings: ValidationIssue[] = [];
  const readText = async (path: string): Promise<Result<string, ValidationIssue[]>> => {
    const r = await zip.read(path, MAX_DESCRIPTOR_BYTES);
    if (!r.ok) return err([{ file: path, path: '', message: r.error }]);
    return ok(r.value.toString('utf8'));
  };
  return ok({
    name,
    limits,
    zip,
    digests,
    files,
    issues: [],
    warnings,
    readText,
    readYaml: async (path) => {
      const cached = yamlCache.get(path);
      if (cached) return cached;
      const text = await readText(path);
      const parsed = text.ok ? parseYamlSafe(text.value, path, { maxAliases: limits.maxYamlAliases, maxDepth: limits.maxDepth }, warnings) : text;
      yamlCache.set(path, parsed);
      return parsed;
    },
  });
};

/**
 * Normalises a path written in a manifest (`/Definitions/x.yaml`, `file://Definitions/x.yaml`,
 * `./x`) to an archive path; undefined when it leaves the package or is a remote URL.
 */
export const normalizePackagePath = (source: string, base = ''): string | undefined => {
  let s = source.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.toLowerCase().startsWith('file://')) return undefined;
  s = s.replace(/^file:\/\//i, '');
  const rooted = s.startsWith('/');
  const joined = posix.normalize(rooted ? s.replace(/^\/+/, '') : posix.join(base, s));
  if (joined === '..' || joined.startsWith('../') || joined === '.') return undefined;
  return joined;
};

const ALGORITHMS: Readonly<Record<string, string>> = { 'sha-256': 'sha256', sha256: 'sha256', 'sha-384': 'sha384', sha384: 'sha384', 'sha-512': 'sha512', sha512: 'sha512', md5: 'md5' };

/**
 * Checks a declared checksum of `path`; returns an issue naming the file on mismatch, on an
 * unknown algorithm, or when the file is missing.
 */
export const verifyChecksum = async (
  ctx: PackageContext,
  path: string,
  algorithm: string | undefined,
  declared: string | undefined,
  where: { file: string; path: string },
): Promise<ValidationIssue | undefined> => {
  const algo = ALGORITHMS[(algorithm ?? '').toLowerCase()];
  if (!algo) return { ...where, message: `unknown checksum algorithm "${algorithm ?? ''}" for ${path}; use SHA-256` };
  if (!declared) return { ...where, message: `no hash declared for ${path}` };
  const d = ctx.digests.get(path);
  if (!d) return { ...where, message: `${path} is listed but not in the package` };
  let actual = algo === 'sha256' ? d.sha256 : algo === 'md5' ? d.md5 : undefined;
  if (actual === undefined) {
    const r = await ctx.zip.digest(path, [algo]);
    if (!r.ok) return { ...where, message: r.error };
    actual = r.value.extra[algo] ?? '';
  }
  if (actual.toLowerCase() === declared.toLowerCase()) return undefined;
  return { file: path, path: '', message: `checksum mismatch: ${where.file} ${where.path} declares ${algorithm} ${declared}, but the file has ${actual}` };
};
