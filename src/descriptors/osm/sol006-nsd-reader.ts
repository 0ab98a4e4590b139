import type { CpRef, Nsd, NsdVnf, Result, Sap, ValidationIssue, VirtualLink } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText } from '../issue-collector.js';
import { bool, checkUniqueIds, sol006Issues } from './sol006-common.js';
import { openSol006Document } from './sol006-document.js';
import type { Sol006ReadOptions } from './sol006-vnfd-reader.js';
import { readSol006NsScaling } from './sol006-ns-scaling.js';

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => asArray(v).map(asRecord);

/**
 * Reads an ETSI SOL006 NSD (or an OSM IM one, converted first) into the model. The members
 * and links are those of the first deployment flavour (OSM instantiates `default-df`):
 * each `vnf-profile` is a member whose id is the profile id (OSM's member-vnf-index) and
 * whose VNFD is `vnfd-id`; each `virtual-link-desc` an E-LAN with the profiles' CPs that
 * `virtual-link-connectivity` puts on it (through a `virtual-link-profile` when the df
 * has them), `mgmt-network: true` as the management network and `vim-network-name` as the
 * PoP network to attach to; each `sapd` a SAP; the first flavour's NS scaling aspects and
 * instantiation levels (sol006-ns-scaling.ts). References inside the NSD are checked
 * here; the CPs against the VNFDs in `validateNsdAgainstVnfds`.
 */
export const readSol006Nsd = (doc: unknown, file: string, opts: Sol006ReadOptions = {}): Result<Nsd, ValidationIssue[]> => {
  const opened = openSol006Document(doc, file);
  if (!opened.ok) return opened;
  if (opened.value.kind !== 'nsd') return err([{ file, path: opened.value.base, message: 'this is a VNFD, not an NSD' }]);
  const d = opened.value.body;
  const c = sol006Issues(opened.value, file, opts.warnings);
  const id = asText(d['id']);
  if (id === undefined) c.add('/id', 'required field id is missing');
  const vlds = list(d['virtual-link-desc']);
  checkUniqueIds(vlds, 'id', (i) => `/virtual-link-desc/${i}/id`, 'virtual-link-desc id', c);
  const vldIds = new Set(vlds.map((l) => asText(l['id'])));
  const listed = new Set(asArray(d['vnfd-id']).map((x) => asText(x)));
  const dfs = list(d['df']);
  checkUniqueIds(dfs, 'id', (i) => `/df/${i}/id`, 'df id', c);
  if (dfs.length === 0) c.add('/df', 'the NSD has no deployment flavour (df); it needs one with its vnf-profiles');
  if (dfs.length > 1) c.warn('/df/1', `the NSD has ${dfs.length} deployment flavours; Rondo instantiates the first, "${asText(dfs[0]?.['id']) ?? ''}"`);

  const refsByLink = new Map<string, CpRef[]>(vlds.map((l) => [asText(l['id']) ?? '', []]));
  const flavours = dfs.map((f, fi) => {
    const at = (p: string): string => `/df/${fi}${p}`;
    // A virtual-link-profile names its link; without profiles, OSM takes the id as the link's own.
    const profiles = new Map(list(f['virtual-link-profile']).map((p) => [asText(p['id']) ?? '', asText(p['virtual-link-desc-id']) ?? '']));
    list(f['virtual-link-profile']).forEach((p, pi) => {
      const vl = asText(p['virtual-link-desc-id']);
      if (!vldIds.has(vl)) c.add(at(`/virtual-link-profile/${pi}/virtual-link-desc-id`), `"${vl ?? ''}" is not an id of virtual-link-desc`);
    });
    const vnfProfiles = list(f['vnf-profile']);
    checkUniqueIds(vnfProfiles, 'id', (i) => at(`/vnf-profile/${i}/id`), 'vnf-profile id', c);
    const members: NsdVnf[] = vnfProfiles.map((p, pi) => {
      const member = asText(p['id']) ?? '';
      if (asText(p['id']) === undefined) c.add(at(`/vnf-profile/${pi}/id`), 'required field id is missing');
      const vnfd = asText(p['vnfd-id']);
      if (vnfd === undefined) c.add(at(`/vnf-profile/${pi}/vnfd-id`), 'required field vnfd-id is missing');
      else if (listed.size > 0 && !listed.has(vnfd)) c.add(at(`/vnf-profile/${pi}/vnfd-id`), `vnf-profile "${member}" uses VNFD "${vnfd}", which the NSD's vnfd-id list does not name`);
      list(p['virtual-link-connectivity']).forEach((vlc, ci) => {
        const profileId = asText(vlc['virtual-link-profile-id']) ?? '';
        const link = profiles.size > 0 ? (profiles.get(profileId) ?? (vldIds.has(profileId) ? profileId : undefined)) : vldIds.has(profileId) ? profileId : undefined;
        if (link === undefined) {
          c.add(at(`/vnf-profile/${pi}/virtual-link-connectivity/${ci}/virtual-link-profile-id`), `"${profileId}" is neither a virtual-link-profile of the df nor an id of virtual-link-desc`);
          return;
        }
        list(vlc['constituent-cpd-id']).forEach((cc, ki) => {
          const base = at(`/vnf-profile/${pi}/virtual-link-connectivity/${ci}/constituent-cpd-id/${ki}`);
          const element = asText(cc['constituent-base-element-id']);
          if (element !== undefined && element !== member) c.add(`${base}/constituent-base-element-id`, `"${element}" is not this vnf-profile ("${member}"); a vnf-profile connects its own VNF`);
          const cp = asText(cc['constituent-cpd-id']);
          if (cp === undefined) return c.add(`${base}/constituent-cpd-id`, 'required field constituent-cpd-id is missing');
          if (fi === 0) refsByLink.get(link)?.push({ kind: 'vnf', vnfId: member, cp });
        });
      });
      // SOL006 vnf-profile instance counts (absent: see NsdVnf.minInstances).
      const count = (v: unknown): number | undefined => { const n = typeof v === 'string' ? Number(v) : v; return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined; };
      const min = count(p['min-number-of-instances']);
      const max = count(p['max-number-of-instances']);
      return { vnfId: member, vnfd: { descriptorId: vnfd ?? '' }, ...(min === undefined ? {} : { minInstances: min }), ...(max === undefined ? {} : { maxInstances: max }) };
    });
    return { id: asText(f['id']) ?? '', members };
  });

  const saps: Sap[] = list(d['sapd']).map((s, si) => {
    const sid = asText(s['id']) ?? '';
    const vl = asText(s['virtual-link-desc']);
    if (vl !== undefined) {
      if (!vldIds.has(vl)) c.add(`/sapd/${si}/virtual-link-desc`, `sapd "${sid}" names "${vl}", which is not an id of virtual-link-desc`);
      else refsByLink.get(vl)?.push({ kind: 'sap', sap: sid });
    }
    return { id: sid, type: 'external' };
  });
  const virtualLinks: VirtualLink[] = vlds.map((l) => {
    const lid = asText(l['id']) ?? '';
    const network = asText(l['vim-network-name']);
    return { id: lid, type: 'E-LAN', cpRefs: refsByLink.get(lid) ?? [], management: bool(l['mgmt-network']), ...(network === undefined ? {} : { externalNetwork: network }) };
  });
  const first = dfs[0];
  const scaling = first ? readSol006NsScaling(first, '/df/0', new Set(flavours[0]?.members.map((m) => m.vnfId)), (p, m) => c.add(p, m)) : {};
  if (c.issues.length > 0) return err(c.issues);
  const description = asText(d['description']);
  return ok({
    descriptorId: id ?? '',
    ref: { vendor: asText(d['designer']) ?? '', name: asText(d['name']) ?? id ?? '', version: asText(d['version']) ?? '' },
    format: 'sol006',
    ...(description === undefined ? {} : { description: description.trim() }),
    vnfs: flavours[0]?.members ?? [],
    saps,
    virtualLinks,
    forwardingGraphs: [],
    deploymentFlavours: flavours.map((f) => ({ id: f.id, vnfIds: f.members.map((m) => m.vnfId) })),
    ...scaling,
    source: doc,
  });
};

