/**
 * Authentication switched on in the real server: `startServer` on a temp data dir with
 * the pino output captured. First start announces a generated admin once (never in the
 * log), anonymous calls are 401, tokens and API keys work, VIM credentials and the VES
 * password are sealed at rest and never answered, the CLI logs in and keeps its token,
 * `rondo secrets rotate` re-encrypts offline and the restarted server still opens the VIM
 * credentials (a fake Keystone records what it is sent). Finally no secret appears in any
 * captured log line.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackServer } from '../support/callback-server.js';
import { loadConfig } from '../../src/config/index.js';
import { sealedKeyId } from '../../src/auth/index.js';
import { createLogger, startServer } from '../../src/app/index.js';
import type { RunningServer } from '../../src/app/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VIM_PASSWORD = 'vim-Pa55word-never-shown-4711';
const VES_PASSWORD = 'ves-Pa55word-never-shown-0815';
const SUB_PASSWORD = 'callback-Pa55word-never-shown-4711';
/** The Basic credentials the callback receives: they must not be logged either. */
const SUB_BASIC = Buffer.from(`oss:${SUB_PASSWORD}`).toString('base64');

/** Runs the built `bin/rondo …` (`npm run build` first) with `stdin`; never rejects. */
function rondo(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'rondo'), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let s = '';
    req.on('data', (b: Buffer) => (s += b.toString()));
    req.on('end', () => resolve(s));
  });

