import { describe, expect, it } from 'vitest';
import { nextPageLink } from './api-client.js';

describe('nextPageLink', () => {
  it('finds rel="next" in a SOL013 Link header, alone or among others', () => {
    expect(nextPageLink('<http://h/nsfm/v1/alarms?nextpage_opaque_marker=abc>; rel="next"')).toBe('http://h/nsfm/v1/alarms?nextpage_opaque_marker=abc');
    expect(nextPageLink(['<http://h/a?p=1>; rel="prev"', '<http://h/a?p=3>; rel=next'])).toBe('http://h/a?p=3');
    expect(nextPageLink('<http://h/a?p=1>; rel="prev"')).toBeUndefined();
    expect(nextPageLink(undefined)).toBeUndefined();
  });
});
