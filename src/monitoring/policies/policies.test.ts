import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYamlSafe } from '../../descriptors/index.js';
import { declaredHealPolicies, mergeDeclared } from './descriptor-policies.js';
import { backoffAfter, decideHeal, effectivePolicy } from './heal-decision.js';
import { DEFAULT_POLICY_SETTINGS } from './policy-types.js';
import type { PolicyRow } from './policy-types.js';

const yaml = (text: string, file = 'x.yaml'): unknown => {
  const r = parseYamlSafe(text, file);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('auto-heal declarations in descriptors', () => {
  it('reads OSM SOL006 healing-policy (the corpus autoheal VNF): automatic recovery, cooldown as backoff', () => {
    const doc = yaml(readFileSync('../shared/corpus/osm/autoheal_vnf/autoheal_vnfd.yaml', 'utf8'));
    expect(declaredHealPolicies({ format: 'sol006', source: doc })).toEqual([{ autoHeal: true, vduId: 'autoheal_vnfd-VM', backoffSeconds: 180, origin: 'sol006 healing-policy' }]);
  });

  it("reads Tacker's VDU monitoring_policy (ping and http_ping, failure: respawn) from TOSCA node templates", () => {
    const doc = yaml(`
topology_template:
  node_templates:
    VDU1:
      type: tosca.nodes.nfv.VDU.Tacker
      properties:
        monitoring_policy:
          name: ping
          parameters: { monitoring_delay: 45, count: 3, interval: 1, timeout: 2 }
          actions: { failure: respawn }
    VDU2:
      type: tosca.nodes.nfv.VDU.Tacker
      properties:
        monitoring_policy:
          name: http_ping
          parameters: { retry: 5, timeout: 10, port: 8000 }
          actions: { failure: log }
    CP1: { type: tosca.nodes.nfv.CP.Tacker }
`);
    expect(declaredHealPolicies({ format: 'etsi', source: doc })).toEqual([
      { autoHeal: true, vduId: 'VDU1', probe: { kind: 'ping', intervalSeconds: 1, timeoutSeconds: 2, retries: 3, delaySeconds: 45 }, origin: 'tacker monitoring_policy' },
      { autoHeal: false, vduId: 'VDU2', probe: { kind: 'http', intervalSeconds: 1, timeoutSeconds: 10, retries: 5, delaySeconds: 0, port: 8000, path: '/' }, origin: 'tacker monitoring_policy' },
    ]);
  });

  it('reads a 5GTANGO VDU monitoring_policy; a VNFD without one declares nothing', () => {
    const doc = { virtual_deployment_units: [{ id: 'vdu01', monitoring_policy: { name: 'ping', parameters: { interval: 2 }, actions: { failure: 'respawn' } } }] };
    const [p] = declaredHealPolicies({ format: 'tango', source: doc });
    expect(p).toMatchObject({ autoHeal: true, vduId: 'vdu01', probe: { kind: 'ping', intervalSeconds: 2, retries: 3 } });
    expect(declaredHealPolicies({ format: 'tango', source: { virtual_deployment_units: [{ id: 'vdu01' }] } })).toEqual([]);
    expect(mergeDeclared([])).toBeUndefined();
  });
});

describe('auto-heal decisions', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const row = (r: Partial<PolicyRow>): PolicyRow => ({
    nsInstanceId: 'ns', policyId: 'auto-heal-v', vnfId: 'v', enabled: null, maxAttempts: null, backoffSeconds: null, attempts: 0, lastFiredAt: null, exhaustedAt: null, params: {}, ...r,
  });
  const declared = { autoHeal: true, backoffSeconds: 10, origin: 'sol006 healing-policy' };

  it('takes the override, then the descriptor, then the default', () => {
    expect(effectivePolicy('ns', 'v', undefined, undefined, DEFAULT_POLICY_SETTINGS)).toMatchObject({ enabled: false, source: 'DEFAULT', maxAttempts: 3, backoffSeconds: 5 });
    expect(effectivePolicy('ns', 'v', declared, undefined, DEFAULT_POLICY_SETTINGS)).toMatchObject({ enabled: true, source: 'DESCRIPTOR', backoffSeconds: 10 });
    expect(effectivePolicy('ns', 'v', declared, row({ enabled: false, maxAttempts: 1 }), DEFAULT_POLICY_SETTINGS)).toMatchObject({ enabled: false, source: 'OVERRIDE', maxAttempts: 1, backoffSeconds: 10 });
  });

  it('fires at once, then waits a doubling backoff, exhausts at the cap, and starts a new run after a quiet period', () => {
    const p = (r: Partial<PolicyRow>) => effectivePolicy('ns', 'v', declared, row(r), DEFAULT_POLICY_SETTINGS);
    expect(decideHeal(p({}), t0, 600)).toEqual({ kind: 'fire', expected: { attempts: 0, lastFiredAt: null }, next: { attempts: 1, lastFiredAt: t0 } });
    expect(decideHeal(p({ attempts: 1, lastFiredAt: t0 }), at(9), 600)).toEqual({ kind: 'wait', reason: 'BACKOFF', until: at(10) });
    expect(decideHeal(p({ attempts: 1, lastFiredAt: t0 }), at(10), 600)).toMatchObject({ kind: 'fire', next: { attempts: 2 } });
    expect(backoffAfter(10, 2)).toBe(20);
    expect(decideHeal(p({ attempts: 2, lastFiredAt: t0 }), at(19), 600)).toMatchObject({ kind: 'wait', until: at(20) });
    expect(decideHeal(p({ attempts: 3, lastFiredAt: t0 }), at(1), 600)).toEqual({ kind: 'exhaust' });
    expect(decideHeal(p({ attempts: 3, lastFiredAt: t0 }), at(600), 600)).toMatchObject({ kind: 'fire', next: { attempts: 1 } });
    expect(decideHeal(p({ attempts: 3, lastFiredAt: t0, exhaustedAt: t0 }), at(9999), 600)).toEqual({ kind: 'skip', reason: 'EXHAUSTED' });
    expect(decideHeal(p({ enabled: false }), t0, 600)).toEqual({ kind: 'skip', reason: 'DISABLED' });
  });
});