describe('authentication wired into startServer and the CLI', () => {
  let dir: string;
  let dataDir: string;
  let server: RunningServer | undefined;
  let url = '';
  const logLines: string[] = [];
  let notices: string[] = [];
  /** Every secret handed out or typed in this test: none may appear in a log line. */
  const secrets = new Set<string>([VIM_PASSWORD, VES_PASSWORD, SUB_PASSWORD, SUB_BASIC]);
  let adminPassword = '';
  let token = '';
  let apiKey = '';
  /** Passwords the fake Keystone received (`POST /v3/auth/tokens`). */
  const keystonePasswords: string[] = [];
  let keystone: Server;
  let keystoneUrl = '';
  let cliEnv: NodeJS.ProcessEnv;

  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logLines.push(line);
      done();
    },
  });

  async function start(): Promise<void> {
    notices = [];
    const config = loadConfig({}, { dataDir, port: 0, host: '127.0.0.1', logLevel: 'debug', autoRegisterPops: false });
    server = await startServer(config, { logger: createLogger(config, sink), env: {}, notice: (t) => notices.push(t) });
    url = server.url;
  }

  async function stop(): Promise<void> {
    await server?.close();
    server = undefined;
  }

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const login = async (password: string) => call('POST', '/admin/v1/tokens', {}, { username: 'admin', password });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-auth-wiring-'));
    dataDir = join(dir, 'data');
    keystone = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        if (req.method === 'POST' && (req.url ?? '').endsWith('/auth/tokens')) {
          try {
            keystonePasswords.push((JSON.parse(body) as { auth: { identity: { password: { user: { password: string } } } } }).auth.identity.password.user.password);
          } catch {
            keystonePasswords.push('(unparsable)');
          }
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":401,"message":"The request you have made requires authentication."}}');
          return;
        }
        res.writeHead(404).end();
      })();
    });
    await new Promise<void>((r) => keystone.listen(0, '127.0.0.1', r));
    keystoneUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}`;
    cliEnv = { ...process.env, RONDO_CONFIG_DIR: join(dir, 'cli-config'), RONDO_URL: '', RONDO_TOKEN: '', RONDO_API_KEY: '', RONDO_SECRET_KEY: '', DATABASE_URL: '' };
    await start();
  }, 120_000);

  afterAll(async () => {
    await stop();
    await new Promise((r) => keystone?.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('first start: the generated admin is announced once (not through pino); anonymous calls answer 401', async () => {
    const announced = notices.filter((n) => n.includes('Created the first admin user'));
    expect(announced).toHaveLength(1);
    adminPassword = /with password: (\S+)/.exec(announced[0]!)?.[1] ?? '';
    expect(adminPassword.length).toBeGreaterThanOrEqual(20);
    secrets.add(adminPassword);
    expect(notices.join('\n')).not.toContain('AUTHENTICATION IS OFF');

    const anon = await call('GET', '/nslcm/v1/ns_instances');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toContain('Bearer');
    expect(await anon.json()).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    expect((await call('GET', '/nslcm/v1/ns_instances', { authorization: 'Bearer forged.token.here' })).status).toBe(401);
    expect((await call('GET', '/healthz')).status).toBe(200);
    const key = await stat(join(dataDir, 'secret.key'));
    expect(key.mode & 0o777).toBe(0o600);
  });

  it('logging in as the bootstrap admin gives a token that works; an API key works as X-API-Key and as Bearer', async () => {
    expect((await login('wrong-password-123')).status).toBe(401);
    const r = await login(adminPassword);
    expect(r.status).toBe(200);
    token = ((await r.json()) as { access_token: string }).access_token;
    secrets.add(token);
    const bearer = { authorization: `Bearer ${token}` };
    const list = await call('GET', '/nslcm/v1/ns_instances', bearer);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([]);
    expect(await (await call('GET', '/admin/v1/users/me', bearer)).json()).toMatchObject({ user: 'admin', tenant: 'default', roles: ['admin'], method: 'token' });

    const created = await call('POST', '/admin/v1/api_keys', bearer, { name: 'automation' });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { key: string }).key;
    secrets.add(apiKey);
    // The secret is all after `rondo_<uuid>_`: base64url, so it may hold `_` itself.
    secrets.add(apiKey.slice('rondo_'.length + 36 + 1));
    expect((await call('GET', '/nslcm/v1/ns_instances', { 'x-api-key': apiKey })).status).toBe(200);
    expect((await call('GET', '/nslcm/v1/ns_instances', { authorization: `Bearer ${apiKey}` })).status).toBe(200);
    expect((await call('GET', '/nslcm/v1/ns_instances', { 'x-api-key': `${apiKey.slice(0, -2)}xx` })).status).toBe(401);

    // EventSource sends the token in the query (accepted on /api/events only); request logs must not carry it.
    const ac = new AbortController();
    const events = await fetch(`${url}/api/events?access_token=${encodeURIComponent(token)}`, { signal: ac.signal });
    expect(events.status).toBe(200);
    ac.abort();
    expect((await call('GET', `/nslcm/v1/ns_instances?nsInstanceName=x&access_token=${encodeURIComponent(token)}`)).status).toBe(401);
  });

  it('VIM credentials and the VES password are sealed at rest and never answered; the driver still gets them', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const added = await call('POST', '/admin/v1/vims?check=false', bearer, {
      name: 'os1', type: 'openstack', endpoint: `${keystoneUrl}/v3`,
      credentials: { username: 'os-user', password: VIM_PASSWORD, projectName: 'rondo', userDomainName: 'Default', projectDomainName: 'Default' },
    });
    const addedText = await added.text();
    expect(added.status, addedText).toBe(201);
    expect(addedText).not.toContain(VIM_PASSWORD);
    expect(JSON.parse(addedText)).toMatchObject({ id: 'os1', hasCredentials: true });
    expect(JSON.parse(addedText).config).not.toHaveProperty('secret');
    for (const path of ['/admin/v1/vims', '/admin/v1/vims/os1']) {
      const text = await (await call('GET', path, bearer)).text();
      expect(text).toContain('os1');
      expect(text).not.toContain(VIM_PASSWORD);
      expect(text).not.toContain('os-user');
    }

    const row = await server!.store.db.selectFrom('vim_accounts').selectAll().where('id', '=', 'os1').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(VIM_PASSWORD);
    expect(JSON.stringify(row)).not.toContain('os-user');
    expect(row.config).not.toHaveProperty('secret');
    expect(row.secret_sealed).toMatch(/^v2\.[0-9a-f]{8}\./);

    const ves = await call('POST', '/api/multicloud/v0/os1/vesagent', bearer, {
      vesagent_config: { ves_subscription: { endpoint: `${keystoneUrl}/eventListener/v7`, username: 'ves-user', password: VES_PASSWORD }, poll_interval_default: 60, backlogs: [] },
    });
    const vesText = await ves.text();
    expect(ves.status, vesText).toBe(201);
    expect(vesText).not.toContain(VES_PASSWORD);
    expect(await (await call('GET', '/api/multicloud/v0/os1/vesagent', bearer)).text()).not.toContain(VES_PASSWORD);
    const vesRow = await server!.store.db.selectFrom('ves_agent_configs').selectAll().where('vim_id', '=', 'os1').executeTakeFirstOrThrow();
    expect(JSON.stringify(vesRow)).not.toContain(VES_PASSWORD);

    // A connectivity check builds the driver: the credentials are opened for it alone.
    keystonePasswords.length = 0;
    const check = await call('POST', '/admin/v1/vims/os1/check', bearer);
    const checkText = await check.text();
    expect(check.status, checkText).toBeGreaterThanOrEqual(400);
    expect(checkText).not.toContain(VIM_PASSWORD);
    expect(keystonePasswords).toContain(VIM_PASSWORD);
  });

  it('SOL005 subscription credentials are sealed at rest, never answered, and sent to the callback as Basic auth', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const callback = new CallbackServer();
    await callback.start();
    try {
      const created = await call('POST', '/nslcm/v1/subscriptions', bearer, {
        callbackUri: `${callback.url}/notify`,
        authentication: { authType: ['BASIC'], paramsBasic: { userName: 'oss', password: SUB_PASSWORD } },
      });
      const text = await created.text();
      expect(created.status, text).toBe(201);
      expect(text).not.toContain(SUB_PASSWORD);
      // SOL005: the callback is tested with a GET, carrying the subscription's credentials.
      expect(callback.requests.find((r) => r.method === 'GET')?.authorization).toBe(`Basic ${SUB_BASIC}`);
      const id = (JSON.parse(text) as { id: string }).id;
      for (const path of ['/nslcm/v1/subscriptions', `/nslcm/v1/subscriptions/${id}`]) {
        const body = await (await call('GET', path, bearer)).text();
        expect(body).toContain(id);
        expect(body).not.toContain(SUB_PASSWORD);
      }
      const row = await server!.store.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(SUB_PASSWORD);
      expect(row.auth_sealed).toMatch(/^v2\./);
    } finally {
      await callback.stop();
    }
  });

  it('the CLI: rondo login --password-stdin keeps a token (0600) that rondo ns list uses; without it the hint says rondo login', async () => {
    const loggedIn = await rondo(['login', '--user', 'admin', '--password-stdin', '--url', url], cliEnv, `${adminPassword}\n`);
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    expect(loggedIn.stdout).toContain(`logged in to ${url} as admin`);
    expect(loggedIn.stdout + loggedIn.stderr).not.toContain(adminPassword);
    const file = join(dir, 'cli-config', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { servers: Record<string, { token: string; username: string }> };
    expect(stored.servers[url]).toMatchObject({ username: 'admin' });
    secrets.add(stored.servers[url]!.token);

    const [list, whoami, anonymous, withKey, wrong] = await Promise.all([
      rondo(['ns', 'list', '--json', '--url', url], cliEnv),
      rondo(['whoami', '--json', '--url', url], cliEnv),
      rondo(['ns', 'list', '--url', url], { ...cliEnv, RONDO_CONFIG_DIR: join(dir, 'nobody') }),
      rondo(['ns', 'list', '--json', '--url', url], { ...cliEnv, RONDO_CONFIG_DIR: join(dir, 'nobody'), RONDO_API_KEY: apiKey }),
      rondo(['login', '--user', 'admin', '--password-stdin', '--url', url], { ...cliEnv, RONDO_CONFIG_DIR: join(dir, 'wrong') }, 'not-the-password'),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: 'admin', method: 'token' });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('401');
    expect(anonymous.stderr).toContain('run "rondo login"');
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong username or password');

    const out = await rondo(['logout', '--url', url], cliEnv);
    expect([out.code, out.stdout.trim()]).toEqual([0, `logged out of ${url}`]);
    expect((await rondo(['ns', 'list', '--url', url], cliEnv)).code).toBe(1);
  });

  it('a second start on the same data dir creates no admin and prints no notice', async () => {
    await stop();
    await start();
    expect(notices.filter((n) => n.includes('Created the first admin user'))).toEqual([]);
    expect((await login(adminPassword)).status).toBe(200);
    // The token of the first start is still good: same key, same user.
    expect((await call('GET', '/nslcm/v1/ns_instances', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('rondo secrets rotate on the stopped server re-encrypts; the server starts with the new key and the VIM credentials still open', async () => {
    const before = await server!.store.db.selectFrom('vim_accounts').select('secret_sealed').where('id', '=', 'os1').executeTakeFirstOrThrow();
    const oldKeyId = sealedKeyId(before.secret_sealed!);
    const oldKeyText = await readFile(join(dataDir, 'secret.key'), 'utf8');
    secrets.add(oldKeyText.trim());

    // Refused while the server has the embedded store open.
    const busy = await rondo(['secrets', 'rotate', '--data-dir', dataDir], cliEnv);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('stop the server first');
    await stop();

    const rotated = await rondo(['secrets', 'rotate', '--data-dir', dataDir, '--json'], cliEnv);
    expect(rotated.code, rotated.stderr).toBe(0);
    const report = JSON.parse(rotated.stdout) as { oldKeyId: string; newKeyId: string; rotated: number; columns: { table: string; rotated: number }[] };
    expect(report.oldKeyId).toBe(oldKeyId);
    expect(report.newKeyId).not.toBe(oldKeyId);
    expect(report.columns.find((c) => c.table === 'vim_accounts')?.rotated).toBe(1);
    expect(report.columns.find((c) => c.table === 'ves_agent_configs')?.rotated).toBe(1);
    const newKeyText = await readFile(join(dataDir, 'secret.key'), 'utf8');
    secrets.add(newKeyText.trim());
    expect(newKeyText).not.toBe(oldKeyText);
    expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);

    await start();
    const after = await server!.store.db.selectFrom('vim_accounts').select('secret_sealed').where('id', '=', 'os1').executeTakeFirstOrThrow();
    expect(sealedKeyId(after.secret_sealed!)).toBe(report.newKeyId);
    // Tokens are signed with a key derived from the master key: the old one is void.
    expect((await call('GET', '/nslcm/v1/ns_instances', { authorization: `Bearer ${token}` })).status).toBe(401);
    const again = await login(adminPassword);
    expect(again.status).toBe(200);
    const fresh = ((await again.json()) as { access_token: string }).access_token;
    secrets.add(fresh);
    keystonePasswords.length = 0;
    await call('POST', '/admin/v1/vims/os1/check', { authorization: `Bearer ${fresh}` });
    expect(keystonePasswords).toContain(VIM_PASSWORD);
    // API keys are stored hashed, not sealed: they survive the rotation.
    expect((await call('GET', '/nslcm/v1/ns_instances', { 'x-api-key': apiKey })).status).toBe(200);
  });

  it('no secret (admin password, VIM and VES passwords, tokens, API key, secret keys) appears in any captured log line', async () => {
    await stop();
    expect(logLines.length).toBeGreaterThan(50);
    const leaks: string[] = [];
    for (const line of logLines) for (const s of secrets) if (s.length >= 8 && line.includes(s)) leaks.push(`${s.slice(0, 6)}… in ${line.slice(0, 200)}`);
    expect(leaks).toEqual([]);
    // The request with ?access_token= was logged, with the token censored.
    expect(logLines.some((l) => l.includes('/nslcm/v1/ns_instances?nsInstanceName=x&access_token=[redacted]'))).toBe(true);
    expect(logLines.some((l) => l.includes('Created the first admin user'))).toBe(false);
    console.log(`auth wiring: ${logLines.length} log lines scanned for ${secrets.size} secrets: ${leaks.length} leaks`);
  });
});
