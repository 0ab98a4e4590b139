import type { CpType, DescriptorFormat, Result, ValidationIssue, Vdu, VduCp, Vnfd, VnfCp, VnfMonitoringParameter } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText, checkUnique, collectIssues, isRecord } from '../issue-collector.js';
import type { IssueCollector } from '../issue-collector.js';
import { readSpecificManagers } from '../specific-managers.js';
import { checkSchema } from '../schema-check.js';
import { bytesToGiB, bytesToMiB, sizeToBytes } from '../size-units.js';
import { tangoVnfdSchema } from './tango-vnfd-schema.js';

/** vim-emu's convention: the VDU environment carries the start and stop commands. */
const START_ENV = 'SON_EMU_CMD';
const STOP_ENV = 'SON_EMU_CMD_STOP';

/**
 * Reads a 5GTANGO (or SONATA) VNFD document into the model: VDUs with their resources
 * (memory in MiB, storage in GiB, `cpu_bw` as a share of CPU time), external CPs mapped
 * to the VDU CPs that realise them (via the internal virtual links; a single-VDU VNF may
 * rely on same-named CPs), and start/stop commands from `lifecycle_events` or the
 * `SON_EMU_CMD`/`SON_EMU_CMD_STOP` environment of a VDU.
 */
export const readTangoVnfd = (doc: unknown, file: string, format: DescriptorFormat = 'tango', warnings?: ValidationIssue[]): Result<Vnfd, ValidationIssue[]> => {
  const schemaIssues = checkSchema(tangoVnfdSchema, doc, file);
  if (schemaIssues.length > 0 || !isRecord(doc)) return err(schemaIssues.length > 0 ? schemaIssues : [{ file, path: '', message: 'VNFD must be a YAML mapping' }]);
  const c = collectIssues(file);
  const warn = (path: string, message: string): void => void warnings?.push({ file, path, message });
  const units = asArray(doc['virtual_deployment_units']).map(asRecord);
  const cdus = asArray(doc['cloudnative_deployment_units']).map(asRecord);
  const pdus = asArray(doc['physical_deployment_units']).map(asRecord);
  const extCps = asArray(doc['connection_points']).map(asRecord);
  const links = asArray(doc['virtual_links']).map(asRecord);
  const unitIds = [...units, ...cdus, ...pdus].map((u) => u['id']);
  checkUnique(unitIds, (i) => unitPath(i, units.length, cdus.length), 'deployment unit id', c);
  checkUnique(extCps.map((p) => p['id']), (i) => `/connection_points/${i}/id`, 'connection point id', c);
  checkUnique(links.map((l) => l['id']), (i) => `/virtual_links/${i}/id`, 'virtual link id', c);

  const startCommands: string[] = [];
  const stopCommands: string[] = [];
  const vdus = [...units.map((u, i) => readVdu(u, i, c, startCommands, stopCommands)), ...cdus.map((u, i) => readCdu(u, i))];
  // Physical units are known for references but not deployed: Rondo has no PNF driver.
  pdus.forEach((u, i) => warn(`/physical_deployment_units/${i}`, `physical deployment unit "${String(u['id'])}" is not deployed by Rondo; connect the device yourself`));
  const unitCps = new Map<string, ReadonlySet<string>>([
    ...vdus.map((v) => [v.id, new Set(v.connectionPoints.map((p) => p.id))] as const),
    ...pdus.map((u) => [String(u['id']), new Set(asArray(u['connection_points']).map((p) => String(asRecord(p)['id'])))] as const),
  ]);
  const extIds = new Set(extCps.map((p) => String(p['id'])));
  const resolve = (text: string): UnitRef => resolveUnitRef(text, extIds, unitCps);

  // Internal links: "unit:cp" must name a unit's CP, a bare name a VNF connection point;
  // SONATA's older VNFDs name unit CPs by their full id ("vdu01:cp01" on the unit with id "1").
  links.forEach((l, li) => {
    asArray(l['connection_points_reference']).forEach((r, ri) => {
      const ref = resolve(String(r));
      if (ref.kind !== 'bad') return;
      const path = `/virtual_links/${li}/connection_points_reference/${ri}`;
      // 5GTANGO CNFs map service ports with E-Tree links the SP does not wire as networks
      // (tng-schema's own cnf-vnfd example names a unit that does not exist); Rondo ignores one it cannot resolve.
      if (units.length === 0 && cdus.length > 0 && l['connectivity_type'] === 'E-Tree') warn(path, `${ref.message}; the port mapping is ignored`);
      else c.add(path, ref.message);
    });
  });

  const connectionPoints: VnfCp[] = [];
  extCps.forEach((p, pi) => {
    const id = String(p['id']);
    const realised = realisingVduCp(id, links, vdus, resolve);
    if (realised) connectionPoints.push({ id, type: cpType(p['type']), vdu: realised.vdu, vduCp: realised.cp });
    else if (units.length === 0) warn(`/connection_points/${pi}`, `connection point "${id}" is not connected to a deployment unit Rondo deploys`);
    else c.add(`/connection_points/${pi}`, `connection point "${id}" is not connected to any VDU connection point; add a virtual link "vdu:cp" ↔ "${id}"`);
  });

  asArray(doc['lifecycle_events']).map(asRecord).forEach((e) => {
    const events = asRecord(e['events']);
    const start = asText(asRecord(events['start'])['command']);
    const stop = asText(asRecord(events['stop'])['command']);
    if (start) startCommands.push(start);
    if (stop) stopCommands.push(stop);
  });

  const monitoringParameters: VnfMonitoringParameter[] = units.flatMap((u) =>
    asArray(u['monitoring_parameters']).map(asRecord).map((m) => {
      const unit = asText(m['unit']);
      return { name: String(m['name']), ...(unit === undefined ? {} : { unit }) };
    }),
  );
  const managers = readSpecificManagers(doc['function_specific_managers'], '/function_specific_managers', c);
  if (c.issues.length > 0) return err(c.issues);
  const ref = { vendor: String(doc['vendor']), name: String(doc['name']), version: asText(doc['version']) ?? '' };
  const description = asText(doc['description']);
  return ok({
    descriptorId: `${ref.vendor}.${ref.name}.${ref.version}`,
    ref,
    format,
    ...(description === undefined ? {} : { description: description.trim() }),
    ...(typeof doc['author'] === 'string' ? { provider: doc['author'] } : {}),
    vdus,
    connectionPoints,
    monitoringParameters,
    scalingAspects: [],
    startCommands,
    stopCommands,
    ...(managers ? { managers } : {}),
    source: doc,
  });
};

