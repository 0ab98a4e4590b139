import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, ERROR_CODES, isErrorCode } from './error-codes.js';
import { BadRequestError, ConflictError, RondoError, VIM_ERROR_KINDS, VimError } from './errors.js';

const SRC = join(import.meta.dirname, '..');

/** Server source files (not tests, not the browser dashboard). */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return relative(SRC, p) === 'web' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const CODE = "'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'";
/** Where a string literal is an error code: constructor and super calls, `code:` members, planner helpers, fallbacks. */
const CODE_SITES = [
  new RegExp(`new (\\w*)Error\\(\\s*${CODE}`, 'g'),
  new RegExp(`super\\(\\s*${CODE}`, 'g'),
  new RegExp(`\\bcode: ${CODE}`, 'g'),
  new RegExp(`\\bconflict\\(\\s*${CODE}`, 'g'),
  new RegExp(`\\.code : ${CODE}`, 'g'),
];

/** Every code literal in src/, with the file it is in. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const re of CODE_SITES) {
      for (const m of text.matchAll(re)) {
        const groups = m.slice(1).filter((g) => g !== undefined);
        const literal = groups[groups.length - 1] as string;
        const cls = groups.length > 1 ? groups[0] : undefined;
        if (cls === 'NotFound') continue; // its first argument names the resource type
        found.set(cls === 'Vim' ? `VIM_${literal}` : literal, relative(SRC, file));
      }
    }
  }
  return found;
}

describe('ERROR_CODES', () => {
  it('gives every code a 4xx/5xx status, a title and a retryable flag', () => {
    expect(ERROR_CODE_LIST.length).toBeGreaterThan(80);
    for (const code of ERROR_CODE_LIST) {
      const s = ERROR_CODES[code];
      expect(s.status >= 400 && s.status <= 599, `${code}: ${s.status}`).toBe(true);
      expect(s.title.trim(), code).not.toBe('');
      expect(typeof s.retryable, code).toBe('boolean');
      expect(code, 'codes are UPPER_SNAKE_CASE').toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    }
  });

  it('holds every code used in src/', () => {
    const used = codesInSource();
    // The scan must see the sites it is meant to see, or it proves nothing.
    for (const c of ['VIM_AUTH', 'VIM_NOT_FOUND', 'ROLLBACK_FAILED', 'PLAN_CROSS_VIM_LINK', 'CONFIG_INVALID', 'UNEXPECTED', 'AUTH_REQUIRED']) expect([...used.keys()]).toContain(c);
    expect(used.size).toBeGreaterThan(80);
    const missing = [...used].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has a code for every VIM error kind, never 401 or 404: the VIM is upstream of Rondo', () => {
    for (const kind of VIM_ERROR_KINDS) {
      const code = `VIM_${kind}`;
      expect(isErrorCode(code), code).toBe(true);
      if (!isErrorCode(code)) continue;
      expect([502, 503, 504, 422], code).toContain(ERROR_CODES[code].status);
    }
  });

  it('is where RondoError takes its status and default retryable from', () => {
    for (const code of ERROR_CODE_LIST) {
      const e = new RondoError(code, 'x');
      expect([e.status, e.retryable], code).toEqual([ERROR_CODES[code].status, ERROR_CODES[code].retryable]);
    }
    expect(new ConflictError('x', { code: 'PLAN_UNPLACED' }).status).toBe(409);
    expect(new BadRequestError('x', { code: 'PLACEMENT_UNKNOWN_POP' }).status).toBe(400);
    // A VimError keeps the driver's retryable decision.
    expect(new VimError('UNEXPECTED_RESPONSE', 'pop1', 'HTTP 503', { retryable: true }).retryable).toBe(true);
    expect(new VimError('TIMEOUT', 'pop1', 'aborted', { retryable: false }).retryable).toBe(false);
    expect(new VimError('CONNECTION', 'pop1', 'refused').retryable).toBe(true);
  });
});
