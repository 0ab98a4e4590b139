/**
 * Migrations are frozen: once released, a migration must do the same thing forever, so it
 * holds its own literal values and imports nothing but kysely (type-only imports aside).
 * A second check compares the CHECK lists the migrations leave behind with today's
 * constants, so a value added to a constant without a new migration fails here, not in a
 * user's database.
 */
import { PLUGIN_STATES } from '../../src/plugins/index.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { CANCEL_MODES, DESCRIPTOR_FORMATS, NS_STATES, OP_STATES, OP_TYPES, PACKAGE_FORMATS, STEP_KINDS, STEP_STATES, VIM_TYPES, VNF_STATES } from '../../src/model/index.js';
import { IPAM_POOLS } from '../../src/ipam/index.js';
import { ALARM_ACK_STATES, ALARM_EVENT_TYPES, PERCEIVED_SEVERITIES, SUBSCRIPTION_APIS, VES_BACKLOG_DOMAINS } from '../../src/store/index.js';
import { ONBOARDING_STATES, OPERATIONAL_STATES, USAGE_STATES } from '../../src/catalog/index.js';

const DIR = join(process.cwd(), 'src/store/migrations');

/** Every module a file loads at run time: value imports, re-exports, `import()`, `require()`. */
function runtimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly = c !== undefined && (c.isTypeOnly || (!c.name && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [arg] = node.arguments;
      out.push(arg && ts.isStringLiteral(arg) ? arg.text : '<dynamic>');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `kysely`, and, for the list in index.ts only, the migration files beside it. */
const allowed = (file: string, spec: string): boolean => spec === 'kysely' || (file === 'index.ts' && /^\.\/\d{3}-[a-z0-9-]+\.js$/.test(spec));

describe('migrations are frozen', () => {
  it('no file in src/store/migrations imports anything at run time except kysely', async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(7);
    const offending: string[] = [];
    for (const f of files) {
      for (const spec of runtimeImports(f, await readFile(join(DIR, f), 'utf8'))) {
        if (!allowed(f, spec)) offending.push(`${f} imports ${spec}`);
      }
    }
    // When this fails: copy the values the migration needs into it as literals (a released
    // migration never changes), and add a new migration for a new value.
    expect(offending).toEqual([]);
  });

  it('the import check sees value imports, re-exports and dynamic imports, and lets type-only imports pass', () => {
    const text = [
      "import { sql } from 'kysely';",
      "import type { Kysely } from 'kysely';",
      "import type { Nsd } from '../../model/index.js';",
      "import { type OpState } from '../../model/records.js';",
      "import { OP_STATES } from '../../model/index.js';",
      "export { IPAM_POOLS } from '../../ipam/index.js';",
      "const m = await import('../catalog-states.js');",
    ].join('\n');
    expect(runtimeImports('x.ts', text)).toEqual(['kysely', '../../model/index.js', '../../ipam/index.js', '../catalog-states.js']);
  });

  it('the migrated schema allows exactly the values of today\'s constants (a new value needs a new migration)', async () => {
    const statements: string[] = [];
    const db = new Kysely<unknown>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      log: (e) => {
        if (e.level === 'query') statements.push(e.query.sql);
      },
    });
    for (const m of Object.values(MIGRATIONS)) await m.up(db);
    await db.destroy();

    // `table.column` → the values its last CHECK (… in (…)) allows, in statement order.
    const allowedValues = new Map<string, string[]>();
    for (const s of statements) {
      const table = /^(?:create|alter) table "?(\w+)"?/.exec(s)?.[1];
      if (!table) continue;
      for (const m of s.matchAll(/"?(\w+)"? in \(((?:'[^']*'(?:, )?)+)\)/g)) {
        allowedValues.set(`${table}.${m[1]}`, [...(m[2] ?? '').matchAll(/'([^']*)'/g)].map((v) => v[1] ?? ''));
      }
    }
    const expected: Record<string, readonly string[]> = {
      'packages.format': PACKAGE_FORMATS,
      'vnfds.format': DESCRIPTOR_FORMATS,
      'nsds.format': DESCRIPTOR_FORMATS,
      'nsds.onboarding_state': ONBOARDING_STATES,
      'nsds.operational_state': OPERATIONAL_STATES,
      'nsds.usage_state': USAGE_STATES,
      'vnfds.onboarding_state': ONBOARDING_STATES,
      'vnfds.operational_state': OPERATIONAL_STATES,
      'vnfds.usage_state': USAGE_STATES,
      'vim_accounts.type': VIM_TYPES,
      'ns_instances.state': NS_STATES,
      'vnf_instances.kind': ['vnf', 'sap'],
      'vnf_instances.state': VNF_STATES,
      'lcm_op_occs.lcm_operation_type': OP_TYPES,
      'lcm_op_occs.operation_state': OP_STATES,
      'lcm_op_occs.cancel_mode': CANCEL_MODES,
      'op_steps.kind': STEP_KINDS,
      'op_steps.state': STEP_STATES,
      'ip_allocations.pool': IPAM_POOLS,
      'ves_backlogs.domain': VES_BACKLOG_DOMAINS,
      'alarms.ack_state': ALARM_ACK_STATES,
      'alarms.perceived_severity': PERCEIVED_SEVERITIES,
      'alarms.event_type': ALARM_EVENT_TYPES,
      'subscriptions.api': SUBSCRIPTION_APIS,
      'pnfds.onboarding_state': ONBOARDING_STATES,
      'pnfds.usage_state': USAGE_STATES,
      'plugins.state': PLUGIN_STATES,
    };
    const sorted = (m: Iterable<[string, readonly string[]]>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort(([a], [b]) => String(a).localeCompare(String(b))));
    expect(sorted(allowedValues)).toEqual(sorted(Object.entries(expected)));
  });
});
