import { ConflictError } from '../model/index.js';
import type { HotBundle, HotDocument } from './heat-ports.js';

/** One external CP of a VNF bound to an NS virtual link. */
export interface StackExternal {
  /** The VDU CP (a HOT port resource of that name). */
  readonly vduCp: string;
  /** VIM name of the NS link's network. */
  readonly network: string;
  /** Address IPAM gave the CP on that link. */
  readonly address: string;
}

/** A stack ready to create: main template, nested ones and the parameter values. */
export interface StackTemplate {
  readonly template: HotDocument;
  readonly files: Record<string, HotDocument>;
  readonly parameters: Record<string, string>;
  /** Glance images the servers boot (checked before the stack is created). */
  readonly images: string[];
}

const SERVER = 'OS::Nova::Server';
const ASG = 'OS::Heat::AutoScalingGroup';
const PORT = 'OS::Neutron::Port';
const SUBNET = 'OS::Neutron::Subnet';
const LIFTED_OUTPUTS_VERSION = '2015-04-30';

/**
 * Adapts a VNFD's HOT translation to one NS instance:
 * - every external CP parameter `<cp>_network` gets the NS link's network, and its port a
 *   fixed address from IPAM (Neutron would otherwise pick one that IPAM may give a SAP);
 *   ports inside a scaling group's nested template get it through the stack parameter
 *   `<cp>_fixed_ips` (JSON) the group passes in: Heat's group members are identical, so
 *   a SCALE sets it to `[]` and Neutron picks the new members' addresses (see
 *   {@link scaleParameters});
 * - each scaling group's `desired_capacity` is the stack parameter
 *   `<aspect>_desired_capacity` (default: the translation's), which a SCALE updates;
 * - ports and scaling groups depend on the template's subnets (see below);
 * - servers are named `<stack>-<vdu>` and carry the NS/VNF labels as metadata; a server
 *   whose VDU is in `imageOf` boots that image instead (the PoP's image map or its VIM
 *   type's alternative image, chosen by the plan);
 * - outputs of nested templates (`<vdu>_id`, `<cp>_ip`) are lifted into the main template
 *   as lists (`outputs_list` of the group), so one stack read gives every id and address.
 *
 * Pure. Throws ConflictError `PLAN_HOT_MISMATCH` when an NS link targets a CP the
 * translation has no external network parameter for (the CP is on an internal VL), and
 * `PLAN_UNBOUND_CP` when an external CP of the VNFD is on no NS link (Heat would need a
 * network for it).
 */
export function stackTemplate(bundle: HotBundle, stackName: string, externals: readonly StackExternal[], metadata: Readonly<Record<string, string>>, imageOf: Readonly<Record<string, string>> = {}): StackTemplate {
  const main = structuredClone(bundle.main) as HotDocument;
  const files = structuredClone(bundle.nested) as Record<string, HotDocument>;
  const parameters: Record<string, string> = {};
  for (const ext of externals) {
    const param = `${ext.vduCp.toLowerCase()}_network`;
    if (!main.parameters[param]) {
      throw new ConflictError(`CP ${ext.vduCp} of stack ${stackName} is on a virtual link inside its VNFD; an NS link cannot attach to it`, { code: 'PLAN_HOT_MISMATCH', details: { stack: stackName, cp: ext.vduCp } });
    }
    parameters[param] = ext.network;
    if (pinAddress(main, files, ext)) parameters[fixedIpsParam(ext.vduCp)] = JSON.stringify([{ ip_address: ext.address }]);
  }
  const unbound = Object.keys(main.parameters).filter((p) => p.endsWith('_network') && parameters[p] === undefined && main.parameters[p]?.default === undefined);
  if (unbound.length > 0) {
    throw new ConflictError(`stack ${stackName} needs a network for ${unbound.join(', ')}: connect those external CPs to NS virtual links`, { code: 'PLAN_UNBOUND_CP', details: { stack: stackName, parameters: unbound } });
  }
  // Ports (and scaling groups holding ports) need their link's subnet first: a port made on
  // a network before its subnet has no fixed IP and Nova rejects it ("requires a FixedIP").
  // The translation only references the network, so Heat may race them.
  const subnets = Object.entries(main.resources).filter(([, r]) => r.type === SUBNET).map(([n]) => n);
  for (const r of Object.values(main.resources)) {
    if (subnets.length > 0 && (r.type === PORT || r.type === ASG)) r.depends_on = [...new Set([...(r.depends_on ?? []), ...subnets])];
  }
  const images = new Set<string>();
  for (const doc of [main, ...Object.values(files)]) {
    for (const [name, r] of Object.entries(doc.resources)) {
      if (r.type !== SERVER) continue;
      const props = (r.properties ??= {});
      props.name = `${stackName}-${name}`;
      props.metadata = { ...(props.metadata as Record<string, string> | undefined), ...metadata };
      if (imageOf[name] !== undefined) props.image = imageOf[name];
      if (typeof props.image === 'string') images.add(props.image);
    }
  }
  for (const [name, r] of Object.entries(main.resources)) {
    if (r.type !== ASG || !r.properties) continue;
    main.parameters[capacityParam(name)] = { type: 'number', default: r.properties['desired_capacity'] };
    r.properties['desired_capacity'] = { get_param: capacityParam(name) };
  }
  for (const [file, doc] of Object.entries(files)) {
    const group = groupOf(main, file);
    if (group === undefined) continue;
    for (const key of Object.keys(doc.outputs)) main.outputs[key] ??= { value: { get_attr: [group, 'outputs_list', key] } };
    // Heat (checked on Zed) rejects `outputs_list` in 2013-05-23 templates ("Referenced
    // Attribute ... is incorrect"); 2015-04-30 is the oldest version that resolves it.
    if (main.heat_template_version < LIFTED_OUTPUTS_VERSION) main.heat_template_version = LIFTED_OUTPUTS_VERSION;
  }
  return { template: main, files, parameters, images: [...images].sort() };
}

