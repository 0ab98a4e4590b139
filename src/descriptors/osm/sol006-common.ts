import type { ValidationIssue } from '../../model/index.js';
import type { Sol006Document } from './sol006-document.js';

/** Issues and warnings of one SOL006 descriptor, located in the document as written. */
export interface Sol006Issues {
  readonly issues: ValidationIssue[];
  /** `rel` is a path inside the descriptor (`/vdu/0/sw-image-desc`). */
  add(rel: string, message: string): void;
  warn(rel: string, message: string): void;
  /** The path of `rel` in the document as written. */
  at(rel: string): string;
}

/**
 * Binds issue paths to the document: `/vnfd` + rel for SOL006; for a converted OSM IM
 * descriptor, the OSM IM element it came from, with the SOL006 path in the message.
 */
export const sol006Issues = (doc: Sol006Document, file: string, warnings?: ValidationIssue[]): Sol006Issues => {
  const issues: ValidationIssue[] = [];
  const at = (rel: string): string => (doc.origin ? doc.origin(rel) : `${doc.base}${rel}`);
  const note = (rel: string, message: string): string => (doc.origin ? `${message} (SOL006 ${rel || '/'} after conversion from the OSM IM)` : message);
  return {
    issues,
    at,
    add: (rel, message) => void issues.push({ file, path: at(rel), message: note(rel, message) }),
    warn: (rel, message) => void warnings?.push({ file, path: at(rel), message: note(rel, message) }),
  };
};

/** A number, or a numeric text (`"1.0"`), else undefined. */
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;

/** YANG booleans as YAML and JSON write them (`true`, `"true"`). */
export const bool = (v: unknown): boolean => v === true || v === 'true' || v === 'True';

/** Reports every id that occurs more than once among `items` (their `key` field). */
export const checkUniqueIds = (items: readonly Record<string, unknown>[], key: string, rel: (i: number) => string, what: string, c: Sol006Issues): void => {
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    const v = it[key];
    if (typeof v !== 'string' && typeof v !== 'number') return;
    const id = String(v);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else c.add(rel(i), `duplicate ${what} "${id}" (first at ${c.at(rel(first))}); ${what}s must be unique`);
  });
};
