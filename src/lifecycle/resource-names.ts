/** Characters Docker accepts in container and network names. */
const safe = (s: string): string => s.replace(/[^a-zA-Z0-9_.-]/g, '-');

/**
 * 8 hex characters of a hash of the NS instance id. A prefix of the id is not enough:
 * ids from one generator (or two deployments sharing an engine) may share their first
 * characters, and then two instances would fight over the same VIM names.
 */
export const nsShort = (nsInstanceId: string): string => fnv1a32(nsInstanceId).toString(16).padStart(8, '0');

/** FNV-1a, 32 bits: tiny, deterministic, good enough to spread ids over names. */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** VIM name of a virtual link's network: `rondo-<ns8>-<linkId>`. */
export const networkName = (nsInstanceId: string, linkId: string): string => `rondo-${nsShort(nsInstanceId)}-${safe(linkId)}`;

/**
 * VIM name of a compute: `rondo-<ns8>-<member>` for SAPs and single-VDU VNFs,
 * `rondo-<ns8>-<member>-<vdu>` when the VNF has several VDUs.
 */
export const computeName = (nsInstanceId: string, memberId: string, vduId?: string): string =>
  `rondo-${nsShort(nsInstanceId)}-${safe(memberId)}${vduId === undefined ? '' : `-${safe(vduId)}`}`;

/** A VIM's identity: PoPs whose accounts share it share one engine (and its networks). */
export const engineKey = (account: { readonly type: string; readonly endpoint: string }): string => `${account.type}|${account.endpoint}`;
