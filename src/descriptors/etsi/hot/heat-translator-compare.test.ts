import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PackageInvalidError } from '../../../model/index.js';
import type { HotTemplate } from './hot-template.js';
import { translateVnfdToHot } from './translate-vnfd-to-hot.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/heat-translator/', import.meta.url));

interface ExpectedResource {
  type: string;
  properties?: Record<string, unknown>;
}
interface ExpectedTemplate {
  parameters?: string[];
  resources: Record<string, ExpectedResource>;
}
interface Difference {
  template: string;
  resource: string;
  property: string;
  heat_translator: unknown;
  rondo: unknown;
}
interface Expected {
  heat_translator: string;
  /** `verified`: summarised from heat-translator's expected output; `inferred`: from its translator code (the output file was not available). */
  upstream?: 'verified' | 'inferred';
  main?: ExpectedTemplate;
  nested?: Record<string, ExpectedTemplate>;
  differences?: Difference[];
  /** Paths (under /topology_template/) of the warnings the translation must give; none when absent. */
  warnings?: string[];
  /** Rondo refuses the input: the error code and a path and message fragment it must name. */
  refused?: { code: string; path: string; message: string };
}

const cases = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'expected.yaml')));

// Rondo adds a parameter for the network of each CP without a virtual link (heat-translator
// leaves a `#ADD_YOUR_NETWORK_HERE` placeholder), and, with warnings, for a VDU image or a
// link CIDR the VNFD leaves out (heat-translator leaves the property out); nothing else may
// be extra.
const EXTRA_PARAM = /_(network|image|cidr)$/;

const compareTemplate = (ours: HotTemplate, want: ExpectedTemplate, diffs: Difference[], name: string): void => {
  expect(Object.keys(ours.resources).sort(), `${name}: resource names`).toEqual(Object.keys(want.resources).sort());
  for (const [rname, res] of Object.entries(want.resources)) {
    const got = ours.resources[rname];
    expect(got?.type, `${name}/${rname}: type`).toBe(res.type);
    for (const [prop, value] of Object.entries(res.properties ?? {})) {
      expect(got?.properties?.[prop], `${name}/${rname}.${prop}`).toEqual(value);
    }
  }
  for (const d of diffs) {
    expect(ours.resources[d.resource]?.properties?.[d.property], `${name}/${d.resource}.${d.property} (deliberate difference)`).toEqual(d.rondo);
    expect(d.rondo).not.toEqual(d.heat_translator);
  }
  const params = Object.keys(ours.parameters);
  for (const p of want.parameters ?? []) expect(params, `${name}: parameter ${p}`).toContain(p);
  for (const p of params.filter((x) => !(want.parameters ?? []).includes(x))) expect(p, `${name}: extra parameter`).toMatch(EXTRA_PARAM);
};

describe('SOL001 → HOT compared with heat-translator expected outputs', () => {
  it('has one fixture per heat-translator ETSI NFV test translation (22) plus Rondo-only ones', () => {
    const upstream = cases.filter((d) => !(parse(readFileSync(join(FIXTURES, d, 'expected.yaml'), 'utf8')) as Expected).heat_translator.startsWith('none'));
    expect(upstream).toHaveLength(22);
  });

  for (const dir of cases) {
    const expected = parse(readFileSync(join(FIXTURES, dir, 'expected.yaml'), 'utf8')) as Expected;
    if (expected.refused) {
      const want = expected.refused;
      it(`${dir} is refused naming the file and field`, () => {
        for (const unsupported of ['warn', 'refuse'] as const) {
          let err: unknown;
          try {
            translateVnfdToHot(join(FIXTURES, dir, 'vnfd.yaml'), { unsupported });
          } catch (e) {
            err = e;
          }
          expect(err, unsupported).toBeInstanceOf(PackageInvalidError);
          const e = err as PackageInvalidError;
          expect(e.code).toBe(want.code);
          expect(e.issues[0]?.file).toBe('vnfd.yaml');
          expect(e.issues[0]?.path).toContain(want.path);
          expect(e.issues[0]?.message).toContain(want.message);
        }
      });
      continue;
    }
    it(`${dir} matches resource by resource`, () => {
      const { main, nested, warnings = [] } = translateVnfdToHot(join(FIXTURES, dir, 'vnfd.yaml'), { unsupported: 'warn' });
      expect(main.heat_template_version).toBe('2013-05-23');
      expect(warnings.map((w) => w.path.replace('/topology_template/', '')).sort(), 'warnings').toEqual([...(expected.warnings ?? [])].sort());
      for (const w of warnings) expect(w.file).toBe('vnfd.yaml');
      const diffs = expected.differences ?? [];
      compareTemplate(main, expected.main ?? { resources: {} }, diffs.filter((d) => d.template === 'main'), 'main');
      expect(Object.keys(nested).sort()).toEqual(Object.keys(expected.nested ?? {}).sort());
      for (const [file, want] of Object.entries(expected.nested ?? {})) {
        compareTemplate(nested[file] as HotTemplate, want, diffs.filter((d) => d.template === file), file);
      }
    });
  }
});

describe('SOL001 → HOT with unsupported: refuse', () => {
  // What heat-translator translates with a warning, Rondo's strict mode refuses, naming it.
  for (const dir of cases) {
    const expected = parse(readFileSync(join(FIXTURES, dir, 'expected.yaml'), 'utf8')) as Expected;
    const first = expected.warnings?.[0];
    if (expected.refused || first === undefined) continue;
    it(`${dir} is refused at ${first}`, () => {
      try {
        translateVnfdToHot(join(FIXTURES, dir, 'vnfd.yaml'), { unsupported: 'refuse' });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PackageInvalidError);
        expect((e as PackageInvalidError).code).toBe('HOT_UNSUPPORTED');
        expect(expected.warnings?.map((w) => `/topology_template/${w}`)).toContain((e as PackageInvalidError).issues[0]?.path);
      }
    });
  }
});
