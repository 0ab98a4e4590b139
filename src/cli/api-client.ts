import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
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
  type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  type Answer = { status: number; body: unknown; headers: Record<string, string | string[] | undefined> };
  const answer = (what: string, status: number, headers: Answer['headers'], text: string): Answer => {
    let body: unknown = text;
    if (String(headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
    if (status >= 400) throw apiFailure(what, status, body);
    return { status, body, headers };
  };
  const unreachable = (what: string, e: unknown): CliError => {
    // fetch puts the socket's error (ECONNREFUSED …) in `cause`; undici's request throws it itself.
    const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const reason = err.cause?.code ?? err.code ?? err.cause?.message ?? err.message;
    return new CliError(`${what} failed: cannot reach Rondo at ${baseUrl}`, EXIT.usage, reason, 'start it with "rondo serve", or point --url / RONDO_URL at a running server');
  };
  // JSON calls use Node's built-in fetch: every `rondo` command makes them, and loading the
  // undici package costs a command about 0.25 s of its start-up. No redirects are followed.
  const call = async (what: string, method: Method, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> => {
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), { method, headers: { ...(await credentialHeaders(baseUrl)), ...init.headers }, body: init.body ?? null, redirect: 'manual' });
    } catch (e) {
      throw unreachable(what, e);
    }
    const text = await res.text();
    const headers: Answer['headers'] = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return answer(what, res.status, headers, text);
  };
  // A file is streamed with its length declared (fetch would send it chunked): undici's
  // request, loaded only by the commands that upload.
  const stream = async (what: string, method: Method, path: string, body: NodeJS.ReadableStream, headers: Record<string, string>): Promise<Answer> => {
    const { request } = await import('undici');
    let res;
    try {
      res = await request(new URL(path, baseUrl), { method, headers: { ...(await credentialHeaders(baseUrl)), ...headers }, body: body as never });
    } catch (e) {
      throw unreachable(what, e);
    }
    return answer(what, res.statusCode, res.headers, await res.body.text());
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
      (await call(what, 'POST', path, json === undefined ? {} : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })) as {
        status: number; body: T; headers: Record<string, string | string[] | undefined>;
      },
    /** PATCH with a JSON merge patch (RFC 7396, `application/merge-patch+json`, as SOL013 prescribes); returns the parsed answer. */
    patch: async <T>(what: string, path: string, json: unknown): Promise<T> =>
      (await call(what, 'PATCH', path, { body: JSON.stringify(json), headers: { 'content-type': 'application/merge-patch+json' } })).body as T,
    /** PUT a JSON body; returns the parsed answer. */
    put: async <T>(what: string, path: string, json: unknown): Promise<T> =>
      (await call(what, 'PUT', path, { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } })).body as T,
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
      return (await stream(what, method, path, createReadStream(file), headers)).body as T;
    },
  };
}

/** The API client's type. */
export type ApiClient = ReturnType<typeof createApiClient>;
