import { blockSize, formatIpv4, parseCidr, parseIpv4 } from './ipv4-address.js';

/**
 * The first `count` host addresses of `subnet` that no one holds: after the gateway (`.1`,
 * what Docker's bridge takes), skipping every address in `used`, below the broadcast
 * address. What a scale-out asks for on each link its new VNFC instances join; the caller
 * passes every address the NS holds on the link (one operation runs per NS at a time, so
 * nothing else picks from it meanwhile). Throws RangeError when fewer are free.
 */
export function freeHostAddresses(subnet: string, used: ReadonlySet<string>, count: number): string[] {
  const c = parseCidr(subnet);
  const taken = new Set([...used].map(parseIpv4));
  const out: string[] = [];
  for (let a = c.network + 2; a < c.network + blockSize(c.prefix) - 1 && out.length < count; a++) {
    if (!taken.has(a)) out.push(formatIpv4(a));
  }
  if (out.length < count) throw new RangeError(`${subnet} has ${out.length} free host addresses, ${count} needed`);
  return out;
}

/** The subnet (network/prefix) an interface address lies in. */
export function subnetOfAddress(address: string, prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${formatIpv4((parseIpv4(address) & mask) >>> 0)}/${prefix}`;
}

/**
 * `subnet` cut into `parts` equal blocks (a power of two, at most its size), in address
 * order: how a route through several next hops is spread (see the lifecycle's service chain).
 */
export function splitSubnet(subnet: string, parts: number): string[] {
  const c = parseCidr(subnet);
  const bits = Math.min(32 - c.prefix, Math.ceil(Math.log2(Math.max(1, parts))));
  const size = blockSize(c.prefix + bits);
  return Array.from({ length: 2 ** bits }, (_, i) => `${formatIpv4(c.network + i * size)}/${c.prefix + bits}`);
}
