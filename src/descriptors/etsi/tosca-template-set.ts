import { posix } from 'node:path';
import type { Result, ValidationIssue } from '../../model/index.js';
import { asArray, asRecord, isRecord } from '../issue-collector.js';
import type { IssueCollector } from '../issue-collector.js';
import { checkSchema } from '../schema-check.js';
import { toscaTemplateSchema } from './tosca-schema.js';

/** Looks up another file of the package by its normalised path; undefined when absent. */
export type ImportResolver = (packagePath: string) => Result<unknown, ValidationIssue[]> | undefined;

/** One node template, with where it was written. */
export interface ToscaNode {
  readonly name: string;
  readonly type: string;
  readonly file: string;
  /** JSON pointer of the node inside `file`. */
  readonly path: string;
  readonly properties: Record<string, unknown>;
  readonly capabilities: Record<string, unknown>;
  /** `[name, target node]` pairs in order, with their index in the `requirements` list. */
  readonly requirements: ReadonlyArray<{ readonly name: string; readonly target: string | undefined; readonly index: number }>;
  readonly artifacts: Record<string, unknown>;
}

/** One policy (`topology_template.policies`). */
export interface ToscaPolicy {
  readonly name: string;
  readonly type: string;
  readonly file: string;
  readonly path: string;
  readonly properties: Record<string, unknown>;
  readonly targets: readonly string[];
}

/** A service template with everything it imports from inside the package, flattened. */
export interface ToscaTemplateSet {
  readonly entryFile: string;
  readonly entry: Record<string, unknown>;
  readonly nodeTypes: ReadonlyMap<string, { readonly derivedFrom?: string; readonly defaults: Record<string, unknown> }>;
  readonly nodes: readonly ToscaNode[];
  readonly policies: readonly ToscaPolicy[];
  /** `substitution_mappings.requirements` as `[external name, [cp node, requirement]]`, first file that has them. */
  readonly substitution: { readonly file: string; readonly nodeType?: string; readonly requirements: ReadonlyArray<readonly [string, string]> } | undefined;
  /**
   * `substitution_mappings.properties` of every file, by the mapped node type: how a
   * deployment-flavour file sets `flavour_id` for the VNF of the top-level file (Tacker's split).
   */
  readonly mappedProperties: ReadonlyMap<string, Record<string, unknown>>;
  /** Properties of node templates shadowed by a same-named node of an earlier file, by node name. */
  readonly flavourProperties: ReadonlyMap<string, Record<string, unknown>>;
}

/**
 * The ETSI SOL001 type files (common, vnfd, nsd, pnfd) are built in: they may be imported
 * by name or URL and be absent from the package (SOL004 §4.1 lets a CSAR reference them).
 */
export const isWellKnownImport = (name: string): boolean => /^https?:\/\//.test(name) || /(^|\/)etsi_nfv_sol001_[a-z_]*types(_[0-9_.]+)?\.ya?ml$/.test(name) || name === 'etsi_nfv_sol001';

/**
 * Checks a TOSCA definitions file on its own (a type file such as ETSI's
 * etsi_nfv_sol001_vnfd_types.yaml, which has no topology): the service-template skeleton
 * Rondo reads. Returns every issue (empty = readable).
 */
export const checkToscaDefinitions = (doc: unknown, file: string): ValidationIssue[] =>
  isRecord(doc) ? checkSchema(toscaTemplateSchema, doc, file) : [{ file, path: '', message: 'TOSCA template must be a YAML mapping' }];

/**
 * Loads a TOSCA service template and, transitively, the files it imports from inside the
 * package. Imports that leave the package or are missing are issues; the well-known ETSI
 * type files are skipped. Node templates with the same name in two files keep the first.
 */
