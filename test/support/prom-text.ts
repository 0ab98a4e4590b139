/** One sample of the Prometheus text format. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/**
 * A strict parser of the Prometheus text exposition format 0.0.4: every sample belongs to
 * a family declared by `# TYPE` before it (histogram samples by their _bucket/_sum/_count
 * suffix), names and label names are valid, label values are properly quoted and escaped,
 * values are floats as Go's ParseFloat reads them. Throws on the first violation, naming the line.
 */
export function parsePrometheusText(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('exposition must end with a newline');
  lines.forEach((line, i) => {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${line}`);
    };
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) return;
      if (!NAME.test(m[2]!)) fail('bad metric name');
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3] ?? '')) fail('bad type');
        if (types.has(m[2]!)) fail('family declared twice');
        types.set(m[2]!, m[3]!);
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!m) return fail('not a sample');
    const name = m[1]!;
    const family = [name, name.replace(/_(bucket|sum|count)$/, '')].find((f) => types.has(f));
    if (!family) fail('sample before its # TYPE');
    if (family !== name && types.get(family!) !== 'histogram' && types.get(family!) !== 'summary') fail('suffix on a non-histogram');
    const labels: Record<string, string> = {};
    let rest = m[3] ?? '';
    while (rest.length > 0) {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/.exec(rest);
      if (!lm) fail('bad label pair');
      if (lm![1]! in labels) fail('duplicate label');
      labels[lm![1]!] = lm![2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(lm![0].length);
    }
    // Prometheus reads values with Go's strconv.ParseFloat, which takes NaN and Inf in any
    // case (prom-client writes a NaN as "Nan", e.g. an event-loop lag mean before any sample).
    const v = m[4]!;
    const special = /^(?:(nan)|([+-]?)inf(?:inity)?)$/i.exec(v);
    const value = special ? (special[1] ? NaN : special[2] === '-' ? -Infinity : Infinity) : Number(v);
    if (!special && (v.trim() === '' || Number.isNaN(value))) fail('bad value');
    samples.push({ name, labels, value });
  });
  return { types, samples };
}
