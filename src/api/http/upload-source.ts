import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, UnsupportedMediaTypeError } from '../../model/index.js';
import type { UploadInput } from '../../catalog/index.js';
import './fastify-augment.js';

/** Content types taken as a raw package body by the SOL005 upload routes. */
export const RAW_PACKAGE_TYPES = [
  'application/zip', 'application/octet-stream', 'application/x-zip-compressed', 'text/plain', 'application/yaml', 'application/x-yaml', 'text/yaml',
  // OSM packages (.tar.gz) and SOL006 descriptors in JSON.
  'application/gzip', 'application/x-gzip', 'application/x-tar', 'application/x-compressed-tar', 'application/json',
] as const;

/**
 * Registers a content-type parser that hands the request stream to the handler untouched
 * (no buffering; the catalog streams it to disk with its own limit). `types` = '*' takes
 * every type that has no other parser in this plugin's scope.
 */
export function acceptRawBodies(app: FastifyInstance, types: readonly string[] | '*'): void {
  const pass = (_req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void) => done(null, payload);
  if (types === '*') return app.addContentTypeParser('*', pass);
  // Fastify parses JSON bodies by default; here a JSON body is a descriptor file like any other.
  if (types.includes('application/json') && app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser([...types], pass);
}

const fileNameFrom = (disposition: string | undefined): string | undefined => {
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
};

/**
 * Turns a request into an upload: a multipart file part named `field` (any file part
 * when `field` is undefined), or the raw body. Records the received size/hashes on the
 * request for error answers. Throws UnsupportedMediaTypeError for a multipart without
 * that file or a body that was parsed as something else, BadRequestError `EMPTY_BODY`
 * when there is no body at all.
 */
export async function uploadFrom(request: FastifyRequest, maxBytes: number, field?: string): Promise<UploadInput> {
  const onReceived: UploadInput['onReceived'] = (u) => {
    request.uploadInfo = u;
  };
  const contentType = request.headers['content-type'] ?? '';
  if (request.isMultipart()) {
    // One byte over the limit so the catalog's own limit (and its 413) decides.
    const part = await request.file({ limits: { fileSize: maxBytes + 1, files: 1, fields: 20, parts: 40 } });
    if (!part || (field !== undefined && part.fieldname !== field)) {
      throw new UnsupportedMediaTypeError(`multipart/form-data without a file field "${field ?? 'file'}"`);
    }
    return { source: part.file, fileName: part.filename, contentType: part.mimetype, onReceived };
  }
  const body: unknown = request.body;
  if (body instanceof Readable) {
    const declared = Number(request.headers['content-length']);
    const fileName = fileNameFrom(request.headers['content-disposition']);
    return {
      source: body,
      contentType: contentType.split(';')[0] ?? contentType,
      ...(fileName ? { fileName } : {}),
      ...(Number.isFinite(declared) && request.headers['content-length'] !== undefined ? { declaredBytes: declared } : {}),
      onReceived,
    };
  }
  if (body === undefined || body === null || body === '') {
    throw new BadRequestError('the request body is empty; send the package file as the body', { code: 'EMPTY_BODY' });
  }
  throw new UnsupportedMediaTypeError(contentType);
}
