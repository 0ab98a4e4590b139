import type { Result, ValidationIssue } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { parseYamlSafe } from '../safe-yaml.js';

/** What a PNFD tells about itself (SOL001 `tosca.nodes.nfv.PNF` properties). */
export interface PnfdSummary {
  readonly pnfdId: string;
  readonly name: string;
  readonly provider: string;
  readonly version: string;
  readonly invariantId: string;
  readonly functionDescription: string;
}

/** SOL001 v2.6.1 §6.8.1 `tosca.nodes.nfv.PNF`: the properties with `required: true`. */
const MANDATORY = ['descriptor_id', 'function_description', 'provider', 'version', 'descriptor_invariant_id', 'name'] as const;
const PNF = 'tosca.nodes.nfv.PNF';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a SOL001 PNFD (one TOSCA YAML file, as PyYAML's safe loader reads it): it must
 * declare `tosca_definitions_version` and have one node template whose type is
 * `tosca.nodes.nfv.PNF` or a node type of the file derived from it, with SOL001's
 * mandatory PNF properties, each a non-empty string. Every issue names `file` and the
 * field's path.
 */
export function readSol001Pnfd(text: string, file: string): Result<PnfdSummary, ValidationIssue[]> {
  const parsed = parseYamlSafe(text, file);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const issue = (path: string, message: string): Result<never, ValidationIssue[]> => err([{ file, path, message }]);
  if (!isObject(doc)) return issue('', 'a PNFD must be a TOSCA service template (a YAML mapping)');
  if (typeof doc.tosca_definitions_version !== 'string') return issue('/tosca_definitions_version', 'is required (e.g. tosca_simple_yaml_1_2)');
  const types = isObject(doc.node_types) ? doc.node_types : {};
  /** Whether `type` is PNF or derives from it through the file's own node types (cycles stop). */
  const isPnf = (type: unknown, seen = new Set<string>()): boolean => {
    if (typeof type !== 'string' || seen.has(type)) return false;
    if (type === PNF) return true;
    seen.add(type);
    const t = types[type];
    return isObject(t) && isPnf(t.derived_from, seen);
  };
  const templates = isObject(doc.topology_template) && isObject(doc.topology_template.node_templates) ? doc.topology_template.node_templates : {};
  const pnfs = Object.entries(templates).filter(([, n]) => isObject(n) && isPnf(n.type));
  if (pnfs.length !== 1) {
    return issue('/topology_template/node_templates', pnfs.length === 0 ? `has no node of type ${PNF} (or a type derived from it); a PNFD describes one PNF` : `has ${pnfs.length} ${PNF} nodes (${pnfs.map(([k]) => k).join(', ')}); a PNFD describes one PNF`);
  }
  const [name, node] = pnfs[0] as [string, Record<string, unknown>];
  const props = isObject(node.properties) ? node.properties : {};
  const base = `/topology_template/node_templates/${name}/properties`;
  const issues: ValidationIssue[] = MANDATORY.filter((p) => typeof props[p] !== 'string' || (props[p] as string).length === 0).map((p) => ({
    file,
    path: `${base}/${p}`,
    message: props[p] === undefined ? `is required by SOL001 for ${PNF}` : `must be a non-empty string (quote a value like ${JSON.stringify(String(props[p]))})`,
  }));
  if (issues.length > 0) return err(issues);
  const s = (k: (typeof MANDATORY)[number]) => props[k] as string;
  return ok({ pnfdId: s('descriptor_id'), name: s('name'), provider: s('provider'), version: s('version'), invariantId: s('descriptor_invariant_id'), functionDescription: s('function_description') });
}
