import type { CpType, DescriptorFormat, Result, ValidationIssue, Vdu, VduCp, Vnfd, VnfCp, VnfMonitoringParameter } from '../../model/index.js';
import { err, ok } from '../../model/index.js';
import { asArray, asRecord, asText, checkUnique, collectIssues, isRecord } from '../issue-collector.js';
import type { IssueCollector } from '../issue-collector.js';
import { checkSchema } from '../schema-check.js';
import { bytesToGiB, bytesToMiB, sizeToBytes } from '../size-units.js';
import { parseTangoCpRef } from './tango-nsd-reader.js';
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
export const readTangoVnfd = (doc: unknown, file: string, format: DescriptorFormat = 'tango'): Result<Vnfd, ValidationIssue[]> => {
  const schemaIssues = checkSchema(tangoVnfdSchema, doc, file);
  if (schemaIssues.length > 0 || !isRecord(doc)) return err(schemaIssues.length > 0 ? schemaIssues : [{ file, path: '', message: 'VNFD must be a YAML mapping' }]);
  const c = collectIssues(file);
  const units = asArray(doc['virtual_deployment_units']).map(asRecord);
  const extCps = asArray(doc['connection_points']).map(asRecord);
  const links = asArray(doc['virtual_links']).map(asRecord);
  checkUnique(units.map((u) => u['id']), (i) => `/virtual_deployment_units/${i}/id`, 'VDU id', c);
  checkUnique(extCps.map((p) => p['id']), (i) => `/connection_points/${i}/id`, 'connection point id', c);
  checkUnique(links.map((l) => l['id']), (i) => `/virtual_links/${i}/id`, 'virtual link id', c);

  const startCommands: string[] = [];
  const stopCommands: string[] = [];
  const vdus = units.map((u, i) => readVdu(u, i, c, startCommands, stopCommands));
  const vduById = new Map(vdus.map((v) => [v.id, v]));
  const extIds = new Set(extCps.map((p) => String(p['id'])));

  // Internal links: "vdu:cp" must name a VDU CP, a bare name a VNF connection point.
  links.forEach((l, li) => {
    asArray(l['connection_points_reference']).forEach((r, ri) => {
      const ref = parseTangoCpRef(String(r));
      const path = `/virtual_links/${li}/connection_points_reference/${ri}`;
      if (ref.kind === 'sap' && !extIds.has(ref.sap)) c.add(path, `"${ref.sap}" is not a connection point of the VNF`);
      if (ref.kind === 'vnf') {
        const vdu = vduById.get(ref.vnfId);
        if (!vdu) c.add(path, `"${ref.vnfId}" is not a VDU id of virtual_deployment_units`);
        else if (!vdu.connectionPoints.some((p) => p.id === ref.cp)) c.add(path, `VDU "${ref.vnfId}" has no connection point "${ref.cp}"`);
      }
    });
  });

  const connectionPoints: VnfCp[] = [];
  extCps.forEach((p, pi) => {
    const id = String(p['id']);
    const realised = realisingVduCp(id, links, vdus);
    if (!realised) c.add(`/connection_points/${pi}`, `connection point "${id}" is not connected to any VDU connection point; add a virtual link "vdu:cp" ↔ "${id}"`);
    else connectionPoints.push({ id, type: cpType(p['type']), vdu: realised.vdu, vduCp: realised.cp });
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

const realisingVduCp = (id: string, links: readonly Record<string, unknown>[], vdus: readonly Vdu[]): { vdu: string; cp: string } | undefined => {
  for (const l of links) {
    const refs = asArray(l['connection_points_reference']).map((r) => parseTangoCpRef(String(r)));
    if (!refs.some((r) => r.kind === 'sap' && r.sap === id)) continue;
    const vduRef = refs.find((r) => r.kind === 'vnf');
    if (vduRef && vduRef.kind === 'vnf') return { vdu: vduRef.vnfId, cp: vduRef.cp };
  }
  // A single-VDU VNF may expose its VDU's CP under the same name without a link.
  const only = vdus.length === 1 ? vdus[0] : undefined;
  if (only && only.connectionPoints.some((p) => p.id === id)) return { vdu: only.id, cp: id };
  return undefined;
};
