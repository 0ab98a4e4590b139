import type { ValidationIssue } from '../../model/index.js';
import { asArray, asRecord, asText, isRecord } from '../issue-collector.js';

/** A converted descriptor and the map from its SOL006 paths back to the OSM IM ones. */
export interface Translated {
  readonly body: Record<string, unknown>;
  /** SOL006 path relative to the descriptor (`/vdu/1/int-cpd/0`) → path in the document as written. */
  readonly origin: (sol006Path: string) => string;
}

type Out = { ok: true; value: Translated } | { ok: false; error: ValidationIssue[] };

const defined = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/**
 * Maps SOL006 paths back: the first segments that the conversion keeps in order (`vdu/3`
 * from `vdu/3`) or re-indexes (`ext-cpd/2` from `connection-point/1`) are rewritten, and
 * what the conversion made up points at the nearest element it came from.
 */
const originOf = (base: string, rules: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]>) => (p: string): string => {
  for (const [re, to] of rules) {
    const m = re.exec(p);
    if (m) return `${base}${to(m)}`;
  }
  return base;
};

/**
 * OSM IM (before SOL006) VNFD → SOL006 VNFD, following OSM's converter (osm_im
 * im_translation): `vm-flavor` → `<vdu>-compute` / `<vdu>-storage` descriptors (memory-mb
 * / 1024 as GB), `image` → a sw-image-desc of that name, interface `i` → int-cpd `i-int`,
 * external connection point `c` → ext-cpd `c-ext` (and `mgmt-interface.cp` → `mgmt-cp`),
 * `internal-vld` → int-virtual-link-desc, `count` → vdu-profile and the default
 * instantiation level, `scaling-group-descriptor` → scaling-aspect, `vnf-configuration` /
 * `vdu-configuration` → `day1-2`, `kdu` and `k8s-cluster` as they are. References that the
 * conversion follows are checked here, on the document as written.
 */
