import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Tags } from 'yaml';
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

/*
 * YAML as the reference tools read it. tosca-parser, Tacker, heat-translator, son-cli and
 * tng-sdk-package all read descriptors with PyYAML's safe loader, which implements YAML 1.1.
 * Rondo reads the same documents to the same values, with these conscious choices:
 *
 * - Booleans are PyYAML's: yes/no, on/off, true/false in their three spellings; `y`/`n` stay
 *   text (the `yaml` package's 1.1 schema would read them as booleans, PyYAML does not).
 * - Integers: decimal, 0x hex, 0b binary, 0-prefixed octal (`0777` is 511) and `_` separators,
 *   as PyYAML. Floats need a dot and a signed exponent, as PyYAML (`1e3` stays text).
 * - `<<` merge keys and the !!set/!!omap/!!pairs/!!binary tags that safe_load knows work.
 * - Deviations, on purpose: sexagesimal numbers (`1:30` = 90 in PyYAML) and timestamps stay
 *   text: no TOSCA or 5GTANGO field is a base-60 number or a date, while text such as
 *   `8080:80` or a release date must survive unchanged into JSON.
 * - A duplicate key keeps its last value, as PyYAML does (5GTANGO's communications pilot
 *   VNFDs repeat `version:`), and is reported as a warning naming file:line:column.
 * - Unknown tags are refused, as safe_load refuses them.
 * - Layout: PyYAML does not check the indentation of lines that continue a flow collection
 *   (`[a, b,` with `c ]` at column 1, as in ETSI's etsi_nfv_sol001_vnfd_types.yaml v2.6.1);
 *   YAML 1.2 parsers refuse them. Such lines are re-indented before parsing (whitespace only,
 *   inside flow context it folds away), and only when the document fails to parse as written.
 */
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PYYAML_EXP_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;

type ScalarTagLike = { tag?: string; format?: string; test?: RegExp };

const pyyamlTags = (tags: Tags): Tags =>
  tags.flatMap((t): Tags => {
    const tag = t as ScalarTagLike;
    if (tag.tag === 'tag:yaml.org,2002:timestamp' || tag.format === 'TIME') return [];
    if (tag.tag === 'tag:yaml.org,2002:bool' && tag.test) return [Object.assign({}, t, { test: tag.test.test('true') ? PYYAML_TRUE : PYYAML_FALSE })];
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP') return [Object.assign({}, t, { test: PYYAML_EXP_FLOAT })];
    return [t];
  });

// The schema is always yaml-1.1, so its adjusted tag list is built once instead of per document.
let pyyamlTagList: Tags | undefined;
const pyyamlTagsOnce = (tags: Tags): Tags => (pyyamlTagList ??= pyyamlTags(tags)).slice();

const parseOptions = (lineCounter: LineCounter) =>
  ({ version: '1.1', schema: 'yaml-1.1', customTags: pyyamlTagsOnce, uniqueKeys: false, strict: false, prettyErrors: false, lineCounter, merge: true }) as const;

/**
 * Parses one untrusted YAML document as PyYAML's safe loader reads it (see above): duplicate
 * keys, unknown tags, too many aliases and too deep nesting are issues, never exceptions, and
 * every issue says `file:line:column`. The depth check walks the syntax tree with an explicit
 * stack (no recursion), before anything is converted to JavaScript values.
 */
export const parseYamlSafe = (
  text: string,
  file: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  warnings?: ValidationIssue[],
): Result<unknown, ValidationIssue[]> => {
  const at = (lc: LineCounter | undefined, offset: number): string => {
    const p = lc ? lc.linePos(offset) : linePosOf(text, offset);
    return `${file}:${p.line}:${p.col}`;
  };
  // Cheap pre-check so a 1000-deep flow collection never reaches the (recursive) composer.
  const pre = flowDepthExceeds(text, limits.maxDepth);
  if (pre !== undefined) return err([{ file, path: '', message: `YAML nesting deeper than ${limits.maxDepth} levels at ${at(undefined, pre)}; flatten the document` }]);
  let parsed = parseOnce(text);
  if ('thrown' in parsed) return err([{ file, path: '', message: `YAML could not be parsed at ${file}:1:1: ${firstLine(parsed.thrown.message)}` }]);
  if (parsed.doc.errors.length > 0) {
    const relaxed = reindentFlowContinuations(text);
    if (relaxed !== text) {
      const again = parseOnce(relaxed);
      if (!('thrown' in again) && again.doc.errors.length === 0) parsed = again;
    }
  }
  const { doc, lc } = parsed;
  const issues: ValidationIssue[] = [];
  for (const e of doc.errors) {
    // The composer recurses per nesting level; a stack overflow surfaces as RESOURCE_EXHAUSTION.
    const deep = e.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(e.message);
    issues.push({ file, path: '', message: deep ? `YAML nesting too deep (more than ${limits.maxDepth} levels allowed) at ${at(lc, e.pos[0])}; flatten the document` : `YAML error (${e.code}) at ${at(lc, e.pos[0])}: ${firstLine(e.message)}` });
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') issues.push({ file, path: '', message: `YAML tag not allowed at ${at(lc, w.pos[0])}: ${firstLine(w.message)}` });
  }
  if (issues.length > 0) return err(issues);
  const shape = measure(doc.contents);
  if (shape.depth > limits.maxDepth) return err([{ file, path: '', message: `YAML nesting deeper than ${limits.maxDepth} levels at ${at(lc, shape.deepestAt)}; flatten the document` }]);
  if (shape.aliases > limits.maxAliases) return err([{ file, path: '', message: `YAML uses ${shape.aliases} aliases (from ${at(lc, shape.firstAliasAt)}), more than the limit of ${limits.maxAliases}` }]);
  for (const d of shape.duplicates) warnings?.push({ file, path: '', message: `duplicate key "${d.key}" at ${at(lc, d.at)}; its last value is used, as PyYAML does` });
  try {
    return ok(doc.toJS({ maxAliasCount: limits.maxAliases }) as unknown);
  } catch (e) {
    return err([{ file, path: '', message: `YAML alias expansion exceeds the limit of ${limits.maxAliases} at ${at(lc, shape.firstAliasAt)}: ${firstLine((e as Error).message)}` }]);
  }
};

