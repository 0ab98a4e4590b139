import { BadRequestError } from '../../model/index.js';
import type { PageKey } from '../../lifecycle/index.js';

/** SOL013 §5.2.2 comparison operators. */
export const FILTER_OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'cont', 'ncont'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One `(op,attr,values…)` term; terms of a filter are ANDed (`;`). */
export interface FilterTerm {
  readonly op: FilterOp;
  readonly path: readonly string[];
  readonly values: readonly string[];
}

const bad = (message: string) => new BadRequestError(message, { code: 'INVALID_FILTER' });

/** Splits `a,b,'c,d'` honouring SOL013 single quotes (`''` is a quote inside). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted) {
      if (c === "'" && s[i + 1] === "'") {
        cur += "'";
        i++;
      } else if (c === "'") quoted = false;
      else cur += c;
    } else if (c === "'") quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    }
    else cur += c;
  }
  if (quoted) throw bad(`unterminated quote in filter term (${s})`);
  out.push(cur);
  return out;
}

/**
 * Parses a SOL013 attribute-based filter, e.g. `(eq,onboardingState,ONBOARDED);(in,vnfProvider,a,b)`.
 * Attribute paths use `/` or `.`; the first segment must be one of `known`. Throws
 * BadRequestError `INVALID_FILTER` naming the bad term.
 */
export function parseFilter(filter: string, known: ReadonlySet<string>): FilterTerm[] {
  const terms: FilterTerm[] = [];
  let rest = filter.trim();
  while (rest.length > 0) {
    if (!rest.startsWith('(')) throw bad(`filter term must look like (op,attribute,value): ${rest}`);
    // Find the closing parenthesis outside quotes.
    let end = -1;
    let quoted = false;
    for (let i = 1; i < rest.length; i++) {
      if (rest[i] === "'") quoted = !quoted;
      else if (rest[i] === ')' && !quoted) {
        end = i;
        break;
      }
    }
    if (end < 0) throw bad(`filter term is not closed: ${rest}`);
    const [op, attr, ...values] = splitArgs(rest.slice(1, end));
    if (!op || !(FILTER_OPS as readonly string[]).includes(op)) throw bad(`unknown filter operator "${op}"; use one of ${FILTER_OPS.join(', ')}`);
    if (!attr) throw bad('filter term has no attribute');
    const path = attr.split(/[./]/);
    if (!known.has(path[0] as string)) throw bad(`unknown attribute "${attr}" in filter; known: ${[...known].join(', ')}`);
    if (values.length === 0) throw bad(`filter term (${op},${attr}) has no value`);
    if (values.length > 1 && !['in', 'nin', 'cont', 'ncont'].includes(op)) throw bad(`operator ${op} takes one value`);
    terms.push({ op: op as FilterOp, path, values });
    rest = rest.slice(end + 1);
    if (rest.startsWith(';')) rest = rest.slice(1);
    else if (rest.length > 0) throw bad(`filter terms must be separated by ";": ${rest}`);
  }
  return terms;
}

function valuesAt(obj: unknown, path: readonly string[]): unknown[] {
  let cur: unknown[] = [obj];
  for (const seg of path) {
    cur = cur.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => (v && typeof v === 'object' && seg in v ? [(v as Record<string, unknown>)[seg]] : []));
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
}

function compare(a: unknown, b: string): number {
  const n = Number(b);
  if (typeof a === 'number' && !Number.isNaN(n)) return a - n;
  return String(a).localeCompare(b);
}

/** True when `obj` satisfies every term (array attributes match if any element does). */
export function matchesFilter(obj: unknown, terms: readonly FilterTerm[]): boolean {
  return terms.every((t) => {
    const vs = valuesAt(obj, t.path);
    const eq = (v: unknown) => t.values.some((x) => String(v) === x);
    const cont = (v: unknown) => t.values.some((x) => String(v).includes(x));
    switch (t.op) {
      case 'eq':
      case 'in':
        return vs.some(eq);
      case 'neq':
      case 'nin':
        return !vs.some(eq);
      case 'cont':
        return vs.some(cont);
      case 'ncont':
        return !vs.some(cont);
      case 'gt':
        return vs.some((v) => compare(v, t.values[0] as string) > 0);
      case 'gte':
        return vs.some((v) => compare(v, t.values[0] as string) >= 0);
      case 'lt':
        return vs.some((v) => compare(v, t.values[0] as string) < 0);
      case 'lte':
        return vs.some((v) => compare(v, t.values[0] as string) <= 0);
    }
  });
}

