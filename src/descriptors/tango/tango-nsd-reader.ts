import type { CpRef, DescriptorFormat, ForwardingGraph, ForwardingPath, LinkType, Nsd, NsdVnf, Result, Sap, SapType, ValidationIssue, VirtualLink } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText, checkUnique, collectIssues, isRecord } from '../issue-collector.js';
import type { IssueCollector } from '../issue-collector.js';
import { readSpecificManagers } from '../specific-managers.js';
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
export const readTangoNsd = (doc: unknown, file: string, format: DescriptorFormat = 'tango', warnings?: ValidationIssue[]): Result<Nsd, ValidationIssue[]> => {
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

  // 5GTANGO names no instance counts: no minInstances, so every member is one the NS always runs (REMOVE_VNF refuses it).
  const vnfs: NsdVnf[] = nfs.map((n) => ({
    vnfId: String(n['vnf_id']),
    vnfd: { vendor: String(n['vnf_vendor']), name: String(n['vnf_name']), version: asText(n['vnf_version']) ?? '' },
  }));
  const saps: Sap[] = cps.map((p) => ({ id: String(p['id']), type: sapType(p['type']) }));
  const vnfIds = new Set(vnfs.map((v) => v.vnfId));
  const nestedNs = new Set(asArray(doc['network_services']).map((n) => String(asRecord(n)['ns_id'])));
  const sapIds = new Map(saps.map((s) => [s.id, s]));
  const warn = (path: string, message: string): void => void warnings?.push({ file, path, message });

  // SONATA names the NSD's own CPs with an `ns:` prefix (`ns:mgmt`), as id and in references.
  // An `ns:` reference to a CP the NSD does not declare (son-cli's fw-vtc service uses
  // `ns:servicein`) is still the service's own endpoint to SONATA: it becomes an external SAP.
  const toRef = (raw: string): CpRef => {
    const text = raw.trim();
    if (sapIds.has(text)) return { kind: 'sap', sap: text };
    if (text.startsWith('ns:') && sapIds.has(text.slice(3))) return { kind: 'sap', sap: text.slice(3) };
    if (text.startsWith('ns:') && text.length > 3 && !vnfIds.has('ns')) {
      const sap: Sap = { id: text, type: 'external' };
      saps.push(sap);
      sapIds.set(text, sap);
      warn('/connection_points', `"${text}" is referenced but not declared in connection_points; it is taken as an external SAP of the service`);
      return { kind: 'sap', sap: text };
    }
    return parseTangoCpRef(text);
  };
  /** False when the reference is to be dropped (reported as a warning). */
  const checkRef = (ref: CpRef, path: string, lenient: boolean): boolean => {
    if (ref.kind === 'vnf' && !vnfIds.has(ref.vnfId)) {
      if (nestedNs.has(ref.vnfId)) {
        warn(path, `"${ref.vnfId}" is a nested network service (network_services); Rondo does not deploy nested services and ignores the reference`);
        return false;
      }
      // An E-LAN member that names no member (tng-schema's default-nsd example) can be left
      // out without changing the rest of the LAN; a point-to-point end or a path hop cannot.
      if (lenient) {
        warn(path, `"${ref.vnfId}" is not a vnf_id of network_functions; the reference is ignored`);
        return false;
      }
      c.add(path, `"${ref.vnfId}" is not a vnf_id of network_functions`);
    }
    if (ref.kind === 'vnf' && ref.cp === '') c.add(path, 'connection point name after ":" is empty');
    if (ref.kind === 'sap' && !sapIds.has(ref.sap)) c.add(path, `"${ref.sap}" is not a connection point (SAP) of the NSD; use "vnf_id:cp" for VNF connection points`);
    return true;
  };

  const virtualLinks: VirtualLink[] = vls.map((l, li) => {
    const refs = asArray(l['connection_points_reference']).map(String);
    const type = l['connectivity_type'] as LinkType;
    const cpRefs = refs.flatMap((r, ri) => {
      const ref = toRef(r);
      return checkRef(ref, `/virtual_links/${li}/connection_points_reference/${ri}`, type === 'E-LAN') ? [ref] : [];
    });
    checkUnique(refs, (ri) => `/virtual_links/${li}/connection_points_reference/${ri}`, 'connection point reference', c);
    if (type === 'E-Line' && refs.length !== 2) c.add(`/virtual_links/${li}/connection_points_reference`, `E-Line link has ${refs.length} endpoints; it must have exactly 2 (use E-LAN for more)`);
    const management = String(l['id']) === 'mgmt' || cpRefs.some((r) => r.kind === 'sap' && sapIds.get(r.sap)?.type === 'management');
    const bandwidthMbps = linkBandwidth(l['qos']);
    return { id: String(l['id']), type, cpRefs, management, ...(bandwidthMbps === undefined ? {} : { bandwidthMbps }) };
  });
  checkUnsteeredLoops(virtualLinks, fgs.length > 0, c);

  const forwardingGraphs = fgs.map((g, gi) => readGraph(g, gi, c, (ref, path) => checkRef(ref, path, false), toRef));
  const managers = readSpecificManagers(doc['service_specific_managers'], '/service_specific_managers', c);
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
    ...(managers ? { managers } : {}),
    source: doc,
  });
};

