/**
 * List pages read their rows as one JSON document (`jsonRows`): timestamps arrive as
 * PostgreSQL's JSON text instead of Date objects. The row mappers must give exactly what
 * they give for the driver's rows, whatever the fraction (absent, trimmed, microseconds)
 * and for offsets other than UTC (which take the slow path through Date).
 */
import { describe, expect, it } from 'vitest';
import { toNsInstance, toOpOcc } from '../../src/store/runtime-rows.js';

/** PostgreSQL's JSON text of `d` at UTC with `fraction` digits as written (PostgreSQL trims trailing zeros). */
const pgText = (isoSeconds: string, fraction: string, offset = '+00:00') => `${isoSeconds}${fraction ? `.${fraction}` : ''}${offset}`;

describe('row mappers read JSON rows as they read driver rows', () => {
  const cases: [string, string, string, string][] = [
    // [seconds, fraction as PostgreSQL writes it, offset, expected toISOString]
    ['2025-01-01T00:00:01', '', '+00:00', '2025-01-01T00:00:01.000Z'],
    ['2025-01-01T00:00:01', '5', '+00:00', '2025-01-01T00:00:01.500Z'],
    ['2025-01-01T00:00:01', '12', '+00:00', '2025-01-01T00:00:01.120Z'],
    ['2025-01-01T00:00:01', '123456', '+00:00', '2025-01-01T00:00:01.123Z'],
    ['2025-01-01T00:00:01', '999999', '+00:00', '2025-01-01T00:00:01.999Z'],
    ['2025-06-30T23:59:59', '25', '+02:00', '2025-06-30T21:59:59.250Z'],
    ['2025-06-30T23:59:59', '', '-05:30', '2025-07-01T05:29:59.000Z'],
  ];

  it.each(cases)('NS instance at %s.%s%s', (seconds, fraction, offset, expected) => {
    const text = pgText(seconds, fraction, offset);
    const base = { id: 'ns-1', name: 'n', description: '', nsd_id: 'nsd', nsd_info_id: 'nsd', state: 'NOT_INSTANTIATED', tenant: 'default', flavour_id: null, vnf_flavours: null };
    const fromJson = toNsInstance({ ...base, created_at: text, updated_at: text });
    const fromDriver = toNsInstance({ ...base, created_at: new Date(expected), updated_at: new Date(expected) });
    expect(fromJson).toEqual(fromDriver);
    expect(fromJson.createdAt).toBe(expected);
  });

  it('an operation occurrence with every timestamp set, and with the nullable ones null', () => {
    const at = '2025-01-01T00:00:01.123456+00:00';
    const base = {
      id: 'op-1', ns_instance_id: 'ns-1', lcm_operation_type: 'INSTANTIATE', operation_state: 'FAILED_TEMP', is_automatic_invocation: false,
      operation_params: { seq: 1 }, internal_params: { placement: { pins: {} } }, is_cancel_pending: false, cancel_mode: null, error: { status: 500, detail: 'x' }, tenant: 'default', owner: 'w1', attempts: 2,
    };
    const d = new Date('2025-01-01T00:00:01.123Z');
    expect(toOpOcc({ ...base, status_entered_time: at, start_time: at, lease_expires_at: at, deadline: at })).toEqual(
      toOpOcc({ ...base, status_entered_time: d, start_time: d, lease_expires_at: d, deadline: d }),
    );
    const open = toOpOcc({ ...base, status_entered_time: at, start_time: at, lease_expires_at: null, deadline: null });
    expect([open.startTime, open.leaseExpiresAt, open.deadline]).toEqual(['2025-01-01T00:00:01.123Z', null, null]);
  });
});
