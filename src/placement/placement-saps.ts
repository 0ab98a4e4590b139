import type { VirtualLink } from '../model/index.js';

/**
 * Puts each SAP on the PoP of a VNF it is wired to (5GTANGO RoundRobinWithSAPs): first
 * the VNF at the other end of its E-Line, else the first VNF (in CP-reference order) on
 * any E-LAN it joins — deterministic where 5GTANGO picked a random DC — else `fallbackPop`.
 */
export function placeSapsNextToVnfs(
  saps: readonly string[],
  links: readonly VirtualLink[],
  vnfPops: Readonly<Record<string, string>>,
  fallbackPop: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sap of saps) {
    const onLink = links.filter((l) => l.cpRefs.some((r) => r.kind === 'sap' && r.sap === sap));
    const ordered = [...onLink.filter((l) => l.type === 'E-Line'), ...onLink.filter((l) => l.type !== 'E-Line')];
    let pop: string | undefined;
    for (const link of ordered) {
      for (const ref of link.cpRefs) {
        if (ref.kind === 'vnf' && vnfPops[ref.vnfId] !== undefined) {
          pop = vnfPops[ref.vnfId];
          break;
        }
      }
      if (pop !== undefined) break;
    }
    out[sap] = pop ?? fallbackPop;
  }
  return out;
}
