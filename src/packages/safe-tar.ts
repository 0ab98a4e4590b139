import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Result, ValidationIssue } from '../model/index.js';
import { err, ok } from '../model/index.js';
import type { PackageLimits } from './package-limits.js';
import { MAX_DESCRIPTOR_BYTES, MAX_ISSUES, RATIO_FLOOR_BYTES } from './package-limits.js';
import { checkEntryName, quote } from './safe-zip.js';
import type { ArchiveEntry, EntryDigest, SafeArchive } from './safe-zip.js';

/** True when `head` starts with the gzip magic bytes (1f 8b). */
export const isGzip = (head: Buffer): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

const BLOCK = 512;
/** Largest pax or GNU long-name header read (a path is never this long). */
const MAX_META_BYTES = 64 * 1024;
/** Entry contents kept from the first pass (small files: descriptors, checksums, scripts). */
const CACHE_BUDGET_BYTES = 32 * 2 ** 20;

/** A tar member after pax / GNU long-name headers were applied. */
interface TarHeader {
  readonly name: string;
  /** `0` file, `5` directory, `1` hard link, `2` symbolic link, `3`/`4`/`6` devices and FIFOs, ... */
  readonly type: string;
  readonly size: number;
}

/** What a scan does with a member: take its data, skip it, or stop the scan. */
type Visit = ((chunk: Buffer) => void) | 'skip' | 'stop';

const text = (b: Buffer, start: number, end: number): string => {
  const slice = b.subarray(start, end);
  const nul = slice.indexOf(0);
  return (nul >= 0 ? slice.subarray(0, nul) : slice).toString('utf8');
};

/** A numeric header field: octal text, or GNU base-256 (high bit set); NaN when neither. */
const numeric = (b: Buffer, start: number, end: number): number => {
  const first = b[start] ?? 0;
  if ((first & 0x80) !== 0) {
    let n = first & 0x7f;
    for (let i = start + 1; i < end; i++) n = n * 256 + (b[i] ?? 0);
    return n;
  }
  const t = text(b, start, end).trim();
  return t === '' ? 0 : /^[0-7]+$/.test(t) ? parseInt(t, 8) : NaN;
};

