import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OP_STATES } from '../model/index.js';
import type { OpState } from '../model/index.js';
import { FINAL_OP_STATES, OP_EVENTS, isIllegal, nextState, transition } from './op-state-machine.js';
import type { OpEvent } from './op-state-machine.js';

const LEGAL: Record<string, OpState> = {
  'PROCESSING/step-failed': 'FAILED_TEMP',
  'PROCESSING/all-done': 'COMPLETED',
  'PROCESSING/cancel-graceful': 'FAILED_TEMP',
  'PROCESSING/cancel-forceful': 'FAILED_TEMP',
  'FAILED_TEMP/retry': 'PROCESSING',
  'FAILED_TEMP/rollback': 'ROLLING_BACK',
  'FAILED_TEMP/fail': 'FAILED',
  'ROLLING_BACK/rollback-done': 'ROLLED_BACK',
  'ROLLING_BACK/rollback-failed': 'FAILED_TEMP',
  'ROLLING_BACK/cancel-graceful': 'FAILED_TEMP',
  'ROLLING_BACK/cancel-forceful': 'FAILED_TEMP',
};

describe('operation state machine', () => {
  const cases = OP_STATES.flatMap((s) => OP_EVENTS.map((e) => [s, e] as [OpState, OpEvent]));
  it.each(cases)('%s × %s', (state, event) => {
    const expected = LEGAL[`${state}/${event}`];
    const r = transition(state, event);
    if (expected) {
      expect(r).toBe(expected);
    } else {
      expect(isIllegal(r)).toBe(true);
      expect(() => nextState(state, event, 'op-1')).toThrow(expect.objectContaining({ code: 'OP_ILLEGAL_STATE', status: 409 }));
    }
  });

  it('covers all 63 pairs and nothing leaves a final state', () => {
    expect(cases).toHaveLength(63);
    for (const s of FINAL_OP_STATES) for (const e of OP_EVENTS) expect(isIllegal(transition(s, e))).toBe(true);
  });

  it('SOL005: retry/rollback/fail only from FAILED_TEMP, cancel only from PROCESSING/ROLLING_BACK', () => {
    for (const s of OP_STATES) {
      for (const e of ['retry', 'rollback', 'fail'] as const) expect(isIllegal(transition(s, e))).toBe(s !== 'FAILED_TEMP');
      for (const e of ['cancel-graceful', 'cancel-forceful'] as const) expect(isIllegal(transition(s, e))).toBe(s !== 'PROCESSING' && s !== 'ROLLING_BACK');
    }
  });

  it('any event sequence from PROCESSING stays inside OP_STATES and stops at final states (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...OP_EVENTS), { maxLength: 30 }), (events) => {
        let s: OpState = 'PROCESSING';
        for (const e of events) {
          const r = transition(s, e);
          if (isIllegal(r)) continue;
          expect((FINAL_OP_STATES as readonly OpState[]).includes(s)).toBe(false);
          s = r;
        }
        expect(OP_STATES).toContain(s);
      }),
    );
  });
});
