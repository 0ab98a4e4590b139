import { createReadStream } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RondoError } from '../../model/index.js';

/** One satisfiable byte range, inclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The single range of a `Range: bytes=a-b | a- | -n` header over `size` bytes (RFC 9110
 * §14.1.2): undefined when there is no header, another unit or several ranges (those get
 * the whole file, which RFC 9110 §14.2 allows); 'unsatisfiable' when it starts past the end.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined; // invalid: ignored
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * Sends the file at `path` (`size` bytes) as `type`, honouring a single `Range` (SOL005
 * §5.4.4.3.2 / §9.4.5.3.2 allow partial content): 206 with `Content-Range`, 416
 * `RANGE_NOT_SATISFIABLE` past the end, else 200 with the whole file. Always advertises
 * `Accept-Ranges: bytes`.
 */
export function sendFileWithRange(request: FastifyRequest, reply: FastifyReply, path: string, size: number, type: string): FastifyReply {
  void reply.header('accept-ranges', 'bytes').type(type);
  const range = parseByteRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${size}`);
    throw new RondoError('RANGE_NOT_SATISFIABLE', `the content has ${size} bytes; ask for a range inside it`, { details: { size } });
  }
  if (range === undefined) return reply.header('content-length', size).send(createReadStream(path));
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', range.end - range.start + 1)
    .send(createReadStream(path, { start: range.start, end: range.end }));
}

/**
 * {@link sendFileWithRange} for content already in memory (an artifact read from the
 * package, SOL005 §9.4.7.3.2): 206 for a single satisfiable range, 416 past the end, else 200.
 */
export function sendBufferWithRange(request: FastifyRequest, reply: FastifyReply, content: Buffer, type: string): FastifyReply {
  void reply.header('accept-ranges', 'bytes').type(type);
  const range = parseByteRange(request.headers.range, content.length);
  if (range === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${content.length}`);
    throw new RondoError('RANGE_NOT_SATISFIABLE', `the content has ${content.length} bytes; ask for a range inside it`, { details: { size: content.length } });
  }
  if (range === undefined) return reply.send(content);
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${content.length}`)
    .send(content.subarray(range.start, range.end + 1));
}
