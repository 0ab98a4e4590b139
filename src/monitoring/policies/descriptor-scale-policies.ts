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

/**
 * The auto-scale declarations of a SOL006 (OSM) VNFD: each `scaling-criteria` of a
 * `scaling-policy` on a metric Rondo samples becomes one policy of its aspect. OSM's
 * fields: `scale-out-threshold` with `scale-out-relational-operation` GT/GE, and
 * `scale-in-threshold` with LT/LE (the equality forms are taken as the strict ones: the
 * samples are real numbers), `threshold-time` (how long the condition must hold; default
 * 1 s) and `cooldown-time` (default 300 s, OSM's). `scaling-type: automatic` and `enabled` (default true) make it
 * act. Other descriptor families declare none here (Tacker's Alarming triggers and
 * 5GTANGO `monitoring_rules` go to an external alarm service or SSM). Pure.
 */
export function declaredScalePolicies(vnfd: Pick<Vnfd, 'format' | 'source'>): DeclaredScalePolicy[] {
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