export const loadToscaSet = (doc: unknown, file: string, resolve: ImportResolver | undefined, c: IssueCollector): ToscaTemplateSet | undefined => {
  const schemaIssues = checkSchema(toscaTemplateSchema, doc, file);
  if (schemaIssues.length > 0 || !isRecord(doc)) {
    if (schemaIssues.length === 0) c.add('', 'TOSCA template must be a YAML mapping');
    for (const i of schemaIssues) c.issues.push(i);
    return undefined;
  }
  const nodeTypes = new Map<string, { derivedFrom?: string; defaults: Record<string, unknown> }>();
  const nodes: ToscaNode[] = [];
  const policies: ToscaPolicy[] = [];
  let substitution: ToscaTemplateSet['substitution'];
  const mappedProperties = new Map<string, Record<string, unknown>>();
  const flavourProperties = new Map<string, Record<string, unknown>>();
  const seen = new Set<string>([file]);
  const queue: Array<{ file: string; doc: Record<string, unknown> }> = [{ file, doc }];
  while (queue.length > 0) {
    const cur = queue.shift() as { file: string; doc: Record<string, unknown> };
    asArray(cur.doc['imports']).forEach((imp, i) => {
      const name = typeof imp === 'string' ? imp : String(asRecord(imp)['file'] ?? '');
      if (isWellKnownImport(name)) return;
      const target = posix.normalize(posix.join(posix.dirname(cur.file), name));
      if (target.startsWith('../') || target === '..' || posix.isAbsolute(name)) {
        c.issues.push({ file: cur.file, path: `/imports/${i}`, message: `import "${name}" points outside the package` });
        return;
      }
      if (seen.has(target)) return;
      seen.add(target);
      const got = resolve?.(target);
      if (!got) return void c.issues.push({ file: cur.file, path: `/imports/${i}`, message: `imported file "${name}" is not in the package` });
      if (!got.ok) return void c.issues.push(...got.error);
      const issues = checkSchema(toscaTemplateSchema, got.value, target);
      if (issues.length > 0 || !isRecord(got.value)) return void c.issues.push(...issues);
      queue.push({ file: target, doc: got.value });
    });
    for (const [name, t] of Object.entries(asRecord(cur.doc['node_types']))) {
      if (nodeTypes.has(name)) continue;
      const tr = asRecord(t);
      const defaults: Record<string, unknown> = {};
      for (const [p, def] of Object.entries(asRecord(tr['properties']))) if (isRecord(def) && 'default' in def) defaults[p] = def['default'];
      nodeTypes.set(name, { ...(typeof tr['derived_from'] === 'string' ? { derivedFrom: tr['derived_from'] } : {}), defaults });
    }
    const topo = asRecord(cur.doc['topology_template']);
    for (const [name, n] of Object.entries(asRecord(topo['node_templates']))) {
      if (nodes.some((x) => x.name === name)) {
        // The same node in a deployment-flavour file (Tacker's split: the VNF node is in the
        // top-level file and again in each flavour file); its properties complete the first.
        const more = asRecord(asRecord(n)['properties']);
        flavourProperties.set(name, { ...more, ...(flavourProperties.get(name) ?? {}) });
        continue;
      }
      nodes.push(readNode(name, asRecord(n), cur.file));
    }
    policies.push(...readPolicies(topo['policies'], cur.file));
    const sm = asRecord(topo['substitution_mappings']);
    if (typeof sm['node_type'] === 'string' && isRecord(sm['properties'])) {
      mappedProperties.set(sm['node_type'], { ...sm['properties'], ...(mappedProperties.get(sm['node_type']) ?? {}) });
    }
    if (!substitution && sm['requirements'] !== undefined && sm['requirements'] !== null) {
      const reqs: Array<readonly [string, string]> = [];
      const pairs = Array.isArray(sm['requirements']) ? sm['requirements'].flatMap((r) => Object.entries(asRecord(r))) : Object.entries(asRecord(sm['requirements']));
      // An empty mapping (`virtual_link_external: []`) exposes nothing.
      for (const [ext, mapping] of pairs) if (asArray(mapping).length > 0) reqs.push([ext, String(asArray(mapping)[0] ?? '')]);
      substitution = { file: cur.file, ...(typeof sm['node_type'] === 'string' ? { nodeType: sm['node_type'] } : {}), requirements: reqs };
    }
  }
  return { entryFile: file, entry: doc, nodeTypes, nodes, policies, substitution, mappedProperties, flavourProperties };
};