export const translateImVnfd = (im: Record<string, unknown>, file: string, base: string): Out => {
  const issues: ValidationIssue[] = [];
  const bad = (path: string, message: string): void => void issues.push({ file, path: `${base}${path}`, message });
  const id = asText(im['id']);
  if (id === undefined) bad('/id', 'required field id is missing');
  const cps = asArray(im['connection-point']).map(asRecord);
  const cpNames = cps.map((c) => asText(c['name']));
  const vdus = asArray(im['vdu']).map(asRecord);
  const computes: Record<string, unknown>[] = [];
  const storages: Record<string, unknown>[] = [];
  const images: Record<string, unknown>[] = [];
  const extCpds: Record<string, unknown>[] = [];
  const extOrigin: number[] = [];
  const configurations: Record<string, unknown>[] = [];
  const df: Record<string, unknown> = { id: 'default-df', 'vdu-profile': [] as unknown[], 'instantiation-level': [{ id: 'default-instantiation-level', 'vdu-level': [] as unknown[] }] };
  const profiles = df['vdu-profile'] as unknown[];
  const levels = asRecord(asArray(df['instantiation-level'])[0])['vdu-level'] as unknown[];
  const addImage = (name: string, vimType?: string): void => {
    if (!images.some((i) => i['id'] === name)) images.push(defined({ id: name, name, image: name, 'vim-type': vimType }));
  };
  /** int-cpd ids by internal connection point id, for internal-vld. */
  const internalCps = new Map<string, { vdu: number; cpd: number }>();
  const sol006Vdus = vdus.map((v, vi) => {
    const vduId = asText(v['id']) ?? '';
    if (asText(v['id']) === undefined) bad(`/vdu/${vi}/id`, 'required field id is missing');
    const flavor = asRecord(v['vm-flavor']);
    const vcpus = num(flavor['vcpu-count']);
    // memory-gb is not OSM IM; 5GTANGO's OSM exports write it, and its meaning is plain.
    const memGb = num(flavor['memory-mb']) !== undefined ? (num(flavor['memory-mb']) as number) / 1024 : num(flavor['memory-gb']);
    const storageGb = num(flavor['storage-gb']);
    if (vcpus !== undefined || memGb !== undefined) computes.push(defined({ id: `${vduId}-compute`, 'virtual-cpu': vcpus === undefined ? undefined : { 'num-virtual-cpu': vcpus }, 'virtual-memory': memGb === undefined ? undefined : { size: memGb } }));
    if (storageGb !== undefined) storages.push({ id: `${vduId}-storage`, 'size-of-storage': storageGb });
    const image = asText(v['image']);
    if (image !== undefined) addImage(image);
    const alternatives = asArray(v['alternative-images']).map(asRecord).flatMap((a) => {
      const alt = asText(a['image']);
      if (alt === undefined) return [];
      addImage(alt, asText(a['vim-type']));
      return [alt];
    });
    const internalIds = new Set(asArray(v['internal-connection-point']).map((c) => asText(asRecord(c)['id'])));
    const intCpds = asArray(v['interface']).map(asRecord).map((itf, ii) => {
      const name = asText(itf['name']) ?? '';
      if (asText(itf['name']) === undefined) bad(`/vdu/${vi}/interface/${ii}/name`, 'required field name is missing');
      const ext = asText(itf['external-connection-point-ref']);
      const internal = asText(itf['internal-connection-point-ref']);
      const cpd = `${name}-int`;
      if (ext !== undefined) {
        const ci = cpNames.indexOf(ext);
        if (ci < 0) bad(`/vdu/${vi}/interface/${ii}/external-connection-point-ref`, `"${ext}" is not a connection-point name of the VNFD`);
        else {
          const cp = cps[ci] ?? {};
          extCpds.push(defined({ id: `${ext}-ext`, 'int-cpd': { 'vdu-id': vduId, cpd }, 'port-security-enabled': cp['port-security-enabled'], 'port-security-disable-strategy': cp['port-security-disable-strategy'] }));
          extOrigin.push(ci);
        }
      }
      if (internal !== undefined) {
        if (!internalIds.has(internal)) bad(`/vdu/${vi}/interface/${ii}/internal-connection-point-ref`, `"${internal}" is not an internal-connection-point id of VDU "${vduId}"`);
        internalCps.set(internal, { vdu: vi, cpd: ii });
      }
      const requirement = defined({ name, 'virtual-interface': itf['virtual-interface'], position: num(itf['position']) });
      return { id: cpd, 'virtual-network-interface-requirement': [requirement] };
    });
    const count = num(v['count']) ?? 1;
    const profile: Record<string, unknown> = { id: vduId, 'min-number-of-instances': count };
    for (const sg of asArray(im['scaling-group-descriptor']).map(asRecord)) {
      if (!asArray(sg['vdu']).some((x) => asText(asRecord(x)['vdu-id-ref']) === vduId)) continue;
      profile['min-number-of-instances'] = (num(sg['min-instance-count']) ?? 0) + count;
      profile['max-number-of-instances'] = (num(sg['max-instance-count']) ?? 1) + count;
    }
    profiles.push(profile);
    levels.push({ 'vdu-id': vduId, 'number-of-instances': count });
    if (isRecord(v['vdu-configuration'])) configurations.push({ ...v['vdu-configuration'], id: vduId });
    return defined<Record<string, unknown>>({
      id: vduId,
      name: v['name'],
      description: v['description'],
      'cloud-init-file': v['cloud-init-file'],
      'cloud-init': v['cloud-init'],
      'supplemental-boot-data': v['supplemental-boot-data'],
      'pdu-type': v['pdu-type'],
      'sw-image-desc': image,
      'alternative-sw-image-desc': nonEmpty(alternatives),
      'virtual-compute-desc': vcpus !== undefined || memGb !== undefined ? `${vduId}-compute` : undefined,
      'virtual-storage-desc': storageGb !== undefined ? [`${vduId}-storage`] : undefined,
      'int-cpd': intCpds,
    });
  });
  const ivlds = asArray(im['internal-vld']).map(asRecord).map((l, li) => {
    const lid = asText(l['id']) ?? '';
    asArray(l['internal-connection-point']).map(asRecord).forEach((c, ci) => {
      const ref = asText(c['id-ref']) ?? '';
      const at = internalCps.get(ref);
      if (!at) return bad(`/internal-vld/${li}/internal-connection-point/${ci}/id-ref`, `"${ref}" is not the internal-connection-point-ref of any VDU interface`);
      const cpd = asRecord(asArray(asRecord(sol006Vdus[at.vdu])['int-cpd'])[at.cpd]);
      cpd['int-virtual-link-desc'] = lid;
    });
    return defined({ id: lid, description: l['description'] });
  });
  const mgmtCp = asText(asRecord(im['mgmt-interface'])['cp']);
  if (mgmtCp !== undefined && !cpNames.includes(mgmtCp)) bad('/mgmt-interface/cp', `"${mgmtCp}" is not a connection-point name of the VNFD`);
  // VDU monitoring params named by the VNF's monitoring-param (vdu-monitoring-param).
  for (const mp of asArray(im['monitoring-param']).map(asRecord)) {
    const ref = asRecord(mp['vdu-monitoring-param']);
    const vi = vdus.findIndex((v) => asText(v['id']) === asText(ref['vdu-ref']));
    const target: Record<string, unknown> | undefined = sol006Vdus[vi];
    if (!target) continue;
    const metric = asArray(vdus[vi]?.['monitoring-param']).map(asRecord).find((m) => asText(m['id']) === asText(ref['vdu-monitoring-param-ref']))?.['nfvi-metric'];
    const list = (target['monitoring-parameter'] as unknown[] | undefined) ?? [];
    list.push(defined({ id: mp['id'], name: mp['name'], 'performance-metric': metric }));
    target['monitoring-parameter'] = list;
  }
  const aspects = asArray(im['scaling-group-descriptor']).map(asRecord).map((sg) => {
    const name = asText(sg['name']) ?? '';
    const vduDelta = asArray(sg['vdu']).map(asRecord).map((x) => defined({ id: asText(x['vdu-id-ref']), 'number-of-instances': num(x['count']) ?? 1 }));
    return defined({
      id: name,
      name,
      'max-scale-level': num(sg['max-instance-count']),
      'scaling-policy': sg['scaling-policy'],
      'scaling-config-action': sg['scaling-config-action'],
      'aspect-delta-details': { deltas: [{ id: `${name}-delta`, 'vdu-delta': vduDelta }] },
    });
  });
  if (aspects.length > 0) df['scaling-aspect'] = aspects;
  if (isRecord(im['vnf-configuration'])) configurations.unshift({ ...im['vnf-configuration'], id });
  if (configurations.length > 0) df['lcm-operations-configuration'] = { 'operate-vnf-op-config': { 'day1-2': configurations } };
  const k8s = asRecord(im['k8s-cluster']);
  const nets = asArray(k8s['nets']).map(asRecord);
  for (const n of nets) {
    const ext = asText(n['external-connection-point-ref']);
    if (ext !== undefined) {
      extCpds.push({ id: `${ext}-ext`, 'k8s-cluster-net': asText(n['id']) });
      extOrigin.push(Math.max(0, cpNames.indexOf(ext)));
    }
  }
  if (issues.length > 0) return { ok: false, error: issues };
  const body = defined({
    id,
    'product-name': im['name'],
    description: im['description'],
    provider: im['vendor'],
    version: im['version'],
    'mgmt-cp': mgmtCp === undefined ? undefined : `${mgmtCp}-ext`,
    'virtual-compute-desc': nonEmpty(computes),
    'virtual-storage-desc': nonEmpty(storages),
    'sw-image-desc': nonEmpty(images),
    vdu: nonEmpty(sol006Vdus),
    df: vdus.length > 0 || im['kdu'] !== undefined ? [df] : undefined,
    'ext-cpd': nonEmpty(extCpds),
    'int-virtual-link-desc': nonEmpty(ivlds),
    kdu: im['kdu'],
    'k8s-cluster': nets.length > 0 || Object.keys(k8s).length > 0 ? defined({ version: k8s['version'], cni: k8s['cni'], nets: nets.map((n) => ({ id: n['id'] })) }) : undefined,
    'placement-groups': im['placement-groups'],
  }) as Record<string, unknown>;
  return {
    ok: true,
    value: {
      body,
      origin: originOf(base, [
        [/^\/vdu\/(\d+)\/int-cpd\/(\d+)/, (m) => `/vdu/${m[1]}/interface/${m[2]}`],
        [/^\/vdu\/(\d+)\/(sw-image-desc|alternative-sw-image-desc)/, (m) => `/vdu/${m[1]}/image`],
        [/^\/vdu\/(\d+)\/(virtual-compute-desc|virtual-storage-desc)/, (m) => `/vdu/${m[1]}/vm-flavor`],
        [/^\/vdu\/(\d+)(\/[\w-]+)?/, (m) => `/vdu/${m[1]}${m[2] ?? ''}`],
        [/^\/ext-cpd\/(\d+)/, (m) => `/connection-point/${extOrigin[Number(m[1])] ?? 0}`],
        [/^\/mgmt-cp/, () => '/mgmt-interface/cp'],
        [/^\/int-virtual-link-desc\/(\d+)/, (m) => `/internal-vld/${m[1]}`],
        [/^\/df\/0\/scaling-aspect\/(\d+)/, (m) => `/scaling-group-descriptor/${m[1]}`],
        [/^\/df\/0\/(vdu-profile|instantiation-level\/0\/vdu-level)\/(\d+)/, (m) => `/vdu/${m[2]}/count`],
        [/^\/(id|description|version)$/, (m) => `/${m[1]}`],
        [/^\/product-name/, () => '/name'],
        [/^\/provider/, () => '/vendor'],
        [/^\/kdu(\/.*)?$/, (m) => `/kdu${m[1] ?? ''}`],
      ]),
    },
  };
};

