import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodePageMarker, matchesFilter, paginate, parseFilter, selectAttributes, withoutAttributes } from './sol013-query.js';
import type { SelectorQuery } from './sol013-query.js';
import type { PageKey } from '../../lifecycle/index.js';

/** How one SOL005 list resource filters, selects and pages. */
export interface ListSpec {
  /** Top-level attribute names a filter may use. */
  readonly attributes: ReadonlySet<string>;
  /** Left out unless asked for (SOL005 "exclude_default" set). */
  readonly defaultExcluded: readonly string[];
  readonly pageSize: number;
}

/** The list query as the route schema types it. */
export type ListQueryValues = SelectorQuery & { filter?: string; nextpage_opaque_marker?: string };

/** SOL013 §5.4.2.1: `Link: <this URL with nextpage_opaque_marker=…>; rel="next"`. */
function linkNext(request: FastifyRequest, reply: FastifyReply, marker: string): void {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set('nextpage_opaque_marker', marker);
  void reply.header('link', `<${url.toString()}>; rel="next"`);
}

/**
 * Filters (SOL013 §5.2), pages (§5.4, `Link: <…>; rel="next"`) and selects attributes
 * (§5.3) of an already mapped list. Filtering happens on the API representation, so the
 * attribute names are exactly the ones clients see. For small lists (packages,
 * descriptors, alarms, subscriptions); big ones page in SQL ({@link pagedResponse}).
 */
export function listResponse<T extends Record<string, unknown> & { id: string }>(
  request: FastifyRequest,
  reply: FastifyReply,
  items: readonly T[],
  query: ListQueryValues,
  spec: ListSpec,
): Partial<T>[] {
  const terms = query.filter ? parseFilter(query.filter, spec.attributes) : [];
  const filtered = items.filter((x) => matchesFilter(x, terms));
  const page = paginate(filtered, query.nextpage_opaque_marker, spec.pageSize);
  if (page.nextMarker) linkNext(request, reply, page.nextMarker);
  return page.items.map((x) => selectAttributes(x, query, spec.defaultExcluded));
}

/**
 * The response of a page the store already filtered and paged: the `Link` to the next
 * page (its marker encodes `next`, see `encodePageMarker`) and the items without the
 * attributes in `drop` (from `droppedAttributes`, computed once per request).
 */
export function pagedResponse<T extends Record<string, unknown>>(
  request: FastifyRequest,
  reply: FastifyReply,
  items: readonly T[],
  next: PageKey | null,
  drop: ReadonlySet<string>,
): Partial<T>[] {
  if (next) linkNext(request, reply, encodePageMarker(next));
  return items.map((x) => withoutAttributes(x, drop));
}

/** Base URL of the API as the client reached it, for `_links`. */
export const baseUrl = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;
