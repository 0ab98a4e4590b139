import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file to put in a tar. */
export interface TarFile {
  readonly path: string;
  readonly data: Buffer;
  /** Tar member type: `0` file (default); tests write others (`2` symlink, ...). */
  readonly type?: string;
  readonly linkName?: string;
}

/** Fixed mtime (1980-01-01), so the same files always give the same bytes. */
const FIXED_MTIME = 315_532_800;

const octal = (n: number, width: number): string => `${n.toString(8).padStart(width - 1, '0')}\0`;

const header = (name: string, size: number, type: string, linkName = ''): Buffer => {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(FIXED_MTIME, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write(linkName, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
};

const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512);

/** A pax record `len key=value\n` (its length counts itself). */
const paxRecord = (key: string, value: string): string => {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
};

/**
 * A gzip-compressed ustar archive of `files` in the given order (pax headers for names
 * over 100 bytes), deterministic: fixed mtime, mode 644, owner 0.
 */
export const tarGz = (files: readonly TarFile[]): Buffer => {
  const parts: Buffer[] = [];
  for (const f of files) {
    const type = f.type ?? '0';
    const size = type === '0' ? f.data.length : 0;
    if (Buffer.byteLength(f.path) > 100) {
      const pax = Buffer.from(paxRecord('path', f.path));
      parts.push(header('PaxHeader', pax.length, 'x'), pax, pad(pax.length));
    }
    parts.push(header(f.path.slice(0, 100), size, type, f.linkName));
    if (size > 0) parts.push(f.data, pad(size));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
};

/** Regular files under `dir` as sorted relative paths; dot-files are left out. */
export const listFiles = async (dir: string, prefix = ''): Promise<string[]> => {
  const out: string[] = [];
  for (const d of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (d.isFile()) out.push(rel);
  }
  return out.sort();
};

/**
 * Packs an OSM package folder as osmclient's `package-build` does: `<folder>.tar.gz` with the
 * folder inside (`<folder>/...`). With `fillChecksums`, `checksums.txt` is (re)written with
 * the MD5 of every other file, paths with the folder, as osmclient writes it; without, the
 * folder is packed as it is (to validate what the user has). Returns the packed files.
 */
export const packFolderTarGz = async (dir: string, out: string, opts: { fillChecksums?: boolean } = {}): Promise<{ files: { path: string; size: number; sha256: string }[]; bytes: number }> => {
  const folder = basename(resolve(dir));
  const paths = await listFiles(dir);
  const files: TarFile[] = [];
  for (const p of paths) {
    if (opts.fillChecksums && p === 'checksums.txt') continue;
    files.push({ path: `${folder}/${p}`, data: await readFile(join(dir, p)) });
  }
  if (opts.fillChecksums) {
    const lines = files.map((f) => `${createHash('md5').update(f.data).digest('hex')}\t${f.path}\n`).join('');
    files.push({ path: `${folder}/checksums.txt`, data: Buffer.from(lines) });
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  const data = tarGz(files);
  await writeFile(out, data);
  return { files: files.map((f) => ({ path: f.path, size: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex') })), bytes: data.length };
};
