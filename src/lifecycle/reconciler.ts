import type { Clock, VnfInstance } from '../model/index.js';
import { RondoError } from '../model/index.js';
import { LABEL_NS } from '../vim/index.js';
import type { LabelledResource } from '../vim/index.js';
import type { DriverRegistry } from './ports.js';
import type { NsLiveness, OrphanResource, ReconcileError, ReconcileReport, ReconcileRepository, VanishedVnf } from './reconcile-types.js';

/** What the {@link Reconciler} needs. */
export interface ReconcilerOptions {
  readonly repo: ReconcileRepository;
  readonly drivers: DriverRegistry;
  readonly clock: Clock;
  /** Reloads the PoP list before each pass (the VIM registry's `refresh`). */
  readonly refresh?: () => Promise<void>;
  /** Time between passes after `start` (default 60 000 ms). */
  readonly intervalMs?: number;
  /**
   * Periodic passes report orphans but do not delete them (they still mark vanished
   * VNFs, which touches only this installation's records); default false. `runOnce` is
   * unaffected. For set-ups where several installations share an engine under the same
   * PoP ids, where each would see the other's resources as orphans.
   */
  readonly periodicKeepOrphans?: boolean;
  /** Called once per VNF newly marked FAILED because its computes vanished (alarms subscribe here). */
  readonly onVanished?: (vnf: VnfInstance) => void | Promise<void>;
  /** Told about a periodic pass that threw (the next pass runs anyway). */
  readonly onError?: (error: unknown) => void;
  /** Told about every finished periodic pass. */
  readonly onReport?: (report: ReconcileReport) => void;
}

/** Whether an NS's resources may be removed: no record, or NOT_INSTANTIATED and idle. */
const orphanReason = (live: NsLiveness | undefined): OrphanResource['reason'] | null => {
  if (!live) return 'NS_UNKNOWN';
  return live.state === 'NOT_INSTANTIATED' && !live.openOp ? 'NS_NOT_INSTANTIATED' : null;
};

const errorOf = (pop: string, e: unknown): ReconcileError => ({
  pop, code: e instanceof RondoError ? e.code : 'UNEXPECTED', message: e instanceof Error ? e.message : String(e),
});

