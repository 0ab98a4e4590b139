import type { Vnfd } from '../../model/index.js';
import type { DeclaredHealPolicy, HealthProbe } from './policy-types.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A positive number from a YAML scalar (numbers and numeric strings), else undefined. */
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Tacker's VDU `monitoring_policy` (legacy TOSCA, `tosca.nodes.nfv.VDU.Tacker`): `name`
 * `ping` (parameters `monitoring_delay`, `count`, `interval`, `timeout`) or `http_ping`
 * (`retry`, `timeout`, `port`), and `actions.failure`: `respawn` heals. Other action names
 * (`log`, `vdu_autoheal` counts as heal too) keep the probe without healing.
 */
function tackerPolicy(vduId: string, raw: unknown, origin: string): DeclaredHealPolicy | undefined {
  const mp = rec(raw);
  if (Object.keys(mp).length === 0) return undefined;
  const name = text(mp['name']) ?? '';
  const p = rec(mp['parameters']);
  const failure = text(rec(mp['actions'])['failure']) ?? '';
  const probe: HealthProbe | undefined =
    name === 'ping'
      ? { kind: 'ping', intervalSeconds: num(p['interval']) ?? 1, timeoutSeconds: num(p['timeout']) ?? 2, retries: Math.max(1, num(p['count']) ?? 3), delaySeconds: num(p['monitoring_delay']) ?? 0 }
      : name === 'http_ping'
        ? {
            kind: 'http', intervalSeconds: num(p['interval']) ?? 1, timeoutSeconds: num(p['timeout']) ?? 2, retries: Math.max(1, num(p['retry']) ?? 3), delaySeconds: num(p['monitoring_delay']) ?? 0,
            port: num(p['port']) ?? 80, path: text(p['path']) ?? '/',
          }
        : undefined;
  return {
    autoHeal: failure === 'respawn' || failure === 'vdu_autoheal',
    vduId,
    ...(num(p['max_attempts']) !== undefined ? { maxAttempts: num(p['max_attempts']) as number } : {}),
    ...(probe ? { probe } : {}),
    origin,
  };
}

/** SOL006 (OSM) `df[].healing-aspect[].healing-policy[]`: `recovery-type: automatic` heals, `cooldown-time` spaces heals. */
function sol006Policies(doc: unknown): DeclaredHealPolicy[] {
  const top = rec(doc);
  const vnfd = Object.keys(rec(top['vnfd'])).length > 0 ? rec(top['vnfd']) : rec(rec(top['etsi-nfv-vnfd:vnfd']));
  const out: DeclaredHealPolicy[] = [];
  for (const df of list(vnfd['df'])) {
    for (const aspect of list(rec(df)['healing-aspect'])) {
      for (const hp of list(rec(aspect)['healing-policy'])) {
        const h = rec(hp);
        const vduId = text(h['vdu-id']);
        const cooldown = num(h['cooldown-time']);
        out.push({
          autoHeal: text(h['recovery-type']) === 'automatic',
          ...(vduId ? { vduId } : {}),
          ...(cooldown !== undefined ? { backoffSeconds: cooldown } : {}),
          origin: 'sol006 healing-policy',
        });
      }
    }
  }
  return out;
}

/** TOSCA (SOL001 or Tacker legacy): node templates carrying a Tacker `monitoring_policy` property. */
function toscaPolicies(doc: unknown): DeclaredHealPolicy[] {
  const nodes = rec(rec(rec(doc)['topology_template'])['node_templates']);
  return Object.entries(nodes).flatMap(([id, node]) => {
    const p = tackerPolicy(id, rec(rec(node)['properties'])['monitoring_policy'], 'tacker monitoring_policy');
    return p ? [p] : [];
  });
}

/** 5GTANGO/SONATA: a VDU's `monitoring_policy` in Tacker's shape (5GTANGO itself has only metric `monitoring_rules`). */
function tangoPolicies(doc: unknown): DeclaredHealPolicy[] {
  return list(rec(doc)['virtual_deployment_units']).flatMap((u) => {
    const vdu = rec(u);
    const p = tackerPolicy(text(vdu['id']) ?? '', vdu['monitoring_policy'], 'vdu monitoring_policy');
    return p ? [p] : [];
  });
}

/**
 * The auto-heal declarations of a VNFD, read from its original document (`Vnfd.source`)
 * by format: SOL006 `healing-policy`, Tacker `monitoring_policy` on TOSCA node templates
 * or 5GTANGO VDUs. Empty when it declares none. Pure.
 */
export function declaredHealPolicies(vnfd: Pick<Vnfd, 'format' | 'source'>): DeclaredHealPolicy[] {
  switch (vnfd.format) {
    case 'sol006':
      return sol006Policies(vnfd.source);
    case 'etsi':
      return toscaPolicies(vnfd.source);
    case 'tango':
    case 'sonata':
      return tangoPolicies(vnfd.source);
  }
}

/**
 * One VNF's declaration: the VNFD's declarations merged (heal if any asks for it; the
 * longest backoff and smallest cap declared; the first probe), or undefined with none.
 */
export function mergeDeclared(declared: readonly DeclaredHealPolicy[]): DeclaredHealPolicy | undefined {
  if (declared.length === 0) return undefined;
  const backoffs = declared.flatMap((d) => (d.backoffSeconds === undefined ? [] : [d.backoffSeconds]));
  const caps = declared.flatMap((d) => (d.maxAttempts === undefined ? [] : [d.maxAttempts]));
  const probe = declared.find((d) => d.probe)?.probe;
  const vduId = declared.find((d) => d.vduId)?.vduId;
  return {
    autoHeal: declared.some((d) => d.autoHeal),
    ...(vduId ? { vduId } : {}),
    ...(backoffs.length > 0 ? { backoffSeconds: Math.max(...backoffs) } : {}),
    ...(caps.length > 0 ? { maxAttempts: Math.min(...caps) } : {}),
    ...(probe ? { probe } : {}),
    origin: [...new Set(declared.map((d) => d.origin))].join(', '),
  };
}
