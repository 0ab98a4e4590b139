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

/** Marks the failure of {@link nameInterfacesScript} on stderr (its exit code is {@link NAMING_EXIT}). */
export const NAMING_FAILED = 'rondo-interfaces:';
export const NAMING_EXIT = 96;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * A shell prologue (POSIX sh and busybox ash, `ip` of busybox or iproute2) that makes each
 * address sit on its wanted interface name from inside the compute, as
 * {@link renameScript} does from a listing read beforehand: in the same exec as the
 * commands that follow, instead of two or three execs of their own. Idempotent: names
 * already right cost two `ip` calls. Renames go through temporary names (a swap would
 * clash), the default route that link-down drops is restored, and the result is checked.
 * On failure it writes {@link NAMING_FAILED} and the reason to stderr and exits
 * {@link NAMING_EXIT}. An image without `ip` is left alone (names unverified, as at
 * creation). Throws on a name or address a shell could misread.
 */
export function nameInterfacesScript(wanted: readonly { readonly address: string; readonly ifName: string }[]): string {
  for (const w of wanted) {
    if (!IFNAME.test(w.ifName)) throw new Error(`interface name ${w.ifName} is not a valid Linux name`);
    if (!IPV4.test(w.address)) throw new Error(`address ${w.address} is not an IPv4 address`);
  }
  if (new Set(wanted.map((w) => w.ifName)).size !== wanted.length) throw new Error(`interface names repeat: ${wanted.map((w) => w.ifName).join(', ')}`);
  const fail = (why: string): string => `{ echo "${NAMING_FAILED} ${why}" >&2; exit ${NAMING_EXIT}; }`;
  return [
    'if command -v ip >/dev/null 2>&1; then',
    'rondo_if() { ip -o -4 addr show | while read -r _ n _ a _; do if [ "${a%%/*}" = "$1" ]; then echo "${n%%@*}"; break; fi; done; }',
    'rondo_moved=; rondo_def=; rondo_i=0',
    `for rondo_p in ${wanted.map((w) => `${w.address}=${w.ifName}`).join(' ')}; do`,
    '  rondo_c=$(rondo_if "${rondo_p%%=*}")',
    `  [ -n "$rondo_c" ] || ${fail('address ${rondo_p%%=*} is on no interface')}`,
    '  if [ "$rondo_c" != "${rondo_p#*=}" ]; then',
    '    [ -n "$rondo_moved" ] || rondo_def=$(ip route show default | head -n 1)',
    `    { ip link set dev "$rondo_c" down && ip link set dev "$rondo_c" name "rondotmp$rondo_i"; } || ${fail('could not rename $rondo_c')}`,
    '    rondo_moved="$rondo_moved $rondo_i=${rondo_p#*=}"',
    '  fi',
    '  rondo_i=$((rondo_i + 1))',
    'done',
    'for rondo_m in $rondo_moved; do',
    `  { ip link set dev "rondotmp\${rondo_m%%=*}" name "\${rondo_m#*=}" && ip link set dev "\${rondo_m#*=}" up; } || ${fail('could not name rondotmp${rondo_m%%=*} ${rondo_m#*=}')}`,
    'done',
    'if [ -n "$rondo_moved" ]; then',
    '  if [ -n "$rondo_def" ] && [ -z "$(ip route show default)" ]; then ip route add $rondo_def; fi',
    `  for rondo_p in ${wanted.map((w) => `${w.address}=${w.ifName}`).join(' ')}; do`,
    `    [ "$(rondo_if "\${rondo_p%%=*}")" = "\${rondo_p#*=}" ] || ${fail('${rondo_p%%=*} is not on ${rondo_p#*=}')}`,
    '  done',
    'fi',
    'fi',
  ].join('\n');
}
