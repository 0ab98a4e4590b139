import { createHash } from 'node:crypto';
import { open as openFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Result, ValidationIssue } from '../model/index.js';
import { err, ok } from '../model/index.js';
import type { PackageLimits } from './package-limits.js';
import { MAX_DESCRIPTOR_BYTES, MAX_ISSUES, RATIO_FLOOR_BYTES } from './package-limits.js';

/** One file entry of a checked archive. */
export interface ZipFileEntry {
  readonly path: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly entry: Entry;
}

/** Digests of one entry, computed while streaming it (never held whole in memory). */
export interface EntryDigest {
  readonly sha256: string;
  readonly md5: string;
  readonly size: number;
}

/** One file of a checked archive (zip or tar.gz). */
export interface ArchiveEntry {
  readonly path: string;
  readonly size: number;
}

/**
 * A package archive that passed every safety check (a zip's central directory, a tar.gz's
 * headers); entries are read on demand. The package readers only see this.
 */
export interface SafeArchive {
  readonly entries: readonly ArchiveEntry[];
  find(path: string): ArchiveEntry | undefined;
  /** Reads a whole entry into memory, failing past `maxBytes`. */
  read(path: string, maxBytes: number): Promise<Result<Buffer, string>>;
  /** Streams an entry through the given hash algorithms (lower-case node names) plus sha256 and md5. */
  digest(path: string, extra?: readonly string[]): Promise<Result<EntryDigest & { readonly extra: Record<string, string> }, string>>;
  close(): void;
}

/** An archive whose central directory passed every safety check; entries are read on demand. */
export interface SafeZip extends SafeArchive {
  readonly entries: readonly ZipFileEntry[];
  find(path: string): ZipFileEntry | undefined;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** An entry name for messages: JSON-quoted, cut at 120 characters. */
export const quote = (s: string): string => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * Opens a zip with yauzl (random access: the file is never loaded whole) and checks its
 * central directory before any data is read: entry count, declared and total sizes,
 * compression ratios, path traversal (`..`, absolute, drive letters, backslashes),
 * symbolic links, encryption, duplicate names (also case-folded). Every problem is
 * returned as an issue against `name` (the upload's name); nothing throws for bad bytes.
 */
export const openSafeZip = async (path: string, name: string, limits: PackageLimits): Promise<Result<SafeZip, ValidationIssue[]>> => {
  const issue = (message: string): ValidationIssue => ({ file: name, path: '', message });
  const fh = await openFile(path, 'r');
  let size: number;
  const head = Buffer.alloc(4);
  try {
    size = (await fh.stat()).size;
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  if (size === 0) return err([issue('the file is empty; upload a zip package (.tgo, .son, .csar, .zip)')]);
  if (size > limits.maxBytes) return err([issue(`the package is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`)]);
  if (head.readUInt32LE(0) !== 0x04034b50 && head.readUInt32LE(0) !== 0x06054b50) {
    return err([issue('not a zip archive (no zip signature at the start); upload a .tgo, .son, .csar or .zip package')]);
  }
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (e, z) => (e || !z ? reject(e) : resolve(z))),
    );
  } catch (e) {
    return err([issue(`truncated or corrupt zip archive: ${(e as Error).message}`)]);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return err([issue(`too many entries: ${zip.entryCount}, more than the limit of ${limits.maxEntries}`)]);
  }
  const issues: ValidationIssue[] = [];
  const entries: ZipFileEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  const scan = await new Promise<Error | null>((resolve) => {
    zip.on('error', (e: Error) => resolve(e));
    zip.on('end', () => resolve(null));
    zip.on('entry', (entry: Entry) => {
      const problem = checkEntry(entry, limits, seen);
      if (problem) issues.push(issue(problem));
      else if (!entryName(entry).endsWith('/')) {
        total += entry.uncompressedSize;
        entries.push({ path: entryName(entry), size: entry.uncompressedSize, compressedSize: entry.compressedSize, entry });
      }
      if (issues.length < MAX_ISSUES) zip.readEntry();
      else resolve(null);
    });
    zip.readEntry();
  });
  if (scan) issues.push(issue(`truncated or corrupt zip archive: ${scan.message}`));
  if (total > limits.maxUncompressedBytes) issues.push(issue(`total uncompressed size ${total} bytes exceeds the limit of ${limits.maxUncompressedBytes} bytes`));
  if (total > RATIO_FLOOR_BYTES && total / size > limits.maxRatio) issues.push(issue(`compression ratio of the archive ${(total / size).toFixed(0)}:1 exceeds ${limits.maxRatio}:1 (zip bomb?)`));
  if (issues.length > 0) {
    zip.close();
    return err(issues.length >= MAX_ISSUES ? [...issues, issue(`more than ${MAX_ISSUES} problems; the rest were not listed`)] : issues);
  }
  return ok(makeSafeZip(zip, entries));
};

const entryName = (e: Entry): string => {
  const raw = e.fileName as unknown;
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
};

