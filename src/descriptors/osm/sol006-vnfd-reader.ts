import type {
  AlternativeImage, ConfigParameter, ConfigPrimitive, CpType, DeploymentFlavour, InstantiationLevel, Result, ScalingAspect, ScalingTrigger,
  ValidationIssue, Vdu, VduCp, Vnfd, VnfCp, VnfInternalLink, VnfMonitoringParameter,
} from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText, isRecord } from '../issue-collector.js';
import { checkUniqueIds, num, sol006Issues } from './sol006-common.js';
import type { Sol006Issues } from './sol006-common.js';
import { openSol006Document } from './sol006-document.js';

/** What a SOL006 reader gets besides the document. */
export interface Sol006ReadOptions {
  /** Where warnings go (what Rondo reads but does not act on is not a warning; see the README). */
  readonly warnings?: ValidationIssue[];
  /**
   * The package's cloud-init files by the name a VDU's `cloud-init-file` gives
   * (`cloud_init/<name>`). Undefined when the descriptor came alone: a named file is then
   * only a warning (it must come with the package).
   */
  readonly cloudInit?: ReadonlyMap<string, { readonly content: string; readonly file: string }>;
}

/** Defaults of SOL006 (etsi-nfv-vnfd.yang): one virtual CPU, 1 GB of memory. */
const DEFAULT_VCPUS = 1;
const DEFAULT_MEMORY_GB = 1;

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => asArray(v).map(asRecord);
const idOf = (r: Rec, key = 'id'): string | undefined => asText(r[key]);

/**
 * Reads an ETSI SOL006 VNFD (or an OSM IM one, converted first; see sol006-document.ts)
 * into the model: VDUs with CPU, memory and root storage from their compute and storage
 * descriptors, images from sw-image-desc (with alternatives per VIM type and the
 * checksum), interfaces ordered by `position`, external CPs realised by VDU int-cpds, the
 * management CP, internal virtual links, deployment flavours with instantiation levels and
 * scaling aspects (deltas and threshold triggers), monitoring parameters, cloud-init user
 * data and day-1/day-2 config primitives. KDUs (Helm charts, Juju bundles) become VDUs of
 * image format `helm-chart` / `juju-bundle`, which only a Kubernetes PoP could run.
 * Every broken reference is an issue naming the field.
 */
