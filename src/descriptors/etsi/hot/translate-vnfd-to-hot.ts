import { readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { FLAVOR_SUFFIX, flavorResource, flavorSpecOf, hasBootVolume, imageNameOf, rondoFlavorName, serverResource, volumeResource } from './hot-compute.js';
import { cpBinding, portResource, virtualLinkResources } from './hot-network.js';
import type { CpBinding } from './hot-network.js';
import { placementPlan } from './hot-placement.js';
import { scalingPlan } from './hot-scaling.js';
import type { HotResource, HotTemplate, HotTranslation } from './hot-template.js';
import { emptyHot, getAttr, getParam, getResource } from './hot-template.js';
import { hotInputInvalid, hotUnsupported, Lenience } from './hot-unsupported.js';
import type { ToscaFileSource, ToscaNode } from './tosca-topology.js';
import { isDict, loadToscaTopology } from './tosca-topology.js';

/** Options of {@link translateVnfdToHot}. */
export interface HotTranslateOptions {
  /** Entry file inside the map; default: the only file with a `topology_template`. */
  readonly entry?: string;
  /** Deployment flavour to translate when the VNFD imports several. */
  readonly flavour?: string;
  /**
   * `resource` (default, as heat-translator): an `OS::Nova::Flavor` per VDU (needs admin);
   * `named`: reference `rondo-c<vcpus>-m<MiB>-d<GiB>`, which the OpenStack driver ensures.
   */
  readonly flavors?: 'resource' | 'named';
  /** Image (Glance name or id) per VDU or storage node, overriding `sw_image_data.name`. */
  readonly images?: Readonly<Record<string, string>>;
  /** Instantiation level giving the scaling groups' desired capacity; default: `default_level`. */
  readonly instantiationLevel?: string;
  /** Translate leaf max bitrates into Neutron QoS policies (default true; needs the qos extension). */
  readonly qos?: boolean;
  /**
   * `refuse` (default): a construct without a faithful Heat mapping is a `HOT_UNSUPPORTED`
   * error. `warn`: where heat-translator translates such a construct with a warning, do the
   * same (drop it, or make the missing value a template parameter) and list it in
   * `warnings` (DIFFERENCES.md lists which). `rondo vnfd translate` warns unless `--strict`.
   */
  readonly unsupported?: 'refuse' | 'warn';
}

const TOSCA_FUNCTIONS = new Set(['get_input', 'get_property', 'get_attribute', 'get_operation_output', 'concat', 'join', 'token', 'get_artifact']);

/**
 * Translates a SOL001 VNFD into Heat templates the way Tacker deploys it with
 * heat-translator: `Vdu.Compute` → `OS::Nova::Server` (+ `<VDU>_flavor`),
 * `Vdu.VirtualBlockStorage` → `OS::Cinder::Volume` (block device mapping), `VduCp` →
 * `OS::Neutron::Port`, `VnfVirtualLink` → `OS::Neutron::Net` + `_subnet`, affinity rules →
 * `OS::Nova::ServerGroup`, and each scaling aspect → `OS::Heat::AutoScalingGroup` +
 * `_scale_out`/`_scale_in` policies with a nested template `<aspect>.hot.yaml` holding the
 * aspect's servers, ports and volumes. Deliberate differences from heat-translator are in
 * DIFFERENCES.md beside this file.
 *
 * `input` is either the package's files (path → text; imports resolve relative to the
 * importing file) or the path of the entry file on disk.
 *
 * @throws PackageInvalidError code `HOT_UNSUPPORTED` naming the node (or policy) and the
 *   property that has no faithful Heat mapping; `HOT_INPUT_INVALID` for unreadable input.
 */
export function translateVnfdToHot(input: ReadonlyMap<string, string> | string, opts: HotTranslateOptions = {}): HotTranslation {
  const { source, entry } = typeof input === 'string' ? diskSource(input) : { source: input, entry: entryOf(input, opts.entry) };
  const topo = loadToscaTopology(source, entry, opts.flavour);
  for (const node of topo.nodes.values()) rejectToscaFunctions(node, [node.properties, node.capabilities], 'properties');
  const lenience = new Lenience(opts.unsupported ?? 'refuse');

  const placement = placementPlan(topo.policies, topo.nodes, lenience);
  const aspects = scalingPlan(topo.policies, topo.nodes, lenience, opts.instantiationLevel);
  const aspectOf = new Map<string, string>();
  for (const a of aspects) for (const v of a.vdus) aspectOf.set(v, a.aspect);

  const main = emptyHot(topo.description);
  const nested: Record<string, HotTemplate> = {};
  const nestedOf = (aspect: string): HotTemplate => (nested[`${aspect}.hot.yaml`] ??= { ...emptyHot('Scaling template') });
  const asgProps = new Map<string, Record<string, unknown>>();
  const names = new Set<string>();
  const put = (t: HotTemplate, name: string, r: HotResource, node: ToscaNode): void => {
    if (names.has(name)) throw hotUnsupported(node.file, `node_templates/${node.name}`, '', `HOT resource name ${name} is used twice; rename the node`);
    names.add(name);
    t.resources[name] = r;
  };
  // A value from the main template seen from a VDU's template: the value itself in main,
  // else a nested parameter the scaling group passes in.
  const ref = (vdu: string | undefined, param: string, value: unknown): unknown => {
    const aspect = vdu === undefined ? undefined : aspectOf.get(vdu);
    if (aspect === undefined) return value;
    nestedOf(aspect).parameters[param] = { type: 'string' };
    asgProps.set(aspect, { ...asgProps.get(aspect), [param]: value });
    return getParam(param);
  };
  const templateOf = (vdu: string | undefined): HotTemplate => {
    const aspect = vdu === undefined ? undefined : aspectOf.get(vdu);
    return aspect === undefined ? main : nestedOf(aspect);
  };

  const bindings: CpBinding[] = [...topo.nodes.values()].filter((n) => n.kind === 'CP').map((cp) => cpBinding(cp, topo.nodes));
  const storageOwner = new Map<string, string>();
  const storagesOfVdu = new Map<string, ToscaNode[]>();
  for (const node of topo.nodes.values()) {
    if (node.kind !== 'VDU') continue;
    const storages = storagesOf(node, topo.nodes, lenience);
    storagesOfVdu.set(node.name, storages);
    for (const s of storages) storageOwner.set(s.name, node.name);
  }

  for (const node of topo.nodes.values()) {
    switch (node.kind) {
      case 'VNF':
        if (typeof node.properties.flavour_id === 'string') {
          main.parameters.selected_flavour = {
            type: 'string',
            description: 'VNF deployment flavour selected by the consumer. It is provided in the API',
            default: node.properties.flavour_id,
          };
        }
        break;
      case 'VL': {
        const link = virtualLinkResources(node, opts.qos ?? true, lenience, bindings.some((b) => b.link === node.name));
        for (const [name, r] of Object.entries(link.resources)) put(main, name, r, node);
        Object.assign(main.parameters, link.parameters);
        break;
      }
      case 'UNMAPPED_STORAGE':
        lenience.soften(hotUnsupported(node.file, `node_templates/${node.name}`, 'type', `node type ${node.type} has no Heat mapping (Nova attaches block storage only)`), 'the node is left out');
        break;
      case 'STORAGE': {
        const owner = storageOwner.get(node.name);
        const t = owner === undefined ? main : templateOf(owner);
        put(t, node.name, volumeResource(node, opts.images?.[node.name] ?? imageNameOf(node)), node);
        break;
      }
      case 'CP': {
        const b = bindings.find((x) => x.cp === node) as CpBinding;
        const network = b.link !== undefined
          ? ref(b.vdu, `${b.link.toLowerCase()}_id`, getResource(b.link))
          : ref(b.vdu, `${node.name.toLowerCase()}_network`, mainParam(main, `${node.name.toLowerCase()}_network`, `Network (name or id) of the external connection point ${node.name}`));
        put(templateOf(b.vdu), node.name, portResource(node, network), node);
        break;
      }
      case 'VDU': {
        const spec = flavorSpecOf(node, lenience);
        let flavor: unknown = rondoFlavorName(spec);
        if ((opts.flavors ?? 'resource') === 'resource') {
          const fname = `${node.name}${FLAVOR_SUFFIX}`;
          put(main, fname, flavorResource(spec), node);
          flavor = ref(node.name, `${fname.toLowerCase()}_id`, getResource(fname));
        }
        const storages = storagesOfVdu.get(node.name) ?? [];
        let image: unknown = opts.images?.[node.name] ?? imageNameOf(node);
        if (image === undefined && !hasBootVolume(storages)) {
          lenience.soften(hotUnsupported(node.file, `node_templates/${node.name}`, 'properties.sw_image_data', 'a VDU needs sw_image_data (or a bootable VirtualBlockStorage) to boot'), `the image is the template parameter ${node.name.toLowerCase()}_image`);
          const param = `${node.name.toLowerCase()}_image`;
          image = ref(node.name, param, mainParam(main, param, `Image (name or id) of the VDU ${node.name}`));
        }
        const server = serverResource(node, image, flavor, storages);
        const ports = bindings.filter((b) => b.vdu === node.name).sort((a, b) => a.order - b.order);
        const props = server.properties as Record<string, unknown>;
        // A server without ports: say so, since Nova (API ≥ 2.37) refuses a boot without nics.
        props.networks = ports.length > 0 ? ports.map((p) => ({ port: getResource(p.cp.name) })) : [{ allocate_network: 'none' }];
        const group = placement.groupOfVdu.get(node.name);
        if (group !== undefined) props.scheduler_hints = { group: ref(node.name, `${group.toLowerCase()}_id`, getResource(group)) };
        put(templateOf(node.name), node.name, server, node);
        const t = templateOf(node.name);
        t.outputs[`${node.name}_id`] = { value: getResource(node.name) };
        for (const p of ports) t.outputs[`${p.cp.name}_ip`] = { value: getAttr(p.cp.name, 'fixed_ips', 0, 'ip_address') };
        break;
      }
    }
  }
  for (const [name, r] of Object.entries(placement.groups)) main.resources[name] = r;
  for (const a of aspects) {
    main.resources[a.aspect] = {
      type: 'OS::Heat::AutoScalingGroup',
      properties: {
        min_size: a.minSize,
        max_size: a.maxSize,
        desired_capacity: a.desiredCapacity,
        resource: { type: `${a.aspect}.hot.yaml`, properties: asgProps.get(a.aspect) ?? {} },
      },
    };
    for (const [suffix, sign] of [['_scale_out', 1], ['_scale_in', -1]] as const) {
      main.resources[`${a.aspect}${suffix}`] = {
        type: 'OS::Heat::ScalingPolicy',
        properties: { adjustment_type: 'change_in_capacity', auto_scaling_group_id: getResource(a.aspect), scaling_adjustment: sign * a.delta },
      };
    }
    main.outputs[`${a.aspect}_current_size`] = { value: getAttr(a.aspect, 'current_size') };
  }
  return { main, nested, warnings: lenience.warnings };
}

/**
 * A string parameter of the main template for a value given at instantiation: the network
 * of a CP without a virtual link (SOL003 `extVirtualLinks`), or, with `unsupported: 'warn'`,
 * a VDU image or link CIDR the VNFD leaves out.
 */
function mainParam(main: HotTemplate, param: string, description: string): unknown {
  main.parameters[param] = { type: 'string', description };
  return getParam(param);
}

function storagesOf(vdu: ToscaNode, nodes: ReadonlyMap<string, ToscaNode>, lenience: Lenience): ToscaNode[] {
  const out: ToscaNode[] = [];
  for (const req of vdu.requirements) {
    const val = req.virtual_storage;
    if (val === undefined) continue;
    const target = typeof val === 'string' ? val : isDict(val) && typeof val.node === 'string' ? val.node : undefined;
    const node = target === undefined ? undefined : nodes.get(target);
    if (node?.kind === 'UNMAPPED_STORAGE') {
      // heat-translator: "Unsupported virtual_storage", the server gets no block device.
      lenience.soften(hotUnsupported(vdu.file, `node_templates/${vdu.name}`, 'requirements.virtual_storage', `${node.name} is a ${node.type}, which Nova cannot attach`), 'the server gets no volume for it');
      continue;
    }
    if (node?.kind !== 'STORAGE') {
      throw hotUnsupported(vdu.file, `node_templates/${vdu.name}`, 'requirements.virtual_storage', `${String(target)} is not a Vdu.VirtualBlockStorage of this VNFD`);
    }
    out.push(node);
  }
  return out;
}

function rejectToscaFunctions(node: ToscaNode, values: unknown[], path: string): void {
  const stack: Array<{ v: unknown; p: string }> = values.map((v, i) => ({ v, p: i === 0 ? path : 'capabilities' }));
  while (stack.length > 0) {
    const { v, p } = stack.pop() as { v: unknown; p: string };
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, p: `${p}.${i}` }));
    else if (isDict(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (TOSCA_FUNCTIONS.has(k)) throw hotUnsupported(node.file, `node_templates/${node.name}`, p, `TOSCA function ${k} is not evaluated by the Heat translation; give a literal value`);
        stack.push({ v: x, p: `${p}.${k}` });
      }
    }
  }
}

function entryOf(files: ReadonlyMap<string, string>, entry: string | undefined): string {
  if (entry !== undefined) return entry;
  const candidates = [...files.entries()].filter(([, text]) => /^topology_template\s*:/m.test(text)).map(([f]) => f);
  if (candidates.length === 1) return candidates[0] as string;
  // Tacker's layout: a top-level VNFD plus one file per deployment flavour, which carries
  // substitution_mappings; the top-level one is the entry.
  const tops = candidates.filter((f) => !/^\s*substitution_mappings\s*:/m.test(files.get(f) ?? ''));
  if (tops.length === 1) return tops[0] as string;
  throw hotInputInvalid('', '', `cannot tell the entry file among ${candidates.length} files with a topology_template; pass the entry option`);
}

function diskSource(path: string): { source: ToscaFileSource; entry: string } {
  const abs = resolve(path);
  const root = posix.dirname(abs.split('\\').join('/'));
  return {
    entry: posix.basename(abs),
    source: {
      get(file: string): string | undefined {
        try {
          return readFileSync(posix.join(root, file), 'utf8');
        } catch {
          return undefined;
        }
      },
    },
  };
}
