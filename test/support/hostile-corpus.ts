import * as zlib from 'node:zlib';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tarGz } from '../../src/packages/tar-writer.js';

/** One entry of a hand-made zip: what the central directory will claim about it. */
export interface RawZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly deflate?: boolean;
  /** Unix mode in the high 16 bits of the external attributes (e.g. 0o120777 for a symlink). */
  readonly mode?: number;
}

// CRC-32 (IEEE) table, for zips whose entries must pass yauzl's checks.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer): number => {
  // zlib.crc32 exists from Node 20.15; the table loop is the fallback.
  const native = (zlib as { crc32?: (d: Buffer) => number }).crc32;
  if (native) return native(b) >>> 0;
  let c = 0xffffffff;
  for (const byte of b) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/**
 * Writes a zip byte by byte, with no validation of names or attributes, so tests can
 * produce what well-behaved zip libraries refuse to write (`../x`, `/etc/x`, symlinks,
 * duplicates).
 */
export const rawZip = (entries: readonly RawZipEntry[]): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? zlib.deflateRawSync(e.data, { level: 9 }) : e.data;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
};

/** A minimal valid 5GTANGO package (one VNFD) whose files can be swapped for hostile ones. */
const TOSCA_META = 'TOSCA-Meta-Version: 1.0\nCSAR-Version: 1.0\nCreated-By: hostile corpus\nEntry-Definitions: TOSCA-Metadata/NAPD.yaml\n';
const napdFor = (files: Record<string, string>): string =>
  [
    'descriptor_version: "0.9"',
    'vendor: "eu.rondo.test"',
    'name: "hostile"',
    'version: "0.1"',
    'package_content:',
    ...Object.entries(files).flatMap(([source, ct]) => [`  - source: "${source}"`, `    content-type: "${ct}"`, '    algorithm: "SHA-256"', `    hash: "${'0'.repeat(64)}"`]),
  ].join('\n');

/** A corpus item: the file to upload and a substring expected in one of the issue messages. */
export interface HostileItem {
  readonly name: string;
  readonly file: string;
  readonly expect: string;
}

/**
 * Generates the hostile corpus in `dir`: zip bomb, traversal, absolute path, symlink,
 * 100k entries, billion laughs, 1000-deep nesting, wrong types, truncated zip, empty file,
 * PNG bytes, duplicate entries, oversized entry. Each item's `expect` is a substring of
 * one issue message `readPackageFile` returns for it (with default limits).
 */
