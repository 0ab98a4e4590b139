/** Characters Docker accepts in container and network names. */
const safe = (s: string): string => s.replace(/[^a-zA-Z0-9_.-]/g, '-');

/** First 8 characters of the NS instance id: enough to tell instances apart on one engine. */
export const nsShort = (nsInstanceId: string): string => safe(nsInstanceId.replace(/-/g, '').slice(0, 8));

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
