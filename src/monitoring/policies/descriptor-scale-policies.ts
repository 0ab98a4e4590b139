import type { Vnfd } from '../../model/index.js';
import type { DeclaredScalePolicy, ScaleMetric } from './policy-types.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A number from a YAML scalar (numbers and numeric strings), else undefined. */
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * OSM `performance-metric`s Rondo samples itself (Docker stats), by the metric it watches.
 * OSM's other VIM metrics (`packets_sent`, `disk_read_ops`, ...) and VNF metrics from
 * exporters are read but not acted on: {@link unsupportedScalePolicies} lists them.
 */
const METRIC_OF: Readonly<Record<string, ScaleMetric>> = {
  cpu_utilization: 'cpu_utilization',
  average_memory_utilization: 'memory_utilization',
  memory_utilization: 'memory_utilization',
};

/** The SOL006 `vnfd` of a document (`vnfd:` or the module-qualified `etsi-nfv-vnfd:vnfd`). */
const vnfdOf = (doc: unknown): Rec => {
  const top = rec(doc);
  return Object.keys(rec(top['vnfd'])).length > 0 ? rec(top['vnfd']) : rec(top['etsi-nfv-vnfd:vnfd']);
};

/** Monitoring parameters by id (VDU-level, flavour-level and VNF-level ones: SOL006 allows all three) to their `performance-metric`. */
function monitoringParams(vnfd: Rec): Map<string, string> {
  const params = [
    ...list(vnfd['vdu']).flatMap((u) => list(rec(u)['monitoring-parameter'])),
    ...list(vnfd['df']).flatMap((d) => list(rec(d)['monitoring-parameter'])),
    ...list(vnfd['monitoring-parameter']),
  ];
  return new Map(params.flatMap((p) => {
    const id = text(rec(p)['id']);
    const metric = text(rec(p)['performance-metric']);
    return id && metric ? [[id, metric] as const] : [];
  }));
}

interface Criterion {
  readonly policy: Rec;
  readonly aspectId: string;
  readonly name: string;
  readonly criterion: Rec;
  readonly metricName: string | undefined;
}

/** Every `df[].scaling-aspect[].scaling-policy[].scaling-criteria[]` of a SOL006 VNFD, with the metric it names. */
function criteria(doc: unknown): Criterion[] {
  const vnfd = vnfdOf(doc);
  const params = monitoringParams(vnfd);
  return list(vnfd['df']).flatMap((df) =>
    list(rec(df)['scaling-aspect']).flatMap((a) => {
      const aspectId = text(rec(a)['id']) ?? '';
      return list(rec(a)['scaling-policy']).flatMap((sp) => {
        const policy = rec(sp);
        const crits = list(policy['scaling-criteria']).map(rec);
        const name = text(policy['name']) ?? aspectId;
        return crits.map((c) => ({
          policy, aspectId, criterion: c,
          // One criterion: the policy's name; several: one policy each, named after both.
          name: crits.length > 1 ? `${name}-${text(c['name']) ?? crits.indexOf(c)}` : name,
          metricName: params.get(text(c['vnf-monitoring-param-ref']) ?? ''),
        }));
      });
    }),
  );
}

/** 5GTANGO/SONATA metric names (son-monitor's `vm_cpu_perc`, the policy manager's `cpu_util`) by the metric Rondo watches. */
const TANGO_METRIC_OF: Readonly<Record<string, ScaleMetric>> = {
  vm_cpu_perc: 'cpu_utilization',
  cpu_util: 'cpu_utilization',
  vm_mem_perc: 'memory_utilization',
  mem_util: 'memory_utilization',
};
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/** One 5GTANGO monitoring rule read as a condition on a VDU's metric. */
interface TangoRule {
  readonly name: string;
  readonly vduId: string;
  readonly metric: ScaleMetric;
  readonly op: '>' | '<';
  readonly value: number;
  readonly seconds: number;
}

/**
 * A VNFD `monitoring_rules` entry, in either 5GTANGO form: `condition: "vdu01:vm_cpu_perc > 10"`
 * (the VNFD schema's examples), or `condition: cpu_util` with `threshold: " > 60"` and the VDU
 * in the rule's name (`ms-vnf:vdu01:cpu_util:more60`, the policy descriptors' form); a VNFD
 * with one VDU needs no VDU named.
 */
function tangoRule(raw: unknown, vdus: readonly string[]): TangoRule | undefined {
  const r = rec(raw);
  const name = text(r['name']) ?? '';
  const cond = `${text(r['condition']) ?? ''} ${text(r['threshold']) ?? ''}`.trim();
  const m = /^(?:([\w.-]+):)?([\w.]+)\s*([<>])\s*(-?[\d.]+)$/.exec(cond);
  if (!m) return undefined;
  const metric = TANGO_METRIC_OF[m[2] as string];
  const vduId = m[1] ?? vdus.find((v) => name.split(':').includes(v)) ?? (vdus.length === 1 ? vdus[0] : undefined);
  if (!metric || !vduId || !vdus.includes(vduId)) return undefined;
  const seconds = (num(r['duration']) ?? 0) * (UNIT_SECONDS[text(r['duration_unit']) ?? 's'] ?? 1);
  return { name, vduId, metric, op: m[3] as '>' | '<', value: Number(m[4]), seconds };
}

