import { posix } from 'node:path';
import { parse } from 'yaml';
import yazl from 'yazl';
import { RondoError } from '../../model/index.js';
import { acceptsMediaType } from '../http/media-negotiation.js';

/**
 * The files of the package that the descriptor at `mainPath` imports (TOSCA `imports:`,
 * names or `{ file }` entries, relative to the descriptor's folder). A descriptor that
 * imports none of the package's files is a single-file descriptor (SOL005 §5.4.4.3.2,
 * §9.4.4a.3.2); types fetched by URL or shipped by the NFVO do not count. Unreadable
 * YAML counts as single-file: it was on-boarded, so the reader accepted it.
 */
export function localImportsOf(content: Buffer, mainPath: string, packageFiles: readonly string[]): string[] {
  let doc: unknown;
  try {
    doc = parse(content.toString('utf8'));
  } catch {
    return [];
  }
  const imports = doc !== null && typeof doc === 'object' ? (doc as { imports?: unknown }).imports : undefined;
  if (!Array.isArray(imports)) return [];
  const present = new Set(packageFiles);
  const dir = posix.dirname(mainPath);
  const out: string[] = [];
  for (const entry of imports) {
    const name = typeof entry === 'string' ? entry : entry !== null && typeof entry === 'object' ? (entry as { file?: unknown }).file : undefined;
    if (typeof name !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(name)) continue;
    const path = posix.normalize(posix.join(dir === '.' ? '' : dir, name));
    if (present.has(path) && !out.includes(path)) out.push(path);
  }
  return out;
}

/**
 * The descriptor at `mainPath` and every package file it imports, transitively (main
 * first), read with `read`: one entry for a single-file descriptor.
 */
export async function descriptorFiles(read: (path: string) => Promise<Buffer>, mainPath: string, packageFiles: readonly string[]): Promise<[string, Buffer][]> {
  const out: [string, Buffer][] = [[mainPath, await read(mainPath)]];
  for (let i = 0; i < out.length && out.length <= packageFiles.length; i++) {
    const [path, content] = out[i] as [string, Buffer];
    for (const imported of localImportsOf(content, path, packageFiles)) {
      if (!out.some(([p]) => p === imported)) out.push([imported, await read(imported)]);
    }
  }
  return out;
}

/**
 * SOL005 §5.4.4.3.2 / §9.4.4a.3.2 content negotiation of a descriptor: `text/plain` only
 * for a single-file descriptor, `application/zip` always; when both are acceptable (or
 * Accept is absent), `preferred` for a single file and zip for several. Throws RondoError
 * `NOT_ACCEPTABLE` (406) when neither fits, or when only text/plain is acceptable for a
 * multi-file descriptor.
 */
export function negotiateDescriptor(accept: string | undefined, multiFile: boolean, preferred: 'text' | 'zip'): 'text' | 'zip' {
  const text = acceptsMediaType(accept, 'text/plain');
  const zip = acceptsMediaType(accept, 'application/zip');
  if (zip && (multiFile || !text)) return 'zip';
  if (text && !multiFile) return zip ? preferred : 'text';
  if (text) throw new RondoError('NOT_ACCEPTABLE', 'the descriptor is made of several files: accept application/zip to get them', { details: { multiFile: true } });
  throw new RondoError('NOT_ACCEPTABLE', `cannot answer with ${accept ?? ''}; accept text/plain or application/zip`);
}

/** A zip of `entries` (path → content), streamed. */
export function zipOfEntries(entries: readonly (readonly [string, Buffer])[]): NodeJS.ReadableStream {
  const zip = new yazl.ZipFile();
  for (const [path, content] of entries) zip.addBuffer(content, path);
  zip.end();
  return zip.outputStream;
}
