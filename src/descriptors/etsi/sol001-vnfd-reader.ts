import type { DeploymentFlavour, Result, ScalingAspect, ValidationIssue, Vdu, VduCp, Vnfd, VnfCp } from '../../model/index.js';
import { readArtifactManagers, SOL001_MANAGER_ARTIFACTS } from '../specific-managers.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText, collectIssues } from '../issue-collector.js';
import type { IssueCollector } from '../issue-collector.js';
import { bytesToGiB, bytesToMiB, parseScalarSize } from '../size-units.js';
import { effectiveProperties, loadToscaSet, standardBase } from './tosca-template-set.js';
import type { ImportResolver, ToscaNode, ToscaTemplateSet } from './tosca-template-set.js';

/**
 * Reads an ETSI SOL001 VNFD (TOSCA service template plus the files it imports from the
 * package) into the model: the VNF node's identity (its own properties over its type's
 * defaults), Vdu.Compute nodes with virtual CPU/memory/storage, VduCps bound to VDUs,
 * external CPs from `substitution_mappings.requirements`, and scaling aspects/deltas.
 */
export const readSol001Vnfd = (doc: unknown, file: string, resolve?: ImportResolver): Result<Vnfd, ValidationIssue[]> => {
  const c = collectIssues(file);
  const set = loadToscaSet(doc, file, resolve, c);
  if (!set) return err(c.issues);
  checkNodeTypes(set, c);
  const of = (base: string): ToscaNode[] => set.nodes.filter((n) => standardBase(set, n.type) === base);
  for (const n of [...of('tosca.nodes.nfv.vdu.compute'), ...of('tosca.nodes.nfv.vdu.virtualblockstorage')]) checkSwImageArtifacts(n, c);
  const vnfNode = of('tosca.nodes.nfv.vnf')[0];
  if (!vnfNode) {
    c.add('/topology_template/node_templates', 'no node of type tosca.nodes.nfv.VNF (or derived from it); a VNFD needs one');
    return err(c.issues);
  }
  const props = effectiveProperties(set, vnfNode);
  checkMandatoryVnfProperties(set, vnfNode, c);
  for (const field of ['descriptor_id', 'provider', 'product_name', 'descriptor_version']) {
    if (!hasProperty(set, vnfNode, field)) continue; // reported above
    if (asText(props[field]) === undefined) c.issues.push({ file: vnfNode.file, path: `${vnfNode.path}/properties/${field}`, message: `VNF property ${field} must be a literal text (Rondo identifies the VNFD by it), not a function or ${typeof props[field] === 'object' ? 'structure' : typeof props[field]}` });
  }
  const computes = [...of('tosca.nodes.nfv.vdu.compute')];
  const storages = new Map([...of('tosca.nodes.nfv.vdu.virtualblockstorage'), ...of('tosca.nodes.nfv.vdu.virtualstorage')].map((n) => [n.name, n]));
  const vls = new Set(of('tosca.nodes.nfv.vnfvirtuallink').map((n) => n.name));
  // No Vdu.Compute at all is a CNF whose workloads are Kubernetes manifests chosen at
  // instantiation (Tacker's test_cnf_ext_artifact); tosca-parser and Tacker accept it.

  const cps = of('tosca.nodes.nfv.vducp');
  const exposed = new Set((set.substitution?.requirements ?? []).map(([, cp]) => cp));
  const binding = new Map<string, string>();
  const vduCps = new Map<string, VduCp[]>();
  for (const cp of cps) {
    const vb = cp.requirements.find((r) => r.name === 'virtual_binding');
    if (!vb || !vb.target || !computes.some((v) => v.name === vb.target)) {
      c.issues.push({ file: cp.file, path: `${cp.path}/requirements${vb ? `/${vb.index}` : ''}`, message: `VduCp "${cp.name}" must have a virtual_binding to a Vdu.Compute node` });
      continue;
    }
    for (const vl of cp.requirements.filter((r) => r.name === 'virtual_link')) {
      if (!vl.target || !vls.has(vl.target)) c.issues.push({ file: cp.file, path: `${cp.path}/requirements/${vl.index}`, message: `virtual_link target "${vl.target ?? ''}" is not a VnfVirtualLink node` });
    }
    binding.set(cp.name, vb.target);
    vduCps.set(vb.target, [...(vduCps.get(vb.target) ?? []), { id: cp.name, type: exposed.has(cp.name) ? 'external' : 'internal' }]);
  }

  const initial = initialDeltas(set);
  const vdus: Vdu[] = computes.map((n) => readCompute(n, storages, vduCps.get(n.name) ?? [], initial.get(n.name), c));

  const connectionPoints: VnfCp[] = [];
  for (const [ext, cp] of set.substitution?.requirements ?? []) {
    const vdu = binding.get(cp);
    if (vdu) connectionPoints.push({ id: ext, type: 'external', vdu, vduCp: cp });
    else c.issues.push({ file: set.substitution?.file ?? file, path: `/topology_template/substitution_mappings/requirements/${ext}`, message: `external CP "${ext}" maps to "${cp}", which is not a VduCp bound to a VDU` });
  }
  const scalingAspects = readScaling(set);
  const flavour = readFlavour(set, vnfNode, computes, scalingAspects);
  const managers = readArtifactManagers(of('tosca.nodes.nfv.vnf'), SOL001_MANAGER_ARTIFACTS.fsm, c);
  if (c.issues.length > 0) return err(c.issues);
  const description = asText(asRecord(doc)['description']);
  return ok({
    descriptorId: String(props['descriptor_id']),
    ref: { vendor: String(props['provider']), name: String(props['product_name']), version: String(props['descriptor_version']) },
    format: 'etsi',
    ...(description === undefined ? {} : { description: description.trim() }),
    provider: String(props['provider']),
    vdus,
    connectionPoints,
    monitoringParameters: [],
    scalingAspects,
    startCommands: [],
    stopCommands: [],
    ...(flavour ? { deploymentFlavours: [flavour] } : {}),
    ...(managers ? { managers } : {}),
    source: doc,
  });
};

