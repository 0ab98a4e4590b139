import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
  main: ExpectedTemplate;
  nested?: Record<string, ExpectedTemplate>;
  differences?: Difference[];
}

const cases = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'expected.yaml')));

// Rondo adds a parameter for the network of each CP without a virtual link (heat-translator
// leaves a `#ADD_YOUR_NETWORK_HERE` placeholder); nothing else may be extra.
const EXTRA_PARAM = /_network$/;

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
  it('has the fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  for (const dir of cases) {
    it(`${dir} matches resource by resource`, () => {
      const expected = parse(readFileSync(join(FIXTURES, dir, 'expected.yaml'), 'utf8')) as Expected;
      const { main, nested } = translateVnfdToHot(join(FIXTURES, dir, 'vnfd.yaml'));
      expect(main.heat_template_version).toBe('2013-05-23');
      const diffs = expected.differences ?? [];
      compareTemplate(main, expected.main, diffs.filter((d) => d.template === 'main'), 'main');
      expect(Object.keys(nested).sort()).toEqual(Object.keys(expected.nested ?? {}).sort());
      for (const [file, want] of Object.entries(expected.nested ?? {})) {
        compareTemplate(nested[file] as HotTemplate, want, diffs.filter((d) => d.template === file), file);
      }
    });
  }
});
