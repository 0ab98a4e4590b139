import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  createSecretBox, createTokenSigner, hashPassword, looksLikeApiKey, needsRehash, newApiKey, parseApiKey, REDACT_CENSOR, REDACT_PATHS, sealedKeyId, verifyPassword,
} from '../../src/auth/index.js';

const FAST = { N: 1024, r: 8, p: 1 };
const key = (b: number) => Buffer.alloc(32, b);

describe('password hashing (scrypt)', () => {
  it('records the parameters, verifies the right password only, and flags weak parameters', async () => {
    const h = await hashPassword('correct horse battery', FAST);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(needsRehash(h)).toBe(true);
    expect(needsRehash(h, FAST)).toBe(false);
  });

  it('the default cost is N=2^15, r=8, p=1', async () => {
    expect(await hashPassword('x'.repeat(12))).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it.each(['', 'scrypt$1024$8$1$$', 'scrypt$999999999$8$1$AAAA$' + 'A'.repeat(43), 'scrypt$1000$8$1$AAAA$' + 'A'.repeat(43), 'bcrypt$x', 'scrypt$1024$8$1$AAAA$short'])(
    'a malformed or hostile stored hash %s never verifies and never throws',
    async (stored) => {
      expect(await verifyPassword('anything', stored)).toBe(false);
    },
  );
});

describe('SecretBox', () => {
  it('round-trips, names its key, and refuses another key, tampering and garbage with SECRET_UNREADABLE-style InternalError', () => {
    const box = createSecretBox(key(1));
    const other = createSecretBox(key(2));
    const sealed = box.seal('s3cret-päss');
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealedKeyId(sealed)).toBe(box.keyId);
    expect(box.open(sealed)).toBe('s3cret-päss');
    expect(box.sealedWithThisKey(sealed)).toBe(true);
    expect(other.sealedWithThisKey(sealed)).toBe(false);
    expect(() => other.open(sealed)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => box.open('nonsense')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });


  it('takes base64 or hex keys and refuses others with SECRET_KEY_INVALID', () => {
    expect(createSecretBox(key(3).toString('base64')).keyId).toBe(createSecretBox(key(3).toString('hex')).keyId);
    for (const bad of ['', 'short', Buffer.alloc(16).toString('base64'), 'z'.repeat(64)]) {
      expect(() => createSecretBox(bad)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
    }
  });
});

describe('tokens and API key formats', () => {
  it('signs tokens that verify until they expire, and refuses forged ones', async () => {
    const s = createTokenSigner(key(4));
    const now = new Date('2025-01-01T00:00:00Z');
    const t = await s.sign({ userId: 'u1', username: 'alice', tenant: 't1', roles: ['operator'] }, now, 60);
    expect(await s.verify(t, now)).toEqual({ userId: 'u1', username: 'alice', tenant: 't1', roles: ['operator'], issuedAt: now.getTime() / 1000 });
    expect(await s.verify(t, new Date(now.getTime() + 61_000))).toBeNull();
    expect(await createTokenSigner(key(5)).verify(t, now)).toBeNull();
    const [h, , sig] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u1', name: 'alice', project: 't1', roles: ['admin'], iss: 'rondo', aud: 'rondo-api', iat: 1, exp: 9e9 })).toString('base64url');
    expect(await s.verify(`${h}.${forged}.${sig}`, now)).toBeNull();
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forged}.`;
    expect(await s.verify(none, now)).toBeNull();
  });

  it('API keys read rondo_<id>_<secret> and parse back', () => {
    const { key: k, secretHash } = newApiKey('00000000-0000-4000-8000-000000000001', () => Buffer.alloc(32, 9));
    expect(looksLikeApiKey(k)).toBe(true);
    expect(parseApiKey(k)).toEqual({ id: '00000000-0000-4000-8000-000000000001', secret: Buffer.alloc(32, 9).toString('base64url') });
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(parseApiKey('rondo_x_short')).toBeNull();
    expect(parseApiKey('bearer-token')).toBeNull();
  });
});

describe('log redaction', () => {
  it('a pino logger with REDACT_PATHS never prints a secret', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = pino({ redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR } }, sink);
    const SECRET = 'TOPSECRET-4711';
    log.info({ password: SECRET, token: SECRET, secret: SECRET }, 'top level');
    log.info({ body: { password: SECRET, access_token: SECRET }, user: { credentials: { x: SECRET } } }, 'nested');
    log.info({ req: { headers: { authorization: `Bearer ${SECRET}`, cookie: SECRET, 'x-api-key': SECRET } } }, 'request');
    log.info({ headers: { authorization: `Basic ${SECRET}` } }, 'headers');
    log.info({ vesagent_config: { ves_subscription: { endpoint: 'http://c', username: 'u', password: SECRET } } }, 'ves');
    log.info({ sub: { authentication: { paramsBasic: { userName: 'u', password: SECRET } } } }, 'subscription');
    log.info({ vim: { config: { password: SECRET, auth: { token: SECRET } } } }, 'vim');
    expect(lines).toHaveLength(7);
    for (const l of lines) expect(l).not.toContain(SECRET);
    expect(lines.join('')).toContain(REDACT_CENSOR);
  });
});
