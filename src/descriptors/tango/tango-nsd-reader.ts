import type { CpRef, DescriptorFormat, ForwardingGraph, ForwardingPath, LinkType, Nsd, NsdVnf, Result, Sap, SapType, ValidationIssue, VirtualLink } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText, checkUnique, collectIssues, isRecord } from '../issue-collector.js';
import type { IssueCollector } from '../issue-collector.js';
import { checkSchema } from '../schema-check.js';
import { tangoNsdSchema } from './tango-nsd-schema.js';

/** Parses a 5GTANGO/SONATA CP reference: `vnf_id:cp` or a bare SAP name. */
export const parseTangoCpRef = (text: string): CpRef => {
  const i = text.indexOf(':');
  return i < 0 ? { kind: 'sap', sap: text } : { kind: 'vnf', vnfId: text.slice(0, i), cp: text.slice(i + 1) };
};

/**
 * Reads a 5GTANGO (or SONATA) NSD document into the model. Checks the schema and
 * everything that can be checked inside the NSD alone: unique ids, CP references to
 * known members and SAPs, E-Line endpoints, forwarding-path hops. Checks that need the
 * VNFDs are in `validateNsdAgainstVnfds`.
 */
export const readTangoNsd = (doc: unknown, file: string, format: DescriptorFormat = 'tango'): Result<Nsd, ValidationIssue[]> => {
  const schemaIssues = checkSchema(tangoNsdSchema, doc, file);
  if (schemaIssues.length > 0 || !isRecord(doc)) return err(schemaIssues.length > 0 ? schemaIssues : [{ file, path: '', message: 'NSD must be a YAML mapping' }]);
  const c = collectIssues(file);
  const nfs = asArray(doc['network_functions']).map(asRecord);
  const cps = asArray(doc['connection_points']).map(asRecord);
  const vls = asArray(doc['virtual_links']).map(asRecord);
  const fgs = asArray(doc['forwarding_graphs']).map(asRecord);

  checkUnique(nfs.map((n) => n['vnf_id']), (i) => `/network_functions/${i}/vnf_id`, 'vnf_id', c);
  checkUnique(cps.map((n) => n['id']), (i) => `/connection_points/${i}/id`, 'connection point id', c);
  checkUnique(vls.map((n) => n['id']), (i) => `/virtual_links/${i}/id`, 'virtual link id', c);
  checkUnique(fgs.map((n) => n['fg_id']), (i) => `/forwarding_graphs/${i}/fg_id`, 'forwarding graph id', c);

  const vnfs: NsdVnf[] = nfs.map((n) => ({
    vnfId: String(n['vnf_id']),
    vnfd: { vendor: String(n['vnf_vendor']), name: String(n['vnf_name']), version: asText(n['vnf_version']) ?? '' },
  }));
  const saps: Sap[] = cps.map((p) => ({ id: String(p['id']), type: sapType(p['type']) }));
  const vnfIds = new Set(vnfs.map((v) => v.vnfId));
  const sapIds = new Map(saps.map((s) => [s.id, s]));

  const checkRef = (ref: CpRef, path: string): void => {
    if (ref.kind === 'vnf' && !vnfIds.has(ref.vnfId)) c.add(path, `"${ref.vnfId}" is not a vnf_id of network_functions`);
    if (ref.kind === 'vnf' && ref.cp === '') c.add(path, 'connection point name after ":" is empty');
    if (ref.kind === 'sap' && !sapIds.has(ref.sap)) c.add(path, `"${ref.sap}" is not a connection point (SAP) of the NSD; use "vnf_id:cp" for VNF connection points`);
  };

  const virtualLinks: VirtualLink[] = vls.map((l, li) => {
    const refs = asArray(l['connection_points_reference']).map(String);
    const cpRefs = refs.map((r, ri) => {
      const ref = parseTangoCpRef(r);
      checkRef(ref, `/virtual_links/${li}/connection_points_reference/${ri}`);
      return ref;
    });
    checkUnique(refs, (ri) => `/virtual_links/${li}/connection_points_reference/${ri}`, 'connection point reference', c);
    const type = l['connectivity_type'] as LinkType;
    if (type === 'E-Line' && refs.length !== 2) c.add(`/virtual_links/${li}/connection_points_reference`, `E-Line link has ${refs.length} endpoints; it must have exactly 2 (use E-LAN for more)`);
    const management = String(l['id']) === 'mgmt' || cpRefs.some((r) => r.kind === 'sap' && sapIds.get(r.sap)?.type === 'management');
    return { id: String(l['id']), type, cpRefs, management };
  });

  const forwardingGraphs = fgs.map((g, gi) => readGraph(g, gi, c, checkRef, vnfIds, new Set(virtualLinks.map((l) => l.id))));
  if (c.issues.length > 0) return err(c.issues);
  const ref = { vendor: String(doc['vendor']), name: String(doc['name']), version: asText(doc['version']) ?? '' };
  const description = asText(doc['description']);
  return ok({
    descriptorId: `${ref.vendor}.${ref.name}.${ref.version}`,
    ref,
    format,
    ...(description === undefined ? {} : { description: description.trim() }),
    vnfs,
    saps,
    virtualLinks,
    forwardingGraphs,
    source: doc,
  });
};

const sapType = (t: unknown): SapType => (t === 'management' || t === 'internal' ? t : 'external');

const readGraph = (
  g: Record<string, unknown>,
  gi: number,
  c: IssueCollector,
  checkRef: (ref: CpRef, path: string) => void,
  vnfIds: ReadonlySet<string>,
  linkIds: ReadonlySet<string>,
): ForwardingGraph => {
  const base = `/forwarding_graphs/${gi}`;
  asArray(g['constituent_vnfs']).forEach((v, i) => {
    if (!vnfIds.has(String(v))) c.add(`${base}/constituent_vnfs/${i}`, `"${String(v)}" is not a vnf_id of network_functions`);
  });
  asArray(g['constituent_virtual_links']).forEach((v, i) => {
    if (!linkIds.has(String(v))) c.add(`${base}/constituent_virtual_links/${i}`, `"${String(v)}" is not a virtual link id`);
  });
  const fps = asArray(g['network_forwarding_paths']).map(asRecord);
  checkUnique(fps.map((p) => p['fp_id']), (i) => `${base}/network_forwarding_paths/${i}/fp_id`, 'forwarding path id', c);
  const paths: ForwardingPath[] = fps.map((p, pi) => {
    const pbase = `${base}/network_forwarding_paths/${pi}/connection_points`;
    const hops = asArray(p['connection_points']).map(asRecord).map((h, hi) => ({ h, hi }));
    checkUnique(hops.map(({ h }) => String(h['position'])), (hi) => `${pbase}/${hi}/position`, 'hop position', c);
    hops.forEach(({ h, hi }) => checkRef(parseTangoCpRef(String(h['connection_point_ref'])), `${pbase}/${hi}/connection_point_ref`));
    // Hops are ordered by `position`, not by their place in the list.
    const ordered = [...hops].sort((a, b) => Number(a.h['position']) - Number(b.h['position']) || a.hi - b.hi);
    return { id: String(p['fp_id']), hops: ordered.map(({ h }) => parseTangoCpRef(String(h['connection_point_ref']))) };
  });
  return { id: String(g['fg_id']), paths };
};
