import type { SpecificManager } from '../model/index.js';
import { asArray, asRecord, asText, checkUnique, isRecord } from './issue-collector.js';
import type { IssueCollector } from './issue-collector.js';

/** A manager id becomes part of bus topics and container names. */
const MANAGER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,26}$/;

/** FNV-1a of `s`, 6 base-36 digits: a short, stable tag (not a security hash). */
const tag = (s: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(6, '0').slice(-6);
};

/**
 * The id Rondo names a manager by in topics, broker users and containers: the
 * descriptor's id when it fits {@link MANAGER_ID}, else its letters, digits, `_` and `-`
 * (20 at most) and a tag of the whole id. SONATA's tooling takes any id
 * (`sonssmcommunication-pilotconfig`, 31 characters), so Rondo does too.
 */
export function managerKey(id: string): string {
  if (MANAGER_ID.test(id)) return id;
  const kept = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 20);
  return `${kept === '' ? 'm' : kept}-${tag(id)}`;
}

/**
 * Reads SONATA/5GTANGO `service_specific_managers` / `function_specific_managers`
 * (`[{ id, image, description?, options?: [{ key, value }] | { key: value } }]`) into the
 * model; reports a missing id or image and duplicates (ids that cannot name a topic get a {@link managerKey}).
 * Undefined when the list is absent or empty.
 */
export function readSpecificManagers(list: unknown, path: string, c: IssueCollector): SpecificManager[] | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) {
    c.add(path, 'must be a list of managers ({ id, image, options })');
    return undefined;
  }
  const items = asArray(list).map(asRecord);
  checkUnique(items.map((m) => m['id']), (i) => `${path}/${i}/id`, 'manager id', c);
  const out = items.flatMap((m, i): SpecificManager[] => {
    const id = asText(m['id']);
    const image = asText(m['image']);
    if (id === undefined || id.trim() === '') {
      c.add(`${path}/${i}/id`, 'a manager needs an id');
      return [];
    }
    if (image === undefined || image.trim() === '') {
      c.add(`${path}/${i}/image`, `manager "${id}" needs an image`);
      return [];
    }
    const description = asText(m['description']);
    const key = managerKey(id);
    return [{ id: key, ...(key !== id ? { descriptorId: id } : {}), image: image.trim(), ...(description ? { description } : {}), options: readOptions(m['options']) }];
  });
  return out.length > 0 ? out : undefined;
}

/** SONATA writes options as `[{ key, value }]`; a plain mapping is taken too. */
function readOptions(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const o of v.map(asRecord)) {
      const key = asText(o['key']);
      const value = asText(o['value']) ?? (typeof o['value'] === 'boolean' ? String(o['value']) : undefined);
      if (key !== undefined && value !== undefined) out[key] = value;
    }
  } else if (isRecord(v)) {
    for (const [key, raw] of Object.entries(v)) {
      const value = asText(raw) ?? (typeof raw === 'boolean' ? String(raw) : undefined);
      if (value !== undefined) out[key] = value;
    }
  }
  return out;
}

/** SOL001 artifact types naming a specific manager (Rondo's convention; docs/plugins.md). */
export const SOL001_MANAGER_ARTIFACTS = { ssm: 'rondo.artifacts.ServiceSpecificManager', fsm: 'rondo.artifacts.FunctionSpecificManager' } as const;

/**
 * SOL001 form: artifacts of the NS node (`type: rondo.artifacts.ServiceSpecificManager`)
 * or VNF node (`rondo.artifacts.FunctionSpecificManager`), the artifact's name the
 * manager id, `file` its image, `properties` its options. Read as the 5GTANGO list is.
 */
export function readArtifactManagers(nodes: readonly { readonly artifacts: Record<string, unknown>; readonly path: string }[], type: string, c: IssueCollector): SpecificManager[] | undefined {
  const list = nodes.flatMap((n) =>
    Object.entries(n.artifacts).flatMap(([name, a]) => {
      const art = asRecord(a);
      return art['type'] === type ? [{ id: name, image: art['file'], description: art['description'], options: art['properties'] }] : [];
    }),
  );
  return list.length > 0 ? readSpecificManagers(list, `${nodes[0]?.path ?? ''}/artifacts`, c) : undefined;
}