const parseOnce = (text: string): { doc: Document.Parsed; lc: LineCounter } | { thrown: Error } => {
  const lc = new LineCounter();
  try {
    return { doc: parseDocument(text, parseOptions(lc)), lc };
  } catch (e) {
    return { thrown: e as Error };
  }
};

const firstLine = (s: string): string => s.split('\n')[0] ?? s;

/** 1-based line and column of `offset` in `text`. */
const linePosOf = (text: string, offset: number): { line: number; col: number } => {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line += 1;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
};

/** Depth of the node tree and number of alias nodes, walked iteratively, with where each was found. */
const measure = (root: unknown): { depth: number; aliases: number; deepestAt: number; firstAliasAt: number; duplicates: Array<{ key: string; at: number }> } => {
  const duplicates: Array<{ key: string; at: number }> = [];
  let depth = 0;
  let aliases = 0;
  let deepestAt = 0;
  let firstAliasAt = 0;
  const stack: Array<{ node: unknown; d: number }> = [{ node: root, d: 0 }];
  const startOf = (n: unknown): number => (n as { range?: [number, number, number] }).range?.[0] ?? 0;
  while (stack.length > 0) {
    const { node, d } = stack.pop() as { node: unknown; d: number };
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      if (aliases === 0) firstAliasAt = startOf(node);
      aliases += 1;
      continue;
    }
    if (isScalar(node)) continue;
    if (isPair(node)) {
      stack.push({ node: node.key, d }, { node: node.value, d });
      continue;
    }
    if (isMap(node) || isSeq(node)) {
      if (d + 1 > depth) {
        depth = d + 1;
        deepestAt = startOf(node);
      }
      if (isMap(node)) {
        const keys = new Set<unknown>();
        for (const item of node.items) {
          if (!isScalar(item.key)) continue;
          if (keys.has(item.key.value)) duplicates.push({ key: String(item.key.value), at: startOf(item.key) });
          keys.add(item.key.value);
        }
      }
      for (const item of node.items) stack.push({ node: item, d: d + 1 });
    }
  }
  return { depth, aliases, deepestAt, firstAliasAt, duplicates };
};

/**
 * Offset where flow-collection nesting (`[[[...]]]`, `{a: {b: ...}}`) first goes past `max`,
 * ignoring quoted text and comments; undefined when it never does. Block nesting is bounded
 * by indentation and checked on the tree.
 */
const flowDepthExceeds = (text: string, max: number): number | undefined => {
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
      if (depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
  }
  return undefined;
};

const BLOCK_SCALAR_HEADER = /(?:^|[\s:-])[|>][0-9+-]*\s*(?:#.*)?$/;

/**
 * Indents every line that continues a flow collection opened in block context by at least
 * one column more than the line that opened it (PyYAML's leniency, see above). Quoted text,
 * comments and block scalars are skipped; only leading spaces are added, so values and line
 * numbers stay the same.
 */
export const reindentFlowContinuations = (text: string): string => {
  const lines = text.split('\n');
  let depth = 0;
  let openIndent = 0;
  let quote: string | null = null;
  let blockIndent: number | undefined;
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li] as string;
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '';
    if (blockIndent !== undefined) {
      if (blank || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    if (depth > 0 && !blank && indent <= openIndent) {
      line = ' '.repeat(openIndent + 1 - indent) + line;
      lines[li] = line;
    }
    const lineIndent = line.length - line.trimStart().length;
    let comment = false;
    for (let i = 0; i < line.length && !comment; i++) {
      const c = line[i] as string;
      const prev = i === 0 ? ' ' : (line[i - 1] as string);
      if (quote) {
        if (c === '\\' && quote === '"') i += 1;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === '#' && /\s/.test(prev)) comment = true;
      else if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) quote = c;
      else if (c === '[' || c === '{') {
        // The block collection that holds the flow one starts at its key, after any `- `.
        if (depth === 0) openIndent = (/^(?:\s*-(?=\s))*\s*/.exec(line)?.[0] ?? '').length;
        depth += 1;
      } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
    }
    if (depth === 0 && !quote && BLOCK_SCALAR_HEADER.test(line.replace(/\s+#.*$/, ''))) blockIndent = lineIndent;
  }
  return lines.join('\n');
};