/**
 * 5GTANGO's runtime (vim-emu, the LLCM) multiplies MB by 1024², GB by 1024³: in 5GTANGO
 * descriptors the decimal names mean binary sizes, and Rondo keeps that meaning.
 */
const TANGO_BINARY_UNITS: Readonly<Record<string, string>> = { kB: 'KiB', KB: 'KiB', MB: 'MiB', GB: 'GiB', TB: 'TiB' };
const tangoSize = (size: unknown, unit: string | undefined): number | undefined => {
  const u = unit ?? 'MB';
  return sizeToBytes(Number(size), TANGO_BINARY_UNITS[u] ?? u);
};

const cpType = (t: unknown): CpType => (t === 'management' || t === 'internal' ? t : 'external');

const readVdu = (u: Record<string, unknown>, i: number, c: IssueCollector, start: string[], stop: string[]): Vdu => {
  const base = `/virtual_deployment_units/${i}`;
  const res = asRecord(u['resource_requirements']);
  const cpu = asRecord(res['cpu']);
  const vcpus = Number(cpu['vcpus']);
  const cpuBw = typeof cpu['cpu_bw'] === 'number' ? cpu['cpu_bw'] : undefined;
  if (cpuBw !== undefined && cpuBw > vcpus) c.add(`${base}/resource_requirements/cpu/cpu_bw`, `cpu_bw ${cpuBw} exceeds vcpus ${vcpus}; it is a share of CPU time in (0, vcpus]`);
  const mem = asRecord(res['memory']);
  const memBytes = tangoSize(mem['size'], asText(mem['size_unit']));
  if (memBytes === undefined) c.add(`${base}/resource_requirements/memory`, 'memory size must be a positive number with a known size_unit');
  const storage = isRecord(res['storage']) ? res['storage'] : undefined;
  const storageBytes = storage ? tangoSize(storage['size'], asText(storage['size_unit'])) : undefined;
  const vduCps = asArray(u['connection_points']).map(asRecord);
  checkUnique(vduCps.map((p) => p['id']), (j) => `${base}/connection_points/${j}/id`, 'connection point id', c);
  const connectionPoints: VduCp[] = vduCps.map((p) => ({ id: String(p['id']), type: cpType(p['type']) }));
  const env = readEnv(u['environment']);
  if (env[START_ENV]) start.push(env[START_ENV]);
  if (env[STOP_ENV]) stop.push(env[STOP_ENV]);
  const scale = asRecord(u['scale_in_out']);
  return {
    id: String(u['id']),
    image: String(u['vm_image']),
    imageFormat: asText(u['vm_image_format']) ?? 'docker',
    vcpus,
    ...(cpuBw === undefined ? {} : { cpuBw }),
    memoryMiB: bytesToMiB(memBytes ?? 0),
    ...(storageBytes === undefined ? {} : { storageGiB: bytesToGiB(storageBytes) }),
    connectionPoints,
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(typeof scale['minimum'] === 'number' && scale['minimum'] > 0 ? { initialInstances: scale['minimum'] } : {}),
    // 5GTANGO has no scaling aspects: a SCALE takes the VDU itself as one, up to this maximum.
    ...(typeof scale['maximum'] === 'number' ? { maxInstances: scale['maximum'] } : {}),
  };
};

