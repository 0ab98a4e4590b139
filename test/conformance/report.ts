/**
 * Replays the NFV-TST010 SOL005 conformance table on a fresh in-process Rondo and prints,
 * per API, the cases, PASS, FAIL, NO-VERDICT and the pass rate of the cases with a verdict,
 * then every FAIL and NO-VERDICT with its reason.
 *
 *   npx tsx test/conformance/report.ts [--all]   (--all also lists the PASS cases)
 */
import { runConformance, tally } from './runner.js';

const results = await runConformance();
const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`${pad('API', 9)}${pad('cases', 7)}${pad('PASS', 6)}${pad('FAIL', 6)}${pad('NO-VERDICT', 12)}pass rate`);
for (const t of tally(results)) console.log(`${pad(t.api, 9)}${pad(t.cases, 7)}${pad(t.pass, 6)}${pad(t.fail, 6)}${pad(t.noVerdict, 12)}${t.passRate.toFixed(1)} %`);
const show = process.argv.includes('--all') ? results : results.filter((r) => r.verdict !== 'PASS');
for (const r of show) console.log(`${pad(r.verdict, 11)}${pad(r.case.id, 12)}${pad(r.case.api, 8)}${r.case.method} ${r.case.path} — ${r.case.title}${r.reason ? `\n             ${r.reason}` : ''}`);
if (process.env.RONDO_CONFORMANCE_TIMING) for (const r of [...results].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 15)) console.log(`${r.ms} ms  ${r.case.id} ${r.case.title}`);
process.exitCode = results.some((r) => r.verdict === 'FAIL') ? 1 : 0;