/**
 * 5GTANGO/SONATA: the VNFD's `monitoring_rules` on a VDU that may scale (`scale_in_out`
 * maximum above minimum; its aspect is named after the VDU). The `>` and `<` rules on one
 * VDU and metric make one policy: scale out above, in below, the window the longest
 * `duration`, a cooldown of 60 s (5GTANGO puts it in the policy manager's `inertia`, not in
 * the VNFD). 5GTANGO rules only notify; Rondo acts on them for scalable VDUs.
 */
function tangoScalePolicies(doc: unknown): DeclaredScalePolicy[] {
  const units = list(rec(doc)['virtual_deployment_units']).map(rec);
  const vdus = units.flatMap((u) => (text(u['id']) ? [text(u['id']) as string] : []));
  const scalable = new Set(units.filter((u) => (num(rec(u['scale_in_out'])['maximum']) ?? 1) > (num(rec(u['scale_in_out'])['minimum']) ?? 1)).map((u) => text(u['id'])));
  const groups = new Map<string, TangoRule[]>();
  for (const raw of list(rec(doc)['monitoring_rules'])) {
    const rule = tangoRule(raw, vdus);
    if (!rule || !scalable.has(rule.vduId)) continue;
    const key = `${rule.vduId}|${rule.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  return [...groups.values()].map((rules) => {
    const out = rules.filter((r) => r.op === '>').map((r) => r.value);
    const inn = rules.filter((r) => r.op === '<').map((r) => r.value);
    const first = rules[0] as TangoRule;
    return {
      name: `${first.vduId}-${first.metric}`, aspectId: first.vduId, metric: first.metric,
      ...(out.length > 0 ? { scaleOutThreshold: Math.min(...out) } : {}),
      ...(inn.length > 0 ? { scaleInThreshold: Math.max(...inn) } : {}),
      windowSeconds: Math.max(...rules.map((r) => r.seconds)), cooldownSeconds: 60, automatic: true,
      origin: `5gtango monitoring_rules ${rules.map((r) => r.name).join(', ')}`,
    };
  });
}

/**
 * The auto-scale declarations of a SOL006 (OSM) VNFD: each `scaling-criteria` of a
 * `scaling-policy` on a metric Rondo samples becomes one policy of its aspect. OSM's
 * fields: `scale-out-threshold` with `scale-out-relational-operation` GT/GE, and
 * `scale-in-threshold` with LT/LE (the equality forms are taken as the strict ones: the
 * samples are real numbers), `threshold-time` (how long the condition must hold; default
 * 1 s) and `cooldown-time` (default 300 s, OSM's). `scaling-type: automatic` and `enabled` (default true) make it
 * act. 5GTANGO/SONATA VNFDs: their `monitoring_rules` (see {@link tangoScalePolicies}).
 * TOSCA VNFDs declare none here (Tacker's Alarming triggers name an external alarm
 * service). Pure.
 */
export function declaredScalePolicies(vnfd: Pick<Vnfd, 'format' | 'source'>): DeclaredScalePolicy[] {
  if (vnfd.format === 'tango' || vnfd.format === 'sonata') return tangoScalePolicies(vnfd.source);
  if (vnfd.format !== 'sol006') return [];
  return criteria(vnfd.source).flatMap(({ policy, aspectId, name, criterion, metricName }): DeclaredScalePolicy[] => {
    const metric = metricName === undefined ? undefined : METRIC_OF[metricName];
    if (!metric) return [];
    const out = num(criterion['scale-out-threshold']);
    const inn = num(criterion['scale-in-threshold']);
    const enabled = policy['enabled'] === undefined || policy['enabled'] === true || policy['enabled'] === 'true';
    return [{
      name, aspectId, metric,
      ...(out !== undefined ? { scaleOutThreshold: out } : {}),
      ...(inn !== undefined ? { scaleInThreshold: inn } : {}),
      windowSeconds: Math.max(0, num(policy['threshold-time']) ?? 1),
      cooldownSeconds: Math.max(0, num(policy['cooldown-time']) ?? 300),
      automatic: text(policy['scaling-type']) === 'automatic' && enabled,
      origin: 'sol006 scaling-policy',
    }];
  });
}

/** The SOL006 scaling criteria Rondo reads but does not act on: their metric is not one Rondo samples. Pure. */
export function unsupportedScalePolicies(vnfd: Pick<Vnfd, 'format' | 'source'>): { name: string; aspectId: string; metric: string }[] {
  if (vnfd.format !== 'sol006') return [];
  return criteria(vnfd.source).flatMap(({ name, aspectId, metricName }) => (metricName !== undefined && METRIC_OF[metricName] ? [] : [{ name, aspectId, metric: metricName ?? 'unknown' }]));
}
