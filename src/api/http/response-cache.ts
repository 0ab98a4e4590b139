import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { tenantFilter } from '../../auth/index.js';
import { optionalCallerOf } from './caller.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The GET answer may be served again, byte for byte, while the store shows that nothing
     * committed since it was made ({@link responseCache}). Only for handlers whose answer
     * depends on nothing but the store, the caller's tenant scope, the URL and the host.
     */
    cached?: boolean;
  }
}

/** Hits and misses, for `/metrics`. */
export interface ResponseCacheObserver {
  lookup(result: 'hit' | 'miss'): void;
}

/** Options of {@link responseCache}. */
export interface ResponseCacheOptions {
  /**
   * An opaque mark of what the store has committed: two equal marks mean that no
   * transaction committed between them (PostgreSQL's `pg_current_snapshot()`).
   */
  readonly readMark: () => Promise<string>;
  /** Bytes of answers kept at most; the least recently used go first. */
  readonly maxBytes: number;
  readonly observer?: ResponseCacheObserver;
}

interface Entry {
  readonly mark: string;
  readonly payload: string;
  readonly link: string | undefined;
  readonly contentType: string;
}

/** A least-recently-used map bounded by the bytes of its payloads. */
class ByteBoundedLru {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Entry | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e;
  }

  set(key: string, e: Entry): void {
    const size = e.payload.length + key.length;
    if (size > this.maxBytes) return;
    this.delete(key);
    this.#entries.set(key, e);
    this.#bytes += size;
    for (const [k] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  delete(key: string): void {
    const e = this.#entries.get(key);
    if (e === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= e.payload.length + key.length;
  }
}

const MARK = Symbol('rondo.responseCacheMark');
type Marked = FastifyRequest & { [MARK]?: { key: string; mark: string } };

/**
 * Serves a `cached` route's GET answer again while nothing committed since it was made.
 *
 * Every cached request first reads the store's mark — one tiny query — and compares it
 * with the mark the stored answer was made under. PostgreSQL's snapshot (`xmin:xmax:xip`)
 * changes with every commit in the database, whichever process or table made it, so an
 * equal mark means the handler would read exactly the same rows: the answer is served
 * again without reading or serialising them. The mark is read before the handler runs: an
 * answer made after a commit that slipped in between is stored under the older mark, which
 * no later request can read again, so nothing stale is ever served. Under writes the cache
 * only misses; under reads (dashboards, monitoring scripts, `rondo ns list`) it spares the
 * NS and operation reads, their parsing and serialisation.
 *
 * The key holds the caller's tenant scope (the handlers' only use of the caller), the
 * host the client used (`_links`) and the URL with its query (filters, fields, paging).
 * Only 200 answers are kept; the `Link` header (next page) goes with them, and the other
 * onSend hooks (ETag, `Version`) run again on a served answer.
 */
export const responseCache: FastifyPluginAsync<ResponseCacheOptions> = Object.assign(
  async (app: FastifyInstance, { readMark, maxBytes, observer }: ResponseCacheOptions) => {
    if (maxBytes <= 0) return;
    const lru = new ByteBoundedLru(maxBytes);
    app.addHook('preHandler', async (request: Marked, reply: FastifyReply) => {
      if (request.method !== 'GET' || request.routeOptions.config?.cached !== true) return;
      const caller = optionalCallerOf(request);
      const scope = caller === null ? '-' : (tenantFilter(caller) ?? '*');
      const key = `${scope}\n${request.protocol}://${request.host}\n${request.url}`;
      const mark = await readMark();
      const hit = lru.get(key);
      if (hit !== undefined && hit.mark === mark) {
        observer?.lookup('hit');
        if (hit.link !== undefined) void reply.header('link', hit.link);
        return reply.type(hit.contentType).send(hit.payload);
      }
      observer?.lookup('miss');
      request[MARK] = { key, mark };
      return undefined;
    });
    app.addHook('onSend', async (request: Marked, reply: FastifyReply, payload: unknown) => {
      const marked = request[MARK];
      if (marked === undefined || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
      const link = reply.getHeader('link');
      lru.set(marked.key, {
        mark: marked.mark,
        payload,
        link: typeof link === 'string' ? link : undefined,
        contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      });
      return payload;
    });
  },
  // Hooks for the whole app, not only inside this plugin's scope (what fastify-plugin does).
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'rondo-response-cache' },
);
