import type { CliError } from './cli-error.js';

/** Where the CLI writes; tests and `main` pass process streams. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** The process's stdout/stderr. */
export const processOutput: Output = {
  out: (l) => void process.stdout.write(`${l}\n`),
  err: (l) => void process.stderr.write(`${l}\n`),
};

/** Pretty JSON for `--json`. */
export const printJson = (o: Output, value: unknown): void => o.out(JSON.stringify(value, null, 2));

/** A plain text table: header, a rule, rows; columns as wide as their widest cell. */
export function printTable(o: Output, columns: readonly string[], rows: readonly (readonly unknown[])[]): void {
  if (rows.length === 0) {
    o.out('(none)');
    return;
  }
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const widths = columns.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  o.out(line(columns));
  o.out(line(widths.map((w) => '-'.repeat(w))));
  for (const r of cells) o.out(line(r));
}

/** Key: value lines for `show` commands. */
export function printFields(o: Output, fields: readonly (readonly [string, unknown])[]): void {
  const w = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) o.out(`${`${k}:`.padEnd(w + 2)}${v === null || v === undefined ? '-' : String(v)}`);
}

/** Reports an error: JSON on stderr with `--json`, else "error: …", the reason, a hint. */
export function printError(o: Output, e: CliError, json: boolean): void {
  if (json) {
    o.err(JSON.stringify({ error: e.message, reason: e.reason ?? null, hint: e.hint ?? null, details: e.details ?? null }, null, 2));
    return;
  }
  o.err(`error: ${e.message}`);
  if (e.reason) for (const l of e.reason.split('\n')) o.err(`  ${l}`);
  if (e.hint) o.err(`hint: ${e.hint}`);
}
