import type { ResolvedInterface } from './docker-compute-spec.js';

/** Command listing IPv4 addresses, one interface per line (busybox and iproute2). */
export const LIST_ADDRESSES = ['ip', '-o', '-4', 'addr', 'show'] as const;

/** Linux interface names: up to 15 characters, nothing a shell would interpret. */
export const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** Parses `ip -o -4 addr show` into address → interface name. */
export function parseAddresses(output: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+inet\s+([\d.]+)\//.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) found.set(m[2], m[1]);
  }
  return found;
}

/**
 * A shell script that renames interfaces so each address sits on its wanted name, or
 * null when they already do. Docker 20.10 attaches the networks of a container in Go map
 * order at start, so eth1/eth2 may be swapped; renaming goes through temporary names
 * (a swap would clash otherwise) and restores the default route that link-down drops.
 * Throws when an address is not on any interface.
 */
export function renameScript(current: Map<string, string>, wanted: readonly ResolvedInterface[]): string | null {
  const moves = wanted.flatMap((w) => {
    if (!IFNAME.test(w.ifName)) throw new Error(`interface name ${w.ifName} is not a valid Linux name`);
    const now = current.get(w.address);
    if (now === undefined) throw new Error(`address ${w.address} is on no interface`);
    return now === w.ifName ? [] : [{ from: now, to: w.ifName }];
  });
  if (moves.length === 0) return null;
  const lines = ['set -e', 'DEF=$(ip route show default | head -n 1)'];
  moves.forEach((m, i) => lines.push(`ip link set dev ${m.from} down`, `ip link set dev ${m.from} name rondotmp${i}`));
  moves.forEach((m, i) => lines.push(`ip link set dev rondotmp${i} name ${m.to}`, `ip link set dev ${m.to} up`));
  lines.push('if [ -n "$DEF" ] && [ -z "$(ip route show default)" ]; then ip route add $DEF; fi');
  return lines.join('\n');
}
