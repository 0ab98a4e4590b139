import { describe, expect, it } from 'vitest';
import { createOpNotifier } from './op-notifier.js';
import type { OpChange } from './ports.js';

describe('createOpNotifier', () => {
  it('publishes each state of an operation once, in order, to every listener', () => {
    const n = createOpNotifier({ remember: 2 });
    const seen: string[] = [];
    n.subscribe((c: OpChange) => seen.push(`${c.opId}:${c.operationState}`));
    const change = (opId: string, operationState: OpChange['operationState']) => n.notify({ opId, nsInstanceId: 'ns', operationState });
    change('a', 'PROCESSING');
    change('a', 'COMPLETED');
    change('a', 'COMPLETED'); // the worker re-publishing on release
    change('b', 'PROCESSING');
    change('c', 'PROCESSING'); // forgets a (remember: 2)
    change('a', 'COMPLETED');
    expect(seen).toEqual(['a:PROCESSING', 'a:COMPLETED', 'b:PROCESSING', 'c:PROCESSING', 'a:COMPLETED']);
  });

  it('keeps delivering when a listener throws', () => {
    const n = createOpNotifier();
    const seen: string[] = [];
    n.subscribe(() => {
      throw new Error('broken');
    });
    n.subscribe((c) => seen.push(c.operationState));
    n.notify({ opId: 'x', nsInstanceId: 'ns', operationState: 'PROCESSING' });
    expect(seen).toEqual(['PROCESSING']);
  });
});
