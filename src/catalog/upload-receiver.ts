import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../model/index.js';

/** An upload saved to a temp file, with what 5GTANGO and SOL005 report about it. */
export interface UploadedFile {
  readonly path: string;
  readonly size: number;
  readonly sha1: string;
  readonly sha256: string;
}

/** Where and how much to receive. */
export interface ReceiveOptions {
  readonly dir: string;
  readonly name: string;
  readonly maxBytes: number;
  /** Content-Length announced by the client, if any: too large fails before reading. */
  readonly declaredBytes?: number;
}

/**
 * Streams `source` into `dir/name.upload`, hashing on the way, never holding more than a
 * chunk in memory. Throws PayloadTooLargeError as soon as `maxBytes` is passed,
 * BadRequestError `EMPTY_BODY` for an empty upload, BadRequestError `UPLOAD_ABORTED` if
 * the client goes away; in every failure the temp file is gone.
 *
 * On overflow the source is paused, not destroyed: destroying an HTTP request would also
 * kill the socket the 413 answer has to go out on (the error handler closes it after).
 */
export async function receiveUpload(source: Readable, opts: ReceiveOptions): Promise<UploadedFile> {
  if (opts.declaredBytes !== undefined && opts.declaredBytes > opts.maxBytes) throw new PayloadTooLargeError(opts.maxBytes);
  await mkdir(opts.dir, { recursive: true });
  const path = join(opts.dir, `${opts.name}.upload`);
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  const out = createWriteStream(path);
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const detach = () => {
        source.off('data', onData);
        source.off('end', onEnd);
        source.off('error', fail);
        source.off('close', onClose);
      };
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        detach();
        source.pause();
        out.destroy();
        reject(e);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) return fail(new PayloadTooLargeError(opts.maxBytes));
        sha1.update(chunk);
        sha256.update(chunk);
        if (!out.write(chunk)) {
          source.pause();
          out.once('drain', () => source.resume());
        }
      };
      const onEnd = () => {
        if (settled) return;
        detach();
        out.end();
      };
      const onClose = () => fail(new BadRequestError('the upload was interrupted before it ended; send it again', { code: 'UPLOAD_ABORTED' }));
      out.on('error', fail);
      out.on('finish', () => {
        if (settled) return;
        settled = true;
        resolve();
      });
      source.on('data', onData);
      source.on('end', onEnd);
      source.on('error', fail);
      source.on('close', onClose);
      source.resume();
    });
  } catch (e) {
    // The write stream opens its file asynchronously: a failure in the first chunk can come
    // before the open, which then creates the file after an early rm. Wait for the close.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await rm(path, { force: true });
    throw e;
  }
  if (size === 0) {
    await rm(path, { force: true });
    throw new BadRequestError('the request body is empty; send the package file as the body or as multipart field "package"', { code: 'EMPTY_BODY' });
  }
  return { path, size, sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}
