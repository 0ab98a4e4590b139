import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundGuard, createSecretBox, guardedFetch, loadSecretKey, AUTH_SEALED_COLUMNS, rotateSecrets, sealedColumns, sealedKeyId } from '../../src/auth/index.js';
import { sealedColumnRepository } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore, STORE_KINDS } from '../support/store.js';

describe('secret key source', () => {
  it('generates <dataDir>/secret.key with mode 0600 once, reads it back, and prefers RONDO_SECRET_KEY', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rondo-key-'));
    try {
      const first = loadSecretKey({ env: {}, dataDir: dir });
      expect(first.origin).toBe('generated');
      expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
      const again = loadSecretKey({ env: {}, dataDir: dir });
      expect(again.origin).toBe('file');
      expect(again.key.equals(first.key)).toBe(true);
      expect(again.warning).toBeNull();
      const fromEnv = loadSecretKey({ env: { RONDO_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') }, dataDir: dir });
      expect(fromEnv).toMatchObject({ origin: 'env', path: null });
      await writeFile(join(dir, 'secret.key'), 'garbage', { mode: 0o644 });
      expect(() => loadSecretKey({ env: {}, dataDir: dir })).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
      expect(await readFile(join(dir, 'secret.key'), 'utf8')).toBe('garbage');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.each(STORE_KINDS)('rotateSecrets (%s)', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind, `auth-secrets-${kind}`);
  });
  afterAll(async () => store?.close());

  it('re-encrypts every named sealed column from the old key to the new one, and is re-runnable', async () => {
    const oldBox = createSecretBox(Buffer.alloc(32, 1));
    const newBox = createSecretBox(Buffer.alloc(32, 2));
    const at = new Date('2025-01-01T00:00:00Z');
    await store.db.insertInto('ves_agent_configs').values({ vim_id: 'vim-1', endpoint: 'http://c', username: 'u', password_sealed: oldBox.seal('ves-pw'), poll_interval_default: 10, created_at: at, updated_at: at }).execute();
    await store.db.insertInto('ves_agent_configs').values({ vim_id: 'vim-2', endpoint: 'http://c', username: null, password_sealed: null, poll_interval_default: 10, created_at: at, updated_at: at }).execute();
    await store.db
      .insertInto('subscriptions')
      .values({ id: 's1', api: 'nslcm', callback_uri: 'http://cb', filter: '{}', filter_key: '{}', auth_sealed: oldBox.seal('{"password":"cb-pw"}'), created_at: at })
      .execute();
    // Naming a column twice keeps it once.
    const columns = sealedColumns({ table: 'ves_agent_configs', keyColumn: 'vim_id', column: 'password_sealed' });
    expect(columns).toEqual(AUTH_SEALED_COLUMNS);

    const report = await rotateSecrets(sealedColumnRepository(store.db), oldBox, newBox, columns);
    expect(report.rotated).toBe(2);
    const ves = await store.db.selectFrom('ves_agent_configs').select(['vim_id', 'password_sealed']).orderBy('vim_id').execute();
    expect(sealedKeyId(ves[0]!.password_sealed!)).toBe(newBox.keyId);
    expect(newBox.open(ves[0]!.password_sealed!)).toBe('ves-pw');
    expect(ves[1]!.password_sealed).toBeNull();
    const sub = await store.db.selectFrom('subscriptions').select('auth_sealed').executeTakeFirstOrThrow();
    expect(newBox.open(sub.auth_sealed!)).toBe('{"password":"cb-pw"}');

    const again = await rotateSecrets(sealedColumnRepository(store.db), oldBox, newBox, columns);
    expect(again.rotated).toBe(0);
    expect(again.columns.filter((c) => c.alreadyCurrent > 0).map((c) => [c.table, c.alreadyCurrent]).sort()).toEqual([['subscriptions', 1], ['ves_agent_configs', 1]]);
    // A key that opens nothing stops the rotation with a clear error, changing nothing.
    await expect(rotateSecrets(sealedColumnRepository(store.db), createSecretBox(Buffer.alloc(32, 3)), createSecretBox(Buffer.alloc(32, 4)), columns)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(() => sealedColumns({ table: 'x; drop table users', keyColumn: 'id', column: 'c' })).toThrow(/invalid identifier/);
    await expect(rotateSecrets(sealedColumnRepository(store.db), oldBox, newBox, [{ table: 'x; drop table users', keyColumn: 'id', column: 'c' }])).rejects.toThrow(/invalid identifier/);
  });
});

describe('outbound guard', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const server = createServer((req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      if (req.url === '/big') return void res.end(Buffer.alloc(200_000, 120));
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, method: req.method }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((r) => server.close(() => r()));
  });
  afterAll(async () => close?.());

  it('validates scheme, credentials and the allow-list', () => {
    const open = createOutboundGuard();
    expect(open.check('https://collector.example.net/ves').hostname).toBe('collector.example.net');
    for (const [bad, code] of [
      ['ftp://x/y', 'OUTBOUND_URL_INVALID'], ['file:///etc/passwd', 'OUTBOUND_URL_INVALID'], ['not a url', 'OUTBOUND_URL_INVALID'],
      ['http://user:pw@host/x', 'OUTBOUND_URL_INVALID'], ['http://169.254.169.254/latest', 'OUTBOUND_NOT_ALLOWED'], ['http://[fe80::1]/', 'OUTBOUND_NOT_ALLOWED'],
    ] as const) expect(() => open.check(bad), bad).toThrow(expect.objectContaining({ code, status: 400 }));
    const strict = createOutboundGuard({ allow: ['10.20.0.0/16', 'collector.example.net', '*.ves.example.org'] });
    expect(() => strict.check('http://10.20.3.4:8080/x')).not.toThrow();
    expect(() => strict.check('http://collector.example.net/x')).not.toThrow();
    expect(() => strict.check('http://a.ves.example.org/x')).not.toThrow();
    expect(() => strict.check('http://10.21.0.1/x')).toThrow(expect.objectContaining({ code: 'OUTBOUND_NOT_ALLOWED' }));
    expect(strict.addressAllowed('127.0.0.1')).toBe(false);
    expect(() => createOutboundGuard({ allow: ['10.0.0.0/99'] })).toThrow(expect.objectContaining({ code: 'OUTBOUND_ALLOW_INVALID' }));
    void Promise.all([open.close(), strict.close()]);
  });

  it('guardedFetch: answers, never follows redirects, bounds size and time, and refuses disallowed addresses at connect time', async () => {
    const guard = createOutboundGuard();
    try {
      const ok = await guardedFetch(guard, `${url}/x`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body.toString())).toEqual({ ok: true, method: 'POST' });
      expect((await guardedFetch(guard, `${url}/redirect`)).status).toBe(302);
      await expect(guardedFetch(guard, `${url}/big`, {}, { maxBytes: 64 * 1024 })).rejects.toMatchObject({ code: 'OUTBOUND_FAILED', retryable: true });
      await expect(guardedFetch(guard, `${url}/slow`, {}, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'OUTBOUND_FAILED' });
    } finally {
      await guard.close();
    }
    const onlyTenNet = createOutboundGuard({ allow: ['10.0.0.0/8'] });
    try {
      // "localhost" passes the URL check (it may resolve into the CIDR) but resolves to 127.0.0.1: refused when connecting.
      const port = new URL(url).port;
      await expect(guardedFetch(onlyTenNet, `http://localhost:${port}/x`)).rejects.toMatchObject({ code: 'OUTBOUND_FAILED' });
    } finally {
      await onlyTenNet.close();
    }
  });
});
