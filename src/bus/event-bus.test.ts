import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';

interface Topics {
  a: { n: number };
  b: string;
}

describe('createEventBus', () => {
  it('delivers to subscribers of the topic only, in order, until unsubscribed', () => {
    const bus = createEventBus<Topics>();
    const got: unknown[] = [];
    const off = bus.subscribe('a', (p) => got.push(p.n));
    bus.subscribe('b', (p) => got.push(p));
    bus.publish('a', { n: 1 });
    bus.publish('b', 'x');
    off();
    off();
    bus.publish('a', { n: 2 });
    expect(got).toEqual([1, 'x']);
    expect(bus.size).toBe(1);
  });

  it('keeps delivering when a handler throws and reports the error', () => {
    const errors: string[] = [];
    const bus = createEventBus<Topics>({ onHandlerError: (_e, topic) => errors.push(topic) });
    const got: number[] = [];
    bus.subscribe('a', () => {
      throw new Error('boom');
    });
    bus.subscribe('a', (p) => got.push(p.n));
    bus.publish('a', { n: 7 });
    expect(got).toEqual([7]);
    expect(errors).toEqual(['a']);
  });

  it('streams messages of several topics and ends when the signal aborts', async () => {
    const bus = createEventBus<Topics>();
    const ac = new AbortController();
    const s = bus.stream(['a', 'b'], ac.signal);
    bus.publish('a', { n: 1 });
    bus.publish('b', 'two');
    const seen: unknown[] = [];
    for await (const m of s) {
      seen.push(m.topic === 'a' ? m.payload.n : m.payload);
      if (seen.length === 2) ac.abort();
    }
    expect(seen).toEqual([1, 'two']);
    expect(bus.size).toBe(0);
  });

  it('bounds a slow stream and counts what it dropped', async () => {
    const bus = createEventBus<Topics>();
    const ac = new AbortController();
    const s = bus.stream(['a'], ac.signal, { maxBuffered: 2 });
    for (let n = 0; n < 5; n++) bus.publish('a', { n });
    ac.abort();
    const seen: number[] = [];
    for await (const m of s) seen.push(m.payload.n);
    expect(seen).toEqual([3, 4]);
    expect(s.dropped).toBe(3);
  });
});