/** SOL013 §5.3 attribute selectors. */
export interface SelectorQuery {
  readonly all_fields?: string;
  readonly fields?: string;
  readonly exclude_fields?: string;
  readonly exclude_default?: string;
}

/**
 * The top-level attributes all_fields / fields / exclude_fields / exclude_default leave
 * out. With none of them, `defaultExcluded` is left out (SOL005 §9.4.2.3.2). `id` and
 * `_links` always stay. Throws BadRequestError `INVALID_SELECTOR` for contradictory
 * selectors. Lists use it to load an attribute only when it will be shown.
 */
export function droppedAttributes(q: SelectorQuery, defaultExcluded: readonly string[]): ReadonlySet<string> {
  if (q.exclude_fields !== undefined && (q.fields !== undefined || q.all_fields !== undefined)) {
    throw new BadRequestError('exclude_fields cannot be combined with fields or all_fields', { code: 'INVALID_SELECTOR' });
  }
  const list = (s: string | undefined) => new Set((s ?? '').split(',').map((x) => x.trim().split(/[./]/)[0] as string).filter(Boolean));
  let drop: Set<string>;
  if (q.all_fields !== undefined) drop = new Set();
  else if (q.exclude_fields !== undefined) drop = list(q.exclude_fields);
  else {
    const keep = list(q.fields);
    drop = new Set(defaultExcluded.filter((f) => !keep.has(f)));
  }
  drop.delete('id');
  drop.delete('_links');
  return drop;
}

/** `obj` without the attributes in `drop` (see {@link droppedAttributes}), key order kept. */
export function withoutAttributes<T extends Record<string, unknown>>(obj: T, drop: ReadonlySet<string>): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (!drop.has(k)) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Applies all_fields / fields / exclude_fields / exclude_default to top-level attributes.
 * With none of them, `defaultExcluded` is left out (SOL005 §9.4.2.3.2). `id` and `_links`
 * always stay. Throws BadRequestError for contradictory selectors.
 */
export function selectAttributes<T extends Record<string, unknown>>(obj: T, q: SelectorQuery, defaultExcluded: readonly string[]): Partial<T> {
  return withoutAttributes(obj, droppedAttributes(q, defaultExcluded));
}

/** One page and the marker of the next one (null on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextMarker: string | null;
}

/**
 * SOL013 §5.4 paging: the marker is opaque to clients (base64url of the last id seen).
 * Throws BadRequestError `INVALID_MARKER` for a marker that names no item.
 */
export function paginate<T extends { id: string }>(items: readonly T[], marker: string | undefined, pageSize: number): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const last = Buffer.from(marker, 'base64url').toString('utf8');
    const i = items.findIndex((x) => x.id === last);
    if (i < 0) throw new BadRequestError('nextpage_opaque_marker is unknown or expired; list again from the first page', { code: 'INVALID_MARKER' });
    start = i + 1;
  }
  const page = items.slice(start, start + pageSize);
  const more = start + pageSize < items.length;
  const lastItem = page[page.length - 1];
  return { items: page, nextMarker: more && lastItem ? Buffer.from(lastItem.id, 'utf8').toString('base64url') : null };
}

const invalidMarker = (cause?: unknown) =>
  new BadRequestError('nextpage_opaque_marker is unknown or expired; list again from the first page', { code: 'INVALID_MARKER', ...(cause === undefined ? {} : { cause }) });
const MARKER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * SOL013 §5.4 marker of a keyset page: base64url of `[at, id]`, the sort key of the
 * page's last item, so the next page starts right after it even if that item is gone by
 * then. Opaque to clients.
 */
export const encodePageMarker = (key: PageKey): string => Buffer.from(JSON.stringify([key.at, key.id]), 'utf8').toString('base64url');

/** The key of {@link encodePageMarker}; BadRequestError `INVALID_MARKER` for anything else. */
export function decodePageMarker(marker: string): PageKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch (e) {
    throw invalidMarker(e);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidMarker();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || !MARKER_TIME.test(at) || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || id.length === 0 || id.length > 256) throw invalidMarker();
  return { at, id };
}
