import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYamlSafe } from '../../descriptors/index.js';
import { declaredScalePolicies, unsupportedScalePolicies } from './descriptor-scale-policies.js';
import { decideScale, effectiveScalePolicy, observeMetric } from './scale-decision.js';
import type { ScaleWindow } from './scale-decision.js';
import type { DeclaredScalePolicy, PolicyRow } from './policy-types.js';

const yaml = (text: string): unknown => {
  const r = parseYamlSafe(text, 'x.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const metricsVnfd = () => yaml(readFileSync('../shared/corpus/osm/hackfest_basic_metrics_vnf/hackfest_basic_metrics_vnfd.yaml', 'utf8'));

describe('auto-scale declarations in descriptors', () => {
  it("reads the OSM metrics VNF's scaling-policy: cpu_utilization via its monitoring-parameter, thresholds, threshold-time, cooldown", () => {
    expect(declaredScalePolicies({ format: 'sol006', source: metricsVnfd() })).toEqual([
      {
        name: 'cpu_util_above_threshold', aspectId: 'vdu_autoscale', metric: 'cpu_utilization', scaleOutThreshold: 60, scaleInThreshold: 10,
        windowSeconds: 1, cooldownSeconds: 5, automatic: true, origin: 'sol006 scaling-policy',
      },
    ]);
    expect(unsupportedScalePolicies({ format: 'sol006', source: metricsVnfd() })).toEqual([]);
  });

  it('one policy per criterion; a metric Rondo does not sample is listed as not acted on; manual or disabled policies do not act', () => {
    const doc = yaml(`vnfd:
  id: v
  vdu:
  - id: vm
    monitoring-parameter:
    - {id: mem, performance-metric: average_memory_utilization}
    - {id: pkts, performance-metric: packets_sent}
  df:
  - id: df
    scaling-aspect:
    - id: a
      scaling-policy:
      - name: p
        scaling-type: manual
        scaling-criteria:
        - {name: m, vnf-monitoring-param-ref: mem, scale-out-threshold: '80'}
        - {name: k, vnf-monitoring-param-ref: pkts, scale-out-threshold: 1000}
      - name: q
        scaling-type: automatic
        enabled: false
        scaling-criteria:
        - {name: m, vnf-monitoring-param-ref: mem, scale-in-threshold: 5}
`);
    expect(declaredScalePolicies({ format: 'sol006', source: doc })).toEqual([
      { name: 'p-m', aspectId: 'a', metric: 'memory_utilization', scaleOutThreshold: 80, windowSeconds: 1, cooldownSeconds: 300, automatic: false, origin: 'sol006 scaling-policy' },
      { name: 'q', aspectId: 'a', metric: 'memory_utilization', scaleInThreshold: 5, windowSeconds: 1, cooldownSeconds: 300, automatic: false, origin: 'sol006 scaling-policy' },
    ]);
    expect(unsupportedScalePolicies({ format: 'sol006', source: doc })).toEqual([{ name: 'p-k', aspectId: 'a', metric: 'packets_sent' }]);
    expect(declaredScalePolicies({ format: 'etsi', source: doc })).toEqual([]);
  });
});

describe('auto-scale decisions', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const declared: DeclaredScalePolicy = {
    name: 'cpu', aspectId: 'a', metric: 'cpu_utilization', scaleOutThreshold: 60, scaleInThreshold: 10, windowSeconds: 2, cooldownSeconds: 30, automatic: true, origin: 'sol006 scaling-policy',
  };
  const row = (r: Partial<PolicyRow>): PolicyRow => ({
    nsInstanceId: 'ns', policyId: 'auto-scale-v-cpu', vnfId: 'v', enabled: null, maxAttempts: null, backoffSeconds: null, attempts: 0, lastFiredAt: null, exhaustedAt: null, params: {}, ...r,
  });
  const level = { current: 0, max: 1 };

  it('takes the overridden values over the descriptor', () => {
    expect(effectiveScalePolicy('ns', 'v', declared, undefined)).toMatchObject({ policyId: 'auto-scale-v-cpu', enabled: true, scaleOutThreshold: 60, windowSeconds: 2, source: 'DESCRIPTOR' });
    expect(effectiveScalePolicy('ns', 'v', declared, row({ params: { scaleOutThreshold: 20, cooldownSeconds: 0 } }))).toMatchObject({ scaleOutThreshold: 20, scaleInThreshold: 10, cooldownSeconds: 0, source: 'OVERRIDE' });
    expect(effectiveScalePolicy('ns', 'v', declared, row({ enabled: false }))).toMatchObject({ enabled: false, source: 'OVERRIDE' });
  });

  it('fires only once a condition has held for the whole window; a broken condition starts over', () => {
    const p = effectiveScalePolicy('ns', 'v', declared, undefined);
    let w: ScaleWindow = {};
    w = observeMetric(p, w, 90, at(0));
    expect(decideScale(p, w, level, at(1)).kind).toBe('none');
    w = observeMetric(p, w, 50, at(1)); // between the thresholds: neither holds
    w = observeMetric(p, w, 95, at(2));
    expect(decideScale(p, w, level, at(3.9)).kind).toBe('none');
    expect(decideScale(p, w, level, at(4))).toEqual({ kind: 'fire', direction: 'out', expected: { attempts: 0, lastFiredAt: null }, next: { attempts: 1, lastFiredAt: at(4) } });
    const low = observeMetric(p, {}, 3, at(10));
    expect(decideScale(p, low, { current: 1, max: 1 }, at(12))).toMatchObject({ kind: 'fire', direction: 'in' });
  });

  it('never leaves the aspect limits, waits out the cooldown, does nothing when off', () => {
    const high = observeMetric(effectiveScalePolicy('ns', 'v', declared, undefined), {}, 99, at(0));
    expect(decideScale(effectiveScalePolicy('ns', 'v', declared, undefined), high, { current: 1, max: 1 }, at(5))).toEqual({ kind: 'skip', direction: 'out', reason: 'AT_MAX_LEVEL' });
    const low = observeMetric(effectiveScalePolicy('ns', 'v', declared, undefined), {}, 1, at(0));
    expect(decideScale(effectiveScalePolicy('ns', 'v', declared, undefined), low, { current: 0, max: 1 }, at(5))).toEqual({ kind: 'skip', direction: 'in', reason: 'AT_MIN_LEVEL' });
    const fired = effectiveScalePolicy('ns', 'v', declared, row({ attempts: 1, lastFiredAt: at(-20) }));
    expect(decideScale(fired, high, level, at(5))).toEqual({ kind: 'wait', direction: 'out', reason: 'COOLDOWN', until: at(10) });
    expect(decideScale(fired, high, level, at(10))).toMatchObject({ kind: 'fire', expected: { attempts: 1, lastFiredAt: at(-20) }, next: { attempts: 2 } });
    expect(decideScale(effectiveScalePolicy('ns', 'v', declared, row({ enabled: false })), high, level, at(5))).toEqual({ kind: 'skip', direction: 'out', reason: 'DISABLED' });
  });
});

describe('5GTANGO monitoring_rules as auto-scale policies', () => {
  it("reads the schema example's condition form on a scalable VDU; a VDU that cannot scale gets none", () => {
    const doc = yaml(readFileSync('../shared/corpus/tango/tng-schema-examples/function-descriptor/firewall-vnfd.yml', 'utf8'));
    // The example's VDU declares no scale_in_out: its rules only notify, as in 5GTANGO.
    expect(declaredScalePolicies({ format: 'tango', source: doc })).toEqual([]);
    const scalable = { ...(doc as Record<string, unknown>) };
    scalable['virtual_deployment_units'] = ((doc as { virtual_deployment_units: Record<string, unknown>[] }).virtual_deployment_units).map((u) => ({ ...u, scale_in_out: { minimum: 1, maximum: 3 } }));
    expect(declaredScalePolicies({ format: 'tango', source: scalable })).toEqual([
      { name: 'vdu01-cpu_utilization', aspectId: 'vdu01', metric: 'cpu_utilization', scaleOutThreshold: 10, windowSeconds: 10, cooldownSeconds: 60, automatic: true, origin: '5gtango monitoring_rules mon:rule:vm_cpu_perc' },
      { name: 'vdu01-memory_utilization', aspectId: 'vdu01', metric: 'memory_utilization', scaleOutThreshold: 10, windowSeconds: 10, cooldownSeconds: 60, automatic: true, origin: '5gtango monitoring_rules mon:rule:vm_mem_perc' },
    ]);
  });

  it("reads the policy descriptors' form (condition + threshold, the VDU in the rule name): out and in rules make one policy", () => {
    const doc = yaml(`virtual_deployment_units:
- id: vdu01
  scale_in_out: {minimum: 1, maximum: 4}
- id: vdu02
monitoring_rules:
- {name: 'ms-vnf:vdu01:cpu_util:more60', duration: 20, duration_unit: s, condition: cpu_util, threshold: ' > 60'}
- {name: 'ms-vnf:vdu01:cpu_util:less30', duration: 1, duration_unit: m, condition: cpu_util, threshold: ' < 30'}
- {name: 'ms-vnf:vdu02:cpu_util:more60', duration: 20, duration_unit: s, condition: cpu_util, threshold: ' > 60'}
- {name: 'odd', condition: 'vdu01:packets > 5'}
`);
    expect(declaredScalePolicies({ format: 'tango', source: doc })).toEqual([{
      name: 'vdu01-cpu_utilization', aspectId: 'vdu01', metric: 'cpu_utilization', scaleOutThreshold: 60, scaleInThreshold: 30, windowSeconds: 60, cooldownSeconds: 60, automatic: true,
      origin: '5gtango monitoring_rules ms-vnf:vdu01:cpu_util:more60, ms-vnf:vdu01:cpu_util:less30',
    }]);
  });
});
