import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../auth/token-signer.js';
import { decodeClaims, getToken, onTokenChange, setToken } from './session.js';

describe('decodeClaims', () => {
  it('reads what the server signs: user, tenant, roles, expiry', async () => {
    const signer = createTokenSigner(new Uint8Array(32).fill(7));
    const now = new Date('2025-03-01T12:00:00Z');
    const jwt = await signer.sign({ userId: 'u-1', username: 'zoë', tenant: 'lab', roles: ['operator', 'viewer'] }, now, 3600);
    expect(decodeClaims(jwt)).toEqual({ userId: 'u-1', username: 'zoë', tenant: 'lab', roles: ['operator', 'viewer'], expiresAt: now.getTime() + 3_600_000 });
  });

  it('is null for what is not a JWT with a name', () => {
    expect(decodeClaims('rondo_abc_def')).toBeNull();
    expect(decodeClaims('a.!!!.c')).toBeNull();
    expect(decodeClaims(`x.${btoa(JSON.stringify({ sub: 'u' }))}.y`)).toBeNull();
  });
});

describe('the token', () => {
  it('tells watchers when it changes, not when it is set to the same value', () => {
    const seen: (string | null)[] = [];
    const stop = onTokenChange(() => seen.push(getToken()));
    setToken('t1');
    setToken('t1');
    setToken(null);
    stop();
    setToken('t2');
    expect(seen).toEqual(['t1', null]);
    setToken(null);
  });
});
