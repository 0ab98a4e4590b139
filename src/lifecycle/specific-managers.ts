import type { Nsd, SpecificManager, VnfInstance, Vnfd } from '../model/index.js';
import { BadRequestError } from '../model/index.js';

/** One specific manager of one NS, as Rondo runs it (docs/plugins.md, "Specific managers"). */
export interface ManagerSpec extends SpecificManager {
  /** SSM (named by the NSD) or FSM (named by a VNFD). */
  readonly kind: 'ssm' | 'fsm';
  /** FSMs: the NS members whose VNFD names it (one container serves them all). */
  readonly members: readonly string[];
}

/**
 * The managers an NS runs: the NSD's SSMs, then each VNFD's FSMs with the members that
 * use that VNFD. Throws BadRequestError when one id names two different managers.
 */
export function managerSpecsOf(nsd: Pick<Nsd, 'managers' | 'vnfs'>, vnfds: Readonly<Record<string, Pick<Vnfd, 'managers'> | undefined>>): ManagerSpec[] {
  const out = new Map<string, ManagerSpec>();
  for (const m of nsd.managers ?? []) out.set(m.id, { ...m, kind: 'ssm', members: [] });
  for (const member of nsd.vnfs) {
    for (const m of vnfds[member.vnfId]?.managers ?? []) {
      const had = out.get(m.id);
      if (!had) out.set(m.id, { ...m, kind: 'fsm', members: [member.vnfId] });
      else if (had.kind === 'fsm' && had.image === m.image) out.set(m.id, { ...had, members: [...had.members, member.vnfId] });
      else throw new BadRequestError(`manager id ${m.id} names two different managers in one NS (member ${member.vnfId}); give them different ids`, { code: 'VALIDATION_FAILED' });
    }
  }
  return [...out.values()];
}

/** One VNF a SCALE changed, as an FSM's `scale` request names it. */
export interface ManagerScaleChange {
  readonly memberId: string;
  readonly aspectId: string;
  readonly direction: 'SCALE_OUT' | 'SCALE_IN';
}

/**
 * The lifecycle's port to the NS's specific managers (the composition implements it over
 * Docker, the broker and the plugin registry: src/app/manager-wiring.ts). Absent: no
 * manager is ever started or asked.
 */
export interface SpecificManagers {
  /**
   * Starts the managers of an NS being instantiated (before its placement is asked) and
   * waits until they registered. Throws RondoError `MANAGER_UNAVAILABLE` (and leaves none
   * running) when one cannot start.
   */
  prepare(nsInstanceId: string, specs: readonly ManagerSpec[]): Promise<void>;
  /**
   * Once every VNF of an instantiation runs, before it completes: each FSM's `start` per
   * VNF it manages, then the configure SSMs. Throws RondoError `MANAGER_FAILED` naming the
   * manager when one fails, times out or answers badly (the instantiation fails).
   */
  instantiated(op: { readonly id: string; readonly nsInstanceId: string }, specs: readonly ManagerSpec[], vnfs: readonly VnfInstance[]): Promise<void>;
  /**
   * A termination, before any VNF is removed: each FSM's `stop` per VNF it manages. Never
   * throws: an FSM that fails, does not answer in time or is gone is logged and recorded
   * (a `mano.ns.<nsId>.manager.warning` event) and the termination goes on.
   */
  terminating(op: { readonly id: string; readonly nsInstanceId: string }, specs: readonly ManagerSpec[], vnfs: readonly VnfInstance[]): Promise<void>;
  /**
   * Once a SCALE's VNFC instances run, before it completes: each FSM of a scaled VNF gets
   * `scale` with the VNF's computes now and the aspect and direction. Failures as for
   * {@link SpecificManagers.instantiated} (RondoError `MANAGER_FAILED`, unless optional).
   */
  scaled(op: { readonly id: string; readonly nsInstanceId: string }, specs: readonly ManagerSpec[], vnfs: readonly VnfInstance[], changes: readonly ManagerScaleChange[]): Promise<void>;
  /** Removes every manager of the NS (termination, rollback, a refused request). Idempotent. */
  release(nsInstanceId: string): Promise<void>;
}