export const generateHostileCorpus = async (dir: string): Promise<HostileItem[]> => {
  const items: HostileItem[] = [];
  const put = async (name: string, data: Buffer, expect: string): Promise<void> => {
    const file = join(dir, name);
    await writeFile(file, data);
    items.push({ name, file, expect });
  };
  const meta = { name: 'TOSCA-Metadata/TOSCA.meta', data: Buffer.from(TOSCA_META) };
  const withVnfd = (vnfd: string): RawZipEntry[] => [
    meta,
    { name: 'TOSCA-Metadata/NAPD.yaml', data: Buffer.from(napdFor({ 'Definitions/vnfd.yaml': 'application/vnd.5gtango.vnfd' })) },
    { name: 'Definitions/vnfd.yaml', data: Buffer.from(vnfd) },
  ];

  await put('zip-bomb.tgo', rawZip([meta, { name: 'Definitions/bomb.bin', data: Buffer.alloc(48 * 2 ** 20), deflate: true }]), 'compression ratio');
  await put('traversal.tgo', rawZip([meta, { name: '../../etc/evil.sh', data: Buffer.from('x') }]), 'path traversal');
  await put('absolute.tgo', rawZip([meta, { name: '/etc/passwd', data: Buffer.from('x') }]), 'absolute path');
  await put('drive-letter.tgo', rawZip([meta, { name: 'C:/Windows/evil.dll', data: Buffer.from('x') }]), 'absolute path');
  await put('backslash.tgo', rawZip([meta, { name: 'Definitions\\..\\evil', data: Buffer.from('x') }]), 'backslash');
  await put('symlink.tgo', rawZip([meta, { name: 'Definitions/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]), 'symbolic link');
  await put('many-entries.tgo', rawZip(Array.from({ length: 100_000 }, (_, i) => ({ name: `f/${i}`, data: Buffer.alloc(0) }))), 'too many entries');
  await put('duplicates.tgo', rawZip([meta, { name: 'a.yaml', data: Buffer.from('a: 1') }, { name: 'A.YAML', data: Buffer.from('a: 2') }]), 'duplicate entry');
  await put('oversized-entry.tgo', rawZip([meta, { name: 'big.bin', data: Buffer.alloc(65 * 2 ** 20, 7), deflate: true }]), 'per-entry limit');

  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  await put('billion-laughs.tgo', rawZip(withVnfd(laughs.join('\n'))), 'alias');
  await put('deep-nesting.tgo', rawZip(withVnfd(`${'['.repeat(1000)}${']'.repeat(1000)}`)), 'nesting');
  let block = 'x: 1';
  for (let i = 0; i < 1000; i++) block = `k:\n${block.replace(/^/gm, ' ')}`;
  await put('deep-block-nesting.tgo', rawZip(withVnfd(block)), 'nesting');
  await put('wrong-types.tgo', rawZip(withVnfd('vendor: 42\nname: [1]\nversion: "0.1"\nvirtual_deployment_units: "nope"\n')), 'must be');
  await put('custom-tag.tgo', rawZip(withVnfd('vendor: !!python/object:os.system "rm -rf /"\n')), 'tag');
  const good = rawZip(withVnfd('vendor: x\n'));
  await put('truncated.tgo', good.subarray(0, Math.floor(good.length * 0.6)), 'corrupt');
  await put('empty.tgo', Buffer.alloc(0), 'empty');
  await put('png.tgo', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]), 'not a zip');

  // OSM packages come as .tar.gz: the same classes of attack through gzip and tar.
  const vnfd = { path: 'pkg/pkg_vnfd.yaml', data: Buffer.from('vnfd:\n  id: x\n') };
  await put('gzip-bomb.tar.gz', zlib.gzipSync(Buffer.alloc(48 * 2 ** 20), { level: 9 }), 'gzip bomb');
  await put('traversal.tar.gz', tarGz([vnfd, { path: 'pkg/../../etc/evil.sh', data: Buffer.from('x') }]), 'path traversal');
  await put('absolute.tar.gz', tarGz([vnfd, { path: '/etc/passwd', data: Buffer.from('x') }]), 'absolute path');
  await put('symlink.tar.gz', tarGz([vnfd, { path: 'pkg/link', data: Buffer.alloc(0), type: '2', linkName: '/etc/passwd' }]), 'symbolic link');
  await put('hardlink.tar.gz', tarGz([vnfd, { path: 'pkg/link', data: Buffer.alloc(0), type: '1', linkName: '/etc/passwd' }]), 'hard link');
  await put('device.tar.gz', tarGz([vnfd, { path: 'pkg/dev', data: Buffer.alloc(0), type: '3' }]), 'device or FIFO');
  await put('many-entries.tar.gz', tarGz(Array.from({ length: 10_001 }, (_, i) => ({ path: `pkg/${i}`, data: Buffer.alloc(0) }))), 'too many entries');
  await put('duplicates.tar.gz', tarGz([vnfd, { path: 'pkg/A.yaml', data: Buffer.from('a: 1') }, { path: 'pkg/a.yaml', data: Buffer.from('a: 2') }]), 'duplicate entry');
  await put('oversized-entry.tar.gz', tarGz([vnfd, { path: 'pkg/big.bin', data: Buffer.alloc(65 * 2 ** 20, 7) }]), 'per-entry limit');
  const goodTar = tarGz([vnfd, { path: 'pkg/cloud_init/init', data: Buffer.alloc(4096, 65) }]);
  await put('truncated.tar.gz', goodTar.subarray(0, Math.floor(goodTar.length * 0.6)), 'corrupt');
  await put('not-tar.tar.gz', zlib.gzipSync(Buffer.from('just some text, no tar inside'.repeat(40))), 'tar');
  await put('osm-billion-laughs.tar.gz', tarGz([{ path: 'pkg/pkg_vnfd.yaml', data: Buffer.from(`vnfd:\n  id: x\n${laughs.join('\n')}\n`) }]), 'alias');
  return items;
};
