import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ForbiddenError } from '../model/index.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { evaluateRule, parseRule, PolicyInvalidError, referencedRules } from './policy-rules.js';
import type { RuleCredentials, RuleNode } from './policy-rules.js';
import type { AuthContext } from './roles.js';

/** Target attributes of a check (oslo's "target"): `tenant` of the resource, … */
export type PolicyTarget = Readonly<Record<string, string | undefined>>;

/** A loaded, validated policy. */
export interface Policy {
  /** The rule text per name (defaults merged with overrides), for `rondo policy show`. */
  readonly rules: Readonly<Record<string, string>>;
  /** Whether a rule of that name exists (not counting the `default` fallback). */
  has(action: string): boolean;
  /** Whether `ctx` may do `action` on `target` (default: the caller's own tenant). */
  allows(action: string, ctx: AuthContext, target?: PolicyTarget): boolean;
  /** Throws ForbiddenError `POLICY_DENIED` unless {@link Policy.allows}. */
  enforce(action: string, ctx: AuthContext, target?: PolicyTarget): void;
}

const credentials = (ctx: AuthContext): RuleCredentials => ({
  roles: ctx.roles,
  attrs: {
    tenant: ctx.tenant,
    project_id: ctx.tenant,
    user: ctx.user,
    user_id: ctx.userId,
    is_admin: ctx.isAdmin ? 'True' : 'False',
  },
});

/**
 * Builds a policy from `DEFAULT_POLICY` with `overrides` on top. Every rule is parsed and
 * every `rule:` reference checked now, so a bad policy file stops start-up with one
 * message naming the rule (PolicyInvalidError `POLICY_INVALID`): unknown references and
 * reference cycles included.
 */
export function createPolicy(overrides: Readonly<Record<string, string>> = {}, defaults: Readonly<Record<string, string>> = DEFAULT_POLICY): Policy {
  const rules: Record<string, string> = { ...defaults, ...overrides };
  const parsed = new Map<string, RuleNode>();
  for (const [name, text] of Object.entries(rules)) parsed.set(name, parseRule(name, text));
  for (const [name, node] of parsed) {
    for (const ref of referencedRules(node)) if (!parsed.has(ref)) throw new PolicyInvalidError(name, `refers to rule:${ref}, which does not exist`);
  }
  // Cycle check: depth-first with the path on a stack.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') throw new PolicyInvalidError(name, `rules refer to each other in a cycle: ${[...path, name].join(' → ')}`);
    state.set(name, 'open');
    for (const ref of referencedRules(parsed.get(name)!)) visit(ref, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of parsed.keys()) visit(name, []);

  const lookup = (name: string) => parsed.get(name);
  const allows = (action: string, ctx: AuthContext, target: PolicyTarget = { tenant: ctx.tenant }): boolean => {
    const node = parsed.get(action) ?? parsed.get('default');
    return node !== undefined && evaluateRule(node, credentials(ctx), target, lookup);
  };
  return {
    rules,
    has: (action) => parsed.has(action),
    allows,
    enforce(action, ctx, target) {
      if (!allows(action, ctx, target)) throw new ForbiddenError(action);
    },
  };
}

/**
 * Reads a YAML (or JSON) policy file: a mapping of rule name → rule text. Throws
 * PolicyInvalidError naming the file when it is not such a mapping.
 */
export function readPolicyFile(path: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'), { maxAliasCount: 0 });
  } catch (cause) {
    throw new PolicyInvalidError(path, `cannot read the policy file: ${(cause as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyInvalidError(path, 'expected a mapping of rule name to rule text');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new PolicyInvalidError(k, `in ${path}: expected a string rule, got ${v === null ? 'null' : typeof v}`);
    out[k] = v;
  }
  return out;
}