/**
 * Properties SOL001 v2.6.1 declares `required: true` on tosca.nodes.nfv.VNF
 * (etsi_nfv_sol001_vnfd_types.yaml; the same list in v3.3.1).
 */
export const SOL001_VNF_REQUIRED_PROPERTIES = ['descriptor_id', 'descriptor_version', 'provider', 'product_name', 'software_version', 'vnfm_info', 'flavour_id', 'flavour_description'] as const;

/**
 * True when `field` has a value for the node the way tosca-parser judges required
 * properties: set on the template (a `get_input` counts), defaulted by a node type of the
 * chain, or set by a flavour file's `substitution_mappings.properties` for the node's type
 * (Tacker's top-level + deployment-flavour split sets `flavour_id` that way). Rondo also
 * takes the same-named node of a flavour file (its `flavour_description`), which tosca-parser,
 * judging each file alone, would not.
 */
const hasProperty = (set: ToscaTemplateSet, node: ToscaNode, field: string): boolean => {
  const own = node.properties[field];
  if (own !== undefined && own !== null) return true;
  const inFlavour = set.flavourProperties.get(node.name)?.[field];
  if (inFlavour !== undefined && inFlavour !== null) return true;
  for (let cur: string | undefined = node.type, hops = 0; cur !== undefined && hops < 32; hops++) {
    if (set.mappedProperties.get(cur)?.[field] !== undefined) return true;
    const t = set.nodeTypes.get(cur);
    if (t && field in t.defaults && t.defaults[field] !== null) return true;
    cur = t?.derivedFrom;
  }
  return false;
};

/**
 * A VNF property's literal text where SOL001 lets a package set it: on the node itself,
 * in a flavour file's `substitution_mappings.properties` for the node's type chain (Tacker
 * writes `flavour_id: { get_input: selected_flavour }` on the node and the literal there),
 * on the flavour file's same-named node, or as its type's default. Undefined when none is text.
 */
export const propertyText = (set: ToscaTemplateSet, node: ToscaNode, field: string): string | undefined => {
  const own = node.properties[field];
  if (typeof own === 'string' || typeof own === 'number') return String(own);
  const types: string[] = [];
  for (let cur: string | undefined = node.type, hops = 0; cur !== undefined && hops < 32; hops++) {
    types.push(cur);
    cur = set.nodeTypes.get(cur)?.derivedFrom;
  }
  const candidates = [...types.map((t) => set.mappedProperties.get(t)?.[field]), set.flavourProperties.get(node.name)?.[field], ...types.map((t) => set.nodeTypes.get(t)?.defaults[field])];
  const found = candidates.find((v) => typeof v === 'string' || typeof v === 'number');
  return found === undefined ? undefined : String(found);
};

