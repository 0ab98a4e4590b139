import type { CpRef, VirtualLink } from '../model/index.js';
import { formatCpRef } from '../model/index.js';
import { gatewayOf, hostAddresses, prefixOf } from './ipam-pools.js';

/** Addresses of one link: the gateway and one host address per CP reference. */
export interface LinkAddressing {
  readonly linkId: string;
  readonly subnet: string;
  readonly prefix: number;
  readonly gateway: string;
  /** Keyed by {@link formatCpRef} (`vnf:cp` or the SAP id). */
  readonly addresses: ReadonlyMap<string, string>;
}

/**
 * Gives each CP reference of the link an address in `subnet`: `.1` is the gateway,
 * then `.2`, `.3`, ... in the order the NSD lists the references (deterministic, so a
 * re-planned step asks the VIM for the same addresses). Throws RangeError when the link
 * has more endpoints than the subnet holds.
 */
export function addressLink(link: VirtualLink, subnet: string): LinkAddressing {
  const hosts = hostAddresses(subnet, link.cpRefs.length);
  const addresses = new Map<string, string>();
  link.cpRefs.forEach((ref: CpRef, i) => addresses.set(formatCpRef(ref), hosts[i] as string));
  return { linkId: link.id, subnet, prefix: prefixOf(subnet), gateway: gatewayOf(subnet), addresses };
}
