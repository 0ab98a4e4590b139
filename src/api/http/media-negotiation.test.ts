import { describe, expect, it } from 'vitest';
import { acceptsMediaType } from './media-negotiation.js';
import { parseByteRange } from './byte-range.js';

describe('acceptsMediaType', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['application/json', true],
    ['application/*', true],
    ['*/*', true],
    ['text/plain', false],
    ['application/zip, text/plain', false],
    ['application/json;q=0', false],
    ['*/*;q=0.5, application/json;q=0', false],
    ['text/html, */*;q=0.1', true],
    ['APPLICATION/JSON; charset=utf-8', true],
  ])('%s → %s for application/json', (accept, ok) => expect(acceptsMediaType(accept, 'application/json')).toBe(ok));
});

describe('parseByteRange', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=50-500', { start: 50, end: 99 }],
    ['bytes=100-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=9-3', undefined],
    ['bytes=0-1,4-5', undefined],
    ['items=0-1', undefined],
    ['bytes=-', undefined],
  ])('%s over 100 bytes → %j', (header, want) => expect(parseByteRange(header, 100)).toEqual(want));
});
