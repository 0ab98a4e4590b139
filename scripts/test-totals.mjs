#!/usr/bin/env node
// Prints vitest's totals as the one plain line CI reads: `tests: N passed, N failed`.
// A missing or unreadable report counts as one failure, so a crash never looks green.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'build/vitest.json';
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTests ?? 0);
  // A file that failed to load (syntax error, failing beforeAll) has no tests counted.
  for (const r of report.testResults ?? []) {
    if (r.status === 'failed' && (r.assertionResults ?? []).every((a) => a.status !== 'failed')) failed += 1;
  }
  if (passed + failed === 0) failed = 1;
} catch {
  failed = 1;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