/**
 * OSM IM (before SOL006) NSD → SOL006 NSD, following OSM's converter: each
 * `constituent-vnfd` becomes a vnf-profile whose id is its `member-vnf-index`, each `vld`
 * a virtual-link-desc (`mgmt-network`, `vim-network-name` kept) joined through the
 * profiles' virtual-link-connectivity, where connection point `c` is ext-cpd `c-ext`.
 * Unlike OSM's converter, a member on no `vld` keeps its profile.
 */
export const translateImNsd = (im: Record<string, unknown>, file: string, base: string): Out => {
  const issues: ValidationIssue[] = [];
  const bad = (path: string, message: string): void => void issues.push({ file, path: `${base}${path}`, message });
  const id = asText(im['id']);
  if (id === undefined) bad('/id', 'required field id is missing');
  const members = asArray(im['constituent-vnfd']).map(asRecord);
  const profiles = members.map((m, mi) => {
    const index = asText(m['member-vnf-index']);
    const vnfd = asText(m['vnfd-id-ref']);
    if (index === undefined) bad(`/constituent-vnfd/${mi}/member-vnf-index`, 'required field member-vnf-index is missing');
    if (vnfd === undefined) bad(`/constituent-vnfd/${mi}/vnfd-id-ref`, 'required field vnfd-id-ref is missing');
    return { id: index ?? '', 'vnfd-id': vnfd ?? '', 'virtual-link-connectivity': [] as Record<string, unknown>[] };
  });
  const vlds = asArray(im['vld']).map(asRecord);
  /** `vnf-profile/i/virtual-link-connectivity/j/constituent-cpd-id/k` → `vld/l/vnfd-connection-point-ref/r`. */
  const refOrigin = new Map<string, string>();
  const links = vlds.map((l, li) => {
    const lid = asText(l['id']) ?? '';
    if (asText(l['id']) === undefined) bad(`/vld/${li}/id`, 'required field id is missing');
    asArray(l['vnfd-connection-point-ref']).map(asRecord).forEach((r, ri) => {
      const at = `/vld/${li}/vnfd-connection-point-ref/${ri}`;
      const member = asText(r['member-vnf-index-ref']);
      const pi = profiles.findIndex((p) => p.id === member);
      const profile = profiles[pi];
      if (!profile) return bad(`${at}/member-vnf-index-ref`, `"${member ?? ''}" is not a member-vnf-index of constituent-vnfd`);
      const vnfdRef = asText(r['vnfd-id-ref']);
      if (vnfdRef !== undefined && vnfdRef !== profile['vnfd-id']) bad(`${at}/vnfd-id-ref`, `member ${profile.id} is VNFD "${profile['vnfd-id']}", not "${vnfdRef}"`);
      const cp = asText(r['vnfd-connection-point-ref']);
      if (cp === undefined) return bad(`${at}/vnfd-connection-point-ref`, 'required field vnfd-connection-point-ref is missing');
      let ci = profile['virtual-link-connectivity'].findIndex((c) => c['virtual-link-profile-id'] === lid);
      if (ci < 0) ci = profile['virtual-link-connectivity'].push({ 'virtual-link-profile-id': lid, 'constituent-cpd-id': [] }) - 1;
      const list = asRecord(profile['virtual-link-connectivity'][ci])['constituent-cpd-id'] as unknown[];
      list.push(defined({ 'constituent-base-element-id': profile.id, 'constituent-cpd-id': `${cp}-ext`, 'ip-address': r['ip-address'] }));
      refOrigin.set(`${pi}/${ci}/${list.length - 1}`, `${at}/vnfd-connection-point-ref`);
    });
    const mgmt = l['mgmt-network'];
    return defined({ id: lid, 'mgmt-network': mgmt === undefined ? undefined : mgmt === true || mgmt === 'true', 'vim-network-name': l['vim-network-name'], description: l['description'] });
  });
  if (issues.length > 0) return { ok: false, error: issues };
  const body = defined({
    id,
    name: im['name'],
    description: im['description'],
    designer: im['vendor'],
    version: im['version'],
    'vnfd-id': [...new Set(profiles.map((p) => p['vnfd-id']))],
    df: [{ id: 'default-df', 'vnf-profile': profiles }],
    'virtual-link-desc': nonEmpty(links),
  }) as Record<string, unknown>;
  return {
    ok: true,
    value: {
      body,
      origin: originOf(base, [
        [/^\/df\/0\/vnf-profile\/(\d+)\/virtual-link-connectivity\/(\d+)\/constituent-cpd-id\/(\d+)/, (m) => refOrigin.get(`${m[1]}/${m[2]}/${m[3]}`) ?? `/constituent-vnfd/${m[1]}`],
        [/^\/df\/0\/vnf-profile\/(\d+)\/vnfd-id/, (m) => `/constituent-vnfd/${m[1]}/vnfd-id-ref`],
        [/^\/df\/0\/vnf-profile\/(\d+)/, (m) => `/constituent-vnfd/${m[1]}`],
        [/^\/virtual-link-desc\/(\d+)(\/[\w-]+)?/, (m) => `/vld/${m[1]}${m[2] ?? ''}`],
        [/^\/designer/, () => '/vendor'],
        [/^\/(id|name|description|version)$/, (m) => `/${m[1]}`],
      ]),
    },
  };
};
