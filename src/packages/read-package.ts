import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { describeVnfdRef, detectSol001Kind, isSol006Document, openSol006Document, readSol001Nsd, readSol001Vnfd, readSol006Nsd, readSol006Vnfd, readTangoNsd, readTangoVnfd, validateNsdAgainstVnfds, vnfdMatches } from '../descriptors/index.js';
import { isRecord } from '../descriptors/issue-collector.js';
import type { NsdVnf, PackageFile, PackageFormat, ParsedPackage, Result, ValidationIssue, Vnfd } from '../model/index.js';
import { NotFoundError, PackageInvalidError, err, ok } from '../model/index.js';
import { readCsarPackage, TOSCA_META_PATH } from './csar-package.js';
import { createPackageContext, normalizePackagePath } from './package-context.js';
import type { PackageContext } from './package-context.js';
import type { PackageLimits } from './package-limits.js';
import { MAX_DESCRIPTOR_BYTES, MAX_ISSUES, resolveLimits } from './package-limits.js';
import { openSafeZip } from './safe-zip.js';
import type { SafeArchive } from './safe-zip.js';
import { isGzip, openSafeTarGz } from './safe-tar.js';
import { findSol006Descriptors, parseDescriptorText, readSol006Package } from './sol006-package.js';
import { readTangoPackage } from './tango-package.js';
import type { PackageContent } from './tango-package.js';
import { parseToscaMeta } from './tosca-meta.js';

/** Options of the package readers. */
export interface ReadPackageOptions {
  limits?: Partial<PackageLimits>;
  /** Name the client gave the upload, used in issues when the problem is the archive itself. */
  fileName?: string;
  /** Looks up a VNFD that the NSD references but the package does not contain (the catalog). Return true if known. */
  resolveExternalVnfd?: (ref: NsdVnf['vnfd']) => Promise<boolean>;
  /**
   * Like `resolveExternalVnfd`, with the on-boarded VNFD's model: a SOL006 NSD's CP
   * references to it are then checked too. Tried first.
   */
  externalVnfd?: (ref: NsdVnf['vnfd']) => Promise<Vnfd | undefined>;
}

type Outcome = Result<ParsedPackage, ValidationIssue[]>;

/** The first bytes of a file (fewer when it is shorter). */
const headOf = async (path: string, n: number): Promise<Buffer> => {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
};

/** True when the file is no archive (zip or gzip) but a text of at most a descriptor's size. */
const isLoneDescriptor = async (path: string): Promise<boolean> => {
  const size = (await stat(path)).size;
  if (size === 0 || size > MAX_DESCRIPTOR_BYTES) return false;
  const head = await headOf(path, 4);
  return head.length === 4 && head.readUInt32LE(0) !== 0x04034b50 && head.readUInt32LE(0) !== 0x06054b50 && !isGzip(head) && !head.includes(0);
};

/** True when the file is no archive but one YAML/JSON text holding a SOL006 or OSM IM descriptor. */
const isLoneSol006Descriptor = async (path: string, limits: PackageLimits): Promise<boolean> => {
  const size = (await stat(path)).size;
  if (size === 0 || size > MAX_DESCRIPTOR_BYTES) return false;
  // An archive (the usual upload) is told by its first bytes: only a text is read whole.
  const magic = await headOf(path, 4);
  if ((magic.length >= 4 && (magic.readUInt32LE(0) === 0x04034b50 || magic.readUInt32LE(0) === 0x06054b50)) || isGzip(magic)) return false;
  const head = await headOf(path, size);
  const text = head.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) return false;
  const parsed = parseDescriptorText(text, basename(path), { maxAliases: limits.maxYamlAliases, maxDepth: limits.maxDepth });
  return parsed.ok && isSol006Document(parsed.value);
};

/** Opens a package archive by its first bytes: gzip → tar.gz (OSM), anything else → zip. */
const openSafeArchive = async (path: string, name: string, limits: PackageLimits): Promise<Result<SafeArchive, ValidationIssue[]>> =>
  isGzip(await headOf(path, 2)) ? openSafeTarGz(path, name, limits) : openSafeZip(path, name, limits);

