import type { ApiName, Body, ConformanceCase, Expectation, Method, SetupName } from '../types.js';

/** Writes the rows of one Robot file: `row(id, title, setup, method, path, expect, extra)`. */
export function rowsOf(api: ApiName, file: string) {
  const row = (id: string, title: string, setup: SetupName, method: Method, path: string, expect: Expectation, extra: Partial<Pick<ConformanceCase, 'headers' | 'body' | 'auth' | 'noVerdict'>> = {}): ConformanceCase => ({
    id, api, file, title, setup, method, path, expect, ...extra,
  });
  /** A method the resource does not support: 405 (with Allow, checked for every 405). */
  const notAllowed = (id: string, method: Method, path: string, setup: SetupName = 'none', what = path): ConformanceCase =>
    row(id, `${method} on ${what} is not supported`, setup, method, path, { status: 405 }, method === 'POST' || method === 'PUT' || method === 'PATCH' ? { headers: { 'content-type': 'application/json' } } : {});
  return { row, notAllowed };
}

export const json = (v: unknown): Body => ({ json: v });
export const problem = (status: number, extra: Partial<Expectation> = {}): Expectation => ({ status, schema: 'ProblemDetails', ...extra });
export const JSON_CT = ['application/json'];
export const mergePatch = { 'content-type': 'application/merge-patch+json' };

/** The ten api_versions cases every SOL005 API file has (SOL013 §9.3): with and without the major version. */
export function apiVersionCases(api: ApiName, idPrefix: string): ConformanceCase[] {
  const { row, notAllowed } = rowsOf(api, 'ApiVersion');
  const out: ConformanceCase[] = [];
  let n = 1;
  for (const path of [`/${api}/api_versions`, `/${api}/v1/api_versions`]) {
    const where = path.includes('/v1/') ? 'api_versions under the major version' : 'api_versions';
    out.push(notAllowed(`${idPrefix}.${n++}`, 'POST', path, 'none', where));
    out.push(row(`${idPrefix}.${n++}`, `GET ${where} lists the API versions`, 'none', 'GET', path, { status: 200, schema: 'ApiVersionInformation', contentType: JSON_CT }));
    out.push(notAllowed(`${idPrefix}.${n++}`, 'PUT', path, 'none', where));
    out.push(notAllowed(`${idPrefix}.${n++}`, 'PATCH', path, 'none', where));
    out.push(notAllowed(`${idPrefix}.${n++}`, 'DELETE', path, 'none', where));
  }
  return out;
}

/**
 * The four attribute-selector GETs of a list (SOL013 §5.3): all_fields, exclude_default,
 * fields=<one complex attribute>, exclude_fields=<it>; ids `first`…`first+3` under `prefix`.
 */
export function selectorCases(api: ApiName, file: string, prefix: string, first: number, what: string, setup: SetupName, path: string, schema: string, complex: string): ConformanceCase[] {
  const { row } = rowsOf(api, file);
  const has = (attr: string, want: boolean) => (r: { json(): unknown }) => {
    const items = r.json() as Record<string, unknown>[];
    if (!Array.isArray(items) || items.length === 0) return 'empty list';
    const bad = items.filter((i) => (attr in i) !== want);
    return bad.length > 0 ? `${attr} ${want ? 'missing' : 'present'} in ${bad.length} item(s): ${bad.map((i) => String(i.lcmOperationType ?? i.id)).join(', ')} (keys of the first: ${Object.keys(bad[0]!).join(' ')})` : undefined;
  };
  return [
    row(`${prefix}.${first}`, `GET ${what} with all_fields`, setup, 'GET', `${path}?all_fields`, { status: 200, schema, contentType: JSON_CT }),
    row(`${prefix}.${first + 1}`, `GET ${what} with exclude_default`, setup, 'GET', `${path}?exclude_default`, { status: 200, schema, contentType: JSON_CT }),
    row(`${prefix}.${first + 2}`, `GET ${what} with fields=${complex} keeps it`, setup, 'GET', `${path}?fields=${complex}`, { status: 200, schema, contentType: JSON_CT, check: has(complex, true) }),
    row(`${prefix}.${first + 3}`, `GET ${what} with exclude_fields=${complex} drops it`, setup, 'GET', `${path}?exclude_fields=${complex}`, { status: 200, schema, contentType: JSON_CT, check: has(complex, false) }),
  ];
}