/**
 * The deployment flavour this VNFD describes: SOL001 puts one flavour in a topology template
 * (Tacker's split gives one template per flavour file), named by the VNF's `flavour_id`;
 * its VDU profiles come from each Vdu.Compute's `vdu_profile`. Instantiation levels are not
 * read yet. Undefined when `flavour_id` is not literal text (reported elsewhere when missing).
 */
const readFlavour = (set: ToscaTemplateSet, vnf: ToscaNode, computes: readonly ToscaNode[], aspects: readonly ScalingAspect[]): DeploymentFlavour | undefined => {
  const id = propertyText(set, vnf, 'flavour_id');
  if (id === undefined) return undefined;
  const description = propertyText(set, vnf, 'flavour_description');
  const vduProfiles = computes.flatMap((n) => {
    const profile = asRecord(n.properties['vdu_profile']);
    const min = profile['min_number_of_instances'];
    const max = profile['max_number_of_instances'];
    return typeof min === 'number' ? [{ vdu: n.name, minInstances: min, ...(typeof max === 'number' ? { maxInstances: max } : {}) }] : [];
  });
  return { id, ...(description === undefined ? {} : { description }), vduProfiles, instantiationLevels: [], scalingAspects: aspects.map((a) => a.id) };
};

/** Every SOL001-mandatory VNF property is present (tosca-parser's MissingRequiredFieldError, which Tacker reports). */
const checkMandatoryVnfProperties = (set: ToscaTemplateSet, vnf: ToscaNode, c: IssueCollector): void => {
  for (const field of SOL001_VNF_REQUIRED_PROPERTIES) {
    if (hasProperty(set, vnf, field)) continue;
    c.issues.push({ file: vnf.file, path: `${vnf.path}/properties/${field}`, message: `required VNF property ${field} is missing: SOL001 tosca.nodes.nfv.VNF requires it; set it on node "${vnf.name}", default it in its node type, or map it in substitution_mappings.properties` });
  }
};

/**
 * Tacker's csar_utils rules for image artifacts: at most one tosca.artifacts.nfv.SwImage
 * artifact per node (a short-notation artifact, `name: path`, counts as one), and a node
 * with one must also describe it in `sw_image_data`.
 */
const checkSwImageArtifacts = (n: ToscaNode, c: IssueCollector): void => {
  const images = Object.entries(n.artifacts).filter(([, a]) => typeof a === 'string' || asRecord(a)['type'] === 'tosca.artifacts.nfv.SwImage');
  if (images.length > 1) c.issues.push({ file: n.file, path: `${n.path}/artifacts`, message: `node "${n.name}" has ${images.length} software image artifacts (${images.map(([k]) => k).join(', ')}); at most one tosca.artifacts.nfv.SwImage is allowed` });
  else if (images.length === 1 && n.properties['sw_image_data'] === undefined) {
    c.issues.push({ file: n.file, path: `${n.path}/properties/sw_image_data`, message: `node "${n.name}" has the software image artifact "${images[0]?.[0] ?? ''}" but no sw_image_data property describing it` });
  }
};

/** Every node type must be standard or derive (in the package's own type files) from a standard one. */
export const checkNodeTypes = (set: ToscaTemplateSet, c: IssueCollector): void => {
  for (const n of set.nodes) {
    if (standardBase(set, n.type) === undefined) c.issues.push({ file: n.file, path: `${n.path}/type`, message: `node type "${n.type}" is neither a standard SOL001 type nor defined (derived_from one) in the package's type files` });
  }
};

