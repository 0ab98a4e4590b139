import { Counter } from 'prom-client';
import type { EventBus } from '../bus/index.js';
import type { Clock } from '../model/index.js';
import { isFinalOpState, isSick, scaleAspectsOf } from '../lifecycle/index.js';
import type { DescriptorSource, NsLifecycleService } from '../lifecycle/index.js';
import { AutoHealEngine, AutoScaleEngine, HealthProber, createPolicyService } from '../monitoring/index.js';
import type { AlarmService, MonitoringMetrics, MonitoringTopics, PolicyDefaults, PolicyService, ProbeRunner } from '../monitoring/index.js';
import { hostProbeRunner } from './probe-runner.js';
import { instantiatedNsOf, nsdsInstantiated, nsPolicyRepository } from '../store/index.js';
import type { Store } from '../store/index.js';
import type { VimRegistry } from '../vim/index.js';

/** Policies of NS instances and the engines that carry them out. */
export interface AutoHealServices {
  readonly service: PolicyService;
  readonly engine: AutoHealEngine;
  /** Auto-scale over the `vnf.stats` samples. */
  readonly scaleEngine: AutoScaleEngine;
  /** The VDU health probes the descriptors declare. */
  readonly prober: HealthProber;
  start(): void;
  stop(): Promise<void>;
}

/** What {@link wireAutoHeal} is built from. */
export interface AutoHealWiringDeps {
  readonly store: Store;
  readonly bus: EventBus<MonitoringTopics>;
  readonly clock: Clock;
  readonly alarms: AlarmService;
  readonly metrics: MonitoringMetrics;
  readonly vimRegistry: VimRegistry;
  readonly lifecycle: Pick<NsLifecycleService, 'listVnfs' | 'getNs' | 'heal' | 'scale' | 'listOps'>;
  readonly descriptors: Pick<DescriptorSource, 'getVnfds'>;
  readonly defaults?: PolicyDefaults;
  /** How probes are tried (default from this host: `ping`, HTTP GET). */
  readonly probeRunner?: ProbeRunner;
  readonly onError?: (e: unknown) => void;
}

/**
 * Wires the policies: the policy service over `ns_policies` and the NSDs' VNFDs, the
 * auto-heal engine over the monitoring bus, starting HEALs through the lifecycle service,
 * and the auto-scale engine over the `vnf.stats` samples, starting SCALEs.
 * It runs where monitoring runs (roles api and all: where the PoPs are watched); with
 * several such processes the store's guarded firing state lets one of them act per failure.
 */
export function wireAutoHeal(deps: AutoHealWiringDeps): AutoHealServices {
  const { lifecycle, clock } = deps;
  const store = nsPolicyRepository(deps.store.db);
  const service = createPolicyService({
    store,
    clock,
    ...(deps.defaults ? { defaults: deps.defaults } : {}),
    ns: { nsdInfoIdOf: async (nsId) => (await lifecycle.getNs(nsId)).nsdInfoId, vnfdsOf: (nsdInfoId) => deps.descriptors.getVnfds(nsdInfoId) },
  });
  const firings = new Counter({
    name: 'rondo_policy_firings_total',
    help: 'Operations started by NS policies, by policy type and VNF',
    labelNames: ['type', 'ns', 'vnf'] as const,
    registers: [deps.metrics.registry],
  });
  const openOperation = async (nsId: string) => (await lifecycle.listOps({ nsInstanceId: nsId })).find((o) => !isFinalOpState(o.operationState));
  const engine = new AutoHealEngine({
    bus: deps.bus,
    policies: service,
    store,
    alarms: deps.alarms,
    clock,
    onFired: (p) => firings.inc({ type: p.type, ns: p.nsInstanceId, vnf: p.vnfId }),
    ...(deps.onError ? { onError: deps.onError } : {}),
    ns: {
      nsState: async (nsId) => (await lifecycle.getNs(nsId).catch(() => undefined))?.state,
      listVnfs: (nsId) => lifecycle.listVnfs(nsId),
      openOperation,
      heal: (nsId, req) =>
        lifecycle.heal(nsId, {
          vnfs: [{ vnfInstanceId: req.vnfInstanceId, cause: req.cause, all: req.all }],
          automatic: true,
          operationParams: { healVnfData: [{ vnfInstanceId: req.vnfInstanceId, cause: req.cause, additionalParams: req.additionalParams }] },
        }),
      computeSick: async (popId, computeId) => isSick(await deps.vimRegistry.get(popId).status(computeId, AbortSignal.timeout(5000))),
    },
  });
  const scaleEngine = new AutoScaleEngine({
    bus: deps.bus,
    policies: service,
    store,
    clock,
    onFired: (p, direction) => firings.inc({ type: `${p.type}_${direction.toUpperCase()}`, ns: p.nsInstanceId, vnf: p.vnfId }),
    ...(deps.onError ? { onError: deps.onError } : {}),
    ns: {
      listVnfs: (nsId) => lifecycle.listVnfs(nsId),
      openOperation,
      async maxScaleLevel(nsId, vnfId, aspectId) {
        const vnfd = (await deps.descriptors.getVnfds((await lifecycle.getNs(nsId)).nsdInfoId))[vnfId];
        return vnfd ? scaleAspectsOf(vnfd).find((a) => a.id === aspectId)?.maxScaleLevel : undefined;
      },
      scale: (nsId, req) =>
        lifecycle.scale(nsId, {
          scaleType: 'SCALE_VNF',
          scaleVnfData: [{ vnfInstanceId: req.vnfInstanceId, scaleVnfType: req.direction === 'out' ? 'SCALE_OUT' : 'SCALE_IN', scaleByStepData: { aspectId: req.aspectId, numberOfSteps: 1 } }],
          automatic: true,
          operationParams: {
            scaleType: 'SCALE_VNF',
            scaleVnfData: [{ vnfInstanceId: req.vnfInstanceId, scaleVnfType: req.direction === 'out' ? 'SCALE_OUT' : 'SCALE_IN', scaleByStepData: { aspectId: req.aspectId, numberOfSteps: 1, additionalParams: req.additionalParams } }],
          },
        }),
    },
  });
  const prober = new HealthProber({
    bus: deps.bus,
    policies: service,
    clock,
    runner: deps.probeRunner ?? hostProbeRunner,
    ns: {
      nsdsInstantiated: () => nsdsInstantiated(deps.store.db),
      instantiatedNsOf: (nsdInfoIds) => instantiatedNsOf(deps.store.db, nsdInfoIds),
      listVnfs: (nsId) => lifecycle.listVnfs(nsId),
    },
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  return {
    service,
    engine,
    scaleEngine,
    prober,
    start: () => {
      engine.start();
      scaleEngine.start();
      prober.start();
    },
    stop: async () => {
      await prober.stop();
      await scaleEngine.stop();
      await engine.stop();
    },
  };
}