/** Environment as a map or a `KEY=value` list; values become strings. */
const readEnv = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq > 0) out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isRecord(v)) {
    for (const [k, val] of Object.entries(v)) out[k] = String(val);
  }
  return out;
};

type UnitRef = { kind: 'unit'; unit: string; cp: string } | { kind: 'ext'; id: string } | { kind: 'bad'; message: string };

/** Resolves a VNFD-internal CP reference: a VNF CP, `unit:cp`, or a unit CP's full id. */
const resolveUnitRef = (raw: string, extIds: ReadonlySet<string>, unitCps: ReadonlyMap<string, ReadonlySet<string>>): UnitRef => {
  // SONATA's tools read `'output   '` as `output` (son-cli's proxy-lb squid VNFD).
  const text = raw.trim();
  if (extIds.has(text)) return { kind: 'ext', id: text };
  const i = text.indexOf(':');
  if (i >= 0) {
    const unit = text.slice(0, i);
    const cp = text.slice(i + 1);
    const cps = unitCps.get(unit);
    if (cps?.has(cp)) return { kind: 'unit', unit, cp };
    for (const [u, set] of unitCps) if (set.has(text)) return { kind: 'unit', unit: u, cp: text };
    return { kind: 'bad', message: cps ? `VDU "${unit}" has no connection point "${cp}"` : `"${unit}" is not a VDU id of virtual_deployment_units` };
  }
  for (const [u, set] of unitCps) if (set.has(text)) return { kind: 'unit', unit: u, cp: text };
  return { kind: 'bad', message: `"${text}" is not a connection point of the VNF` };
};

const unitPath = (i: number, vdus: number, cdus: number): string =>
  i < vdus ? `/virtual_deployment_units/${i}/id` : i < vdus + cdus ? `/cloudnative_deployment_units/${i - vdus}/id` : `/physical_deployment_units/${i - vdus - cdus}/id`;

/** A cloud-native deployment unit is a container: a VDU with a Docker image. */
const readCdu = (u: Record<string, unknown>, _i: number): Vdu => {
  const res = asRecord(u['resource_requirements']);
  const vcpus = Number(asRecord(res['cpu'])['vcpus'] ?? 1);
  const mem = asRecord(res['memory']);
  const memBytes = mem['size'] === undefined ? undefined : tangoSize(mem['size'], asText(mem['size_unit']));
  const env = readEnv(asRecord(u['parameters'])['env']);
  return {
    id: String(u['id']),
    image: String(u['image']),
    imageFormat: 'docker',
    vcpus: Number.isInteger(vcpus) && vcpus > 0 ? vcpus : 1,
    memoryMiB: bytesToMiB(memBytes ?? 0),
    connectionPoints: asArray(u['connection_points']).map(asRecord).map((p) => ({ id: String(p['id']), type: cpType(p['type']) })),
    ...(Object.keys(env).length > 0 ? { env } : {}),
  };
};

const realisingVduCp = (id: string, links: readonly Record<string, unknown>[], vdus: readonly Vdu[], resolve: (text: string) => UnitRef): { vdu: string; cp: string } | undefined => {
  const deployed = new Set(vdus.map((v) => v.id));
  for (const l of links) {
    const refs = asArray(l['connection_points_reference']).map((r) => resolve(String(r)));
    if (!refs.some((r) => r.kind === 'ext' && r.id === id)) continue;
    const unitRef = refs.find((r) => r.kind === 'unit' && deployed.has(r.unit));
    if (unitRef && unitRef.kind === 'unit') return { vdu: unitRef.unit, cp: unitRef.cp };
  }
  // A single-VDU VNF may expose its VDU's CP under the same name without a link.
  const only = vdus.length === 1 ? vdus[0] : undefined;
  if (only && only.connectionPoints.some((p) => p.id === id)) return { vdu: only.id, cp: id };
  return undefined;
};
