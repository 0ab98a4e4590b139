import type { Vdu, Vnfd } from '../../../model/index.js';
import { PackageInvalidError } from '../../../model/index.js';
import { FLAVOR_SUFFIX, flavorResource, rondoFlavorName } from './hot-compute.js';
import type { FlavorSpec } from './hot-compute.js';
import type { HotResource, HotTemplate, HotTranslation } from './hot-template.js';
import { emptyHot, getAttr, getParam, getResource } from './hot-template.js';
import { HOT_UNSUPPORTED } from './hot-unsupported.js';

/** Options of {@link translateModelVnfdToHot}. */
export interface ModelHotOptions {
  /** As in `translateVnfdToHot`: an `OS::Nova::Flavor` per VDU (default) or the named `rondo-c…` flavor. */
  readonly flavors?: 'resource' | 'named';
  /** The descriptor's file in its package, for error issues. */
  readonly file?: string;
}

/**
 * Subnet of the `i`-th VNF-internal link. SOL006 `int-virtual-link-desc` usually gives no
 * CIDR (OSM lets the VIM pick one); Neutron needs one. Each stack's internal networks are
 * its own and unrouted, so the same /24s in every stack do not clash; 192.168.100+ stays
 * clear of Rondo's IPAM pools (10.10/16, 10.20/16, 10.30/16) on the same servers.
 */
export const internalLinkCidr = (i: number): string => `192.168.${100 + i}.0/24`;
const MAX_INTERNAL_LINKS = 156;

const unsupported = (file: string, path: string, message: string): PackageInvalidError =>
  new PackageInvalidError([{ file, path, message }], { code: HOT_UNSUPPORTED });

/**
 * Translates a VNFD of Rondo's model (read from SOL006, the format without a TOSCA
 * topology to hand to `translateVnfdToHot`) into one Heat template with the same shape the
 * SOL001 translation gives, so the lifecycle's Heat path takes either:
 * - each internal link → `OS::Neutron::Net` `<link>` + `OS::Neutron::Subnet`
 *   `<link>_subnet` ({@link internalLinkCidr});
 * - each VDU → `OS::Nova::Server` `<vdu>` booting `vdu.image` (the plan maps it through the
 *   PoP's image map), a flavor from vCPUs, memory and root disk, its ports in interface
 *   order, and the VDU's cloud-init as `user_data` (`user_data_format: RAW`: passed to Nova
 *   unchanged, not wrapped for heat-cfntools; a VDU without cloud-init gets no user data);
 * - each VDU CP → `OS::Neutron::Port` `<cp>` on its internal link, or, when an external CP
 *   of the VNF exposes it, on the network of parameter `<cp>_network` (the NS link's);
 *   a CP on neither gets no port (Neutron has no port without a network);
 * - outputs `<vdu>_id` and `<cp>_ip`, which the stack step reads.
 *
 * Pure. Scaling aspects are not translated (the stack holds the instantiation level; day-2
 * scaling is the lifecycle's business).
 * @throws PackageInvalidError `HOT_UNSUPPORTED` naming the VDU for a VDU without an
 *   image, more than one instance at instantiation, two resources of one name (a CP id
 *   used by two VDUs), or too many internal links.
 */
export function translateModelVnfdToHot(vnfd: Vnfd, opts: ModelHotOptions = {}): HotTranslation {
  const file = opts.file ?? '';
  const main: HotTemplate = emptyHot(vnfd.description);
  const put = (name: string, r: HotResource, path: string): void => {
    if (main.resources[name] !== undefined) throw unsupported(file, path, `Heat resource name ${name} is used twice (VDU, CP and internal link ids share one namespace in the stack); rename one`);
    main.resources[name] = r;
  };
  const links = vnfd.internalLinks ?? [];
  if (links.length > MAX_INTERNAL_LINKS) throw unsupported(file, '/int-virtual-link-desc', `${links.length} internal links; the Heat translation gives at most ${MAX_INTERNAL_LINKS} their own subnets`);
  links.forEach((l, i) => {
    put(l.id, { type: 'OS::Neutron::Net', properties: {} }, `/int-virtual-link-desc/${i}`);
    put(`${l.id}_subnet`, { type: 'OS::Neutron::Subnet', properties: { network: getResource(l.id), ip_version: 4, cidr: internalLinkCidr(i) } }, `/int-virtual-link-desc/${i}`);
  });
  const exposed = new Set(vnfd.connectionPoints.map((c) => `${c.vdu}\u0000${c.vduCp}`));
  vnfd.vdus.forEach((vdu, vi) => {
    const at = `/vdu/${vi}`;
    if (vdu.image === '') throw unsupported(file, `${at}/sw-image-desc`, `VDU ${vdu.id} names no image to boot`);
    if ((vdu.initialInstances ?? 1) !== 1) {
      throw unsupported(file, at, `VDU ${vdu.id} starts with ${vdu.initialInstances} instances; the Heat translation boots one server per VDU (choose an instantiation level with one)`);
    }
    const ports: string[] = [];
    for (const cp of vdu.connectionPoints) {
      const network = cp.internalLink !== undefined
        ? getResource(cp.internalLink)
        : exposed.has(`${vdu.id}\u0000${cp.id}`) ? externalNetwork(main, cp.id) : undefined;
      if (network === undefined) continue;
      put(cp.id, { type: 'OS::Neutron::Port', properties: { network, ...(cp.address ? { fixed_ips: [{ ip_address: cp.address }] } : {}) } }, `${at}/int-cpd`);
      main.outputs[`${cp.id}_ip`] = { value: getAttr(cp.id, 'fixed_ips', 0, 'ip_address') };
      ports.push(cp.id);
    }
    const spec: FlavorSpec = { vcpus: vdu.vcpus, ramMiB: vdu.memoryMiB, diskGiB: vdu.storageGiB ?? 0 };
    let flavor: unknown = rondoFlavorName(spec);
    if ((opts.flavors ?? 'resource') === 'resource') {
      put(`${vdu.id}${FLAVOR_SUFFIX}`, flavorResource(spec), `${at}/virtual-compute-desc`);
      flavor = getResource(`${vdu.id}${FLAVOR_SUFFIX}`);
    }
    put(vdu.id, serverOf(vdu, flavor, ports), at);
    main.outputs[`${vdu.id}_id`] = { value: getResource(vdu.id) };
  });
  return { main, nested: {} };
}

function serverOf(vdu: Vdu, flavor: unknown, ports: readonly string[]): HotResource {
  return {
    type: 'OS::Nova::Server',
    properties: {
      name: vdu.id,
      image: vdu.image,
      flavor,
      ...(ports.length > 0 ? { networks: ports.map((p) => ({ port: getResource(p) })) } : {}),
      // RAW always: Heat's default (HEAT_CFNTOOLS) gives every server a heat-cfntools MIME
      // bundle as user data, which the VNFD did not ask for and which needs heat-api-cfn.
      user_data_format: 'RAW',
      ...(vdu.userData ? { user_data: vdu.userData.content } : {}),
    },
  };
}

/** The `<cp>_network` parameter of an exposed CP (the NS link's network, given by the plan). */
function externalNetwork(main: HotTemplate, cp: string): unknown {
  const param = `${cp.toLowerCase()}_network`;
  main.parameters[param] = { type: 'string', description: `Network (name or id) of the external connection point ${cp}` };
  return getParam(param);
}
