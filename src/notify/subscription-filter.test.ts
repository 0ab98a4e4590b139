import { describe, expect, it } from 'vitest';
import { filterKey, filterMatches, parseFilter } from './subscription-filter.js';

describe('subscription filters', () => {
  it('matches on every present attribute', () => {
    const f = parseFilter('nslcm', {
      nsInstanceSubscriptionFilter: { nsInstanceIds: ['ns1'] },
      notificationTypes: ['NsLcmOperationOccurrenceNotification'],
      operationStates: ['COMPLETED'],
    });
    const base = { notificationType: 'NsLcmOperationOccurrenceNotification' as const, nsInstanceId: 'ns1', operationType: 'INSTANTIATE' };
    expect(filterMatches(f, { ...base, operationState: 'COMPLETED' })).toBe(true);
    expect(filterMatches(f, { ...base, operationState: 'PROCESSING' })).toBe(false);
    expect(filterMatches(f, { ...base, nsInstanceId: 'ns2', operationState: 'COMPLETED' })).toBe(false);
    expect(filterMatches({}, { notificationType: 'NsIdentifierCreationNotification', nsInstanceId: 'x' })).toBe(true);
  });

  it('gives equal filters equal keys regardless of order', () => {
    expect(filterKey({ operationStates: ['B', 'A'], notificationTypes: ['X'] })).toBe(filterKey({ notificationTypes: ['X'], operationStates: ['A', 'B'] }));
    expect(filterKey({ operationStates: ['A'] })).not.toBe(filterKey({ operationStates: ['B'] }));
  });

  it('refuses malformed filters and types of the other API', () => {
    expect(() => parseFilter('nslcm', { notificationTypes: ['AlarmNotification'] })).toThrow(/notificationTypes/);
    expect(() => parseFilter('nsfm', { perceivedSeverities: 'CRITICAL' })).toThrow();
    expect(parseFilter('nsfm', undefined)).toEqual({});
  });
});
