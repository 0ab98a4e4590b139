import type { ValidationIssue } from '../model/index.js';

/** Collects issues for one file; `add` takes the field path and what is wrong. */
export interface IssueCollector {
  readonly issues: ValidationIssue[];
  add(path: string, message: string): void;
}

/** Creates an {@link IssueCollector} bound to `file`. */
export const collectIssues = (file: string): IssueCollector => {
  const issues: ValidationIssue[] = [];
  return { issues, add: (path, message) => issues.push({ file, path, message }) };
};

/** Reports every id that occurs more than once in `ids` (path built from the index). */
export const checkUnique = (
  ids: readonly unknown[],
  pathOf: (index: number) => string,
  what: string,
  c: IssueCollector,
): void => {
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else c.add(pathOf(i), `duplicate ${what} "${id}" (first at ${pathOf(first)}); ${what}s must be unique`);
  });
};

/** Narrowing helpers for untrusted parsed YAML. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asRecord = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
export const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
