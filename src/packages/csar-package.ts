import { posix } from 'node:path';
import { detectSol001Kind, isWellKnownImport, readSol001Nsd, readSol001Vnfd } from '../descriptors/index.js';
import type { ImportResolver } from '../descriptors/index.js';
import { asRecord, asText } from '../descriptors/issue-collector.js';
import type { Result, ValidationIssue } from '../model/index.js';
import type { PackageContext } from './package-context.js';
import { normalizePackagePath, verifyChecksum } from './package-context.js';
import type { PackageContent } from './tango-package.js';
import { parseEtsiManifest, parseToscaMeta } from './tosca-meta.js';
import type { ToscaMeta } from './tosca-meta.js';

export const TOSCA_META_PATH = 'TOSCA-Metadata/TOSCA.meta';
/** Most YAML bytes read up front for import resolution. */
const PRELOAD_BUDGET_BYTES = 64 * 2 ** 20;
const isYaml = (p: string): boolean => /\.ya?ml$/i.test(p);

/** The root YAML of a CSAR without TOSCA-Metadata (SOL004 §4.1.3 option 2): exactly one. */
export const rootTemplates = (ctx: Pick<PackageContext, 'files'>): string[] => ctx.files.map((f) => f.path).filter((p) => !p.includes('/') && isYaml(p));

/**
 * Reads an ETSI SOL004 CSAR: finds the entry definitions (TOSCA.meta, or the single root
 * YAML with its `metadata`), verifies the `.mf` manifest's and TOSCA.meta's checksums,
 * then reads the entry template (and any `Other-Definitions`) as a SOL001 VNFD or NSD.
 */
export const readCsarPackage = async (ctx: PackageContext): Promise<PackageContent | undefined> => {
  let meta: ToscaMeta | undefined;
  let entry: string | undefined;
  if (ctx.digests.has(TOSCA_META_PATH)) {
    const text = await ctx.readText(TOSCA_META_PATH);
    if (!text.ok) return void ctx.issues.push(...text.error);
    meta = parseToscaMeta(text.value);
    entry = meta.main['entry-definitions'];
    if (!entry) return void ctx.issues.push({ file: TOSCA_META_PATH, path: '/Entry-Definitions', message: 'Entry-Definitions is missing; name the main service template' });
    if (!meta.main['csar-version']) ctx.issues.push({ file: TOSCA_META_PATH, path: '/CSAR-Version', message: 'CSAR-Version is missing' });
  } else {
    const roots = rootTemplates(ctx);
    if (roots.length !== 1) return void ctx.issues.push({ file: ctx.name, path: '', message: `a CSAR without TOSCA-Metadata must have exactly one YAML file at its root; found ${roots.length}` });
    entry = roots[0];
  }
  const entryPath = normalizePackagePath(entry ?? '');
  if (!entryPath || !ctx.digests.has(entryPath)) return void ctx.issues.push({ file: meta ? TOSCA_META_PATH : ctx.name, path: '/Entry-Definitions', message: `entry definitions "${entry ?? ''}" are not in the package` });
  const entryDoc = await ctx.readYaml(entryPath);
  if (!entryDoc.ok) return void ctx.issues.push(...entryDoc.error);
  const templateMeta = asRecord(asRecord(entryDoc.value)['metadata']);
  if (!meta) {
    for (const k of ['template_name', 'template_author', 'template_version']) {
      if (asText(templateMeta[k]) === undefined) ctx.issues.push({ file: entryPath, path: `/metadata/${k}`, message: `${k} is required in the metadata of a CSAR without TOSCA-Metadata` });
    }
  }

  const manifest = await verifyManifest(ctx, meta, entryPath);
  if (meta) await verifyMetaBlocks(ctx, meta);
  const resolve = await preloadYaml(ctx);
  const templates = [entryPath, ...(meta?.repeated['other-definitions'] ?? []).map((p) => normalizePackagePath(p)).filter((p): p is string => p !== undefined)];
  const out: PackageContent = {
    ref: { vendor: '', name: '', version: '' },
    nsds: [],
    vnfds: [],
    metadata: { toscaMeta: meta?.main ?? null, manifest: manifest ?? null, template: templateMeta },
  };
  for (const path of templates) {
    const doc = await ctx.readYaml(path);
    if (!doc.ok) {
      ctx.issues.push(...doc.error);
      continue;
    }
    if (detectSol001Kind(doc.value, path, resolve) === 'nsd') {
      const r = readSol001Nsd(doc.value, path, resolve);
      if (r.ok) out.nsds.push({ ...r.value, file: path });
      else ctx.issues.push(...r.error);
    } else {
      const r = readSol001Vnfd(doc.value, path, resolve);
      if (r.ok) out.vnfds.push({ ...r.value, file: path });
      else ctx.issues.push(...r.error);
    }
  }
  const m = manifest ?? {};
  const main = out.vnfds[0]?.ref ?? out.nsds[0]?.ref;
  return {
    ...out,
    ref: {
      vendor: m['vnf_provider_id'] ?? m['nsd_designer'] ?? main?.vendor ?? asText(templateMeta['template_author']) ?? '',
      name: m['vnf_product_name'] ?? m['nsd_name'] ?? main?.name ?? asText(templateMeta['template_name']) ?? '',
      version: m['vnf_package_version'] ?? m['nsd_file_structure_version'] ?? main?.version ?? asText(templateMeta['template_version']) ?? '',
    },
  };
};

