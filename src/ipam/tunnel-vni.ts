import { InternalError } from '../model/index.js';
import { parseCidr } from './ipv4-address.js';

/**
 * The VXLAN network identifier of an inter-PoP link, allocated with its subnet: the low 24
 * bits of the subnet's network address. Every IPAM pool lies in 10.0.0.0/8 and the
 * subnets of live links never overlap, so two live links never share a VNI, and a VNI is
 * reused only after its link's subnet is released. Throws InternalError for a subnet
 * outside 10.0.0.0/8 or at 10.0.0.0 (VNI 0 is not used).
 */
export function vniOf(subnet: string): number {
  const { network } = parseCidr(subnet);
  const vni = network & 0xffffff;
  if (network >>> 24 !== 10 || vni === 0) throw new InternalError(`subnet ${subnet} has no VNI: IPAM subnets lie in 10.0.0.0/8 above 10.0.0.0`);
  return vni;
}
