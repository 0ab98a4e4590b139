import type { IdGenerator, OpStep, Vnfd } from '../model/index.js';
import { formatIpv4, parseCidr, parseIpv4 } from '../ipam/index.js';
import type { SubnetAllocation } from '../ipam/index.js';
import type { PlannedStep } from './ns-plan-types.js';
import { scaleAspectsOf } from './scale-aspects.js';
import type { StoredOpOcc } from './ports.js';

/** The planned steps of operation `opId` as the rows the store keeps (all PENDING). */
export function toOpSteps(opId: string, planned: readonly PlannedStep[], ids: IdGenerator): OpStep[] {
  return planned.map((p) => ({
    id: ids.next(), opId, seq: p.seq, phase: p.phase, kind: p.kind, target: p.target, popId: p.popId,
    params: p.params, state: 'PENDING', result: null, error: null, startedAt: null, endedAt: null,
  }));
}

/** One subnet moved: every address in `from` goes to the same offset in `to` (same prefix length). */
export interface SubnetMove {
  readonly from: string;
  readonly to: string;
}

/** Subnet moves between two allocations of the same links (by link id; unchanged links move nothing). */
export function subnetMoves(before: readonly SubnetAllocation[], after: readonly SubnetAllocation[]): SubnetMove[] {
  const now = new Map(after.map((a) => [a.linkId, a.subnet]));
  return before.flatMap((a) => {
    const to = now.get(a.linkId);
    return to !== undefined && to !== a.subnet ? [{ from: a.subnet, to }] : [];
  });
}

const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/g;

/**
 * `value` (step params: JSON) with every IPv4 address that lies in a moved subnet, alone
 * or inside a longer string (a CIDR, an environment value, a command line), moved to the
 * same offset in its new subnet. Addresses outside the moved subnets stay as they are.
 * This re-addresses a stored plan without planning it again (SUBNET_IN_USE), so a
 * descriptor changed since the request never reaches a running operation.
 */
export function moveAddresses<T>(value: T, moves: readonly SubnetMove[]): T {
  if (moves.length === 0) return value;
  const blocks = moves.map((m) => {
    const from = parseCidr(m.from);
    const to = parseCidr(m.to);
    return { base: from.network, size: 2 ** (32 - from.prefix), to: to.network };
  });
  const moveOne = (ip: string): string => {
    let n: number;
    try {
      n = parseIpv4(ip);
    } catch {
      return ip;
    }
    const b = blocks.find((x) => n >= x.base && n < x.base + x.size);
    return b ? formatIpv4(b.to + (n - b.base)) : ip;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(IPV4, moveOne);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * What an INSTANTIATE's VNF records take from the catalog, read at request time and kept
 * with the operation (`internalParams.records`): a VNFD or package changed or deleted
 * later does not reach the running operation.
 */
export interface InstantiationRecords {
  /** Member → VNF package (VnfPkgInfo id), when the catalog says. */
  readonly vnfPkgIds: Readonly<Record<string, string>>;
  /** Member → its VNFD's scaling aspects (each starts at level 0); members without any are left out. */
  readonly scaleAspects: Readonly<Record<string, readonly string[]>>;
}

/** The {@link InstantiationRecords} of an NSD's VNFDs and packages. */
export function instantiationRecords(vnfds: Readonly<Record<string, Vnfd>>, vnfPkgIds: Readonly<Record<string, string>>): InstantiationRecords {
  const scaleAspects: Record<string, string[]> = {};
  for (const [memberId, vnfd] of Object.entries(vnfds)) {
    const aspects = scaleAspectsOf(vnfd).map((a) => a.id);
    if (aspects.length > 0) scaleAspects[memberId] = aspects;
  }
  return { vnfPkgIds, scaleAspects };
}

/** The records kept with an operation, or undefined for one stored without them. */
export function storedRecords(internalParams: Readonly<Record<string, unknown>>): InstantiationRecords | undefined {
  const r = internalParams['records'];
  return r !== null && typeof r === 'object' ? (r as InstantiationRecords) : undefined;
}

/**
 * Direct hand-off of a just-stored plan to this process's worker, so its first run does not
 * read back the steps the request wrote a moment ago. Bounded; the composition root makes one.
 */
export interface PlanHandOff {
  /** Keeps the steps stored with `op` (fresh, PROCESSING, never claimed). */
  put(op: Pick<StoredOpOcc, 'id' | 'statusEnteredTime'>, steps: readonly OpStep[]): void;
  /**
   * The steps kept for `op`, once, and only on its first claim ever (`attempts` 1, the state
   * entered at creation): any other run (a re-claim after a crash elsewhere, a retry) reads
   * the stored steps, whose states may have moved on.
   */
  take(op: Pick<StoredOpOcc, 'id' | 'statusEnteredTime' | 'attempts'>): OpStep[] | undefined;
}

/** A {@link PlanHandOff} keeping the last `keep` plans. */
export function createPlanHandOff(keep = 16): PlanHandOff {
  const kept = new Map<string, { readonly entered: string; readonly steps: readonly OpStep[] }>();
  return {
    put(op, steps) {
      kept.set(op.id, { entered: op.statusEnteredTime, steps });
      if (kept.size > keep) kept.delete(kept.keys().next().value as string);
    },
    take(op) {
      const k = kept.get(op.id);
      kept.delete(op.id);
      return k && op.attempts === 1 && k.entered === op.statusEnteredTime ? [...k.steps] : undefined;
    },
  };
}