export const readSol006Vnfd = (doc: unknown, file: string, opts: Sol006ReadOptions = {}): Result<Vnfd, ValidationIssue[]> => {
  const opened = openSol006Document(doc, file);
  if (!opened.ok) return opened;
  if (opened.value.kind !== 'vnfd') return err([{ file, path: opened.value.base, message: 'this is an NSD, not a VNFD' }]);
  const d = opened.value.body;
  const c = sol006Issues(opened.value, file, opts.warnings);
  const id = idOf(d);
  if (id === undefined) c.add('/id', 'required field id is missing (the VNFD id that NSDs name in vnfd-id)');

  const images = list(d['sw-image-desc']);
  const computes = list(d['virtual-compute-desc']);
  const storages = list(d['virtual-storage-desc']);
  const vdus = list(d['vdu']);
  const kdus = list(d['kdu']);
  const ivlds = list(d['int-virtual-link-desc']);
  const extCpds = list(d['ext-cpd']);
  const nets = list(asRecord(d['k8s-cluster'])['nets']);
  checkUniqueIds(images, 'id', (i) => `/sw-image-desc/${i}/id`, 'sw-image-desc id', c);
  checkUniqueIds(computes, 'id', (i) => `/virtual-compute-desc/${i}/id`, 'virtual-compute-desc id', c);
  checkUniqueIds(storages, 'id', (i) => `/virtual-storage-desc/${i}/id`, 'virtual-storage-desc id', c);
  checkUniqueIds(vdus, 'id', (i) => `/vdu/${i}/id`, 'VDU id', c);
  checkUniqueIds(kdus, 'name', (i) => `/kdu/${i}/name`, 'KDU name', c);
  checkUniqueIds(ivlds, 'id', (i) => `/int-virtual-link-desc/${i}/id`, 'int-virtual-link-desc id', c);
  checkUniqueIds(extCpds, 'id', (i) => `/ext-cpd/${i}/id`, 'ext-cpd id', c);

  const imageById = new Map(images.map((x) => [idOf(x) ?? '', x]));
  const computeById = new Map(computes.map((x) => [idOf(x) ?? '', x]));
  const storageById = new Map(storages.map((x) => [idOf(x) ?? '', x]));
  const ivldIds = new Set(ivlds.map((x) => idOf(x)));
  const netIds = new Set(nets.map((x) => idOf(x)));
  const vduIds = vdus.map((v) => idOf(v) ?? '');
  const kduNames = kdus.map((k) => idOf(k, 'name') ?? '');
  const mgmtCp = asText(d['mgmt-cp']);
  if (mgmtCp !== undefined && !extCpds.some((e) => idOf(e) === mgmtCp)) c.add('/mgmt-cp', `mgmt-cp "${mgmtCp}" is not an id of ext-cpd`);

  // Which int-cpd each ext-cpd exposes, for the CP types and the VNF's external CPs.
  const exposing = new Map<string, { ext: string; mgmt: boolean }>();
  const connectionPoints: VnfCp[] = [];
  const dfs = list(d['df']);
  const vduInts = new Map(vdus.map((v) => [idOf(v) ?? '', list(v['int-cpd'])]));
  extCpds.forEach((e, ei) => {
    const ext = idOf(e) ?? '';
    const mgmt = ext === mgmtCp;
    const type: CpType = mgmt ? 'management' : 'external';
    if (idOf(e) === undefined) c.add(`/ext-cpd/${ei}/id`, 'required field id is missing');
    if (isRecord(e['int-cpd'])) {
      const ref = e['int-cpd'];
      const vdu = asText(ref['vdu-id']);
      const cpd = asText(ref['cpd']);
      if (vdu === undefined || !vduInts.has(vdu)) return c.add(`/ext-cpd/${ei}/int-cpd/vdu-id`, `ext-cpd "${ext}" names VDU "${vdu ?? ''}", which is not an id of vdu`);
      if (cpd === undefined || !(vduInts.get(vdu) ?? []).some((x) => idOf(x) === cpd)) {
        const known = (vduInts.get(vdu) ?? []).map((x) => idOf(x)).join(', ');
        return c.add(`/ext-cpd/${ei}/int-cpd/cpd`, `ext-cpd "${ext}" names int-cpd "${cpd ?? ''}", which VDU "${vdu}" does not have; it has: ${known || 'none'}`);
      }
      exposing.set(`${vdu}\u0000${cpd}`, { ext, mgmt });
      connectionPoints.push({ id: ext, type, vdu, vduCp: cpd });
      return;
    }
    const net = asText(e['k8s-cluster-net']);
    if (net !== undefined) {
      if (!netIds.has(net)) return c.add(`/ext-cpd/${ei}/k8s-cluster-net`, `ext-cpd "${ext}" names k8s-cluster net "${net}", which is not an id of k8s-cluster/nets`);
      const kdu = kduNames[0];
      if (kdu === undefined) return c.add(`/ext-cpd/${ei}/k8s-cluster-net`, `ext-cpd "${ext}" is on a k8s-cluster net, but the VNFD has no kdu`);
      connectionPoints.push({ id: ext, type, vdu: kdu, vduCp: net });
      return;
    }
    const vl = asText(e['int-virtual-link-desc']);
    if (vl !== undefined) {
      if (!ivldIds.has(vl)) return c.add(`/ext-cpd/${ei}/int-virtual-link-desc`, `ext-cpd "${ext}" names "${vl}", which is not an id of int-virtual-link-desc`);
      // An ext-cpd on an internal link: the first VDU CP on that link carries it.
      for (const [vdu, ints] of vduInts) {
        const on = ints.find((x) => asText(x['int-virtual-link-desc']) === vl);
        if (on) {
          connectionPoints.push({ id: ext, type, vdu, vduCp: idOf(on) ?? '' });
          return;
        }
      }
      return c.add(`/ext-cpd/${ei}/int-virtual-link-desc`, `ext-cpd "${ext}" is on internal link "${vl}", which no VDU int-cpd attaches to`);
    }
    c.add(`/ext-cpd/${ei}`, `ext-cpd "${ext}" names neither an int-cpd (vdu-id, cpd), a k8s-cluster-net nor an int-virtual-link-desc`);
  });

  const flavours = dfs.map((f, fi) => readFlavour(f, fi, new Set(vduIds), kdus, c));
  checkUniqueIds(dfs, 'id', (i) => `/df/${i}/id`, 'df id', c);
  const first = flavours[0];
  const level = first?.instantiationLevels.find((l) => l.id === first.defaultInstantiationLevel) ?? first?.instantiationLevels[0];
  const monitoringParameters: VnfMonitoringParameter[] = [];
  const out: Vdu[] = vdus.map((v, vi) => {
    const vid = idOf(v) ?? '';
    if (idOf(v) === undefined) c.add(`/vdu/${vi}/id`, 'required field id is missing');
    const profile = first?.vduProfiles.find((p) => p.vdu === vid);
    const initial = level?.vduInstances[vid] ?? profile?.minInstances;
    for (const m of list(v['monitoring-parameter'])) {
      const mid = idOf(m);
      const name = asText(m['name']) ?? mid ?? '';
      const metric = asText(m['performance-metric']);
      monitoringParameters.push({ name, ...(mid === undefined ? {} : { id: mid }), ...(metric === undefined ? {} : { metric }), vdu: vid });
    }
    return {
      ...readVdu(v, vi, { imageById, computeById, storageById, ivldIds, exposing }, opts, c),
      ...(initial !== undefined && initial > 0 ? { initialInstances: initial } : {}),
      ...(profile?.maxInstances === undefined ? {} : { maxInstances: profile.maxInstances }),
    };
  });
  const kduProfiles = list(dfs[0]?.['kdu-resource-profile']);
  const kduVdus: Vdu[] = kdus.map((k, ki) => {
    const name = idOf(k, 'name') ?? '';
    // Replicas of the KDU's scalable resource: the first df's kdu-resource-profile bounds them.
    const profile = kduProfiles.find((p) => asText(p['kdu-name']) === name);
    const min = num(profile?.['min-number-of-instances']);
    const max = num(profile?.['max-number-of-instances']);
    if (idOf(k, 'name') === undefined) c.add(`/kdu/${ki}/name`, 'required field name is missing');
    const chart = asText(k['helm-chart']);
    const bundle = asText(k['juju-bundle']);
    if (chart === undefined && bundle === undefined) c.add(`/kdu/${ki}`, `KDU "${name}" has neither helm-chart nor juju-bundle`);
    return {
      id: name,
      image: chart ?? bundle ?? '',
      imageFormat: chart !== undefined ? 'helm-chart' : 'juju-bundle',
      vcpus: 0,
      memoryMiB: 0,
      connectionPoints: nets.map((n) => {
        const ext = extCpds.find((e) => asText(e['k8s-cluster-net']) === idOf(n));
        return { id: idOf(n) ?? '', type: ext ? (idOf(ext) === mgmtCp ? 'management' : 'external') : 'internal' } as VduCp;
      }),
      ...(min !== undefined && min > 0 ? { initialInstances: min } : {}),
      ...(max === undefined ? {} : { maxInstances: max }),
    };
  });
  if (vdus.length === 0 && kdus.length === 0) c.add('/vdu', 'the VNFD has neither vdu nor kdu; a VNF needs at least one');
  const ids = new Set([...vduIds, ...kduNames]);
  const monitorIds = new Set(monitoringParameters.flatMap((m) => [m.id, m.name]));
  const scalingAspects = dfs.flatMap((f, fi) => list(f['scaling-aspect']).map((a, ai) => readAspect(a, `/df/${fi}/scaling-aspect/${ai}`, f, ids, monitorIds, c)));
  const configPrimitives = readConfigPrimitives(d, dfs, id ?? '', ids, c);
  const internalLinks: VnfInternalLink[] = ivlds.map((l) => {
    const description = asText(l['description']);
    return { id: idOf(l) ?? '', ...(description === undefined ? {} : { description }) };
  });
  if (dfs.length === 0 && vdus.length > 0) c.warn('/df', 'no deployment flavour (df); each VDU starts with one instance');
  if (c.issues.length > 0) return err(c.issues);
  const version = asText(d['version']) ?? '';
  const provider = asText(d['provider']);
  const description = asText(d['description']);
  return ok({
    descriptorId: id ?? '',
    ref: { vendor: provider ?? '', name: asText(d['product-name']) ?? id ?? '', version },
    format: 'sol006',
    ...(description === undefined ? {} : { description: description.trim() }),
    ...(provider === undefined ? {} : { provider }),
    vdus: [...out, ...kduVdus],
    connectionPoints,
    monitoringParameters,
    scalingAspects,
    startCommands: [],
    stopCommands: [],
    ...(internalLinks.length > 0 ? { internalLinks } : {}),
    ...(flavours.length > 0 ? { deploymentFlavours: flavours } : {}),
    ...(configPrimitives.length > 0 ? { configPrimitives } : {}),
    source: doc,
  });
};