/** Mbit/s per 5GTANGO bandwidth unit (son-schema's `qos.bandwidth_unit`; default Mbps). */
const BANDWIDTH_UNITS: Readonly<Record<string, number>> = { bps: 1e-6, kbps: 1e-3, Kbps: 1e-3, mbps: 1, Mbps: 1, gbps: 1000, Gbps: 1000 };

/** A virtual link's `qos.bandwidth` in Mbit/s; undefined when absent, not positive or in an unknown unit. */
const linkBandwidth = (qos: unknown): number | undefined => {
  if (qos === null || typeof qos !== 'object') return undefined;
  const q = qos as Record<string, unknown>;
  const value = typeof q['bandwidth'] === 'number' ? q['bandwidth'] : Number.NaN;
  const factor = BANDWIDTH_UNITS[typeof q['bandwidth_unit'] === 'string' ? q['bandwidth_unit'] : 'Mbps'];
  return value > 0 && factor !== undefined ? value * factor : undefined;
};

const sapType = (t: unknown): SapType => (t === 'management' || t === 'internal' ? t : 'external');

/**
 * Without forwarding graphs, traffic follows the E-Line links from their first to their
 * second end; E-Lines that lead from a VNF back to itself (`iperf → firewall` and
 * `firewall → iperf` on other CPs) make a loop nothing steers, which son-validate's topology
 * check refuses (son-cli's invalid_topology sample). The same CP pair written in both
 * directions (SONATA's `link` + `link-rev`) is one bidirectional link, not a loop, and
 * parallel links between two VNFs (control and user planes) are not loops either.
 * With forwarding graphs, their paths say how traffic flows.
 */
const checkUnsteeredLoops = (links: readonly VirtualLink[], hasGraphs: boolean, c: IssueCollector): void => {
  if (hasGraphs) return;
  const pairs = new Set<string>();
  const edges = new Map<string, Array<{ to: string; link: number }>>();
  links.forEach((l, li) => {
    if (l.type !== 'E-Line' || l.cpRefs.length !== 2) return;
    const [a, b] = l.cpRefs;
    if (a?.kind !== 'vnf' || b?.kind !== 'vnf' || a.vnfId === b.vnfId) return;
    const pair = [formatRef(a), formatRef(b)].sort().join(' ');
    if (pairs.has(pair)) return;
    pairs.add(pair);
    edges.set(a.vnfId, [...(edges.get(a.vnfId) ?? []), { to: b.vnfId, link: li }]);
  });
  // Iterative DFS for a back edge; reports the link that closes the first loop found.
  const state = new Map<string, 'open' | 'done'>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; next: number };
      const out = edges.get(top.node) ?? [];
      const e = out[top.next];
      if (!e) {
        state.set(top.node, 'done');
        stack.pop();
        continue;
      }
      top.next += 1;
      const st = state.get(e.to);
      if (st === 'open') {
        const l = links[e.link];
        return c.add(`/virtual_links/${e.link}`, `E-Line "${l?.id ?? ''}" leads from "${top.node}" back to "${e.to}": the links form a loop and no forwarding graph steers the traffic; remove the link or add forwarding_graphs`);
      }
      if (st === undefined) {
        state.set(e.to, 'open');
        stack.push({ node: e.to, next: 0 });
      }
    }
  }
};

const formatRef = (r: CpRef): string => (r.kind === 'vnf' ? `${r.vnfId}:${r.cp}` : r.sap);

const readGraph = (
  g: Record<string, unknown>,
  gi: number,
  c: IssueCollector,
  checkRef: (ref: CpRef, path: string) => boolean,
  toRef: (text: string) => CpRef,
): ForwardingGraph => {
  const base = `/forwarding_graphs/${gi}`;
  // constituent_vnfs / constituent_virtual_links are informative in SONATA/5GTANGO: son-cli's
  // vCDN and profiling services list VNF names or links of other graphs there, and the tools
  // accept them; the network forwarding paths are what is checked and deployed.
  const fps = asArray(g['network_forwarding_paths']).map(asRecord);
  checkUnique(fps.map((p) => p['fp_id']), (i) => `${base}/network_forwarding_paths/${i}/fp_id`, 'forwarding path id', c);
  const paths: ForwardingPath[] = fps.map((p, pi) => {
    const pbase = `${base}/network_forwarding_paths/${pi}/connection_points`;
    const hops = asArray(p['connection_points']).map(asRecord).map((h, hi) => ({ h, hi }));
    checkUnique(hops.map(({ h }) => String(h['position'])), (hi) => `${pbase}/${hi}/position`, 'hop position', c);
    const kept = hops.filter(({ h, hi }) => checkRef(toRef(String(h['connection_point_ref'])), `${pbase}/${hi}/connection_point_ref`));
    // Hops are ordered by `position`, not by their place in the list.
    const ordered = [...kept].sort((a, b) => Number(a.h['position']) - Number(b.h['position']) || a.hi - b.hi);
    return { id: String(p['fp_id']), hops: ordered.map(({ h }) => toRef(String(h['connection_point_ref']))) };
  });
  return { id: String(g['fg_id']), paths };
};
