import { RondoError } from '../model/index.js';

/**
 * A parsed policy rule. The language is the basics of oslo.policy: `@` (anyone
 * authenticated), `!` (nobody), `role:<name>`, `rule:<name>`, `<attr>:<value>` or
 * `<attr>:%(<target key>)s`, joined with `and`, `or`, `not` and parentheses.
 */
export type RuleNode =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'rule'; readonly name: string }
  | { readonly kind: 'match'; readonly attr: string; readonly value: string; readonly fromTarget: boolean }
  | { readonly kind: 'not'; readonly item: RuleNode }
  | { readonly kind: 'and' | 'or'; readonly items: readonly RuleNode[] };

/** The caller's side of a check (oslo's "credentials"). */
export interface RuleCredentials {
  readonly roles: readonly string[];
  /** Attributes `<attr>:` checks read: `tenant`, `user`, `user_id`, `is_admin`, … */
  readonly attrs: Readonly<Record<string, string>>;
}

/** A malformed policy: start-up stops and the message names the rule. */
export class PolicyInvalidError extends RondoError {
  constructor(readonly rule: string, message: string) {
    super('POLICY_INVALID', `policy rule ${JSON.stringify(rule)}: ${message}`, { details: { rule } });
  }
}

const MAX_RULE_LENGTH = 4096;
const MAX_DEPTH = 32;

function tokenize(text: string): string[] {
  // A `%(key)s` reference is part of its check, not a parenthesis.
  return text.match(/\(|\)|(?:%\([^)\s]*\)s|[^\s()])+/g) ?? [];
}

/**
 * Parses one rule text. An empty rule is `@` (as in oslo.policy). Throws
 * {@link PolicyInvalidError} naming `name` on a syntax error.
 */
export function parseRule(name: string, text: string): RuleNode {
  if (text.length > MAX_RULE_LENGTH) throw new PolicyInvalidError(name, `longer than ${MAX_RULE_LENGTH} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: 'always' };
  let pos = 0;
  const fail = (msg: string): never => {
    throw new PolicyInvalidError(name, `${msg} at token ${pos + 1}${tokens[pos] ? ` (${tokens[pos]})` : ''}`);
  };
  const peek = () => tokens[pos]?.toLowerCase();

  const parseOr = (depth: number): RuleNode => {
    const items = [parseAnd(depth)];
    while (peek() === 'or') {
      pos++;
      items.push(parseAnd(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (depth: number): RuleNode => {
    const items = [parseNot(depth)];
    while (peek() === 'and') {
      pos++;
      items.push(parseNot(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseNot = (depth: number): RuleNode => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH}`);
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', item: parseNot(depth + 1) };
    }
    return parseAtom(depth);
  };
  const parseAtom = (depth: number): RuleNode => {
    const t = tokens[pos];
    if (t === undefined) return fail('unexpected end');
    pos++;
    if (t === '(') {
      const inner = parseOr(depth + 1);
      if (tokens[pos] !== ')') fail('expected )');
      pos++;
      return inner;
    }
    return parseCheck(t);
  };
  const parseCheck = (t: string): RuleNode => {
    if (t === '@') return { kind: 'always' };
    if (t === '!') return { kind: 'never' };
    const colon = t.indexOf(':');
    if (colon <= 0 || colon === t.length - 1) return fail('expected @, !, role:<name>, rule:<name> or <attr>:<value>');
    const kind = t.slice(0, colon);
    const value = t.slice(colon + 1);
    if (kind === 'role') return { kind: 'role', role: value };
    if (kind === 'rule') return { kind: 'rule', name: value };
    const ref = /^%\(([A-Za-z0-9_.]+)\)s$/.exec(value);
    return ref ? { kind: 'match', attr: kind, value: ref[1]!, fromTarget: true } : { kind: 'match', attr: kind, value, fromTarget: false };
  };

  const node = parseOr(0);
  if (pos !== tokens.length) fail('unexpected token');
  return node;
}

/** The names a rule refers to with `rule:`. */
export function referencedRules(node: RuleNode): string[] {
  switch (node.kind) {
    case 'rule':
      return [node.name];
    case 'not':
      return referencedRules(node.item);
    case 'and':
    case 'or':
      return node.items.flatMap(referencedRules);
    default:
      return [];
  }
}

/**
 * Evaluates a rule. `lookup` resolves `rule:` names (undefined: the check fails, which
 * keeps an unknown reference closed). Target values come from `target` by key.
 */
export function evaluateRule(
  node: RuleNode,
  creds: RuleCredentials,
  target: Readonly<Record<string, string | undefined>>,
  lookup: (name: string) => RuleNode | undefined,
  depth = 0,
): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (node.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'role':
      return creds.roles.includes(node.role);
    case 'rule': {
      const r = lookup(node.name);
      return r !== undefined && evaluateRule(r, creds, target, lookup, depth + 1);
    }
    case 'match': {
      const mine = creds.attrs[node.attr];
      const want = node.fromTarget ? target[node.value] : node.value;
      return mine !== undefined && want !== undefined && mine === want;
    }
    case 'not':
      return !evaluateRule(node.item, creds, target, lookup, depth + 1);
    case 'and':
      return node.items.every((i) => evaluateRule(i, creds, target, lookup, depth + 1));
    case 'or':
      return node.items.some((i) => evaluateRule(i, creds, target, lookup, depth + 1));
  }
}