interface VduContext {
  readonly imageById: ReadonlyMap<string, Rec>;
  readonly computeById: ReadonlyMap<string, Rec>;
  readonly storageById: ReadonlyMap<string, Rec>;
  readonly ivldIds: ReadonlySet<string | undefined>;
  readonly exposing: ReadonlyMap<string, { ext: string; mgmt: boolean }>;
}

const readVdu = (v: Rec, vi: number, x: VduContext, opts: Sol006ReadOptions, c: Sol006Issues): Omit<Vdu, 'initialInstances' | 'maxInstances'> => {
  const at = (p: string): string => `/vdu/${vi}${p}`;
  const vid = idOf(v) ?? '';
  // Image: the sw-image-desc the VDU names, and its alternatives per VIM type.
  const imageRef = asText(v['sw-image-desc']);
  const image = imageRef === undefined ? undefined : x.imageById.get(imageRef);
  if (imageRef === undefined) {
    if (v['pdu-type'] !== undefined) c.add(at('/pdu-type'), `VDU "${vid}" is a physical deployment unit (pdu-type); Rondo deploys no PDUs`);
    else c.add(at('/sw-image-desc'), `VDU "${vid}" names no sw-image-desc; a VDU needs an image`);
  } else if (!image) c.add(at('/sw-image-desc'), `VDU "${vid}" names sw-image-desc "${imageRef}", which is not an id of sw-image-desc`);
  const alternativeImages: AlternativeImage[] = [];
  asArray(v['alternative-sw-image-desc']).forEach((ref, ai) => {
    const alt = x.imageById.get(String(ref));
    if (!alt) return c.add(at(`/alternative-sw-image-desc/${ai}`), `alternative sw-image-desc "${String(ref)}" is not an id of sw-image-desc`);
    const vimType = asText(alt['vim-type']);
    if (vimType === undefined) return c.warn(at(`/alternative-sw-image-desc/${ai}`), `alternative image "${String(ref)}" has no vim-type; it is never chosen`);
    alternativeImages.push({ vimType, image: imageName(alt) });
  });
  // Compute: vCPUs and memory (GB in SOL006, binary as OSM reads it: memory-mb / 1024).
  const computeRef = asText(v['virtual-compute-desc']);
  const compute = computeRef === undefined ? undefined : x.computeById.get(computeRef);
  if (computeRef === undefined) c.warn(at('/virtual-compute-desc'), `VDU "${vid}" names no virtual-compute-desc; it gets ${DEFAULT_VCPUS} vCPU and ${DEFAULT_MEMORY_GB} GB of memory`);
  else if (!compute) c.add(at('/virtual-compute-desc'), `VDU "${vid}" names virtual-compute-desc "${computeRef}", which is not an id of virtual-compute-desc`);
  const vcpusRaw = asRecord(compute?.['virtual-cpu'])['num-virtual-cpu'];
  const vcpus = vcpusRaw === undefined ? DEFAULT_VCPUS : num(vcpusRaw);
  if (compute && (vcpus === undefined || !Number.isInteger(vcpus) || vcpus < 1)) c.add(`/virtual-compute-desc/${[...x.computeById.keys()].indexOf(computeRef ?? '')}/virtual-cpu/num-virtual-cpu`, 'num-virtual-cpu must be a positive integer');
  const memRaw = asRecord(compute?.['virtual-memory'])['size'];
  const memGb = memRaw === undefined ? DEFAULT_MEMORY_GB : num(memRaw);
  if (compute && (memGb === undefined || memGb <= 0)) c.add(`/virtual-compute-desc/${[...x.computeById.keys()].indexOf(computeRef ?? '')}/virtual-memory/size`, 'virtual-memory size must be a positive number of GB');
  // Storage: the root disk is the first storage descriptor that is not ephemeral or swap.
  let storageGiB: number | undefined;
  asArray(v['virtual-storage-desc']).forEach((ref, si) => {
    const s = x.storageById.get(String(ref));
    if (!s) return c.add(at(`/virtual-storage-desc/${si}`), `VDU "${vid}" names virtual-storage-desc "${String(ref)}", which is not an id of virtual-storage-desc`);
    const kind = asText(s['type-of-storage']) ?? 'root-storage';
    const size = num(s['size-of-storage']);
    if (storageGiB === undefined && /root/.test(kind) && size !== undefined && size > 0) storageGiB = Math.ceil(size);
  });
  // Interfaces, in the order of their first interface requirement's position.
  const ints = list(v['int-cpd']);
  checkUniqueIds(ints, 'id', (i) => at(`/int-cpd/${i}/id`), 'int-cpd id', c);
  const ordered = ints
    .map((cp, i) => ({ cp, i, pos: num(asRecord(asArray(cp['virtual-network-interface-requirement'])[0])['position']) }))
    .sort((a, b) => (a.pos ?? Number.MAX_SAFE_INTEGER) - (b.pos ?? Number.MAX_SAFE_INTEGER) || a.i - b.i);
  const connectionPoints: VduCp[] = ordered.map(({ cp, i }) => {
    const cid = idOf(cp) ?? '';
    if (idOf(cp) === undefined) c.add(at(`/int-cpd/${i}/id`), 'required field id is missing');
    const link = asText(cp['int-virtual-link-desc']);
    if (link !== undefined && !x.ivldIds.has(link)) c.add(at(`/int-cpd/${i}/int-virtual-link-desc`), `int-cpd "${cid}" names "${link}", which is not an id of int-virtual-link-desc`);
    const exposed = x.exposing.get(`${vid}\u0000${cid}`);
    const type: CpType = exposed ? (exposed.mgmt ? 'management' : 'external') : 'internal';
    return { id: cid, type, ...(link === undefined ? {} : { internalLink: link }) };
  });
  // cloud-init: a file of the package's cloud_init/ folder, or the text itself.
  const initFile = asText(v['cloud-init-file']);
  const initText = asText(v['cloud-init']);
  let userData: Vdu['userData'];
  if (initFile !== undefined) {
    if (initText !== undefined) c.warn(at('/cloud-init'), `VDU "${vid}" has both cloud-init-file and cloud-init; the file is used`);
    const found = opts.cloudInit?.get(initFile);
    if (found) userData = { content: found.content, file: found.file };
    else if (opts.cloudInit) c.add(at('/cloud-init-file'), `cloud-init-file "${initFile}" is not in the package (expected cloud_init/${initFile})`);
    else c.warn(at('/cloud-init-file'), `cloud-init-file "${initFile}" comes with the package; upload the package (folder or .tar.gz), not the descriptor alone, to use it`);
  } else if (initText !== undefined) userData = { content: initText };
  const checksum = readChecksum(image?.['checksum']);
  return {
    id: vid,
    image: image ? imageName(image) : '',
    imageFormat: imageFormat(image),
    vcpus: vcpus ?? DEFAULT_VCPUS,
    memoryMiB: Math.ceil((memGb ?? DEFAULT_MEMORY_GB) * 1024 - 1e-9),
    ...(storageGiB === undefined ? {} : { storageGiB }),
    connectionPoints,
    ...(alternativeImages.length > 0 ? { alternativeImages } : {}),
    ...(checksum ? { imageChecksum: checksum } : {}),
    ...(userData ? { userData } : {}),
  };
};