/**
 * Reads a package archive from disk (zip: .tgo/.son/.csar/.zip; tar.gz: OSM packages),
 * detects its format, verifies hashes, parses and validates all descriptors. Never throws
 * for bad input: returns every issue found. Throws only for I/O errors on `path` itself.
 */
export const readPackageFile = async (path: string, opts: ReadPackageOptions = {}): Promise<Outcome> => {
  const name = opts.fileName ?? basename(path);
  const limits = resolveLimits(opts.limits);
  // OSM on-boards a lone SOL006 descriptor as a package (`osm vnfd-create x_vnfd.yaml`): so does Rondo.
  if (await isLoneSol006Descriptor(path, limits)) return readDescriptorFile(path, opts);
  const zip = await openSafeArchive(path, name, limits);
  if (!zip.ok) return zip;
  try {
    const ctx = await createPackageContext(zip.value, name, limits);
    if (!ctx.ok) return ctx;
    return await readArchive(ctx.value, opts);
  } catch (e) {
    // A reader bug must not take the server down with a hostile upload; report it as an issue.
    return err([{ file: name, path: '', message: `the package could not be read: ${(e as Error).message}` }]);
  } finally {
    zip.value.close();
  }
};

type Detected = { format: PackageFormat; metaPath?: string; root?: string; descriptors?: string[] };

/** Detects the format from the archive's metadata files (or an OSM package's descriptor); undefined when none fits. */
const detectFormat = async (ctx: PackageContext): Promise<Detected | undefined> => {
  if (ctx.digests.has(TOSCA_META_PATH)) {
    const text = await ctx.readText(TOSCA_META_PATH);
    if (text.ok) {
      const meta = parseToscaMeta(text.value);
      const entry = normalizePackagePath(meta.main['entry-definitions'] ?? '');
      const napdBlock = meta.blocks.find((b) => (b['content-type'] ?? '').includes('5gtango.napd'));
      const candidates = [entry && /napd\.ya?ml$/i.test(entry) ? entry : undefined, napdBlock ? normalizePackagePath(napdBlock['name'] ?? '') : undefined, 'TOSCA-Metadata/NAPD.yaml', 'TOSCA-Metadata/NAPD.yml'];
      const napd = candidates.find((c): c is string => c !== undefined && ctx.digests.has(c));
      if (napd) return { format: 'tango', metaPath: napd };
    }
    return { format: 'etsi-csar' };
  }
  if (ctx.digests.has('META-INF/MANIFEST.MF')) return { format: 'sonata', metaPath: 'META-INF/MANIFEST.MF' };
  const osm = await findSol006Descriptors(ctx);
  if (osm.descriptors.length > 0) return { format: 'sol006', root: osm.root, descriptors: osm.descriptors };
  if (ctx.files.some((f) => !f.path.includes('/') && /\.ya?ml$/i.test(f.path))) return { format: 'etsi-csar' };
  return undefined;
};

const readArchive = async (ctx: PackageContext, opts: ReadPackageOptions): Promise<Outcome> => {
  const detected = await detectFormat(ctx);
  if (!detected) {
    return err([{ file: ctx.name, path: '', message: 'unknown package format: no TOSCA-Metadata/TOSCA.meta, META-INF/MANIFEST.MF, root YAML template or SOL006 descriptor (vnfd:/nsd: in a YAML or JSON file of the package folder)' }]);
  }
  const content =
    detected.format === 'etsi-csar'
      ? await readCsarPackage(ctx)
      : detected.format === 'sol006'
        ? await readSol006Package(ctx, detected.root ?? '', detected.descriptors ?? [])
        : await readTangoPackage(ctx, detected.format, detected.metaPath ?? '');
  if (content) await crossCheck(ctx, content, opts);
  if (content && content.nsds.length === 0 && content.vnfds.length === 0 && ctx.issues.length === 0) {
    ctx.issues.push({ file: detected.metaPath ?? ctx.name, path: '', message: 'the package contains no NSD and no VNFD' });
  }
  if (ctx.issues.length > 0 || !content) return err(finalIssues(ctx.issues, ctx.name));
  return ok({
    format: detected.format,
    ref: content.ref,
    ...(content.description === undefined ? {} : { description: content.description }),
    nsds: content.nsds,
    vnfds: content.vnfds,
    files: ctx.files,
    metadata: content.metadata,
    ...(ctx.warnings.length > 0 ? { warnings: finalIssues(ctx.warnings, ctx.name) } : {}),
  });
};

