import { bytesToGiB, bytesToMiB, parseScalarSize } from '../../size-units.js';
import type { HotResource } from './hot-template.js';
import { getResource } from './hot-template.js';
import { parseYamlSafe } from '../../safe-yaml.js';
import type { Lenience } from './hot-unsupported.js';
import { hotUnsupported } from './hot-unsupported.js';
import type { ToscaNode } from './tosca-topology.js';
import { isDict } from './tosca-topology.js';

/** Suffix heat-translator gives the flavor resource of a VDU. */
export const FLAVOR_SUFFIX = '_flavor';

/** What a VDU needs from a flavor. */
export interface FlavorSpec {
  readonly vcpus: number;
  readonly ramMiB: number;
  readonly diskGiB: number;
  readonly extraSpecs?: Record<string, unknown>;
}

/**
 * The deterministic flavor name Rondo uses on OpenStack for a flavor spec,
 * `rondo-c<vcpus>-m<MiB>-d<GiB>` (the OpenStack driver creates it when missing).
 */
export const rondoFlavorName = (f: Pick<FlavorSpec, 'vcpus' | 'ramMiB' | 'diskGiB'>): string =>
  `rondo-c${f.vcpus}-m${f.ramMiB}-d${f.diskGiB}`;

/**
 * Reads `capabilities.virtual_compute` of a VDU into a flavor spec. `nova_extra_specs` is a
 * map, or (SOL001 types it `map of string`) a YAML text of one; one that is neither is
 * refused, or left out with a warning (heat-translator's behaviour) when `lenience` warns.
 */
export function flavorSpecOf(node: ToscaNode, lenience: Lenience): FlavorSpec {
  const vc = node.capabilities.virtual_compute;
  const props = isDict(vc) && isDict(vc.properties) ? vc.properties : undefined;
  const where = 'capabilities.virtual_compute.properties';
  if (!props) throw hotUnsupported(node.file, `node_templates/${node.name}`, where, 'a VDU needs virtual_compute (virtual_cpu and virtual_memory) to derive a flavor');
  const cpu = isDict(props.virtual_cpu) ? props.virtual_cpu : {};
  const mem = isDict(props.virtual_memory) ? props.virtual_memory : {};
  const vcpus = cpu.num_virtual_cpu;
  if (typeof vcpus !== 'number' || !Number.isInteger(vcpus) || vcpus < 1) {
    throw hotUnsupported(node.file, `node_templates/${node.name}`, `${where}.virtual_cpu.num_virtual_cpu`, 'must be a positive integer');
  }
  if (cpu.virtual_cpu_pinning !== undefined) {
    // A flavor without the pinning extra specs would boot an unpinned VM: wrong, not degraded.
    throw hotUnsupported(node.file, `node_templates/${node.name}`, `${where}.virtual_cpu.virtual_cpu_pinning`, 'CPU pinning is not translated; use compute_requirements.nova_extra_specs');
  }
  const memBytes = parseScalarSize(mem.virtual_mem_size);
  if (memBytes === undefined) throw hotUnsupported(node.file, `node_templates/${node.name}`, `${where}.virtual_memory.virtual_mem_size`, 'must be a size such as "512 MiB"');
  let diskGiB = 0;
  const storage = props.virtual_local_storage;
  if (Array.isArray(storage) && storage.length > 0) {
    if (storage.length > 1) throw hotUnsupported(node.file, `node_templates/${node.name}`, `${where}.virtual_local_storage`, 'a flavor has one root disk; declare one local storage or use VirtualBlockStorage');
    const first: unknown = storage[0];
    const bytes = isDict(first) ? parseScalarSize(first.size_of_storage) : undefined;
    if (bytes === undefined) throw hotUnsupported(node.file, `node_templates/${node.name}`, `${where}.virtual_local_storage.0.size_of_storage`, 'must be a size such as "1 GiB"');
    diskGiB = bytesToGiB(bytes);
  }
  let extraSpecs: Record<string, unknown> | undefined;
  const req = props.compute_requirements;
  if (isDict(req) && req.nova_extra_specs !== undefined) {
    const raw = req.nova_extra_specs;
    const parsed = typeof raw === 'string' ? parseYamlSafe(raw, node.file) : undefined;
    const specs = isDict(raw) ? raw : parsed?.ok === true && isDict(parsed.value) ? parsed.value : undefined;
    if (specs !== undefined) extraSpecs = specs;
    else {
      lenience.soften(hotUnsupported(node.file, `node_templates/${node.name}`, `${where}.compute_requirements.nova_extra_specs`, `must be a map of extra spec keys to values (or its YAML text); ${JSON.stringify(raw)} is not`), 'the flavor has no extra specs');
    }
  }
  return { vcpus, ramMiB: bytesToMiB(memBytes), diskGiB, ...(extraSpecs ? { extraSpecs } : {}) };
}

