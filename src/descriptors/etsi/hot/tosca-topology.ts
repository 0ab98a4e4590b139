import { posix } from 'node:path';
import { parseYamlSafe } from '../../safe-yaml.js';
import { hotInputInvalid, hotUnsupported } from './hot-unsupported.js';

/** Node kinds the translator knows, by the SOL001 base type they derive from. */
export const NODE_KIND_BY_TYPE = {
  'tosca.nodes.nfv.VNF': 'VNF',
  'tosca.nodes.nfv.Vdu.Compute': 'VDU',
  'tosca.nodes.nfv.Vdu.VirtualBlockStorage': 'STORAGE',
  'tosca.nodes.nfv.VduCp': 'CP',
  'tosca.nodes.nfv.VnfVirtualLink': 'VL',
  // Storage kinds Nova cannot attach: refused, or dropped with a warning (heat-translator
  // leaves them unattached).
  'tosca.nodes.nfv.Vdu.VirtualObjectStorage': 'UNMAPPED_STORAGE',
  'tosca.nodes.nfv.Vdu.VirtualFileStorage': 'UNMAPPED_STORAGE',
} as const;
export type NodeKind = (typeof NODE_KIND_BY_TYPE)[keyof typeof NODE_KIND_BY_TYPE];

/** Policy types the translator knows (after resolving `derived_from`). */
export const POLICY_TYPES = [
  'tosca.policies.nfv.ScalingAspects',
  'tosca.policies.nfv.VduScalingAspectDeltas',
  'tosca.policies.nfv.VduInitialDelta',
  'tosca.policies.nfv.InstantiationLevels',
  'tosca.policies.nfv.VduInstantiationLevels',
  'tosca.policies.nfv.VirtualLinkInstantiationLevels',
  'tosca.policies.nfv.AffinityRule',
  'tosca.policies.nfv.AntiAffinityRule',
  'tosca.policies.nfv.SupportedVnfInterface',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

type Dict = Record<string, unknown>;

/** One node template with its kind resolved. */
export interface ToscaNode {
  readonly name: string;
  readonly kind: NodeKind;
  readonly type: string;
  readonly properties: Dict;
  readonly requirements: readonly Dict[];
  readonly capabilities: Dict;
  readonly file: string;
}

/** One policy with its type resolved to a SOL001 base type. */
export interface ToscaPolicy {
  readonly name: string;
  readonly type: PolicyType;
  readonly properties: Dict;
  readonly targets: readonly string[];
  readonly file: string;
}

/** The topology the translator works on: nodes in document order and policies. */
export interface ToscaTopology {
  readonly file: string;
  readonly description?: string;
  readonly nodes: ReadonlyMap<string, ToscaNode>;
  readonly policies: readonly ToscaPolicy[];
}

/** Where the loader reads files from: a package's files, or the file system. */
export interface ToscaFileSource {
  /** The text of `file` (a normalised POSIX path), or undefined when there is none. */
  get(file: string): string | undefined;
}

interface LoadedDoc {
  readonly file: string;
  readonly doc: Dict;
}

// The ETSI type definition files are known natively; packages often omit them or import
// them by URL, so a missing one is not an error.
const STANDARD_TYPES_FILE = /^etsi_nfv_sol001_\w+_types\.yaml$/;

export const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the entry file and, depth first, every file it imports (paths relative to the
 * importing file), then picks the topology to translate: the entry's own
 * `topology_template` when it has more than the VNF node, else the imported one
 * (a deployment-flavour file with `substitution_mappings`), chosen by `flavour` when
 * there are several.
 *
 * @throws PackageInvalidError `HOT_INPUT_INVALID` for unreadable YAML or a missing import,
 *   `HOT_UNSUPPORTED` for a node or policy type it cannot translate.
 */
export function loadToscaTopology(files: ToscaFileSource, entry: string, flavour?: string): ToscaTopology {
  const docs: LoadedDoc[] = [];
  const seen = new Set<string>();
  const visit = (file: string, from?: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = files.get(file);
    if (text === undefined) {
      if (from !== undefined && STANDARD_TYPES_FILE.test(posix.basename(file))) return;
      throw hotInputInvalid(from ?? file, '/imports', `imported file ${file} is not in the package; add it or fix the path`);
    }
    const parsed = parseYamlSafe(text, file);
    if (!parsed.ok) throw hotInputInvalid(file, parsed.error[0]?.path ?? '', parsed.error.map((i) => i.message).join('; '));
    if (!isDict(parsed.value)) throw hotInputInvalid(file, '', 'a TOSCA service template must be a YAML mapping');
    docs.push({ file, doc: parsed.value });
    for (const target of importTargets(parsed.value.imports)) {
      if (/^[a-z]+:\/\//i.test(target)) continue;
      visit(posix.normalize(posix.join(posix.dirname(file), target)), file);
    }
  };
  visit(posix.normalize(entry));

  const derived = new Map<string, string>();
  for (const { doc } of docs) {
    for (const section of ['node_types', 'policy_types']) {
      const types = doc[section];
      if (!isDict(types)) continue;
      for (const [name, def] of Object.entries(types)) {
        if (isDict(def) && typeof def.derived_from === 'string') derived.set(name, def.derived_from);
      }
    }
  }
  const base = (type: string, known: readonly string[]): string | undefined => {
    let t: string | undefined = type;
    for (let hops = 0; t !== undefined && hops < 32; hops++) {
      if (known.includes(t)) return t;
      t = derived.get(t);
    }
    return undefined;
  };

  const chosen = chooseTopology(docs, flavour);
  const description = typeof chosen.doc.description === 'string' ? chosen.doc.description.trim() : undefined;
  const tt = chosen.doc.topology_template as Dict;
  const nodes = new Map<string, ToscaNode>();
  const nodeTemplates = isDict(tt.node_templates) ? tt.node_templates : {};
  for (const [name, raw] of Object.entries(nodeTemplates)) {
    if (!isDict(raw) || typeof raw.type !== 'string') throw hotInputInvalid(chosen.file, `/topology_template/node_templates/${name}`, 'node template needs a type');
    const b = base(raw.type, Object.keys(NODE_KIND_BY_TYPE));
    if (b === undefined) {
      const supported = Object.entries(NODE_KIND_BY_TYPE).filter(([, k]) => k !== 'UNMAPPED_STORAGE').map(([t]) => t);
      throw hotUnsupported(chosen.file, `node_templates/${name}`, 'type', `node type ${raw.type} has no Heat mapping (supported: ${supported.join(', ')})`);
    }
    nodes.set(name, {
      name,
      kind: NODE_KIND_BY_TYPE[b as keyof typeof NODE_KIND_BY_TYPE],
      type: raw.type,
      properties: isDict(raw.properties) ? raw.properties : {},
      requirements: Array.isArray(raw.requirements) ? raw.requirements.filter(isDict) : [],
      capabilities: isDict(raw.capabilities) ? raw.capabilities : {},
      file: chosen.file,
    });
  }
  const policies: ToscaPolicy[] = [];
  for (const [name, raw] of policyEntries(tt.policies)) {
    if (!isDict(raw) || typeof raw.type !== 'string') throw hotInputInvalid(chosen.file, `/topology_template/policies/${name}`, 'policy needs a type');
    const b = base(raw.type, POLICY_TYPES) as PolicyType | undefined;
    if (b === undefined) throw hotUnsupported(chosen.file, `policies/${name}`, 'type', `policy type ${raw.type} has no Heat mapping`);
    const targets = Array.isArray(raw.targets) ? raw.targets.filter((t): t is string => typeof t === 'string') : [];
    policies.push({ name, type: b, properties: isDict(raw.properties) ? raw.properties : {}, targets, file: chosen.file });
  }
  return { file: chosen.file, ...(description ? { description } : {}), nodes, policies };
}

function importTargets(imports: unknown): string[] {
  if (!Array.isArray(imports)) return [];
  const out: string[] = [];
  for (const imp of imports) {
    if (typeof imp === 'string') out.push(imp);
    else if (isDict(imp)) {
      // TOSCA 1.2+ `{file: x}`; TOSCA 1.0 `{name: x}` or `{name: {file: x}}`.
      if (typeof imp.file === 'string') out.push(imp.file);
      else for (const v of Object.values(imp)) {
        if (typeof v === 'string') out.push(v);
        else if (isDict(v) && typeof v.file === 'string') out.push(v.file);
      }
    }
  }
  return out;
}

function policyEntries(policies: unknown): Array<[string, unknown]> {
  if (isDict(policies)) return Object.entries(policies);
  if (!Array.isArray(policies)) return [];
  return policies.filter(isDict).flatMap((p) => Object.entries(p));
}

function chooseTopology(docs: readonly LoadedDoc[], flavour: string | undefined): LoadedDoc {
  const withTopology = docs.filter((d) => isDict(d.doc.topology_template));
  const entry = docs[0] as LoadedDoc;
  const hasResources = (d: LoadedDoc): boolean => {
    const nt = (d.doc.topology_template as Dict).node_templates;
    // A node whose type name ends in VNF is the VNF itself (SOL001 naming convention).
    return isDict(nt) && Object.values(nt).some((n) => isDict(n) && typeof n.type === 'string' && !n.type.endsWith('VNF'));
  };
  if (withTopology[0] === entry && hasResources(entry)) return entry;
  const flavours = withTopology.filter((d) => d !== entry && hasResources(d));
  // A VNFD with only the VNF node translates to a template without resources, as in
  // heat-translator.
  if (flavours.length === 0 && withTopology[0] === entry) return entry;
  if (flavours.length === 0) throw hotInputInvalid(entry.file, '/topology_template', 'no topology_template with VDUs, links or CPs found in the VNFD or its imports');
  if (flavours.length === 1) return flavours[0] as LoadedDoc;
  const byFlavour = flavours.filter((d) => flavourOf(d) === flavour);
  if (byFlavour.length === 1) return byFlavour[0] as LoadedDoc;
  throw hotInputInvalid(entry.file, '/imports', `the VNFD has ${flavours.length} deployment flavours (${flavours.map(flavourOf).join(', ')}); choose one with the flavour option`);
}

function flavourOf(d: LoadedDoc): string | undefined {
  const sm = (d.doc.topology_template as Dict).substitution_mappings;
  if (isDict(sm) && isDict(sm.properties) && typeof sm.properties.flavour_id === 'string') return sm.properties.flavour_id;
  const nt = (d.doc.topology_template as Dict).node_templates;
  if (isDict(nt)) {
    for (const n of Object.values(nt)) {
      if (isDict(n) && isDict(n.properties) && typeof n.properties.flavour_id === 'string') return n.properties.flavour_id;
    }
  }
  return undefined;
}