/** The header checksum: the sum of all bytes with the checksum field read as spaces. */
const checksumOk = (b: Buffer): boolean => {
  const declared = numeric(b, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (b[i] ?? 0);
  return declared === sum;
};

/** pax extended header records (`len key=value\n`). */
const paxRecords = (data: Buffer): Record<string, string> => {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number(data.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) break;
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
};

/** Member names as written (`./a/b`, `a//b/`) → the package path (`a/b`, directories keep a trailing `/`). */
const cleanName = (name: string): string => {
  const dir = name.endsWith('/');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  const joined = parts.join('/');
  return dir && joined !== '' ? `${joined}/` : joined;
};

interface ScanLimits {
  readonly fileSize: number;
  readonly limits: PackageLimits;
}

/**
 * Streams a tar.gz once (gunzip + tar headers), never holding more than a block plus the
 * member's chunk, and calls `visit` for each member. Stops with an error on a corrupt or
 * truncated stream, a bad header, and when the decompressed bytes pass the archive's size
 * or ratio limit (a gzip bomb stops there, not at the end of the stream).
 */
const scanTarGz = async (path: string, { fileSize, limits }: ScanLimits, visit: (h: TarHeader) => Visit): Promise<Result<void, string>> => {
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  file.pipe(gunzip);
  let pending: Buffer = Buffer.alloc(0);
  let inflated = 0;
  /** Data bytes left of the current member, and the padding after them. */
  let remaining = 0;
  let padding = 0;
  let sink: ((chunk: Buffer) => void) | undefined;
  let meta: { kind: 'pax' | 'gnu'; chunks: Buffer[] } | undefined;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let zeroBlocks = 0;
  let ended = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > limits.maxUncompressedBytes) return err(`the archive inflates to more than ${limits.maxUncompressedBytes} bytes, the limit (gzip bomb?)`);
      if (inflated > RATIO_FLOOR_BYTES && inflated / fileSize > limits.maxRatio) return err(`compression ratio of the archive passes ${limits.maxRatio}:1 (gzip bomb?)`);
      if (ended) continue; // zero padding after the end-of-archive blocks
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length > 0 && !ended) {
        if (remaining > 0) {
          const take = Math.min(remaining, pending.length);
          const piece = pending.subarray(0, take);
          if (meta) meta.chunks.push(piece);
          else sink?.(piece);
          pending = pending.subarray(take);
          remaining -= take;
          if (remaining === 0 && meta) {
            const data = Buffer.concat(meta.chunks);
            if (meta.kind === 'pax') pax = paxRecords(data);
            else longName = text(data, 0, data.length);
            meta = undefined;
          }
          continue;
        }
        if (padding > 0) {
          const skip = Math.min(padding, pending.length);
          pending = pending.subarray(skip);
          padding -= skip;
          continue;
        }
        if (pending.length < BLOCK) break;
        const block = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (block.every((b) => b === 0)) {
          zeroBlocks += 1;
          if (zeroBlocks >= 2) ended = true;
          continue;
        }
        zeroBlocks = 0;
        if (!checksumOk(block)) return err('corrupt tar header (checksum mismatch); not a tar.gz package or a damaged one');
        const type = String.fromCharCode(block[156] ?? 0x30);
        const size = numeric(block, 124, 136);
        if (!Number.isFinite(size) || size < 0) return err('corrupt tar header (bad size field)');
        remaining = size;
        padding = (BLOCK - (size % BLOCK)) % BLOCK;
        sink = undefined;
        if (type === 'x' || type === 'L' || type === 'K' || type === 'g') {
          if (size > MAX_META_BYTES) return err(`a tar ${type === 'x' || type === 'g' ? 'pax' : 'long-name'} header of ${size} bytes is larger than allowed`);
          // A global pax header or a GNU long link name changes nothing Rondo reads: its data is skipped.
          if (type === 'x' || type === 'L') meta = { kind: type === 'x' ? 'pax' : 'gnu', chunks: [] };
          continue;
        }
        const ustarPrefix = text(block, 257, 262) === 'ustar' ? text(block, 345, 500) : '';
        const raw = pax['path'] ?? longName ?? (ustarPrefix ? `${ustarPrefix}/${text(block, 0, 100)}` : text(block, 0, 100));
        const paxSize = pax['size'] === undefined ? undefined : Number(pax['size']);
        if (paxSize !== undefined) {
          if (!Number.isInteger(paxSize) || paxSize < 0) return err('corrupt pax header (bad size)');
          remaining = paxSize;
          padding = (BLOCK - (paxSize % BLOCK)) % BLOCK;
        }
        pax = {};
        longName = undefined;
        const v = visit({ name: raw, type: type === '\0' ? '0' : type, size: remaining });
        if (v === 'stop') return ok(undefined);
        sink = v === 'skip' ? undefined : v;
      }
    }
  } catch (e) {
    return err(`truncated or corrupt gzip stream: ${(e as Error).message}`);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  if (remaining > 0 || meta || (!ended && pending.length > 0)) return err('truncated tar archive: the last member is cut short');
  if (!ended && zeroBlocks === 0 && inflated === 0) return err('empty gzip stream');
  return ok(undefined);
};

/**
 * Opens a gzip-compressed tar (`.tar.gz`, `.tgz`; OSM's package form) with the same limits
 * as zips: archive size, entry count, per-entry and total sizes, ratio (gzip bomb, judged
 * while inflating), names (`..`, absolute, drive letters, backslashes, duplicates also
 * case-folded), and no links, devices or FIFOs. One pass computes every file's digests and
 * keeps small files; a later read of a large one streams the archive again.
 */
