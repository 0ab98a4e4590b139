import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../support/prom-text.js';

describe('parsePrometheusText (the test suite’s strict exposition parser)', () => {
  it('reads NaN and infinities in any case, as Prometheus (Go ParseFloat) does', () => {
    const text = '# TYPE g gauge\ng{a="1"} Nan\ng{a="2"} NaN\ng{a="3"} +Inf\ng{a="4"} -inf\ng{a="5"} 1.5e3\n';
    expect(parsePrometheusText(text).samples.map((s) => s.value)).toEqual([NaN, NaN, Infinity, -Infinity, 1500]);
  });

  it('refuses a value that is not a float, a sample before its TYPE, a bad label', () => {
    expect(() => parsePrometheusText('# TYPE g gauge\ng abc\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('g 1\n')).toThrow(/before its # TYPE/);
    expect(() => parsePrometheusText('# TYPE g gauge\ng{a=1} 1\n')).toThrow(/bad label pair/);
  });
});