/**
 * Where an NSD's members and CP references are in its document, for the checks against
 * the VNFDs (nsd-vnfd-check.ts): a member's `vnfd-id`, and the `constituent-cpd-id` that
 * puts a VNF's CP on a link.
 */
export const sol006NsdLocator = (nsd: Nsd): { vnf(i: number): string; linkRef(link: number, ref: number): string } => {
  const opened = openSol006Document(nsd.source, '');
  if (!opened.ok) return { vnf: () => '', linkRef: () => '' };
  const doc = opened.value;
  const at = (rel: string): string => (doc.origin ? doc.origin(rel) : `${doc.base}${rel}`);
  const df = asRecord(asArray(doc.body['df'])[0]);
  const profiles = list(df['vnf-profile']);
  const vlProfiles = new Map(list(df['virtual-link-profile']).map((p) => [asText(p['id']) ?? '', asText(p['virtual-link-desc-id']) ?? '']));
  return {
    vnf: (i) => at(`/df/0/vnf-profile/${i}/vnfd-id`),
    linkRef: (l, r) => {
      const link = nsd.virtualLinks[l];
      const ref = link?.cpRefs[r];
      if (!link || !ref) return at('/virtual-link-desc');
      if (ref.kind === 'sap') return at(`/sapd/${list(doc.body['sapd']).findIndex((s) => asText(s['id']) === ref.sap)}`);
      const pi = profiles.findIndex((p) => asText(p['id']) === ref.vnfId);
      const vlcs = list(profiles[pi]?.['virtual-link-connectivity']);
      for (const [ci, vlc] of vlcs.entries()) {
        const profileId = asText(vlc['virtual-link-profile-id']) ?? '';
        if ((vlProfiles.get(profileId) ?? profileId) !== link.id) continue;
        const ki = list(vlc['constituent-cpd-id']).findIndex((cc) => asText(cc['constituent-cpd-id']) === ref.cp);
        if (ki >= 0) return at(`/df/0/vnf-profile/${pi}/virtual-link-connectivity/${ci}/constituent-cpd-id/${ki}/constituent-cpd-id`);
      }
      return at(`/df/0/vnf-profile/${pi}`);
    },
  };
};