export const openSafeTarGz = async (path: string, name: string, limits: PackageLimits): Promise<Result<SafeArchive, ValidationIssue[]>> => {
  const issue = (message: string): ValidationIssue => ({ file: name, path: '', message });
  const fh = await openFile(path, 'r');
  let size: number;
  try {
    size = (await fh.stat()).size;
  } finally {
    await fh.close();
  }
  if (size === 0) return err([issue('the file is empty; upload a package (.tar.gz, .zip, .tgo, .son, .csar)')]);
  if (size > limits.maxBytes) return err([issue(`the package is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`)]);
  const issues: ValidationIssue[] = [];
  const entries: ArchiveEntry[] = [];
  const digests = new Map<string, EntryDigest>();
  const cache = new Map<string, Buffer>();
  const seen = new Set<string>();
  let count = 0;
  let total = 0;
  let cached = 0;
  const scan = await scanTarGz(path, { fileSize: size, limits }, (h) => {
    count += 1;
    if (count > limits.maxEntries) {
      issues.push(issue(`too many entries: more than the limit of ${limits.maxEntries}`));
      return 'stop';
    }
    const entryName = cleanName(h.name);
    const problem = memberProblem(h, entryName, limits, seen);
    if (problem) {
      issues.push(issue(problem));
      return issues.length >= MAX_ISSUES ? 'stop' : 'skip';
    }
    if (h.type !== '0' && h.type !== '7') return 'skip'; // directories
    total += h.size;
    if (total > limits.maxUncompressedBytes) {
      issues.push(issue(`total uncompressed size passes the limit of ${limits.maxUncompressedBytes} bytes`));
      return 'stop';
    }
    entries.push({ path: entryName, size: h.size });
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    const keep = h.size <= MAX_DESCRIPTOR_BYTES && cached + h.size <= CACHE_BUDGET_BYTES;
    if (keep) cached += h.size;
    const parts: Buffer[] = [];
    let n = 0;
    const finish = (): void => {
      digests.set(entryName, { sha256: sha.digest('hex'), md5: md5.digest('hex'), size: n });
      if (keep) cache.set(entryName, Buffer.concat(parts));
    };
    if (h.size === 0) {
      finish();
      return 'skip';
    }
    return (c: Buffer) => {
      sha.update(c);
      md5.update(c);
      if (keep) parts.push(Buffer.from(c));
      n += c.length;
      if (n === h.size) finish();
    };
  });
  if (!scan.ok) issues.push(issue(scan.error));
  if (issues.length > 0) return err(issues.length >= MAX_ISSUES ? [...issues, issue(`more than ${MAX_ISSUES} problems; the rest were not listed`)] : issues);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const archivePath = path;

  /** Streams the archive again up to `path` and hands its data to `onChunk`. */
  const restream = async (entry: string, onChunk: (c: Buffer) => boolean): Promise<Result<void, string>> => {
    let found = false;
    let tooBig = false;
    const r = await scanTarGz(archivePath, { fileSize: size, limits }, (h) => {
      if (found) return 'stop';
      if (cleanName(h.name) !== entry || (h.type !== '0' && h.type !== '7')) return 'skip';
      found = true;
      return (c) => {
        if (!tooBig && !onChunk(c)) tooBig = true;
      };
    });
    if (!r.ok) return r;
    if (tooBig) return err(`entry ${quote(entry)} is larger than allowed`);
    return found ? ok(undefined) : err(`no entry ${quote(entry)}`);
  };

  return ok({
    entries,
    find: (p) => byPath.get(p),
    read: async (p, maxBytes) => {
      const e = byPath.get(p);
      if (!e) return err(`no entry ${quote(p)}`);
      if (e.size > maxBytes) return err(`entry ${quote(p)} is ${e.size} bytes, more than the ${maxBytes} bytes allowed for it`);
      const hit = cache.get(p);
      if (hit) return ok(hit);
      const chunks: Buffer[] = [];
      const r = await restream(p, (c) => {
        chunks.push(Buffer.from(c));
        return true;
      });
      return r.ok ? ok(Buffer.concat(chunks)) : r;
    },
    digest: async (p, extra = []) => {
      const d = digests.get(p);
      if (!d) return err(`no entry ${quote(p)}`);
      if (extra.length === 0) return ok({ ...d, extra: {} });
      const hashes = extra.map((a) => [a, createHash(a)] as const);
      const hit = cache.get(p);
      if (hit) for (const [, h] of hashes) h.update(hit);
      else {
        const r = await restream(p, (c) => {
          for (const [, h] of hashes) h.update(c);
          return true;
        });
        if (!r.ok) return r;
      }
      return ok({ ...d, extra: Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')])) });
    },
    close: () => cache.clear(),
  });
};

/** A member's problem (name, kind, size, duplicate), or undefined. */
const memberProblem = (h: TarHeader, name: string, limits: PackageLimits, seen: Set<string>): string | undefined => {
  if (name === '' && h.type === '5') return undefined; // `./` itself
  // Judged as written (`/etc/x` is absolute), with only a leading `./` and a trailing `/` let go.
  const bad = checkEntryName(h.name.replace(/^(\.\/)+/, '').replace(/\/+$/, '') || h.name);
  if (bad) return bad;
  if (h.type === '1') return `entry ${quote(name)} is a hard link; links are not allowed in packages`;
  if (h.type === '2') return `entry ${quote(name)} is a symbolic link; links are not allowed in packages`;
  if (h.type === '3' || h.type === '4' || h.type === '6') return `entry ${quote(name)} is a device or FIFO; only files and folders are allowed in packages`;
  if (h.type !== '0' && h.type !== '7' && h.type !== '5') return `entry ${quote(name)} has tar type "${h.type}"; only files and folders are allowed in packages`;
  const folded = name.toLowerCase().replace(/\/+$/, '');
  if (seen.has(folded)) return h.type === '5' ? undefined : `duplicate entry ${quote(name)} (names must be unique, also ignoring case)`;
  seen.add(folded);
  if (h.size > limits.maxEntryBytes) return `entry ${quote(name)} is ${h.size} bytes, it exceeds the per-entry limit of ${limits.maxEntryBytes} bytes`;
  return undefined;
};
