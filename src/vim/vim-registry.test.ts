import { describe, expect, it } from 'vitest';
import type { VimAccount } from '../model/index.js';
import { VimRegistry } from './vim-registry.js';

const account = (id: string): VimAccount => ({ id, name: id, type: 'memory', endpoint: `memory://${id}`, capacity: null, config: {}, tenant: 'default', createdAt: '2026-01-01T00:00:00Z' });

describe('VimRegistry.onRefresh', () => {
  it('tells listeners after each reload, with the new accounts in place; not after a failed one; not once unsubscribed', async () => {
    let accounts: VimAccount[] = [account('dc1')];
    let fail = false;
    const registry = new VimRegistry({ list: async () => (fail ? Promise.reject(new Error('store down')) : accounts) });
    const seen: string[][] = [];
    const off = registry.onRefresh(() => seen.push(registry.accounts().map((a) => a.id)));
    await registry.refresh();
    accounts = [account('dc1'), account('dc2')];
    await registry.refresh();
    fail = true;
    await expect(registry.refresh()).rejects.toThrow('store down');
    fail = false;
    off();
    await registry.refresh();
    expect(seen).toEqual([['dc1'], ['dc1', 'dc2']]);
    await registry.close();
  });
});
