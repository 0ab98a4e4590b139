import type { CpRef, Nsd, NsdVnf, ValidationIssue, Vnfd } from '../model/index.js';
import { asArray, asRecord, isRecord } from './issue-collector.js';
import { sol006NsdLocator } from './osm/sol006-nsd-reader.js';

/** Options of {@link validateNsdAgainstVnfds}. */
export interface NsdVnfdCheckOptions {
  /** True when a VNFD that is not in `vnfds` is known elsewhere (the catalog); its CPs are then not checked. */
  readonly isKnownExternally?: (ref: NsdVnf['vnfd']) => boolean;
}

/** True when `vnfd` is the one `ref` names (by ETSI descriptor id or by vendor/name/version). */
export const vnfdMatches = (vnfd: Vnfd, ref: NsdVnf['vnfd']): boolean =>
  'descriptorId' in ref
    ? vnfd.descriptorId === ref.descriptorId
    : vnfd.ref.vendor === ref.vendor && vnfd.ref.name === ref.name && vnfd.ref.version === ref.version;

/** Human form of a VNFD reference for messages. */
export const describeVnfdRef = (ref: NsdVnf['vnfd']): string =>
  'descriptorId' in ref ? `descriptor_id ${ref.descriptorId}` : `${ref.vendor}/${ref.name}/${ref.version}`;

/**
 * Cross-descriptor check of an NSD against the VNFDs it may use: every member VNF's VNFD
 * is present (or known externally), and every `vnf_id:cp` reference in virtual links and
 * forwarding paths names an external CP of that VNFD. Returns every issue (empty = valid),
 * with field paths in the NSD's own format.
 */
export const validateNsdAgainstVnfds = (
  nsd: Nsd,
  vnfds: readonly Vnfd[],
  file: string,
  opts: NsdVnfdCheckOptions = {},
): ValidationIssue[] => {
  const issues: ValidationIssue[] = [];
  const loc = locator(nsd);
  const byMember = new Map<string, Vnfd | null>();
  nsd.vnfs.forEach((v, i) => {
    const vnfd = vnfds.find((d) => vnfdMatches(d, v.vnfd));
    if (vnfd) byMember.set(v.vnfId, vnfd);
    else if (opts.isKnownExternally?.(v.vnfd)) byMember.set(v.vnfId, null);
    else issues.push({ file, path: loc.vnf(i), message: `VNFD ${describeVnfdRef(v.vnfd)} of member "${v.vnfId}" is neither in the package nor on-boarded; add it to the package or on-board it first` });
  });
  const checkRef = (ref: CpRef, path: string): void => {
    if (ref.kind !== 'vnf') return;
    const vnfd = byMember.get(ref.vnfId);
    if (!vnfd) return; // unknown member (reported by the NSD reader) or VNFD not available
    if (!vnfd.connectionPoints.some((p) => p.id === ref.cp)) {
      const known = vnfd.connectionPoints.map((p) => p.id).join(', ');
      issues.push({ file, path, message: `VNF "${ref.vnfId}" (${vnfd.descriptorId}) has no external connection point "${ref.cp}"; it has: ${known || 'none'}` });
    }
  };
  nsd.virtualLinks.forEach((l, li) => l.cpRefs.forEach((r, ri) => checkRef(r, loc.linkRef(li, ri))));
  nsd.forwardingGraphs.forEach((g, gi) => g.paths.forEach((p, pi) => p.hops.forEach((h, hi) => checkRef(h, loc.hop(gi, pi, hi)))));
  return issues;
};

interface Locator {
  vnf(i: number): string;
  linkRef(link: number, ref: number): string;
  hop(graph: number, path: number, hop: number): string;
}

/** Field paths of model elements in the NSD's source document. */
const locator = (nsd: Nsd): Locator => {
  const src = asRecord(nsd.source);
  if (nsd.format === 'sol006') return { ...sol006NsdLocator(nsd), hop: () => '' };
  if (nsd.format !== 'etsi') {
    return {
      vnf: (i) => `/network_functions/${i}`,
      linkRef: (l, r) => `/virtual_links/${l}/connection_points_reference/${r}`,
      hop: (g, p, h) => {
        // Hops were sorted by position; find the hop's own index in the source list.
        const base = `/forwarding_graphs/${g}/network_forwarding_paths/${p}/connection_points`;
        const fp = asRecord(asArray(asRecord(asArray(src['forwarding_graphs'])[g])['network_forwarding_paths'])[p]);
        const hops = asArray(fp['connection_points']).map(asRecord);
        const sorted = hops.map((x, i) => ({ x, i })).sort((a, b) => Number(a.x['position']) - Number(b.x['position']) || a.i - b.i);
        return `${base}/${sorted[h]?.i ?? h}/connection_point_ref`;
      },
    };
  }
  const nodes = asRecord(asRecord(src['topology_template'])['node_templates']);
  return {
    vnf: (i) => `/topology_template/node_templates/${nsd.vnfs[i]?.vnfId ?? i}`,
    linkRef: (l, r) => {
      const link = nsd.virtualLinks[l];
      const ref = link?.cpRefs[r];
      if (!link || !ref) return `/topology_template/node_templates`;
      const node = ref.kind === 'vnf' ? ref.vnfId : ref.sap;
      const reqs = asArray(asRecord(nodes[node])['requirements']);
      const idx = reqs.findIndex((q) => isRecord(q) && Object.entries(q).some(([k, v]) => (ref.kind === 'sap' || k === ref.cp) && targetOf(v) === link.id));
      return `/topology_template/node_templates/${node}/requirements${idx >= 0 ? `/${idx}` : ''}`;
    },
    hop: () => `/topology_template/node_templates`,
  };
};

const targetOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : isRecord(v) && typeof v['node'] === 'string' ? v['node'] : undefined);
