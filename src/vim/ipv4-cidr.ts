/**
 * IPv4 subnet arithmetic the drivers need to check fixed addresses before a VIM does
 * (so a wrong address is a clear CONFLICT, not a vendor error after half the work).
 */

/** A parsed IPv4 CIDR block. Addresses are unsigned 32-bit integers. */
export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
  readonly broadcast: number;
}

/** Parses a dotted quad; returns null when it is not one. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** Formats an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n` (host bits must be zero); returns null when malformed. */
export function parseCidr(text: string): Ipv4Cidr | null {
  const [addr, len, extra] = text.split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len)) return null;
  const prefix = Number(len);
  const base = parseIpv4(addr);
  if (base === null || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return null;
  return { network: base, prefix, broadcast: base + size - 1 };
}

/**
 * Whether `address` may be given to a host in `cidr`: inside it and, for prefixes up to
 * /30, neither the network nor the broadcast address.
 */
export function isHostAddress(cidr: Ipv4Cidr, address: number): boolean {
  if (address < cidr.network || address > cidr.broadcast) return false;
  if (cidr.prefix >= 31) return true;
  return address !== cidr.network && address !== cidr.broadcast;
}
