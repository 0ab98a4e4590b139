import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseDocument } from 'yaml';
import yazl from 'yazl';
import type { PackageFile, PackageFormat } from '../model/index.js';
import { TOSCA_META_PATH } from './csar-package.js';
import { parseToscaMeta } from './tosca-meta.js';
import { isSol006Document } from '../descriptors/index.js';
import { listFiles, packFolderTarGz } from './tar-writer.js';

/** Fixed timestamp of every entry, so the same folder always gives the same bytes. */
const FIXED_MTIME = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/**
 * True when `dir` is an OSM package folder: a YAML or JSON file directly in it holds a
 * SOL006 or OSM IM descriptor (`vnfd:`, `nsd:`, `vnfd:vnfd-catalog`, ...).
 */
export const isSol006Folder = async (dir: string): Promise<boolean> => {
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (!d.isFile() || !/\.(ya?ml|json)$/i.test(d.name)) continue;
    try {
      const text = await readFile(join(dir, d.name), 'utf8');
      const doc: unknown = /\.json$/i.test(d.name) ? JSON.parse(text) : parseDocument(text, { version: '1.1' }).toJS();
      if (isSol006Document(doc)) return true;
    } catch {
      // not a descriptor
    }
  }
  return false;
};

/**
 * Builds a package from a source folder (5GTANGO: TOSCA-Metadata/TOSCA.meta + NAPD with
 * package_content hashes computed; SONATA: META-INF/MANIFEST.MF with md5s; ETSI: CSAR with
 * TOSCA.meta and a .mf manifest with SHA-256 digests computed; OSM: `<folder>.tar.gz` with
 * checksums.txt computed, as osmclient's package-build writes it). Format detected from the
 * folder's content. Deterministic output (sorted entries, fixed mtime).
 * Throws on I/O errors and when the folder is not a package source.
 */
export const buildPackage = async (dir: string, outFile: string): Promise<{ format: PackageFormat; files: PackageFile[]; bytes: number }> => {
  const paths = await listFiles(dir);
  if (!paths.includes(TOSCA_META_PATH) && !paths.includes('META-INF/MANIFEST.MF') && (await isSol006Folder(dir))) {
    const r = await packFolderTarGz(dir, outFile, { fillChecksums: true });
    return { format: 'sol006', files: r.files, bytes: r.bytes };
  }
  const contents = new Map<string, Buffer>();
  for (const p of paths) contents.set(p, await readFile(join(dir, p)));
  let format: PackageFormat;
  const meta = contents.get(TOSCA_META_PATH);
  const napdPath = paths.find((p) => /(^|\/)NAPD\.ya?ml$/.test(p));
  if (meta && napdPath) {
    format = 'tango';
    contents.set(napdPath, fillTangoHashes(contents.get(napdPath) as Buffer, contents, 'source'));
  } else if (contents.has('META-INF/MANIFEST.MF')) {
    format = 'sonata';
    contents.set('META-INF/MANIFEST.MF', fillTangoHashes(contents.get('META-INF/MANIFEST.MF') as Buffer, contents, 'name'));
  } else {
    format = 'etsi-csar';
    const declared = meta ? parseToscaMeta(meta.toString('utf8')).main['etsi-entry-manifest'] : undefined;
    const mfPath = declared ?? paths.find((p) => !p.includes('/') && p.endsWith('.mf'));
    if (!meta && !mfPath) throw new Error(`${dir}: no TOSCA-Metadata, no META-INF/MANIFEST.MF and no .mf manifest; not a package source`);
    // A CSAR may come without a manifest (Tacker's samples); then there is nothing to fill.
    if (mfPath && contents.has(mfPath)) contents.set(mfPath, fillEtsiManifest(contents.get(mfPath) as Buffer, contents, mfPath));
  }
  const zip = new yazl.ZipFile();
  const files: PackageFile[] = [];
  for (const p of paths) {
    const data = contents.get(p) as Buffer;
    zip.addBuffer(data, p, { mtime: FIXED_MTIME, mode: 0o100644, compress: true });
    files.push({ path: p, size: data.length, sha256: sha256(data) });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const ws = createWriteStream(outFile);
    ws.on('close', () => resolve());
    ws.on('error', reject);
    zip.outputStream.on('error', reject).pipe(ws);
  });
  return { format, files, bytes: (await stat(outFile)).size };
};

/** Sets `hash`/`algorithm` (5GTANGO) or `md5` (SONATA) of every package_content item from the files. */
const fillTangoHashes = (napd: Buffer, contents: ReadonlyMap<string, Buffer>, key: 'source' | 'name'): Buffer => {
  const doc = parseDocument(napd.toString('utf8'));
  const items = doc.get('package_content');
  const list = (items as { items?: unknown[] } | undefined)?.items ?? [];
  list.forEach((_, i) => {
    const raw = String(doc.getIn(['package_content', i, key]) ?? '');
    const path = posix.normalize(raw.replace(/^file:\/\//, '').replace(/^\/+/, ''));
    const data = contents.get(path);
    if (!data) throw new Error(`package_content ${raw} is not in the source folder`);
    if (key === 'source') {
      doc.setIn(['package_content', i, 'algorithm'], 'SHA-256');
      doc.setIn(['package_content', i, 'hash'], sha256(data));
    } else doc.setIn(['package_content', i, 'md5'], md5(data));
  });
  return Buffer.from(doc.toString({ lineWidth: 0 }), 'utf8');
};

/** Keeps the manifest's metadata block and lists every other file with its SHA-256. */
const fillEtsiManifest = (mf: Buffer, contents: ReadonlyMap<string, Buffer>, mfPath: string): Buffer => {
  const head = mf.toString('utf8').split(/\r?\n/);
  const firstSource = head.findIndex((l) => /^\s*Source\s*:/i.test(l));
  const metadata = (firstSource < 0 ? head : head.slice(0, firstSource)).join('\n').trimEnd();
  const entries = [...contents.keys()]
    .filter((p) => p !== mfPath)
    .sort()
    .map((p) => `Source: ${p}\nAlgorithm: SHA-256\nHash: ${sha256(contents.get(p) as Buffer)}\n`);
  return Buffer.from(`${metadata}\n\n${entries.join('\n')}`, 'utf8');
};