/** The `OS::Nova::Flavor` resource heat-translator emits beside each VDU. */
export function flavorResource(spec: FlavorSpec): HotResource {
  return {
    type: 'OS::Nova::Flavor',
    properties: { ram: spec.ramMiB, vcpus: spec.vcpus, disk: spec.diskGiB, ...(spec.extraSpecs ? { extra_specs: spec.extraSpecs } : {}) },
  };
}

const IGNORED_VDU_PROPS = new Set(['name', 'description', 'vdu_profile', 'sw_image_data', 'monitoring_parameters', 'configurable_properties', 'boot_order']);

/**
 * Translates a `Vdu.Compute` node into an `OS::Nova::Server` without networks (the CPs add
 * those). `image` is the Glance name or id to boot; `flavor` the flavor reference.
 */
export function serverResource(node: ToscaNode, image: unknown, flavor: unknown, storages: readonly ToscaNode[]): HotResource {
  for (const key of Object.keys(node.properties)) {
    if (!IGNORED_VDU_PROPS.has(key)) {
      throw hotUnsupported(node.file, `node_templates/${node.name}`, `properties.${key}`, `VDU property ${key} has no Heat mapping; remove it or deploy without Heat`);
    }
  }
  const bootOrder = node.properties.boot_order;
  if (Array.isArray(bootOrder) && bootOrder.length > 0) {
    throw hotUnsupported(node.file, `node_templates/${node.name}`, 'properties.boot_order', 'boot order across several storages is not translated');
  }
  const props: Record<string, unknown> = {
    flavor,
    name: typeof node.properties.name === 'string' ? node.properties.name : node.name,
  };
  const bdm: Record<string, unknown>[] = [];
  for (const s of storages) {
    // A volume with an image and a VDU without one boots from that volume.
    const boots = image === undefined && isDict(s.properties.sw_image_data);
    bdm.push({ volume_id: getResource(s.name), ...(boots ? { boot_index: 0 } : {}) });
  }
  if (image !== undefined) props.image = image;
  else if (!bdm.some((b) => b.boot_index === 0)) {
    throw hotUnsupported(node.file, `node_templates/${node.name}`, 'properties.sw_image_data', 'a VDU needs sw_image_data (or a bootable VirtualBlockStorage) to boot');
  }
  if (bdm.length > 0) props.block_device_mapping_v2 = bdm;
  return { type: 'OS::Nova::Server', properties: props };
}

/** Translates a `Vdu.VirtualBlockStorage` node into an `OS::Cinder::Volume`. */
export function volumeResource(node: ToscaNode, image: string | undefined): HotResource {
  const data = node.properties.virtual_block_storage_data;
  const bytes = isDict(data) ? parseScalarSize(data.size_of_storage) : undefined;
  if (bytes === undefined) {
    throw hotUnsupported(node.file, `node_templates/${node.name}`, 'properties.virtual_block_storage_data.size_of_storage', 'must be a size such as "1 GiB"');
  }
  if (isDict(data) && data.rdma_enabled === true) {
    throw hotUnsupported(node.file, `node_templates/${node.name}`, 'properties.virtual_block_storage_data.rdma_enabled', 'RDMA volumes are not translated');
  }
  return { type: 'OS::Cinder::Volume', properties: { size: bytesToGiB(bytes), ...(image !== undefined ? { image } : {}) } };
}

/** Whether one of `storages` carries an image a VDU without its own could boot from. */
export const hasBootVolume = (storages: readonly ToscaNode[]): boolean => storages.some((s) => isDict(s.properties.sw_image_data));

/** The image name from `sw_image_data.name`, if any. */
export function imageNameOf(node: ToscaNode): string | undefined {
  const sw = node.properties.sw_image_data;
  if (sw === undefined) return undefined;
  if (!isDict(sw) || typeof sw.name !== 'string' || sw.name === '') {
    throw hotUnsupported(node.file, `node_templates/${node.name}`, 'properties.sw_image_data.name', 'must name the image to boot');
  }
  return sw.name;
}