/** Finds the manifest (ETSI-Entry-Manifest, or the root `.mf`) and checks every listed checksum. */
const verifyManifest = async (ctx: PackageContext, meta: ToscaMeta | undefined, entryPath: string): Promise<Record<string, string> | undefined> => {
  const declared = meta?.main['etsi-entry-manifest'] ?? meta?.main['entry-manifest'];
  const rootMfs = ctx.files.map((f) => f.path).filter((p) => !p.includes('/') && p.toLowerCase().endsWith('.mf'));
  const sameName = rootMfs.find((p) => posix.basename(p, '.mf') === posix.basename(entryPath).replace(/\.ya?ml$/i, ''));
  const path = declared ? normalizePackagePath(declared) : (sameName ?? (rootMfs.length === 1 ? rootMfs[0] : undefined));
  if (declared && (!path || !ctx.digests.has(path))) {
    ctx.issues.push({ file: TOSCA_META_PATH, path: '/ETSI-Entry-Manifest', message: `manifest "${declared}" is not in the package` });
    return undefined;
  }
  if (!path) return undefined;
  const text = await ctx.readText(path);
  if (!text.ok) return void ctx.issues.push(...text.error);
  const mf = parseEtsiManifest(text.value);
  for (const e of mf.entries) {
    const target = normalizePackagePath(e.source);
    if (target === undefined) {
      if (/^https?:\/\//i.test(e.source)) continue; // external artifact, checked when fetched
      ctx.issues.push({ file: path, path: `/line/${e.line}`, message: `Source "${e.source}" points outside the package` });
      continue;
    }
    const bad = await verifyChecksum(ctx, target, e.algorithm, e.hash, { file: path, path: `/line/${e.line}` });
    if (bad) ctx.issues.push(bad);
  }
  return mf.metadata;
};

/** Tacker-style TOSCA.meta file blocks with `Algorithm`/`Hash`. */
const verifyMetaBlocks = async (ctx: PackageContext, meta: ToscaMeta): Promise<void> => {
  for (const [i, b] of meta.blocks.entries()) {
    const name = b['name'];
    if (!name || b['hash'] === undefined) continue;
    const target = normalizePackagePath(name);
    if (target === undefined) continue;
    const bad = await verifyChecksum(ctx, target, b['algorithm'], b['hash'], { file: TOSCA_META_PATH, path: `/block/${i + 1}` });
    if (bad) ctx.issues.push(bad);
  }
};

/** Reads every package YAML that templates may import (the resolver is synchronous). */
const preloadYaml = async (ctx: PackageContext): Promise<ImportResolver> => {
  const docs = new Map<string, Result<unknown, ValidationIssue[]>>();
  let budget = PRELOAD_BUDGET_BYTES;
  for (const f of ctx.files) {
    if (!isYaml(f.path) || isWellKnownImport(posix.basename(f.path))) continue;
    budget -= f.size;
    // Past the budget an import resolves as absent and is reported, rather than exhausting memory.
    if (budget < 0) break;
    docs.set(f.path, await ctx.readYaml(f.path));
  }
  return (p) => docs.get(p);
};
