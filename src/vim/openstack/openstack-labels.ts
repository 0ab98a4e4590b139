import type { Labels } from '../vim-driver.js';

/** Tag every Rondo resource on OpenStack carries, so listings can be narrowed to Rondo's. */
export const RONDO_TAG = 'rondo';

// Nova tags are at most 60 characters and may contain neither '/' nor ','; Neutron and Heat
// filter with comma-separated lists. A label that does not fit stays in metadata only.
const TAGGABLE = /^[^,/]{1,60}$/;

/** Labels as `key=value` tags (plus the Rondo marker), skipping ones that cannot be tags. */
export function labelsToTags(labels: Labels): string[] {
  return [RONDO_TAG, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`).filter((t) => TAGGABLE.test(t))];
}

/** Parses `key=value` tags back into labels (other tags are ignored). */
export function tagsToLabels(tags: readonly string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    const i = t.indexOf('=');
    if (i > 0) out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}

/** Whether `labels` include every pair of `want`. */
export const hasLabels = (labels: Labels, want: Labels): boolean => Object.entries(want).every(([k, v]) => labels[k] === v);