/**
 * The problem of an archive member's name (zip or tar), or undefined: empty or NUL, a
 * backslash, an absolute path or drive letter, a `..` segment.
 */
export const checkEntryName = (name: string): string | undefined => {
  if (name === '' || name.includes('\0')) return `entry with an empty or NUL-containing name`;
  if (name.includes('\\')) return `entry ${quote(name)} has a backslash in its path; use "/" separators`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `entry ${quote(name)} has an absolute path`;
  if (name.split('/').some((s) => s === '..')) return `entry ${quote(name)} has a ".." segment (path traversal)`;
  return undefined;
};

/** One entry's problem, or undefined when it is acceptable. */
const checkEntry = (e: Entry, limits: PackageLimits, seen: Set<string>): string | undefined => {
  const name = entryName(e);
  const bad = checkEntryName(name);
  if (bad) return bad;
  if (((e.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return `entry ${quote(name)} is a symbolic link; links are not allowed in packages`;
  if ((e.generalPurposeBitFlag & 0x1) !== 0) return `entry ${quote(name)} is encrypted; packages must not be encrypted`;
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) return `entry ${quote(name)} uses compression method ${e.compressionMethod}; only stored and deflate are supported`;
  const folded = name.toLowerCase().replace(/\/+$/, '');
  if (seen.has(folded)) return `duplicate entry ${quote(name)} (names must be unique, also ignoring case)`;
  seen.add(folded);
  if (e.uncompressedSize > limits.maxEntryBytes) return `entry ${quote(name)} is ${e.uncompressedSize} bytes, it exceeds the per-entry limit of ${limits.maxEntryBytes} bytes`;
  if (e.uncompressedSize > RATIO_FLOOR_BYTES && (e.compressedSize === 0 || e.uncompressedSize / e.compressedSize > limits.maxRatio)) {
    return `entry ${quote(name)} has a compression ratio above ${limits.maxRatio}:1 (zip bomb?)`;
  }
  return undefined;
};

/**
 * Bytes of small entries kept from their digest pass, so reading a descriptor after hashing
 * it does not inflate it a second time (the package readers digest every entry first).
 * Bounded like the tar.gz reader's cache.
 */
const CACHE_BUDGET_BYTES = 32 * 2 ** 20;

const makeSafeZip = (zip: ZipFile, entries: ZipFileEntry[]): SafeZip => {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const cache = new Map<string, Buffer>();
  let cached = 0;
  const stream = (path: string, onChunk: (c: Buffer) => boolean): Promise<Result<void, string>> =>
    new Promise((resolve) => {
      const e = byPath.get(path);
      if (!e) return resolve(err(`no entry ${quote(path)}`));
      zip.openReadStream(e.entry, (openErr, rs) => {
        if (openErr || !rs) return resolve(err(`entry ${quote(path)} cannot be read: ${openErr?.message ?? 'no stream'}`));
        rs.on('data', (c: Buffer) => {
          if (!onChunk(c)) {
            rs.destroy();
            resolve(err(`entry ${quote(path)} is larger than allowed`));
          }
        });
        rs.on('error', (x: Error) => resolve(err(`entry ${quote(path)} is corrupt: ${x.message}`)));
        rs.on('end', () => resolve(ok(undefined)));
      });
    });
  return {
    entries,
    find: (path) => byPath.get(path),
    read: async (path, maxBytes) => {
      const e = byPath.get(path);
      if (e && e.size > maxBytes) return err(`entry ${quote(path)} is ${e.size} bytes, more than the ${maxBytes} bytes allowed for it`);
      const hit = cache.get(path);
      if (hit) return ok(hit);
      const chunks: Buffer[] = [];
      let n = 0;
      const r = await stream(path, (c) => {
        n += c.length;
        chunks.push(c);
        return n <= maxBytes;
      });
      return r.ok ? ok(Buffer.concat(chunks)) : r;
    },
    digest: async (path, extra = []) => {
      const sha = createHash('sha256');
      const md5 = createHash('md5');
      const others = extra.map((a) => [a, createHash(a)] as const);
      const declared = byPath.get(path)?.size ?? Infinity;
      const keep = !cache.has(path) && declared <= MAX_DESCRIPTOR_BYTES && cached + declared <= CACHE_BUDGET_BYTES;
      const parts: Buffer[] = [];
      let n = 0;
      const r = await stream(path, (c) => {
        n += c.length;
        sha.update(c);
        md5.update(c);
        for (const [, h] of others) h.update(c);
        if (keep) parts.push(c);
        return true; // the declared size was checked; yauzl stops at a size mismatch
      });
      if (!r.ok) return r;
      if (keep) {
        cached += n;
        cache.set(path, Buffer.concat(parts, n));
      }
      return ok({ sha256: sha.digest('hex'), md5: md5.digest('hex'), size: n, extra: Object.fromEntries(others.map(([a, h]) => [a, h.digest('hex')])) });
    },
    close: () => {
      cache.clear();
      zip.close();
    },
  };
};