/** The main-template scaling group whose member template is `file`. */
function groupOf(main: HotDocument, file: string): string | undefined {
  return Object.entries(main.resources).find(([, r]) => r.type === ASG && (r.properties?.resource as { type?: string } | undefined)?.type === file)?.[0];
}

/** Pins the CP's port to its IPAM address; true when the port is in a scaling group (pinned through {@link fixedIpsParam}). */
function pinAddress(main: HotDocument, files: Record<string, HotDocument>, ext: StackExternal): boolean {
  const port = main.resources[ext.vduCp];
  if (port) {
    (port.properties ??= {}).fixed_ips = [{ ip_address: ext.address }];
    return false;
  }
  for (const [file, doc] of Object.entries(files)) {
    const nestedPort = doc.resources[ext.vduCp];
    const group = groupOf(main, file);
    if (!nestedPort || group === undefined) continue;
    const param = fixedIpsParam(ext.vduCp);
    doc.parameters[param] = { type: 'json' };
    main.parameters[param] = { type: 'json', description: `fixed_ips of ${ext.vduCp} in members of ${group}: [] lets Neutron pick` };
    (nestedPort.properties ??= {}).fixed_ips = { get_param: param };
    const member = main.resources[group]?.properties?.resource as { properties?: Record<string, unknown> };
    member.properties = { ...member.properties, [param]: { get_param: param } };
    return true;
  }
  return false;
}

/** Stack parameter holding a scaling group's desired capacity. */
export const capacityParam = (aspect: string): string => `${aspect}_desired_capacity`;

/** Stack parameter holding the `fixed_ips` of an external CP's port inside a scaling group. */
export const fixedIpsParam = (vduCp: string): string => `${vduCp.toLowerCase()}_fixed_ips`;

/**
 * The parameters of a stack update that sets a scaling group to `capacity` members. The
 * group's external CP ports get `fixed_ips: []`: Heat builds every member from one
 * definition, so a pinned address would be asked for again by each new member (Neutron
 * refuses: IpAddressAlreadyAllocated); Neutron picks theirs, which is safe on an NS link
 * (its other ports exist already, and only this SCALE runs on the NS). Heat applies the
 * changed definition to the members that exist too, but a port update to `fixed_ips: []`
 * keeps the addresses it has (Heat bug #1538473), so they keep theirs.
 */
export function scaleParameters(template: HotDocument, files: Readonly<Record<string, HotDocument>>, aspect: string, capacity: number): Record<string, string> {
  const out: Record<string, string> = { [capacityParam(aspect)]: String(capacity) };
  const file = (template.resources[aspect]?.properties?.resource as { type?: string } | undefined)?.type;
  const nested = file === undefined ? undefined : files[file];
  for (const p of Object.keys(nested?.parameters ?? {})) if (p.endsWith('_fixed_ips') && template.parameters[p]) out[p] = '[]';
  return out;
}

/** First value of an output that is a value or a list of values (scaled VDUs). */
export const outputValues = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x) => x !== null && x !== undefined).map(String);
