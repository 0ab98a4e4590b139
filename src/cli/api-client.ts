import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { request } from 'undici';
import { CliError, EXIT } from './cli-error.js';
import { credentialHeaders } from './credentials.js';

/** The default API address (`--url`, `RONDO_URL`). */
export const DEFAULT_URL = 'http://127.0.0.1:5000';

interface Problem {
  status?: number;
  detail?: string;
  code?: string;
  issues?: { file: string; path: string; message: string }[];
}

/** Turns an API ProblemDetails answer into a CliError (exit 1; the operation failed). */
function apiFailure(what: string, status: number, body: unknown): CliError {
  const p = (body && typeof body === 'object' ? body : {}) as Problem;
  const issues = p.issues?.map((i) => `${i.file}${i.path ? ` ${i.path}` : ''}: ${i.message}`) ?? [];
  const reason = [`${status} ${p.code ?? ''}: ${p.detail ?? 'no details'}`.trim(), ...issues].join('\n');
  const hint =
    status === 401 ? 'run "rondo login" (or set RONDO_TOKEN or RONDO_API_KEY)' : status === 403 ? 'your role does not allow this; ask an admin' :
    status === 404 ? 'check the id with the matching "list" command' : status === 409 ? 'the resource is in use or in the wrong state; see the reason' : undefined;
  return new CliError(`${what} failed`, EXIT.failed, reason, hint, body);
}

/** The target of a `Link` header's `rel="next"` (SOL013 §5.4 paging), if any. */
export function nextPageLink(header: string | string[] | undefined): string | undefined {
  for (const part of [header ?? []].flat().join(',').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * A thin HTTP client of the Rondo API. Every method throws CliError: exit 2 when the
 * server cannot be reached, exit 1 when it answers with an error.
 */
export function createApiClient(baseUrl: string) {
  const call = async (what: string, method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH', path: string, init: { body?: NodeJS.ReadableStream; headers?: Record<string, string> } = {}) => {
    let res;
    try {
      res = await request(new URL(path, baseUrl), { method, headers: { ...(await credentialHeaders(baseUrl)), ...init.headers }, body: init.body as never });
    } catch (e) {
      const reason = (e as { code?: string; message?: string }).code ?? (e as Error).message;
      throw new CliError(`${what} failed: cannot reach Rondo at ${baseUrl}`, EXIT.usage, reason, 'start it with "rondo serve", or point --url / RONDO_URL at a running server');
    }
    const text = await res.body.text();
    let body: unknown = text;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && text) body = JSON.parse(text);
    if (res.statusCode >= 400) throw apiFailure(what, res.statusCode, body);
    return { status: res.statusCode, body, headers: res.headers };
  };
  return {
    baseUrl,
    /** GET a JSON document. */
    get: async <T>(what: string, path: string): Promise<T> => (await call(what, 'GET', path)).body as T,
    /** GET every page of a SOL013 list, following `Link: <…>; rel="next"` (at most `maxPages`). */
    async getAll<T>(what: string, path: string, maxPages = 1000): Promise<T[]> {
      const all: T[] = [];
      let next: string | undefined = path;
      for (let page = 0; next !== undefined && page < maxPages; page++) {
        const r = await call(what, 'GET', next);
        all.push(...(r.body as T[]));
        next = nextPageLink(r.headers.link);
      }
      return all;
    },
    /** POST a JSON body (or none); returns status, parsed body and headers. */
    post: async <T>(what: string, path: string, json?: unknown) =>
      (await call(what, 'POST', path, json === undefined ? {} : { body: JSON.stringify(json) as unknown as NodeJS.ReadableStream, headers: { 'content-type': 'application/json' } })) as {
        status: number; body: T; headers: Record<string, string | string[] | undefined>;
      },
    /** PATCH with a JSON merge patch (RFC 7396, `application/merge-patch+json`, as SOL013 prescribes); returns the parsed answer. */
    patch: async <T>(what: string, path: string, json: unknown): Promise<T> =>
      (await call(what, 'PATCH', path, { body: JSON.stringify(json) as unknown as NodeJS.ReadableStream, headers: { 'content-type': 'application/merge-patch+json' } })).body as T,
    /** PUT a JSON body; returns the parsed answer. */
    put: async <T>(what: string, path: string, json: unknown): Promise<T> =>
      (await call(what, 'PUT', path, { body: JSON.stringify(json) as unknown as NodeJS.ReadableStream, headers: { 'content-type': 'application/json' } })).body as T,
    /** DELETE a resource. */
    delete: async (what: string, path: string): Promise<void> => void (await call(what, 'DELETE', path)),
    /** Streams a file as the raw request body (never read whole into memory); POST unless `method` says otherwise. */
    async upload<T>(what: string, path: string, file: string, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
      const size = await stat(file).then(
        (s) => s.size,
        (e: NodeJS.ErrnoException) => {
          throw new CliError(`${what} failed: cannot read ${file}`, EXIT.usage, e.code ?? e.message, 'check the path');
        },
      );
      const headers = {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-disposition': `attachment; filename="${encodeURIComponent(basename(file))}"`,
      };
      return (await call(what, method, path, { body: createReadStream(file), headers })).body as T;
    },
  };
}

/** The API client's type. */
export type ApiClient = ReturnType<typeof createApiClient>;
