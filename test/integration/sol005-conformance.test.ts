import { describe, expect, it } from 'vitest';
import { ALL_CASES } from '../conformance/cases/index.js';
import { runConformance, tally } from '../conformance/runner.js';
import type { CaseResult } from '../conformance/types.js';

/**
 * The NFV-TST010 SOL005 conformance replay (test/conformance/): every case of the table
 * against one fresh in-process Rondo (PGlite, a memory PoP, authentication on). Every case
 * that reaches a verdict must pass; the cases without one are few and each says why.
 * `npx tsx test/conformance/report.ts` prints the same table per API.
 */
describe('SOL005 conformance replay (NFV-TST010)', () => {
  it('passes every case that reaches a verdict, on all five APIs', { timeout: 240_000 }, async () => {
    const results: CaseResult[] = await runConformance(ALL_CASES);
    const rows = tally(results);
    const failures = results.filter((r) => r.verdict === 'FAIL').map((r) => `${r.case.id} ${r.case.method} ${r.case.path}: ${r.reason}`);
    expect(failures).toEqual([]);
    // Breadth: every API has cases with a verdict; the no-verdict share stays small and explained.
    for (const row of rows) expect(row.pass, `${row.api} has passing cases`).toBeGreaterThan(10);
    const noVerdict = results.filter((r) => r.verdict === 'NO-VERDICT');
    expect(noVerdict.length).toBeLessThanOrEqual(results.length * 0.05);
    for (const r of noVerdict) expect(r.reason, r.case.id).toMatch(/Rondo/);
    expect(results.length).toBe(ALL_CASES.length);
  });

  it('has one row per case: ids unique within a title, every API and Robot file named', () => {
    const keys = ALL_CASES.map((c) => `${c.id} ${c.title}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ALL_CASES.map((c) => c.api))).toEqual(new Set(['nsd', 'vnfpkgm', 'nslcm', 'nsfm', 'nspm']));
    for (const c of ALL_CASES) expect(c.file, c.id).toMatch(/^[A-Za-z]+$/);
  });
});