/** Duplicated VNFDs, then each NSD against the package's VNFDs (and the catalog). */
const crossCheck = async (ctx: Pick<PackageContext, 'issues'>, content: PackageContent, opts: ReadPackageOptions): Promise<void> => {
  exposeSingleVduCps(content);
  content.vnfds.forEach((v, i) => {
    const first = content.vnfds.findIndex((w) => w.descriptorId === v.descriptorId);
    if (first !== i) ctx.issues.push({ file: v.file, path: '', message: `VNFD ${v.descriptorId} is also in ${content.vnfds[first]?.file ?? ''}; a package holds each VNFD once` });
  });
  const someVnfdFailed = ctx.issues.length > 0;
  for (const nsd of content.nsds) {
    const known = new Set<string>();
    const external: Vnfd[] = [];
    for (const v of nsd.vnfs) {
      if (content.vnfds.some((d) => vnfdMatches(d, v.vnfd)) || external.some((d) => vnfdMatches(d, v.vnfd))) continue;
      if (someVnfdFailed) {
        known.add(describeVnfdRef(v.vnfd));
        continue;
      }
      // SOL006 NSDs name on-boarded VNFDs' ext-cpds, which OSM checks at on-boarding: so does
      // Rondo. Other formats keep their looser rule (5GTANGO NSDs may name a VDU's CP).
      const model = await opts.externalVnfd?.(v.vnfd);
      if (model && nsd.format === 'sol006') external.push(model);
      else if (model || (opts.resolveExternalVnfd && (await opts.resolveExternalVnfd(v.vnfd)))) known.add(describeVnfdRef(v.vnfd));
    }
    ctx.issues.push(...validateNsdAgainstVnfds(nsd, [...content.vnfds, ...external], nsd.file, { isKnownExternally: (r) => known.has(describeVnfdRef(r)) }));
  }
};

/**
 * 5GTANGO NSDs may name the CP of a single-VDU VNF's only VDU (`vnf_squid:mgmt` where the
 * VDU's CP is `mgmt` and the VNF's own CPs are `cpmgmt`, `cpinternal`); the 5GTANGO SP wires
 * the VDU's interface. Such a CP becomes an external CP of that VNFD in the package, so the
 * NSD check and the deployment find it.
 */
const exposeSingleVduCps = (content: PackageContent): void => {
  content.vnfds.forEach((vnfd, i) => {
    const only = (vnfd.format === 'tango' || vnfd.format === 'sonata') && vnfd.vdus.length === 1 ? vnfd.vdus[0] : undefined;
    if (!only) return;
    const wanted = new Set<string>();
    for (const nsd of content.nsds) {
      const members = new Set(nsd.vnfs.filter((v) => vnfdMatches(vnfd, v.vnfd)).map((v) => v.vnfId));
      const refs = [...nsd.virtualLinks.flatMap((l) => l.cpRefs), ...nsd.forwardingGraphs.flatMap((g) => g.paths.flatMap((p) => p.hops))];
      for (const r of refs) if (r.kind === 'vnf' && members.has(r.vnfId)) wanted.add(r.cp);
    }
    const added = only.connectionPoints.filter((p) => wanted.has(p.id) && !vnfd.connectionPoints.some((c) => c.id === p.id));
    if (added.length === 0) return;
    content.vnfds[i] = { ...vnfd, connectionPoints: [...vnfd.connectionPoints, ...added.map((p) => ({ id: p.id, type: p.type, vdu: only.id, vduCp: p.id }))] };
  });
};

