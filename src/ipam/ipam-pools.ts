import type { VirtualLink } from '../model/index.js';
import { blockSize, formatCidr, formatIpv4, parseCidr, parseIpv4 } from './ipv4-address.js';

/** Address pools, one per kind of link (DESIGN.md "Networks on Docker"). */
export const IPAM_POOLS = ['sap', 'elan', 'eline'] as const;
export type IpamPool = (typeof IPAM_POOLS)[number];

/** A pool: a parent block cut into equal subnets. */
export interface PoolDefinition {
  readonly pool: IpamPool;
  readonly parent: string;
  readonly subnetPrefix: number;
}

/**
 * SAP links get /29s of 10.10.0.0/16, E-LAN links (and the management network) /24s of
 * 10.20.0.0/16, E-Line links /29s of 10.30.0.0/16. A /29 rather than 5GTANGO's /30
 * because Docker's bridge takes the first host address as its gateway.
 */
export const POOL_DEFINITIONS: Readonly<Record<IpamPool, PoolDefinition>> = {
  sap: { pool: 'sap', parent: '10.10.0.0/16', subnetPrefix: 29 },
  elan: { pool: 'elan', parent: '10.20.0.0/16', subnetPrefix: 24 },
  eline: { pool: 'eline', parent: '10.30.0.0/16', subnetPrefix: 29 },
};

/** How many subnets a pool holds (8192 /29s or 256 /24s of a /16). */
export function subnetCount(pool: IpamPool): number {
  const def = POOL_DEFINITIONS[pool];
  return blockSize(parseCidr(def.parent).prefix) / blockSize(def.subnetPrefix);
}

/** The `index`-th subnet of a pool as CIDR text; throws RangeError outside the pool. */
export function subnetAt(pool: IpamPool, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= subnetCount(pool)) {
    throw new RangeError(`subnet index ${index} is outside pool ${pool}`);
  }
  const def = POOL_DEFINITIONS[pool];
  return formatCidr({ network: parseCidr(def.parent).network + index * blockSize(def.subnetPrefix), prefix: def.subnetPrefix });
}

/** Usable host addresses per subnet of the pool after the gateway (.1), network and broadcast. */
export function hostsPerSubnet(pool: IpamPool): number {
  return blockSize(POOL_DEFINITIONS[pool].subnetPrefix) - 3;
}

/**
 * The pool a link draws from: the management network and E-LAN/E-Tree links use E-LAN
 * /24s; an E-Line with a SAP endpoint uses the SAP pool, other E-Lines the E-Line pool.
 * A link with more endpoints than a /29 holds falls back to an E-LAN /24.
 */
export function poolForLink(link: VirtualLink): IpamPool {
  if (link.management || link.type !== 'E-Line') return 'elan';
  const pool: IpamPool = link.cpRefs.some((r) => r.kind === 'sap') ? 'sap' : 'eline';
  return link.cpRefs.length <= hostsPerSubnet(pool) ? pool : 'elan';
}

/** The gateway of a subnet: its first host address (what Docker's bridge takes). */
export function gatewayOf(subnet: string): string {
  return formatIpv4(parseCidr(subnet).network + 1);
}

/**
 * Host addresses of a subnet in order, after the gateway: `.2`, `.3`, ... Throws
 * RangeError when `count` does not fit.
 */
export function hostAddresses(subnet: string, count: number): string[] {
  const c = parseCidr(subnet);
  const usable = blockSize(c.prefix) - 3;
  if (count > usable) throw new RangeError(`${count} hosts do not fit in ${subnet} (${usable} usable)`);
  return Array.from({ length: count }, (_, i) => formatIpv4(c.network + 2 + i));
}

/** Prefix length of a CIDR text. */
export const prefixOf = (subnet: string): number => parseCidr(subnet).prefix;

/** Whether `address` lies inside `subnet`. */
export function inSubnet(subnet: string, address: number): boolean {
  const c = parseCidr(subnet);
  return address >= c.network && address < c.network + blockSize(c.prefix);
}

/**
 * Positions in `pool` of the subnets that overlap any of `cidrs` (ascending, unique): the
 * subnets a VIM already uses, which IPAM must not hand out. Entries that are not IPv4
 * CIDRs are ignored; host bits are cleared (`10.10.0.5/29` is `10.10.0.0/29`).
 */
export function overlappedIndexes(pool: IpamPool, cidrs: readonly string[]): number[] {
  const def = POOL_DEFINITIONS[pool];
  const parent = parseCidr(def.parent);
  const first = parent.network;
  const last = first + blockSize(parent.prefix) - 1;
  const step = blockSize(def.subnetPrefix);
  const out = new Set<number>();
  for (const text of cidrs) {
    const [addr, len] = text.split('/');
    const prefix = Number(len);
    if (addr === undefined || !/^\d{1,2}$/.test(len ?? '') || prefix > 32) continue;
    let address: number;
    try {
      address = parseIpv4(addr);
    } catch {
      continue;
    }
    const size = blockSize(prefix);
    const start = Math.floor(address / size) * size;
    const end = start + size - 1;
    if (end < first || start > last) continue;
    const from = Math.floor((Math.max(start, first) - first) / step);
    const to = Math.floor((Math.min(end, last) - first) / step);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
