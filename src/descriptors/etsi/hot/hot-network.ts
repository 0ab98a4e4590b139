import type { HotParameter, HotResource } from './hot-template.js';
import { getParam, getResource } from './hot-template.js';
import type { Lenience } from './hot-unsupported.js';
import { hotUnsupported } from './hot-unsupported.js';
import type { ToscaNode } from './tosca-topology.js';
import { isDict } from './tosca-topology.js';

const IP_VERSIONS: Readonly<Record<string, number>> = { ipv4: 4, ipv6: 6 };

/** Resources of one virtual link, by HOT resource name. */
export type HotResources = Record<string, HotResource>;

/** Resources of one virtual link and the main-template parameters they need. */
export interface LinkTranslation {
  readonly resources: HotResources;
  readonly parameters: Record<string, HotParameter>;
}

/**
 * Translates a `VnfVirtualLink` into `OS::Neutron::Net`, one `OS::Neutron::Subnet` per
 * `l3_protocol_data` (`<VL>_subnet`, then `<VL>_subnet_2`...), and, when the profile has a
 * leaf max bitrate and `qos` is on, `<VL>_qospolicy` + `<VL>_bandwidth`. `used` tells
 * whether a CP of the VNFD connects to the link.
 *
 * With `lenience` warning (heat-translator's behaviour): a link without IP layer protocols
 * that no CP uses is dropped, and an IP link without a CIDR gets `cidr: {get_param:
 * <vl>_cidr}` (heat-translator leaves the CIDR out, which Heat rejects).
 *
 * @throws PackageInvalidError HOT_UNSUPPORTED for non-IP, non-Ethernet links a CP uses, and
 *   (when `lenience` refuses) the cases above; L2 protocol data that needs provider networks.
 */
export function virtualLinkResources(node: ToscaNode, qos: boolean, lenience: Lenience, used: boolean): LinkTranslation {
  const at = `node_templates/${node.name}`;
  const ct = node.properties.connectivity_type;
  const layers = isDict(ct) && Array.isArray(ct.layer_protocols) ? ct.layer_protocols.filter((l): l is string => typeof l === 'string') : [];
  const ip = layers.filter((l) => l in IP_VERSIONS);
  const parameters: Record<string, HotParameter> = {};
  const ethernet = layers.length === 1 && layers[0] === 'ethernet';
  if (ip.length === 0 && !(ethernet && (used || lenience.mode === 'refuse'))) {
    const err = hotUnsupported(node.file, at, 'properties.connectivity_type.layer_protocols', `layer protocols [${layers.join(', ')}] have no Neutron mapping (ipv4, ipv6, or ethernet for a link a CP uses)`);
    if (used) throw err;
    lenience.soften(err, 'the link is left out');
    return { resources: {}, parameters };
  }
  const profile = isDict(node.properties.vl_profile) ? node.properties.vl_profile : {};
  const net: HotResource = { type: 'OS::Neutron::Net', properties: {} };
  const out: HotResources = { [node.name]: net };
  const protocolData = Array.isArray(profile.virtual_link_protocol_data) ? profile.virtual_link_protocol_data : [];
  const cidrParam = (path: string): unknown => {
    lenience.soften(hotUnsupported(node.file, at, path, 'a subnet needs a CIDR; add one'), `the CIDR is the template parameter ${node.name.toLowerCase()}_cidr`);
    const param = `${node.name.toLowerCase()}_cidr`;
    parameters[param] = { type: 'string', description: `CIDR of the subnet of the virtual link ${node.name}` };
    return getParam(param);
  };
  let n = 0;
  protocolData.forEach((pd: unknown, i: number) => {
    if (!isDict(pd)) return;
    const l2 = pd.l2_protocol_data;
    if (isDict(l2)) {
      const keys = Object.keys(l2).filter((k) => k !== 'name');
      if (keys.length > 0) {
        throw hotUnsupported(node.file, at, `properties.vl_profile.virtual_link_protocol_data.${i}.l2_protocol_data.${keys[0]}`, 'provider network settings need admin rights and are not translated');
      }
      if (typeof l2.name === 'string') (net.properties as Record<string, unknown>).name = l2.name;
    }
    const l3 = pd.l3_protocol_data;
    if (!isDict(l3)) return;
    const path = `properties.vl_profile.virtual_link_protocol_data.${i}.l3_protocol_data`;
    const version = typeof l3.ip_version === 'string' ? IP_VERSIONS[l3.ip_version] : undefined;
    if (version === undefined) throw hotUnsupported(node.file, at, `${path}.ip_version`, 'must be ipv4 or ipv6');
    const cidr = typeof l3.cidr === 'string' ? l3.cidr : cidrParam(`${path}.cidr`);
    const subnet: Record<string, unknown> = { network: getResource(node.name), ip_version: version, cidr };
    if (typeof l3.gateway_ip === 'string') subnet.gateway_ip = l3.gateway_ip;
    if (typeof l3.dhcp_enabled === 'boolean') subnet.enable_dhcp = l3.dhcp_enabled;
    if (typeof l3.ipv6_address_mode === 'string') subnet.ipv6_address_mode = l3.ipv6_address_mode;
    if (Array.isArray(l3.ip_allocation_pools)) {
      subnet.allocation_pools = l3.ip_allocation_pools.filter(isDict).map((p) => ({ start: p.start_ip_address, end: p.end_ip_address }));
    }
    n += 1;
    out[n === 1 ? `${node.name}_subnet` : `${node.name}_subnet_${n}`] = { type: 'OS::Neutron::Subnet', properties: subnet };
  });
  if (ip.length > 0 && n === 0) {
    // heat-translator: one subnet of the link's (first) IP version, without a CIDR.
    const cidr = cidrParam('properties.vl_profile.virtual_link_protocol_data');
    out[`${node.name}_subnet`] = { type: 'OS::Neutron::Subnet', properties: { network: getResource(node.name), ip_version: IP_VERSIONS[ip[0] as string], cidr } };
  }
  const leaf = isDict(profile.max_bitrate_requirements) ? profile.max_bitrate_requirements.leaf : undefined;
  if (qos && typeof leaf === 'number' && leaf > 0) {
    (net.properties as Record<string, unknown>).qos_policy = getResource(`${node.name}_qospolicy`);
    // SOL001 bitrates are bit/s; Neutron's max_kbps is kilobit/s (1000 bits), rounded up.
    out[`${node.name}_bandwidth`] = {
      type: 'OS::Neutron::QoSBandwidthLimitRule',
      properties: { max_kbps: Math.ceil(leaf / 1000), policy: getResource(`${node.name}_qospolicy`) },
    };
    out[`${node.name}_qospolicy`] = { type: 'OS::Neutron::QoSPolicy' };
  }
  return { resources: out, parameters };
}

