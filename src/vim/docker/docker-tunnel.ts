import { createHash } from 'node:crypto';

/**
 * The tunnel helper: the endpoint of an inter-PoP link on a Docker PoP. A container of
 * `rondo/tunnel` (busybox-static plus the host's iproute2 `ip`, `bridge` and `tc`, built
 * by scripts/build-tunnel-image.sh; busybox's own `ip` has no vxlan and its `tc` no tbf,
 * and its shell prefers applets, so the scripts call /sbin/... explicitly) with NET_ADMIN,
 * on the PoP's underlay network (eth0) and the link's segment. Inside, a bridge `br0`
 * joins the segment interface (address dropped, MAC replaced so it never equals a
 * member's: Docker 20.10 derives MACs from addresses, and the helper borrows a remote
 * member's) with `vx0`, a VXLAN interface without learning whose all-zero FDB entries
 * replicate broadcast and unknown traffic to every peer (head-end replication).
 * Bandwidth: a token bucket (tbf) on `vx0`'s egress. Latency emulation is unavailable:
 * the kernel here has no netem.
 */
export const TUNNEL_IMAGE = 'rondo/tunnel:latest';
/** The file a configured helper carries: a re-run keeps it, a half-made one is made again. */
export const TUNNEL_READY = '/tmp/rondo-tunnel-ready';
/** Room for the VXLAN header (50 bytes over IPv4) below the underlay's 1500. */
export const TUNNEL_MTU = 1450;
const VXLAN_PORT = 4789;

/** A locally administered unicast MAC derived from the helper's name. */
export function tunnelMac(name: string): string {
  const h = createHash('sha1').update(name).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const checkAddress = (a: string): string => {
  if (!IPV4.test(a)) throw new Error(`not an IPv4 address: ${a}`);
  return a;
};

/** The shell script that turns a started helper into a tunnel endpoint; `exit 0` when it already is one. */
export function tunnelSetupScript(o: { readonly segmentAddress: string; readonly underlayAddress: string; readonly vni: number; readonly mac: string }): string {
  if (!Number.isInteger(o.vni) || o.vni < 1 || o.vni > 0xffffff) throw new Error(`VNI ${o.vni} is outside 1..16777215`);
  const itf = (addr: string): string => `$(/sbin/ip -o -4 addr show | grep ' inet ${checkAddress(addr).replace(/\./g, '\\.')}/' | cut -d' ' -f2 | cut -d@ -f1)`;
  return [
    'set -e',
    `[ -e ${TUNNEL_READY} ] && exit 0`,
    `seg=${itf(o.segmentAddress)}`,
    `und=${itf(o.underlayAddress)}`,
    `[ -n "$seg" ] || { echo "no interface holds ${o.segmentAddress}" >&2; exit 1; }`,
    `[ -n "$und" ] || { echo "no interface holds ${o.underlayAddress}" >&2; exit 1; }`,
    '/sbin/ip addr flush dev "$seg"',
    '/sbin/ip link set "$seg" down',
    `/sbin/ip link set "$seg" address ${o.mac}`,
    `/sbin/ip link add vx0 type vxlan id ${o.vni} dstport ${VXLAN_PORT} dev "$und" nolearning`,
    '/sbin/ip link add br0 type bridge',
    '/sbin/ip link set "$seg" master br0',
    '/sbin/ip link set vx0 master br0',
    '/sbin/ip link set "$seg" up',
    '/sbin/ip link set vx0 up',
    '/sbin/ip link set br0 up',
    `touch ${TUNNEL_READY}`,
  ].join('\n');
}

/** Token bucket burst: 10 ms at the rate, at least 32 KiB (the kernel needs rate/HZ at least). */
export const tbfBurstBytes = (mbps: number): number => Math.max(32 * 1024, Math.ceil((mbps * 1_000_000) / 8 / 100));

/** The shell script that sets an endpoint's peers (replacing the previous ones) and its egress rate. */
export function tunnelPeersScript(peers: readonly string[], bandwidthMbps?: number): string {
  if (bandwidthMbps !== undefined && !(bandwidthMbps > 0)) throw new Error(`bandwidth ${bandwidthMbps} Mbit/s is not positive`);
  return [
    'set -e',
    "for d in $(/sbin/bridge fdb show dev vx0 | grep '^00:00:00:00:00:00 dst ' | cut -d' ' -f3); do /sbin/bridge fdb del 00:00:00:00:00:00 dev vx0 dst \"$d\"; done",
    ...peers.map((p) => `/sbin/bridge fdb append 00:00:00:00:00:00 dev vx0 dst ${checkAddress(p)}`),
    '/sbin/tc qdisc del dev vx0 root 2>/dev/null || true',
    ...(bandwidthMbps === undefined ? [] : [`/sbin/tc qdisc add dev vx0 root tbf rate ${Math.round(bandwidthMbps * 1000)}kbit burst ${tbfBurstBytes(bandwidthMbps)} latency 100ms`]),
  ].join('\n');
}
