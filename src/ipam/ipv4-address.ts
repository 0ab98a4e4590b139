/**
 * Minimal IPv4 arithmetic for IPAM. Addresses are unsigned 32-bit integers held in
 * plain numbers (no bit operators: `<<` would go negative above 2^31).
 */

/** Parses a dotted quad; throws RangeError when it is not one. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new RangeError(`${text} is not an IPv4 address`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Formats an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4(value: number): string {
  return [2 ** 24, 2 ** 16, 2 ** 8, 1].map((d) => Math.floor(value / d) % 256).join('.');
}

/** A parsed CIDR block. */
export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n` with zero host bits; throws RangeError otherwise. */
export function parseCidr(text: string): Cidr {
  const [addr, len, extra] = text.split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len) || Number(len) > 32) {
    throw new RangeError(`${text} is not an IPv4 CIDR`);
  }
  const network = parseIpv4(addr);
  const prefix = Number(len);
  if (network % 2 ** (32 - prefix) !== 0) throw new RangeError(`${text} has host bits set`);
  return { network, prefix };
}

/** Formats a {@link Cidr} as `a.b.c.d/n`. */
export const formatCidr = (c: Cidr): string => `${formatIpv4(c.network)}/${c.prefix}`;

/** Number of addresses in a block of the given prefix length. */
export const blockSize = (prefix: number): number => 2 ** (32 - prefix);
