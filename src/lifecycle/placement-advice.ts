import type { Nsd, PlacementAdviceRecord, VimAccount, Vnfd } from '../model/index.js';
import { BadRequestError } from '../model/index.js';

/** What a placement SSM is asked (the `mano.service.place` request, docs/plugins.md). */
export interface PlacementAdviceRequest {
  readonly nsInstanceId: string;
  /** The VNFs to place (not SAPs): member id and VNFD id. */
  readonly vnfs: readonly { readonly memberId: string; readonly vnfdId: string | null }[];
  /** The PoPs the request may use. */
  readonly pops: readonly string[];
}

/**
 * The port through which INSTANTIATE asks a placement SSM (SONATA's placement hook) where
 * its VNFs should run. The composition root implements it over the plugin registry and the
 * bus (src/app/plugin-wiring.ts); the core never sees either.
 */
export interface PlacementAdvisor {
  /**
   * Undefined when no live plugin serves `mano.service.place` (nothing was asked). Else
   * `ADVISED` with the answer as received (member id → PoP id, checked here for its
   * shape only), or `FAILED` with the reason there is none (timeout, error, malformed
   * answer). Never throws for the SSM's failures.
   */
  advise(req: PlacementAdviceRequest): Promise<PlacementAdviceRecord | undefined>;
}

/** The `mano.service.place` request of an NS: its VNF members and the usable PoPs. */
export function placementAdviceRequest(nsInstanceId: string, nsd: Nsd, vnfds: Readonly<Record<string, Vnfd>>, pops: readonly VimAccount[]): PlacementAdviceRequest {
  return {
    nsInstanceId,
    vnfs: nsd.vnfs.map((m) => ({ memberId: m.vnfId, vnfdId: vnfds[m.vnfId]?.descriptorId ?? null })),
    pops: pops.map((p) => p.id),
  };
}

/**
 * The pins an SSM's answer stands for: its placement, with the request's own `pins` over
 * it (the user decides last). Throws BadRequestError `PLACEMENT_UNKNOWN_MEMBER` when the
 * answer names a member that is not one of the VNFs it was asked about, and
 * `PLACEMENT_UNKNOWN_POP` when it names a PoP it was not offered: an SSM that answers
 * wrongly is a bug to fix, not a hint to drop quietly, and the operation is refused before
 * it is stored, so nothing is created on a VIM.
 */
export function pinsWithAdvice(req: PlacementAdviceRequest, advice: PlacementAdviceRecord | undefined, pins: Readonly<Record<string, string>> = {}): Readonly<Record<string, string>> {
  if (advice?.outcome !== 'ADVISED' || !advice.placement) return pins;
  const members = new Set(req.vnfs.map((v) => v.memberId));
  const pops = new Set(req.pops);
  const by = advice.plugins.join(', ');
  for (const [member, pop] of Object.entries(advice.placement)) {
    if (!members.has(member)) {
      throw new BadRequestError(`the placement SSM (${by}) placed ${member}, which is not a VNF of NS ${req.nsInstanceId}; fix the SSM or deregister it`, {
        code: 'PLACEMENT_UNKNOWN_MEMBER', details: { source: 'ssm', plugins: advice.plugins, member },
      });
    }
    if (!pops.has(pop)) {
      throw new BadRequestError(`the placement SSM (${by}) placed ${member} on ${pop}, which is not one of the PoPs offered (${req.pops.join(', ')}); fix the SSM or deregister it`, {
        code: 'PLACEMENT_UNKNOWN_POP', details: { source: 'ssm', plugins: advice.plugins, member, popId: pop },
      });
    }
  }
  return { ...advice.placement, ...pins };
}
