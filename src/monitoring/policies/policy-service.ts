import { BadRequestError, NotFoundError, RondoError } from '../../model/index.js';
import type { Clock, Vnfd } from '../../model/index.js';
import { declaredHealPolicies, mergeDeclared } from './descriptor-policies.js';
import { declaredScalePolicies } from './descriptor-scale-policies.js';
import { effectivePolicy } from './heal-decision.js';
import { effectiveScalePolicy } from './scale-decision.js';
import type { AutoHealPolicy, AutoScalePolicy, DeclaredHealPolicy, DeclaredScalePolicy, NsPolicy, PolicyDefaults, PolicyOverride, PolicyStore } from './policy-types.js';
import { autoHealPolicyId, autoScalePolicyId, DEFAULT_POLICY_SETTINGS } from './policy-types.js';

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
  /** Every policy of the NS instance (one auto-heal policy per VNF member, the auto-scale policies its VNFDs declare), as it applies now. */
  list(nsInstanceId: string): Promise<NsPolicy[]>;
  /** The auto-scale policies of the NS instance. */
  scalePolicies(nsInstanceId: string): Promise<AutoScalePolicy[]>;
  /** Whether some VNFD of the NSD declares a health probe (read once per NSD: descriptors do not change). */
  declaresProbes(nsdInfoId: string): Promise<boolean>;
  /** The auto-heal policy of one VNF member; undefined when the NSD has no such member. */
  forVnf(nsInstanceId: string, vnfId: string): Promise<AutoHealPolicy | undefined>;
  /**
   * Overrides the policy `policyId` (or the auto-heal policy of VNF `vnfId`) of the NS
   * instance; its firing state starts afresh. 422 `POLICY_UNKNOWN` when the NS has no
   * such policy; 400 for a value the policy's type does not have (a threshold of an
   * auto-heal policy, a cap of an auto-scale one).
   */
  set(nsInstanceId: string, policyId: string, override: PolicyOverride): Promise<NsPolicy>;
}

/** Builds the {@link PolicyService}. */
export function createPolicyService(opts: PolicyServiceOptions): PolicyService {
  const defaults = opts.defaults ?? DEFAULT_POLICY_SETTINGS;
  // An NsdInfo's descriptors never change once on-boarded: each is read once (failures are not kept).
  interface Declared {
    readonly heal: Map<string, DeclaredHealPolicy | undefined>;
    readonly scale: Map<string, DeclaredScalePolicy[]>;
  }
  const byNsd = new Map<string, Promise<Declared>>();
  const declaredOfNsd = (nsdInfoId: string): Promise<Declared> => {
    let found = byNsd.get(nsdInfoId);
    if (!found) {
      found = opts.ns.vnfdsOf(nsdInfoId).then((vnfds) => {
        const members = Object.entries(vnfds);
        return {
          heal: new Map(members.map(([member, vnfd]) => [member, mergeDeclared(declaredHealPolicies(vnfd))])),
          scale: new Map(members.map(([member, vnfd]) => [member, declaredScalePolicies(vnfd)])),
        };
      });
      byNsd.set(nsdInfoId, found);
      found.catch(() => byNsd.delete(nsdInfoId));
    }
    return found;
  };
  const declaredOf = async (nsId: string) => declaredOfNsd(await opts.ns.nsdInfoIdOf(nsId));
  const list = async (nsId: string): Promise<NsPolicy[]> => {
    const [declared, rows] = await Promise.all([declaredOf(nsId), opts.store.list(nsId)]);
    const byId = new Map(rows.map((r) => [r.policyId, r]));
    const heal = [...declared.heal.entries()].map(([vnfId, d]) => effectivePolicy(nsId, vnfId, d, byId.get(autoHealPolicyId(vnfId)), defaults));
    const scale = [...declared.scale.entries()].flatMap(([vnfId, ds]) => ds.map((d) => effectiveScalePolicy(nsId, vnfId, d, byId.get(autoScalePolicyId(vnfId, d.name)))));
    return [...heal, ...scale];
  };
  const isHeal = (p: NsPolicy): p is AutoHealPolicy => p.type === 'AUTO_HEAL';
  const isScale = (p: NsPolicy): p is AutoScalePolicy => p.type === 'AUTO_SCALE';
  return {
    defaults,
    list,
    declaresProbes: async (nsdInfoId) => [...(await declaredOfNsd(nsdInfoId)).heal.values()].some((d) => d?.probe !== undefined),
    forVnf: async (nsId, vnfId) => (await list(nsId)).filter(isHeal).find((p) => p.vnfId === vnfId),
    async scalePolicies(nsId) {
      // Most NSDs declare no auto-scale policy: their instances' rows are not read.
      const declared = await declaredOf(nsId);
      if ([...declared.scale.values()].every((d) => d.length === 0)) return [];
      return (await list(nsId)).filter(isScale);
    },
    async set(nsId, policyId, override) {
      const policies = await list(nsId);
      // A VNF member id names its auto-heal policy.
      const p = policies.find((x) => x.policyId === policyId) ?? policies.filter(isHeal).find((x) => x.vnfId === policyId);
      if (!p) {
        throw new RondoError('POLICY_UNKNOWN', `NS instance ${nsId} has no policy ${policyId}; its policies are ${policies.map((x) => x.policyId).join(', ') || 'none'}`, {
          details: { nsInstanceId: nsId, policyId },
        });
      }
      const foreign = isHeal(p)
        ? (['scaleOutThreshold', 'scaleInThreshold', 'windowSeconds', 'cooldownSeconds'] as const).filter((k) => override[k] !== undefined)
        : (['maxAttempts', 'backoffSeconds'] as const).filter((k) => override[k] !== undefined);
      if (foreign.length > 0) {
        throw new BadRequestError(`${p.policyId} is an ${p.type} policy: it has no ${foreign.join(', ')}`, { details: { policyId: p.policyId, fields: foreign } });
      }
      await opts.store.setOverride(nsId, p.policyId, p.vnfId, override, opts.clock.now());
      const now = await list(nsId);
      const updated = now.find((x) => x.policyId === p.policyId);
      if (!updated) throw new NotFoundError('policy', p.policyId);
      return updated;
    },
  };
}