const finalIssues = (issues: readonly ValidationIssue[], name: string): ValidationIssue[] => {
  const seen = new Set<string>();
  const out = issues.filter((i) => {
    const k = `${i.file}\u0000${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (out.length === 0) return [{ file: name, path: '', message: 'the package is invalid' }];
  return out.length > MAX_ISSUES ? [...out.slice(0, MAX_ISSUES), { file: name, path: '', message: `${out.length - MAX_ISSUES} more issues were not listed` }] : out;
};

/**
 * SOL005 `nsd_content` / single-descriptor uploads: a zip (CSAR), a tar.gz (OSM package)
 * or a single YAML/JSON file (SOL001 NSD with its metadata, a 5GTANGO NSD/VNFD, a SOL006
 * or OSM IM NSD/VNFD). Same contract as {@link readPackageFile}.
 */
export const readDescriptorFile = async (path: string, opts: ReadPackageOptions = {}): Promise<Outcome> => {
  const name = opts.fileName ?? basename(path);
  const limits = resolveLimits(opts.limits);
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  const head = Buffer.alloc(Math.min(size, MAX_DESCRIPTOR_BYTES + 1));
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if ((size >= 4 && head.readUInt32LE(0) === 0x04034b50) || isGzip(head)) return readPackageFile(path, opts);
  if (size === 0) return err([{ file: name, path: '', message: 'the file is empty; upload a YAML descriptor or a zip package' }]);
  if (size > MAX_DESCRIPTOR_BYTES) return err([{ file: name, path: '', message: `a single descriptor file may be at most ${MAX_DESCRIPTOR_BYTES} bytes` }]);
  const text = head.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) return err([{ file: name, path: '', message: 'neither a zip or tar.gz archive nor a YAML or JSON text file' }]);
  const warnings: ValidationIssue[] = [];
  const parsed = parseDescriptorText(text, name, { maxAliases: limits.maxYamlAliases, maxDepth: limits.maxDepth }, warnings);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  if (!isRecord(doc)) return err([{ file: name, path: '', message: 'the YAML is not a descriptor (expected a mapping)' }]);
  const file = { path: name, size, sha256: createHash('sha256').update(head.subarray(0, size)).digest('hex') };
  const one = readOneDescriptor(doc, name, warnings);
  if (!one.ok) return one;
  const { format, content } = one.value;
  const issues: ValidationIssue[] = [];
  await crossCheck({ issues }, content, opts);
  if (issues.length > 0) return err(issues);
  return ok({ format, ref: content.ref, nsds: content.nsds, vnfds: content.vnfds, files: [file], metadata: content.metadata, ...(warnings.length > 0 ? { warnings } : {}) });
};

/** A 5GTANGO/SONATA VNFD has deployment units of one kind or another; anything else is an NSD. */
const TANGO_UNIT_KEYS = ['virtual_deployment_units', 'cloudnative_deployment_units', 'physical_deployment_units'];

/** Reads one parsed descriptor document by its kind: SOL001 NSD/VNFD, SOL006 (or OSM IM) NSD/VNFD, 5GTANGO/SONATA VNFD or NSD. */
const readOneDescriptor = (doc: Record<string, unknown>, name: string, warnings: ValidationIssue[]): Result<{ format: PackageFormat; content: PackageContent }, ValidationIssue[]> => {
  if (isSol006Document(doc)) {
    const opened = openSol006Document(doc, name);
    if (!opened.ok) return opened;
    if (opened.value.kind === 'nsd') {
      const r = readSol006Nsd(doc, name, { warnings });
      if (!r.ok) return r;
      return ok({ format: 'sol006', content: { ref: r.value.ref, nsds: [{ ...r.value, file: name }], vnfds: [], metadata: null } });
    }
    const r = readSol006Vnfd(doc, name, { warnings });
    if (!r.ok) return r;
    return ok({ format: 'sol006', content: { ref: r.value.ref, nsds: [], vnfds: [{ ...r.value, file: name }], metadata: null } });
  }
  if ('tosca_definitions_version' in doc) {
    if (detectSol001Kind(doc, name) === 'nsd') {
      const r = readSol001Nsd(doc, name);
      if (!r.ok) return r;
      return ok({ format: 'etsi-csar', content: { ref: r.value.ref, nsds: [{ ...r.value, file: name }], vnfds: [], metadata: doc['metadata'] ?? null } });
    }
    const r = readSol001Vnfd(doc, name);
    if (!r.ok) return r;
    return ok({ format: 'etsi-csar', content: { ref: r.value.ref, nsds: [], vnfds: [{ ...r.value, file: name }], metadata: doc['metadata'] ?? null } });
  }
  // SONATA descriptors carry `descriptor_version` and point at son-schema (if anywhere); 5GTANGO's at tng-schema.
  const sonata = typeof doc['descriptor_schema'] === 'string' ? doc['descriptor_schema'].includes('son-schema') : 'descriptor_version' in doc;
  const format = sonata ? 'sonata' : 'tango';
  if (TANGO_UNIT_KEYS.some((k) => k in doc)) {
    const r = readTangoVnfd(doc, name, format, warnings);
    if (!r.ok) return r;
    return ok({ format, content: { ref: r.value.ref, nsds: [], vnfds: [{ ...r.value, file: name }], metadata: null } });
  }
  const r = readTangoNsd(doc, name, format, warnings);
  if (!r.ok) return r;
  return ok({ format, content: { ref: r.value.ref, nsds: [{ ...r.value, file: name }], vnfds: [], metadata: null } });
};

/**
 * Reads several descriptor files as one set, the way son-validate (`--service … --dpath …`)
 * and tng-sdk-project/-package judge a project before packaging: every file is read on its
 * own, then each NSD is checked against the VNFDs of the set (and the catalog, through
 * `resolveExternalVnfd`). Issues name each file by its path relative to `root`.
 */
export const readDescriptorFiles = async (paths: readonly string[], root: string, opts: ReadPackageOptions = {}): Promise<Outcome> => {
  const limits = resolveLimits(opts.limits);
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const files: PackageFile[] = [];
  const content: PackageContent = { ref: { vendor: '', name: '', version: '' }, nsds: [], vnfds: [], metadata: null };
  let format: PackageFormat | undefined;
  for (const path of paths) {
    const name = relative(root, path).split(sep).join('/');
    const data = await readFile(path);
    if (data.length > MAX_DESCRIPTOR_BYTES) {
      issues.push({ file: name, path: '', message: `a single descriptor file may be at most ${MAX_DESCRIPTOR_BYTES} bytes` });
      continue;
    }
    files.push({ path: name, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    const parsed = parseDescriptorText(data.toString('utf8'), name, { maxAliases: limits.maxYamlAliases, maxDepth: limits.maxDepth }, warnings);
    if (!parsed.ok) {
      issues.push(...parsed.error);
      continue;
    }
    if (!isRecord(parsed.value)) {
      issues.push({ file: name, path: '', message: 'the YAML is not a descriptor (expected a mapping)' });
      continue;
    }
    const one = readOneDescriptor(parsed.value, name, warnings);
    if (!one.ok) {
      issues.push(...one.error);
      continue;
    }
    format ??= one.value.format;
    content.nsds.push(...one.value.content.nsds);
    content.vnfds.push(...one.value.content.vnfds);
  }
  await crossCheck({ issues }, content, opts);
  if (content.nsds.length === 0 && content.vnfds.length === 0 && issues.length === 0) issues.push({ file: root, path: '', message: 'no NSD and no VNFD among the files' });
  if (issues.length > 0) return err(finalIssues(issues, root));
  const main = content.nsds[0]?.ref ?? content.vnfds[0]?.ref ?? content.ref;
  return ok({ format: format ?? 'tango', ref: main, nsds: content.nsds, vnfds: content.vnfds, files, metadata: null, ...(warnings.length > 0 ? { warnings } : {}) });
};

/**
 * Reads one entry of a package (for `.../vnfd`, `.../artifacts/{path}` downloads), with the
 * same safety checks as {@link readPackageFile}. Throws NotFoundError if absent and
 * PackageInvalidError if the archive fails the safety checks.
 */
export const readPackageEntry = async (path: string, entryPath: string, opts: ReadPackageOptions = {}): Promise<Buffer> => {
  const name = opts.fileName ?? basename(path);
  const limits = resolveLimits(opts.limits);
  // A package on-boarded from one descriptor file (SOL006, SOL005 nsd_content) is that file.
  if (await isLoneDescriptor(path)) return readFile(path);
  const zip = await openSafeArchive(path, name, limits);
  if (!zip.ok) throw new PackageInvalidError(zip.error);
  try {
    const target = normalizePackagePath(entryPath);
    if (target === undefined || !zip.value.find(target)) throw new NotFoundError('package entry', entryPath);
    const r = await zip.value.read(target, limits.maxEntryBytes);
    if (!r.ok) throw new PackageInvalidError([{ file: target, path: '', message: r.error }]);
    return r.value;
  } finally {
    zip.value.close();
  }
};