/**
 * Compares what every PoP holds (resources labelled `rondo.ns`) with the records, in
 * both directions:
 *
 * - orphans: resources whose NS record is gone, or whose NS is NOT_INSTANTIATED with no
 *   open operation, are reported and (unless dry run) deleted, computes before networks;
 * - vanished: VNF records of an INSTANTIATED, idle NS whose computes are missing are
 *   marked FAILED and `onVanished` is called.
 *
 * Resources of an NS with a non-final operation (FAILED_TEMP included) are never
 * touched. Ordering matters for races with workers: the VIM is listed *before* the store
 * is read, so any resource seen belongs to an NS whose row already exists; each NS is
 * read again right before its resources are deleted; and a VNF recorded after the
 * listing began is never judged vanished. A PoP that cannot be listed is reported in
 * `errors` and nothing on it is judged.
 *
 * The `rondo.ns` label is the whole contract: two Rondo installations sharing one engine
 * must use distinct PoP ids, or each would see the other's resources as orphans.
 */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<ReconcileReport> | null = null;
  #started = false;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
  }

  /** Runs a pass now, then every interval; a second call is a no-op. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const tick = (): void => {
      this.#serialised({ remove: !(this.#o.periodicKeepOrphans ?? false), mark: true }).then(
        (r) => this.#o.onReport?.(r),
        (e: unknown) => this.#o.onError?.(e),
      ).finally(() => {
        if (this.#started) this.#timer = setTimeout(tick, this.#o.intervalMs ?? 60_000);
      });
    };
    tick();
  }

  /** Stops the periodic passes and waits for a running one. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /**
   * One pass. Passes never overlap: a call while one runs waits for it, then runs its
   * own. Throws only when the store cannot be read; VIM failures land in `errors`.
   */
  async runOnce(opts: { readonly dryRun?: boolean } = {}): Promise<ReconcileReport> {
    const dry = opts.dryRun ?? false;
    return this.#serialised({ remove: !dry, mark: !dry });
  }

  async #serialised(act: { readonly remove: boolean; readonly mark: boolean }): Promise<ReconcileReport> {
    while (this.#running) await this.#running.catch(() => undefined);
    const run = this.#pass(act);
    this.#running = run;
    try {
      return await run;
    } finally {
      this.#running = null;
    }
  }

  async #pass(act: { readonly remove: boolean; readonly mark: boolean }): Promise<ReconcileReport> {
    const { repo, drivers, clock } = this.#o;
    const startedAt = clock.now();
    await this.#o.refresh?.();
    const errors: ReconcileError[] = [];
    const listed = new Map<string, LabelledResource[]>();
    await Promise.all(
      drivers.accounts().map(async (a) => {
        try {
          const all = await drivers.get(a.id).listByLabel({});
          listed.set(a.id, all.filter((r) => r.labels[LABEL_NS] !== undefined && r.labels[LABEL_NS] !== ''));
        } catch (e) {
          errors.push(errorOf(a.id, e));
        }
      }),
    );
    // Read after listing: see the class comment.
    const live = await repo.nsLiveness();
    const orphans: OrphanResource[] = [];
    for (const [pop, resources] of listed) {
      for (const r of resources) {
        const ns = r.labels[LABEL_NS] as string;
        const reason = orphanReason(live.get(ns));
        if (reason) orphans.push({ pop, kind: r.kind, id: r.id, name: r.name, ns, reason });
      }
    }
    orphans.sort((a, b) => a.pop.localeCompare(b.pop) || a.ns.localeCompare(b.ns) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    const removed = act.remove ? await this.#remove(orphans, errors) : 0;
    const vanished = await this.#vanished(listed, startedAt, !act.mark);
    return { startedAt: startedAt.toISOString(), finishedAt: clock.now().toISOString(), dryRun: !act.remove && !act.mark, orphans, removed, vanished, errors };
  }

  async #remove(orphans: readonly OrphanResource[], errors: ReconcileError[]): Promise<number> {
    const { repo, drivers } = this.#o;
    const still = new Map<string, boolean>();
    const stillOrphan = async (ns: string): Promise<boolean> => {
      let ok = still.get(ns);
      if (ok === undefined) {
        // Re-read just before deleting: an instantiate may have started since the pass began.
        ok = orphanReason(await repo.nsLivenessOf(ns)) !== null;
        still.set(ns, ok);
      }
      return ok;
    };
    let removed = 0;
    // Computes first: a network with containers attached cannot be removed.
    for (const kind of ['compute', 'network'] as const) {
      for (const o of orphans.filter((x) => x.kind === kind)) {
        if (!(await stillOrphan(o.ns))) continue;
        try {
          const d = drivers.get(o.pop);
          if (kind === 'compute') await d.deleteCompute(o.id, {});
          else await d.deleteNetwork(o.id);
          removed++;
        } catch (e) {
          errors.push(errorOf(o.pop, e));
        }
      }
    }
    return removed;
  }

  async #vanished(listed: ReadonlyMap<string, readonly LabelledResource[]>, listedAt: Date, dryRun: boolean): Promise<VanishedVnf[]> {
    const { repo, clock } = this.#o;
    const out: VanishedVnf[] = [];
    const present = new Map([...listed].map(([pop, rs]) => [pop, new Set(rs.filter((r) => r.kind === 'compute').flatMap((r) => [r.id, r.name]))]));
    for (const vnf of await repo.settledVnfs()) {
      const seen = present.get(vnf.popId);
      // An unlistable PoP is judged next time; a VNF recorded after the listing began may
      // have computes the listing did not see yet.
      if (!seen || vnf.state === 'FAILED' || Date.parse(vnf.createdAt) >= listedAt.getTime()) continue;
      const unseen = vnf.computeIds.filter((id) => !seen.has(id));
      if (unseen.length === 0) continue;
      // Confirm by id: a compute made by another path (a Heat stack) may carry no labels.
      const missing = await this.#confirmGone(vnf.popId, unseen);
      if (missing.length === 0) continue;
      const entry = { nsInstanceId: vnf.nsInstanceId, vnfInstanceId: vnf.id, memberId: vnf.memberId, popId: vnf.popId, missingComputeIds: missing };
      if (dryRun) {
        out.push(entry);
        continue;
      }
      const marked = await repo.markVnfFailed(vnf.id, clock.now());
      if (!marked) continue;
      out.push(entry);
      try {
        await this.#o.onVanished?.(marked);
      } catch (e) {
        this.#o.onError?.(e);
      }
    }
    return out;
  }

  /** The ids whose `status` says DELETED; a PoP that errors confirms nothing. */
  async #confirmGone(popId: string, ids: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    try {
      const d = this.#o.drivers.get(popId);
      for (const id of ids) if ((await d.status(id)).state === 'DELETED') gone.push(id);
    } catch {
      return [];
    }
    return gone;
  }
}
