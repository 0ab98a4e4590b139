import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { ValidationIssue } from '../model/index.js';
import { err, ok } from '../model/index.js';
import type { Result } from '../model/index.js';

/** Limits applied when reading an untrusted YAML document. */
export interface YamlLimits {
  /** Most alias (`*x`) expansions allowed; stops billion-laughs documents. */
  readonly maxAliases: number;
  /** Deepest nesting of maps/sequences allowed. */
  readonly maxDepth: number;
}

/** Defaults matching DEFAULT_PACKAGE_LIMITS. */
export const DEFAULT_YAML_LIMITS: YamlLimits = { maxAliases: 100, maxDepth: 64 };

/**
 * Parses one untrusted YAML document with the YAML 1.2 core schema: duplicate keys,
 * unknown tags, too many aliases and too deep nesting are issues, never exceptions.
 * The depth check walks the syntax tree with an explicit stack (no recursion), before
 * anything is converted to JavaScript values.
 */
export const parseYamlSafe = (
  text: string,
  file: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): Result<unknown, ValidationIssue[]> => {
  // Cheap pre-check so a 1000-deep flow collection never reaches the (recursive) composer.
  const pre = flowDepthExceeds(text, limits.maxDepth);
  if (pre) return err([{ file, path: '', message: `YAML nesting deeper than ${limits.maxDepth} levels; flatten the document` }]);
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, schema: 'core', strict: true, prettyErrors: false, customTags: [] });
  } catch (e) {
    return err([{ file, path: '', message: `YAML could not be parsed: ${(e as Error).message}` }]);
  }
  const issues: ValidationIssue[] = [];
  for (const e of doc.errors) {
    // The composer recurses per nesting level; a stack overflow surfaces as RESOURCE_EXHAUSTION.
    const deep = e.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(e.message);
    issues.push({ file, path: '', message: deep ? `YAML nesting too deep (more than ${limits.maxDepth} levels allowed); flatten the document` : `YAML error (${e.code}) at ${pos(e.linePos)}: ${firstLine(e.message)}` });
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') issues.push({ file, path: '', message: `YAML tag not allowed at ${pos(w.linePos)}: ${firstLine(w.message)}` });
  }
  if (issues.length > 0) return err(issues);
  const shape = measure(doc.contents);
  if (shape.depth > limits.maxDepth) return err([{ file, path: '', message: `YAML nesting deeper than ${limits.maxDepth} levels; flatten the document` }]);
  if (shape.aliases > limits.maxAliases) return err([{ file, path: '', message: `YAML uses ${shape.aliases} aliases, more than the limit of ${limits.maxAliases}` }]);
  try {
    return ok(doc.toJS({ maxAliasCount: limits.maxAliases }) as unknown);
  } catch (e) {
    return err([{ file, path: '', message: `YAML alias expansion exceeds the limit of ${limits.maxAliases}: ${firstLine((e as Error).message)}` }]);
  }
};

const firstLine = (s: string): string => s.split('\n')[0] ?? s;
const pos = (lp: readonly { line: number; col: number }[] | undefined): string =>
  lp && lp[0] ? `line ${lp[0].line}, column ${lp[0].col}` : 'unknown position';

/** Depth of the node tree and number of alias nodes, walked iteratively. */
const measure = (root: unknown): { depth: number; aliases: number } => {
  let depth = 0;
  let aliases = 0;
  const stack: Array<{ node: unknown; d: number }> = [{ node: root, d: 0 }];
  while (stack.length > 0) {
    const { node, d } = stack.pop() as { node: unknown; d: number };
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      aliases += 1;
      continue;
    }
    if (isScalar(node)) continue;
    if (isPair(node)) {
      stack.push({ node: node.key, d }, { node: node.value, d });
      continue;
    }
    if (isMap(node) || isSeq(node)) {
      depth = Math.max(depth, d + 1);
      for (const item of node.items) stack.push({ node: item, d: d + 1 });
    }
  }
  return { depth, aliases };
};

/**
 * Upper bound of flow-collection nesting (`[[[...]]]`, `{a: {b: ...}}`), ignoring quoted
 * text and comments. Block nesting is bounded by indentation and checked on the tree.
 */
const flowDepthExceeds = (text: string, max: number): boolean => {
  let depth = 0;
  let quote: string | null = null;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) comment = true;
    else if (c === '"' || (c === "'" && depth > 0)) quote = c;
    else if (c === '[' || c === '{') {
      depth += 1;
      if (depth > max) return true;
    } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
  }
  return false;
};
