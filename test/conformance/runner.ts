import type { InjectOptions } from 'fastify';
import { ALL_CASES } from './cases/index.js';
import { openFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import { loadSchemas } from './schemas.js';
import type { SchemaRegistry } from './schemas.js';
import type { Answer, ApiName, CaseResult, ConformanceCase, SetupName, Vars } from './types.js';

/** `{name}` → its value; an unknown name is an error in the table. */
function fill(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`no value for {${k}}`);
    return v;
  });
}

function header(r: Answer, name: string): string | undefined {
  const v = r.headers[name];
  return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : String(v);
}

/** The reasons `r` does not meet the case's expectation (empty: it does). */
async function judge(c: ConformanceCase, r: Answer, vars: Vars, fx: Fixture, schemas: SchemaRegistry): Promise<string[]> {
  const e = c.expect;
  const out: string[] = [];
  const statuses = typeof e.status === 'number' ? [e.status] : e.status;
  if (!statuses.includes(r.status)) {
    out.push(`status ${r.status}, expected ${statuses.join(' or ')}${r.body ? `: ${r.body.slice(0, 200)}` : ''}`);
    return out;
  }
  for (const h of e.headers ?? []) if (!header(r, h)) out.push(`no ${h} header`);
  // SOL013 §6.4: a 405 names the methods the resource supports.
  if (r.status === 405 && !header(r, 'allow')) out.push('405 without Allow');
  if (e.contentType) {
    const ct = header(r, 'content-type') ?? '';
    if (!e.contentType.some((t) => ct.startsWith(t))) out.push(`Content-Type ${ct || '(none)'}, expected ${e.contentType.join(' or ')}`);
  }
  if (e.emptyBody && r.raw.length > 0) out.push(`body not empty: ${r.body.slice(0, 100)}`);
  if (e.schema) {
    let body: unknown;
    try {
      body = r.json();
    } catch {
      out.push(`body is not JSON: ${r.body.slice(0, 100)}`);
    }
    if (body !== undefined) {
      const v = schemas.violations(e.schema, body);
      if (v.length > 0) out.push(`${e.schema}: ${v.slice(0, 5).join('; ')}`);
    }
  }
  if (e.check) {
    const why = await e.check(r, { vars, get: (path, headers) => fx.send({ method: 'GET', url: path, headers: { ...headers } }), notification: fx.notification, violations: (n, b) => schemas.violations(n, b) });
    if (why) out.push(why);
  }
  return out;
}

/**
 * Setups that only instantiate NS instances of their own (no injected fault, no
 * gate): the runner makes them all at once before the first case, so their operations
 * overlap instead of running one after the other.
 */
const PREPARED_TOGETHER: ReadonlySet<SetupName> = new Set(['instantiatedNs', 'freshInstantiatedNs', 'alarm', 'freshAlarm', 'acknowledgedAlarm', 'crossedThreshold']);

/** Replays one case on the fixture; `prepared` is its setup when already made. */
export async function replay(c: ConformanceCase, fx: Fixture, schemas: SchemaRegistry, prepared?: Promise<Vars>): Promise<CaseResult> {
  if (c.noVerdict) return { case: c, verdict: 'NO-VERDICT', reason: c.noVerdict };
  let vars: Vars;
  try {
    vars = { ...fx.base, ...(await (prepared ?? fx.setup(c.setup))) };
  } catch (e) {
    fx.afterCase();
    return { case: c, verdict: 'FAIL', reason: `setup ${c.setup}: ${(e as Error).message}` };
  }
  try {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers ?? {})) headers[k.toLowerCase()] = fill(v, vars);
    const opts: InjectOptions = { method: c.method, url: fill(c.path, vars), headers };
    if (c.body && 'json' in c.body) {
      opts.payload = JSON.stringify(c.body.json);
      headers['content-type'] ??= 'application/json';
    } else if (c.body && 'build' in c.body) {
      opts.payload = JSON.stringify(c.body.build(vars));
      headers['content-type'] ??= 'application/json';
    } else if (c.body && 'file' in c.body) {
      opts.payload = await fx.file(c.body.file);
      headers['content-type'] = c.body.contentType;
    }
    const r = await fx.send(opts, c.auth);
    const reasons = await judge(c, r, vars, fx, schemas);
    return reasons.length === 0 ? { case: c, verdict: 'PASS' } : { case: c, verdict: 'FAIL', reason: reasons.join('; ') };
  } catch (e) {
    return { case: c, verdict: 'FAIL', reason: (e as Error).message };
  } finally {
    fx.afterCase();
  }
}

/** Replays `cases` (default: the whole table) on a fresh server, in order. */
export async function runConformance(cases: readonly ConformanceCase[] = ALL_CASES): Promise<CaseResult[]> {
  const t0 = performance.now();
  const schemas = await loadSchemas();
  const fx = await openFixture();
  if (process.env.RONDO_CONFORMANCE_TIMING) console.log(`fixture ready in ${Math.round(performance.now() - t0)} ms`);
  try {
    const prepared = new Map<ConformanceCase, Promise<Vars>>();
    for (const c of cases) if (!c.noVerdict && PREPARED_TOGETHER.has(c.setup)) prepared.set(c, fx.setup(c.setup));
    // Settled before the first case: none of them may overlap a setup that injects a fault.
    await Promise.allSettled(prepared.values());
    const out: CaseResult[] = [];
    for (const c of cases) {
      const t0 = performance.now();
      const r = await replay(c, fx, schemas, prepared.get(c));
      out.push({ ...r, ms: Math.round(performance.now() - t0) });
    }
    return out;
  } finally {
    await fx.close();
  }
}

export interface ApiTally {
  readonly api: ApiName;
  readonly cases: number;
  readonly pass: number;
  readonly fail: number;
  readonly noVerdict: number;
  /** PASS / (PASS + FAIL), in percent. */
  readonly passRate: number;
}

const APIS: readonly ApiName[] = ['nsd', 'vnfpkgm', 'nslcm', 'nsfm', 'nspm'];

/** Per-API counts, and the total (api `all` as the last row). */
export function tally(results: readonly CaseResult[]): (Omit<ApiTally, 'api'> & { api: ApiName | 'all' })[] {
  const row = (api: ApiName | 'all', rs: readonly CaseResult[]) => {
    const pass = rs.filter((r) => r.verdict === 'PASS').length;
    const fail = rs.filter((r) => r.verdict === 'FAIL').length;
    return { api, cases: rs.length, pass, fail, noVerdict: rs.length - pass - fail, passRate: pass + fail === 0 ? 100 : (100 * pass) / (pass + fail) };
  };
  return [...APIS.map((a) => row(a, results.filter((r) => r.case.api === a))), row('all', results)];
}