/** A `VduCp` with the nodes its requirements name. */
export interface CpBinding {
  readonly cp: ToscaNode;
  /** The VDU the CP binds to; undefined for a CP without `virtual_binding` (a lone port). */
  readonly vdu: string | undefined;
  readonly link: string | undefined;
  readonly order: number;
}

/** Reads `virtual_binding`, `virtual_link` and `order` of a CP. */
export function cpBinding(cp: ToscaNode, nodes: ReadonlyMap<string, ToscaNode>): CpBinding {
  const at = `node_templates/${cp.name}`;
  let vdu: string | undefined;
  let link: string | undefined;
  for (const req of cp.requirements) {
    for (const [key, val] of Object.entries(req)) {
      const target = typeof val === 'string' ? val : isDict(val) && typeof val.node === 'string' ? val.node : undefined;
      if (key === 'virtual_binding') vdu = target;
      else if (key === 'virtual_link') link = target;
    }
  }
  // heat-translator translates a CP without virtual_binding into a port of its own.
  if (vdu !== undefined && nodes.get(vdu)?.kind !== 'VDU') {
    throw hotUnsupported(cp.file, at, 'requirements.virtual_binding', 'a VduCp must bind to a Vdu.Compute node of this VNFD');
  }
  if (link !== undefined && nodes.get(link)?.kind !== 'VL') {
    throw hotUnsupported(cp.file, at, 'requirements.virtual_link', `${link} is not a VnfVirtualLink of this VNFD (external links are given at instantiation)`);
  }
  const order = cp.properties.order;
  return { cp, vdu, link, order: typeof order === 'number' ? order : 0 };
}

/**
 * Translates a `VduCp` into an `OS::Neutron::Port`. `network` is the network reference
 * (the link's `get_resource`, or a parameter for an external link).
 *
 * @throws PackageInvalidError HOT_UNSUPPORTED for trunk ports.
 */
export function portResource(cp: ToscaNode, network: unknown): HotResource {
  const at = `node_templates/${cp.name}`;
  if (cp.properties.trunk_mode === true) throw hotUnsupported(cp.file, at, 'properties.trunk_mode', 'trunk ports are not translated');
  const props: Record<string, unknown> = { network };
  if (typeof cp.properties.vnic_type === 'string') props['binding:vnic_type'] = cp.properties.vnic_type;
  const fixed = fixedAddresses(cp);
  if (fixed.length > 0) props.fixed_ips = fixed.map((ip_address) => ({ ip_address }));
  return { type: 'OS::Neutron::Port', properties: props };
}

/** Fixed addresses from `protocol[].address_data[].l3_address_data.fixed_ip_address`. */
function fixedAddresses(cp: ToscaNode): string[] {
  const out: string[] = [];
  const protocols = Array.isArray(cp.properties.protocol) ? cp.properties.protocol : [];
  for (const p of protocols) {
    if (!isDict(p) || !Array.isArray(p.address_data)) continue;
    for (const a of p.address_data) {
      const l3 = isDict(a) ? a.l3_address_data : undefined;
      if (!isDict(l3)) continue;
      if (l3.floating_ip_activated === true) {
        throw hotUnsupported(cp.file, `node_templates/${cp.name}`, 'properties.protocol.address_data.l3_address_data.floating_ip_activated', 'floating IPs are not translated');
      }
      const fixedIps = l3.fixed_ip_address;
      if (Array.isArray(fixedIps)) out.push(...fixedIps.filter((f): f is string => typeof f === 'string'));
    }
  }
  return out;
}
