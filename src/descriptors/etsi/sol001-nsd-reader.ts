import type { CpRef, LinkType, Nsd, NsdVnf, Result, Sap, ValidationIssue } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asRecord, asText, collectIssues } from '../issue-collector.js';
import { checkNodeTypes } from './sol001-vnfd-reader.js';
import { effectiveProperties, loadToscaSet, standardBase } from './tosca-template-set.js';
import { readSol001NsScaling } from './sol001-ns-scaling.js';
import { readArtifactManagers, SOL001_MANAGER_ARTIFACTS } from '../specific-managers.js';
import type { ImportResolver } from './tosca-template-set.js';

/** SOL001 `flow_pattern` of an NsVirtualLink's connectivity_type → link type. */
const FLOW_PATTERNS: Readonly<Record<string, LinkType>> = { line: 'E-Line', tree: 'E-Tree', mesh: 'E-LAN' };

/**
 * Reads an ETSI SOL001 NSD into the model: the NS node's identity, VNF member nodes
 * (referencing VNFDs by `descriptor_id`), NsVirtualLinks and Saps. A VNF node's
 * requirement `name: link` becomes the CP reference `member:name` (the VNFD exposes
 * that name through its substitution mappings). NS scaling aspects and instantiation levels
 * come from the NSD's policies (sol001-ns-scaling.ts). Forwarding graphs are not read yet.
 */
export const readSol001Nsd = (doc: unknown, file: string, resolve?: ImportResolver): Result<Nsd, ValidationIssue[]> => {
  const c = collectIssues(file);
  const set = loadToscaSet(doc, file, resolve, c);
  if (!set) return err(c.issues);
  checkNodeTypes(set, c);
  const base = (t: string) => standardBase(set, t);
  const nsNode = set.nodes.find((n) => base(n.type) === 'tosca.nodes.nfv.ns');
  if (!nsNode) {
    c.add('/topology_template/node_templates', 'no node of type tosca.nodes.nfv.NS (or derived from it); an NSD needs one');
    return err(c.issues);
  }
  const nsProps = effectiveProperties(set, nsNode);
  for (const field of ['descriptor_id', 'designer', 'version', 'name']) {
    if (asText(nsProps[field]) === undefined) c.issues.push({ file: nsNode.file, path: `${nsNode.path}/properties/${field}`, message: `required NS property ${field} is missing` });
  }
  const linkNodes = set.nodes.filter((n) => base(n.type) === 'tosca.nodes.nfv.nsvirtuallink');
  const linkRefs = new Map<string, CpRef[]>(linkNodes.map((l) => [l.name, []]));
  const vnfs: NsdVnf[] = [];
  const saps: Sap[] = [];
  for (const n of set.nodes) {
    const kind = base(n.type);
    if (kind !== 'tosca.nodes.nfv.vnf' && kind !== 'tosca.nodes.nfv.sap') continue;
    if (kind === 'tosca.nodes.nfv.vnf') {
      const props = effectiveProperties(set, n);
      const id = asText(props['descriptor_id']);
      if (id === undefined) c.issues.push({ file: n.file, path: `${n.path}/properties/descriptor_id`, message: `VNF node "${n.name}" has no descriptor_id (set it, or default it in its node type)` });
      vnfs.push({ vnfId: n.name, vnfd: { descriptorId: id ?? '' }, ...profileCounts(asRecord(props['vnf_profile']), 'min_number_of_instances', 'max_number_of_instances') });
    } else {
      saps.push({ id: n.name, type: /mgmt|management/i.test(n.name) ? 'management' : 'external' });
    }
    for (const r of n.requirements) {
      if (r.name === 'virtual_binding' || r.name === 'dependency') continue;
      const refs = r.target === undefined ? undefined : linkRefs.get(r.target);
      if (!refs) {
        c.issues.push({ file: n.file, path: `${n.path}/requirements/${r.index}`, message: `requirement ${r.name} targets "${r.target ?? ''}", which is not an NsVirtualLink node` });
        continue;
      }
      refs.push(kind === 'tosca.nodes.nfv.vnf' ? { kind: 'vnf', vnfId: n.name, cp: r.name } : { kind: 'sap', sap: n.name });
    }
  }
  const virtualLinks = linkNodes.map((l) => {
    const pattern = asText(asRecord(l.properties['connectivity_type'])['flow_pattern'])?.toLowerCase() ?? 'mesh';
    const type = FLOW_PATTERNS[pattern] ?? 'E-LAN';
    const cpRefs = linkRefs.get(l.name) ?? [];
    if (type === 'E-Line' && cpRefs.length !== 2) c.issues.push({ file: l.file, path: `${l.path}/properties/connectivity_type/flow_pattern`, message: `Line link "${l.name}" has ${cpRefs.length} endpoints; it must have exactly 2` });
    return { id: l.name, type, cpRefs, management: /mgmt|management/i.test(l.name) };
  });
  const scaling = readSol001NsScaling(set, new Set(vnfs.map((v) => v.vnfId)), c);
  const managers = readArtifactManagers([nsNode], SOL001_MANAGER_ARTIFACTS.ssm, c);
  if (c.issues.length > 0) return err(c.issues);
  const description = asText(asRecord(doc)['description']);
  // SOL001 §6.8: one NS deployment flavour per topology template, named by the NS node's flavour_id.
  const flavourId = asText(nsProps['flavour_id']);
  return ok({
    descriptorId: String(nsProps['descriptor_id']),
    ref: { vendor: String(nsProps['designer']), name: String(nsProps['name']), version: String(nsProps['version']) },
    format: 'etsi',
    ...(description === undefined ? {} : { description: description.trim() }),
    vnfs,
    saps,
    virtualLinks,
    forwardingGraphs: [],
    ...(flavourId === undefined ? {} : { deploymentFlavours: [{ id: flavourId, vnfIds: vnfs.map((v) => v.vnfId) }] }),
    ...scaling,
    ...(managers ? { managers } : {}),
    source: doc,
  });
};

/**
 * Tells a SOL001 NSD from a VNFD: an NSD has a node derived from tosca.nodes.nfv.NS.
 * Undefined when the template cannot be loaded (the reader will report why).
 */
export const detectSol001Kind = (doc: unknown, file: string, resolve?: ImportResolver): 'nsd' | 'vnfd' | undefined => {
  const set = loadToscaSet(doc, file, resolve, collectIssues(file));
  if (!set) return undefined;
  return set.nodes.some((n) => standardBase(set, n.type) === 'tosca.nodes.nfv.ns') ? 'nsd' : 'vnfd';
};

/** SOL001 `VnfProfile` instance counts of a VNF node (absent ones stay absent: see NsdVnf). */
function profileCounts(profile: Record<string, unknown>, minKey: string, maxKey: string): { minInstances?: number; maxInstances?: number } {
  const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const min = count(profile[minKey]);
  const max = count(profile[maxKey]);
  return { ...(min === undefined ? {} : { minInstances: min }), ...(max === undefined ? {} : { maxInstances: max }) };
}