/** The name to find the image by in the VIM: `image`, else `name`, else the id. */
const imageName = (s: Rec): string => asText(s['image']) ?? asText(s['name']) ?? idOf(s) ?? '';

const imageFormat = (s: Rec | undefined): string => {
  if (!s) return 'qcow2';
  if (asText(s['container-format'])?.toLowerCase() === 'docker') return 'docker';
  return asText(s['disk-format'])?.toLowerCase() ?? 'qcow2';
};

/** SOL006 `checksum {algorithm, hash}`, or OSM's plain text (an MD5 by its length, SHA-256 by its). */
const readChecksum = (v: unknown): Vdu['imageChecksum'] => {
  if (isRecord(v)) {
    const hash = asText(v['hash']);
    return hash === undefined ? undefined : { algorithm: asText(v['algorithm']) ?? 'sha-256', hash };
  }
  const text = asText(v);
  if (text === undefined || !/^[0-9a-f]+$/i.test(text)) return undefined;
  return { algorithm: text.length === 32 ? 'md5' : text.length === 64 ? 'sha-256' : 'unknown', hash: text };
};

const readFlavour = (f: Rec, fi: number, vdus: ReadonlySet<string>, kdus: readonly Rec[], c: Sol006Issues): DeploymentFlavour => {
  const at = (p: string): string => `/df/${fi}${p}`;
  const fid = idOf(f) ?? '';
  if (idOf(f) === undefined) c.add(at('/id'), 'required field id is missing');
  const vduProfiles = list(f['vdu-profile']).map((p, pi) => {
    const vdu = idOf(p) ?? '';
    if (!vdus.has(vdu)) c.add(at(`/vdu-profile/${pi}/id`), `vdu-profile "${vdu}" is not an id of vdu`);
    const min = num(p['min-number-of-instances']) ?? 1;
    const max = num(p['max-number-of-instances']);
    if (max !== undefined && max < min) c.add(at(`/vdu-profile/${pi}/max-number-of-instances`), `max-number-of-instances ${max} is below min-number-of-instances ${min}`);
    return { vdu, minInstances: min, ...(max === undefined ? {} : { maxInstances: max }) };
  });
  const instantiationLevels: InstantiationLevel[] = list(f['instantiation-level']).map((l, li) => {
    const vduInstances: Record<string, number> = {};
    list(l['vdu-level']).forEach((x, xi) => {
      const vdu = asText(x['vdu-id']) ?? '';
      if (!vdus.has(vdu)) c.add(at(`/instantiation-level/${li}/vdu-level/${xi}/vdu-id`), `vdu-level names VDU "${vdu}", which is not an id of vdu`);
      vduInstances[vdu] = num(x['number-of-instances']) ?? 1;
    });
    const description = asText(l['description']);
    return { id: idOf(l) ?? '', ...(description === undefined ? {} : { description }), vduInstances };
  });
  const defaultLevel = asText(f['default-instantiation-level-id']);
  if (defaultLevel !== undefined && !instantiationLevels.some((l) => l.id === defaultLevel)) c.add(at('/default-instantiation-level-id'), `"${defaultLevel}" is not an id of this df's instantiation-level`);
  list(f['kdu-resource-profile']).forEach((p, pi) => {
    const kdu = asText(p['kdu-name']);
    if (!kdus.some((k) => idOf(k, 'name') === kdu)) c.add(at(`/kdu-resource-profile/${pi}/kdu-name`), `kdu-resource-profile names KDU "${kdu ?? ''}", which is not a name of kdu`);
  });
  const description = asText(f['description']);
  return {
    id: fid,
    ...(description === undefined ? {} : { description }),
    vduProfiles,
    instantiationLevels,
    ...(defaultLevel === undefined ? {} : { defaultInstantiationLevel: defaultLevel }),
    scalingAspects: list(f['scaling-aspect']).map((a) => idOf(a) ?? ''),
  };
};