const readNode = (name: string, n: Record<string, unknown>, file: string): ToscaNode => ({
  name,
  type: String(n['type']),
  file,
  path: `/topology_template/node_templates/${name}`,
  properties: asRecord(n['properties']),
  capabilities: asRecord(n['capabilities']),
  requirements: asArray(n['requirements']).flatMap((r, index) =>
    Object.entries(asRecord(r)).map(([rn, v]) => ({ name: rn, target: typeof v === 'string' ? v : typeof asRecord(v)['node'] === 'string' ? String(asRecord(v)['node']) : undefined, index })),
  ),
  artifacts: asRecord(n['artifacts']),
});

const readPolicies = (raw: unknown, file: string): ToscaPolicy[] => {
  const entries: Array<[string, unknown, string]> = Array.isArray(raw)
    ? raw.flatMap((p, i) => Object.entries(asRecord(p)).map(([k, v]) => [k, v, `/topology_template/policies/${i}/${k}`] as [string, unknown, string]))
    : Object.entries(asRecord(raw)).map(([k, v]) => [k, v, `/topology_template/policies/${k}`] as [string, unknown, string]);
  return entries.map(([name, v, path]) => {
    const p = asRecord(v);
    return { name, type: String(p['type']), file, path, properties: asRecord(p['properties']), targets: asArray(p['targets']).map(String) };
  });
};

/** The standard SOL001 node types Rondo maps (lower-cased; older TOSCA-NFV spellings too). */
export const STANDARD_NODE_TYPES = [
  'tosca.nodes.nfv.vnf',
  'tosca.nodes.nfv.vdu.compute',
  'tosca.nodes.nfv.vdu.virtualblockstorage',
  'tosca.nodes.nfv.vdu.virtualstorage',
  'tosca.nodes.nfv.vducp',
  'tosca.nodes.nfv.vnfextcp',
  'tosca.nodes.nfv.vnfvirtuallink',
  'tosca.nodes.nfv.ns',
  'tosca.nodes.nfv.nsvirtuallink',
  'tosca.nodes.nfv.sap',
] as const;

/**
 * Walks `derived_from` from `type` and returns the first standard type reached (lower-case),
 * `'builtin'` for other `tosca.*` types, or undefined when the chain ends in an unknown type.
 */
export const standardBase = (set: ToscaTemplateSet, type: string): string | undefined => {
  let cur: string | undefined = type;
  for (let hops = 0; cur !== undefined && hops < 32; hops++) {
    const lower = cur.toLowerCase();
    if ((STANDARD_NODE_TYPES as readonly string[]).includes(lower)) return lower;
    if (lower.startsWith('tosca.')) return 'builtin';
    cur = set.nodeTypes.get(cur)?.derivedFrom;
  }
  return undefined;
};

/** Node properties over the defaults of its type chain; `get_input` and other functions are left out. */
export const effectiveProperties = (set: ToscaTemplateSet, node: ToscaNode): Record<string, unknown> => {
  const chain: Record<string, unknown>[] = [];
  let cur: string | undefined = node.type;
  for (let hops = 0; cur !== undefined && hops < 32; hops++) {
    const t = set.nodeTypes.get(cur);
    if (!t) break;
    chain.unshift(t.defaults);
    cur = t.derivedFrom;
  }
  const out: Record<string, unknown> = {};
  for (const layer of [...chain, node.properties]) {
    for (const [k, v] of Object.entries(layer)) if (!isToscaFunction(v)) out[k] = v;
  }
  return out;
};

const isToscaFunction = (v: unknown): boolean => isRecord(v) && Object.keys(v).length === 1 && /^(get_|concat|join|token)/.test(Object.keys(v)[0] ?? '');
