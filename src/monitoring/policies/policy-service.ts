import { NotFoundError, RondoError } from '../../model/index.js';
import type { Clock, Vnfd } from '../../model/index.js';
import { declaredHealPolicies, mergeDeclared } from './descriptor-policies.js';
import { effectivePolicy } from './heal-decision.js';
import type { AutoHealPolicy, DeclaredHealPolicy, PolicyDefaults, PolicyOverride, PolicyStore } from './policy-types.js';
import { autoHealPolicyId, DEFAULT_POLICY_SETTINGS } from './policy-types.js';

/** What the policy service reads of an NS instance: its NSD, and an NSD's VNFDs by member id. */
export interface PolicyNsPort {
  /** The NsdInfo id of the NS instance; NotFoundError for an unknown NS. */
  nsdInfoIdOf(nsInstanceId: string): Promise<string>;
  /** The VNFDs of the NSD keyed by member `vnfId`. */
  vnfdsOf(nsdInfoId: string): Promise<Readonly<Record<string, Pick<Vnfd, 'format' | 'source'>>>>;
}

/** Options of {@link createPolicyService}. */
export interface PolicyServiceOptions {
  readonly store: PolicyStore;
  readonly ns: PolicyNsPort;
  readonly clock: Clock;
  readonly defaults?: PolicyDefaults;
}

/** The policies of NS instances: the descriptor's, the default, and per-instance overrides. */
export interface PolicyService {
  readonly defaults: PolicyDefaults;
  /** Every policy of the NS instance (one auto-heal policy per VNF member), as it applies now. */
  list(nsInstanceId: string): Promise<AutoHealPolicy[]>;
  /** Whether some VNFD of the NSD declares a health probe (read once per NSD: descriptors do not change). */
  declaresProbes(nsdInfoId: string): Promise<boolean>;
  /** The auto-heal policy of one VNF member; undefined when the NSD has no such member. */
  forVnf(nsInstanceId: string, vnfId: string): Promise<AutoHealPolicy | undefined>;
  /**
   * Overrides the policy `policyId` (or the auto-heal policy of VNF `vnfId`) of the NS
   * instance; its firing state starts afresh. 422 `POLICY_UNKNOWN` when the NS has no
   * such policy.
   */
  set(nsInstanceId: string, policyId: string, override: PolicyOverride): Promise<AutoHealPolicy>;
}

/** Builds the {@link PolicyService}. */
export function createPolicyService(opts: PolicyServiceOptions): PolicyService {
  const defaults = opts.defaults ?? DEFAULT_POLICY_SETTINGS;
  // An NsdInfo's descriptors never change once on-boarded: each is read once (failures are not kept).
  const byNsd = new Map<string, Promise<Map<string, DeclaredHealPolicy | undefined>>>();
  const declaredOfNsd = (nsdInfoId: string): Promise<Map<string, DeclaredHealPolicy | undefined>> => {
    let found = byNsd.get(nsdInfoId);
    if (!found) {
      found = opts.ns.vnfdsOf(nsdInfoId).then((vnfds) => new Map(Object.entries(vnfds).map(([member, vnfd]) => [member, mergeDeclared(declaredHealPolicies(vnfd))])));
      byNsd.set(nsdInfoId, found);
      found.catch(() => byNsd.delete(nsdInfoId));
    }
    return found;
  };
  const declaredOf = async (nsId: string) => declaredOfNsd(await opts.ns.nsdInfoIdOf(nsId));
  const list = async (nsId: string): Promise<AutoHealPolicy[]> => {
    const [declared, rows] = await Promise.all([declaredOf(nsId), opts.store.list(nsId)]);
    const byId = new Map(rows.map((r) => [r.policyId, r]));
    return [...declared.entries()].map(([vnfId, d]) => effectivePolicy(nsId, vnfId, d, byId.get(autoHealPolicyId(vnfId)), defaults));
  };
  return {
    defaults,
    list,
    declaresProbes: async (nsdInfoId) => [...(await declaredOfNsd(nsdInfoId)).values()].some((d) => d?.probe !== undefined),
    forVnf: async (nsId, vnfId) => (await list(nsId)).find((p) => p.vnfId === vnfId),
    async set(nsId, policyId, override) {
      const policies = await list(nsId);
      const p = policies.find((x) => x.policyId === policyId || x.vnfId === policyId);
      if (!p) {
        throw new RondoError('POLICY_UNKNOWN', `NS instance ${nsId} has no policy ${policyId}; its policies are ${policies.map((x) => x.policyId).join(', ') || 'none'}`, {
          details: { nsInstanceId: nsId, policyId },
        });
      }
      await opts.store.setOverride(nsId, p.policyId, p.vnfId, override, opts.clock.now());
      const now = await list(nsId);
      const updated = now.find((x) => x.policyId === p.policyId);
      if (!updated) throw new NotFoundError('policy', p.policyId);
      return updated;
    },
  };
}