/**
 * A scaling aspect: the first delta of `aspect-delta-details` (the step Rondo scales by),
 * VDU deltas by VDU id and KDU resource deltas by the KDU their profile names, and the
 * `scaling-policy` criteria as triggers.
 */
const readAspect = (a: Rec, rel: string, f: Rec, units: ReadonlySet<string>, monitors: ReadonlySet<string | undefined>, c: Sol006Issues): ScalingAspect => {
  const aid = idOf(a) ?? '';
  if (idOf(a) === undefined) c.add(`${rel}/id`, 'required field id is missing');
  const deltas: Record<string, number> = {};
  const step = asRecord(asArray(asRecord(a['aspect-delta-details'])['deltas'])[0]);
  list(step['vdu-delta']).forEach((x, xi) => {
    const vdu = idOf(x) ?? '';
    if (!units.has(vdu)) c.add(`${rel}/aspect-delta-details/deltas/0/vdu-delta/${xi}/id`, `vdu-delta names VDU "${vdu}", which is not an id of vdu`);
    deltas[vdu] = num(x['number-of-instances']) ?? 1;
  });
  const kduProfiles = list(f['kdu-resource-profile']);
  list(step['kdu-resource-delta']).forEach((x, xi) => {
    const pid = idOf(x) ?? '';
    const profile = kduProfiles.find((p) => idOf(p) === pid);
    if (!profile) return c.add(`${rel}/aspect-delta-details/deltas/0/kdu-resource-delta/${xi}/id`, `kdu-resource-delta names "${pid}", which is not an id of the df's kdu-resource-profile`);
    deltas[asText(profile['kdu-name']) ?? pid] = num(x['number-of-instances']) ?? 1;
  });
  const triggers: ScalingTrigger[] = [];
  list(a['scaling-policy']).forEach((p, pi) => {
    const automatic = (asText(p['scaling-type']) ?? 'manual').toLowerCase() === 'automatic';
    const cooldown = num(p['cooldown-time']);
    const thresholdTime = num(p['threshold-time']);
    list(p['scaling-criteria']).forEach((k, ki) => {
      const parameter = asText(k['vnf-monitoring-param-ref']) ?? '';
      if (!monitors.has(parameter)) c.add(`${rel}/scaling-policy/${pi}/scaling-criteria/${ki}/vnf-monitoring-param-ref`, `"${parameter}" is not the id of a VDU monitoring-parameter`);
      const rule = (op: unknown, th: unknown) => (asText(op) !== undefined && num(th) !== undefined ? { operator: String(asText(op)), threshold: num(th) as number } : undefined);
      const scaleOut = rule(k['scale-out-relational-operation'], k['scale-out-threshold']);
      const scaleIn = rule(k['scale-in-relational-operation'], k['scale-in-threshold']);
      triggers.push({
        name: asText(k['name']) ?? asText(p['name']) ?? '',
        parameter,
        automatic,
        ...(scaleOut ? { scaleOut } : {}),
        ...(scaleIn ? { scaleIn } : {}),
        ...(cooldown === undefined ? {} : { cooldownSeconds: cooldown }),
        ...(thresholdTime === undefined ? {} : { thresholdSeconds: thresholdTime }),
      });
    });
  });
  const name = asText(a['name']);
  return { id: aid, ...(name === undefined ? {} : { name }), maxScaleLevel: num(a['max-scale-level']) ?? 1, deltas, ...(triggers.length > 0 ? { triggers } : {}) };
};