const readCompute = (n: ToscaNode, storages: ReadonlyMap<string, ToscaNode>, cps: VduCp[], initialDelta: number | undefined, c: IssueCollector): Vdu => {
  const at = (p: string): string => `${n.path}${p}`;
  const vc = asRecord(asRecord(n.capabilities['virtual_compute'])['properties']);
  const cpu = asRecord(vc['virtual_cpu']);
  const vcpus = cpu['num_virtual_cpu'];
  // A Vdu.Compute with neither virtual_compute nor an image is a container whose workload is
  // described outside the VNFD (Tacker CNF: Kubernetes manifests in Files/, chosen at
  // instantiation); tosca-parser and Tacker accept it, with no resources to read here.
  const external = n.capabilities['virtual_compute'] === undefined && n.properties['sw_image_data'] === undefined && Object.keys(n.artifacts).length === 0 && !n.requirements.some((r) => r.name === 'virtual_storage');
  if (external) return { id: n.name, image: '', imageFormat: 'kubernetes', vcpus: 0, memoryMiB: 0, connectionPoints: cps };
  if (typeof vcpus !== 'number' || !Number.isInteger(vcpus) || vcpus < 1) c.issues.push({ file: n.file, path: at('/capabilities/virtual_compute/properties/virtual_cpu/num_virtual_cpu'), message: 'num_virtual_cpu must be a positive integer' });
  const memBytes = parseScalarSize(asRecord(vc['virtual_memory'])['virtual_mem_size']);
  if (memBytes === undefined) c.issues.push({ file: n.file, path: at('/capabilities/virtual_compute/properties/virtual_memory/virtual_mem_size'), message: 'virtual_mem_size must be a positive size with a known unit, e.g. "512 MB"' });
  const storageNodes = n.requirements.filter((r) => r.name === 'virtual_storage').map((r) => (r.target ? storages.get(r.target) : undefined));
  const local = asRecord(asArray(vc['virtual_local_storage'])[0])['size_of_storage'];
  const block = storageNodes.map((s) => asRecord(s?.properties['virtual_block_storage_data'])['size_of_storage']).find((x) => x !== undefined);
  const storageText = local ?? block;
  const storageBytes = storageText === undefined ? undefined : parseScalarSize(storageText);
  if (storageText !== undefined && storageBytes === undefined) c.issues.push({ file: n.file, path: at('/capabilities/virtual_compute/properties/virtual_local_storage'), message: 'size_of_storage must be a positive size with a known unit' });
  const image = asRecord(n.properties['sw_image_data'] ?? storageNodes.map((s) => s?.properties['sw_image_data']).find((x) => x !== undefined));
  const artifact = n.artifacts['sw_image'];
  const imageName = asText(image['name']) ?? (typeof artifact === 'string' ? artifact : asText(asRecord(artifact)['file']));
  if (imageName === undefined) c.issues.push({ file: n.file, path: at('/properties/sw_image_data'), message: 'VDU has no software image (sw_image_data on the VDU or its VirtualBlockStorage)' });
  const container = asText(image['container_format']);
  const profile = asRecord(n.properties['vdu_profile']);
  const min = typeof profile['min_number_of_instances'] === 'number' ? profile['min_number_of_instances'] : undefined;
  const initialInstances = initialDelta ?? min;
  const max = typeof profile['max_number_of_instances'] === 'number' ? profile['max_number_of_instances'] : undefined;
  return {
    id: n.name,
    image: imageName ?? '',
    imageFormat: container === 'docker' ? 'docker' : (asText(image['disk_format']) ?? container ?? 'raw'),
    vcpus: typeof vcpus === 'number' ? vcpus : 0,
    memoryMiB: bytesToMiB(memBytes ?? 0),
    ...(storageBytes === undefined ? {} : { storageGiB: bytesToGiB(storageBytes) }),
    connectionPoints: cps,
    ...(initialInstances !== undefined && initialInstances > 0 ? { initialInstances } : {}),
    // A SCALE never takes the VDU past it, whatever the aspect's max_scale_level says.
    ...(max !== undefined ? { maxInstances: max } : {}),
  };
};

const policiesOf = (set: ToscaTemplateSet, type: string) => set.policies.filter((p) => p.type.toLowerCase() === type.toLowerCase());

const initialDeltas = (set: ToscaTemplateSet): Map<string, number> => {
  const out = new Map<string, number>();
  for (const p of policiesOf(set, 'tosca.policies.nfv.VduInitialDelta')) {
    const n = asRecord(p.properties['initial_delta'])['number_of_instances'];
    if (typeof n === 'number') for (const t of p.targets) out.set(t, n);
  }
  return out;
};

const readScaling = (set: ToscaTemplateSet): ScalingAspect[] =>
  policiesOf(set, 'tosca.policies.nfv.ScalingAspects').flatMap((p) =>
    Object.entries(asRecord(p.properties['aspects'])).map(([id, a]) => {
      const aspect = asRecord(a);
      const firstStep = asText(asArray(aspect['step_deltas'])[0]);
      const deltas: Record<string, number> = {};
      for (const d of policiesOf(set, 'tosca.policies.nfv.VduScalingAspectDeltas')) {
        if (d.properties['aspect'] !== id) continue;
        const n = asRecord(asRecord(d.properties['deltas'])[firstStep ?? ''])['number_of_instances'];
        if (typeof n === 'number') for (const t of d.targets) deltas[t] = n;
      }
      const name = asText(aspect['name']);
      return { id, ...(name === undefined ? {} : { name }), maxScaleLevel: Number(aspect['max_scale_level'] ?? 0), deltas };
    }),
  );