/**
 * Day-1/day-2 configuration: each df's `lcm-operations-configuration/operate-vnf-op-config/day1-2`
 * (and the Release 9 `vnf-configuration` / `vdu-configuration` lists); each entry's `id` is
 * the VNFD id (the VNF as a whole), a VDU id or a KDU name.
 */
const readConfigPrimitives = (d: Rec, dfs: readonly Rec[], vnfdId: string, units: ReadonlySet<string>, c: Sol006Issues): ConfigPrimitive[] => {
  const entries: { e: Rec; rel: string }[] = [];
  dfs.forEach((f, fi) => {
    list(asRecord(asRecord(f['lcm-operations-configuration'])['operate-vnf-op-config'])['day1-2']).forEach((e, ei) =>
      entries.push({ e, rel: `/df/${fi}/lcm-operations-configuration/operate-vnf-op-config/day1-2/${ei}` }),
    );
  });
  for (const key of ['vnf-configuration', 'vdu-configuration']) {
    const v = d[key];
    (Array.isArray(v) ? list(v) : isRecord(v) ? [v] : []).forEach((e, ei) => entries.push({ e, rel: Array.isArray(v) ? `/${key}/${ei}` : `/${key}` }));
  }
  const out: ConfigPrimitive[] = [];
  for (const { e, rel } of entries) {
    const target = idOf(e) ?? vnfdId;
    const vdu = target === vnfdId ? undefined : [...units].find((u) => u === target || `${u}-vdu-configuration` === target);
    if (target !== vnfdId && vdu === undefined) {
      c.add(`${rel}/id`, `"${target}" is neither the VNFD id nor a VDU id or KDU name`);
      continue;
    }
    const environments = new Map(list(e['execution-environment-list']).map((x) => [idOf(x) ?? '', describeEnvironment(x)]));
    const juju = isRecord(e['juju']) ? describeEnvironment({ juju: e['juju'] }) : undefined;
    const envOf = (p: Rec): string | undefined => environments.get(asText(p['execution-environment-ref']) ?? '') ?? juju ?? (environments.size === 1 ? [...environments.values()][0] : undefined);
    const add = (stage: ConfigPrimitive['stage'], p: Rec, valueKey: 'value' | 'default-value'): void => {
      const parameters: ConfigParameter[] = list(p['parameter']).map((x) => {
        const dataType = asText(x['data-type']);
        const value = asText(x[valueKey]);
        return { name: asText(x['name']) ?? '', ...(dataType === undefined ? {} : { dataType }), ...(value === undefined ? {} : { value }) };
      });
      const order = num(p['seq']);
      const env = envOf(p);
      out.push({ name: asText(p['name']) ?? '', stage, ...(vdu === undefined ? {} : { vdu }), ...(order === undefined ? {} : { order }), parameters, ...(env === undefined ? {} : { executionEnvironment: env }) });
    };
    for (const p of list(e['initial-config-primitive'])) add('initial', p, 'value');
    for (const p of list(e['config-primitive'])) add('on-demand', p, 'default-value');
    for (const p of list(e['terminate-config-primitive'])) add('terminate', p, 'value');
  }
  return out;
};

const describeEnvironment = (x: Rec): string | undefined => {
  const juju = asRecord(x['juju']);
  const charm = asText(juju['charm']);
  if (charm !== undefined) return `juju charm ${charm}${juju['proxy'] === false ? ' (native)' : ''}`;
  const chart = asText(x['helm-chart']);
  if (chart !== undefined) return `helm chart ${chart}`;
  return undefined;
};
